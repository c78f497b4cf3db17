package org.icmpecho.winapi;

/**
 * The {@code NTSTATUS} values ({@code ntstatus.h}) that appear in {@link IO_STATUS_BLOCK#Status} of
 * a completed asynchronous request. Values as in Windows (negative ints for the error class).
 */
public final class NtStatus {
  private NtStatus() {}

  /** Success: every normal completion, including timeouts and ICMP error answers. */
  public static final int STATUS_SUCCESS = 0x00000000;

  /** The wait timed out. */
  public static final int STATUS_TIMEOUT = 0x00000102;

  /** The operation is pending. */
  public static final int STATUS_PENDING = 0x00000103;

  /** Unsuccessful (any other failure of the engine). */
  public static final int STATUS_UNSUCCESSFUL = 0xC0000001;

  /** An invalid parameter (an IPv6 request with hop limit 0). */
  public static final int STATUS_INVALID_PARAMETER = 0xC000000D;

  /** Not enough memory. */
  public static final int STATUS_NO_MEMORY = 0xC0000017;

  /** Access denied (no ICMP socket may be opened). */
  public static final int STATUS_ACCESS_DENIED = 0xC0000022;

  /** The request is not supported. */
  public static final int STATUS_NOT_SUPPORTED = 0xC00000BB;

  /** The request was cancelled. */
  public static final int STATUS_CANCELLED = 0xC0000120;

  /** The address is not valid here (a source address that is not local). */
  public static final int STATUS_INVALID_ADDRESS_COMPONENT = 0xC0000207;
}
