package org.icmpecho.winapi;

/**
 * The Win32 error codes ({@code winerror.h}) that the ICMP functions leave in {@link
 * Kernel32#GetLastError()}. Values as in Windows.
 */
public final class WinError {
  private WinError() {}

  /** The operation completed successfully. */
  public static final int NO_ERROR = 0;

  /** The operation completed successfully (same as {@link #NO_ERROR}). */
  public static final int ERROR_SUCCESS = 0;

  /** The system cannot find the file specified. */
  public static final int ERROR_FILE_NOT_FOUND = 2;

  /** Access is denied: here, neither an unprivileged ICMP socket nor a raw socket may be opened. */
  public static final int ERROR_ACCESS_DENIED = 5;

  /** The handle is invalid. */
  public static final int ERROR_INVALID_HANDLE = 6;

  /** Not enough memory resources are available (the engine refused another request in flight). */
  public static final int ERROR_NOT_ENOUGH_MEMORY = 8;

  /** Not enough memory resources are available to complete this operation. */
  public static final int ERROR_OUTOFMEMORY = 14;

  /** A device attached to the system is not functioning. */
  public static final int ERROR_GEN_FAILURE = 31;

  /** The request is not supported (e.g. IPv6 is not available). */
  public static final int ERROR_NOT_SUPPORTED = 50;

  /** The parameter is incorrect. */
  public static final int ERROR_INVALID_PARAMETER = 87;

  /** This function is not supported on this system. */
  public static final int ERROR_CALL_NOT_IMPLEMENTED = 120;

  /** The data area passed to a system call is too small. */
  public static final int ERROR_INSUFFICIENT_BUFFER = 122;

  /** Cannot create a file when that file already exists (a named event that already existed). */
  public static final int ERROR_ALREADY_EXISTS = 183;

  /** The I/O operation has been aborted (here: the calling Java thread was interrupted). */
  public static final int ERROR_OPERATION_ABORTED = 995;

  /** Overlapped I/O operation is in progress: an asynchronous request was accepted. */
  public static final int ERROR_IO_PENDING = 997;

  /**
   * Invalid access to memory location: a segment too small, closed, or not usable from another
   * thread.
   */
  public static final int ERROR_NOACCESS = 998;

  /**
   * The format of the specified network name is invalid: an unspecified destination or a non-local
   * source.
   */
  public static final int ERROR_INVALID_NETNAME = 1214;
}
