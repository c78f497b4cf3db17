package org.icmpecho.winapi;

/**
 * The constants of {@code ipexport.h}: every {@code IP_STATUS} code (with the IPv6 aliases, which
 * share the IPv4 numbers), the {@link IP_OPTION_INFORMATION#Flags(java.lang.foreign.MemorySegment)
 * Flags} bits and the IP option codes. Values as in Windows ({@code IP_STATUS_BASE} = 11000).
 *
 * <pre>{@code
 * if (ICMP_ECHO_REPLY.Status(reply) == IpExport.IP_REQ_TIMED_OUT) { ... }
 * }</pre>
 */
public final class IpExport {
  private IpExport() {}

  /** The base of the {@code IP_STATUS} codes. */
  public static final int IP_STATUS_BASE = 11000;

  /** Success: an echo reply. */
  public static final int IP_SUCCESS = 0;

  /**
   * The reply buffer is too small (pre-Vista; Vista and later report {@link #IP_GENERAL_FAILURE}).
   */
  public static final int IP_BUF_TOO_SMALL = IP_STATUS_BASE + 1;

  /** Destination network unreachable. */
  public static final int IP_DEST_NET_UNREACHABLE = IP_STATUS_BASE + 2;

  /** Destination host unreachable. */
  public static final int IP_DEST_HOST_UNREACHABLE = IP_STATUS_BASE + 3;

  /** Destination protocol unreachable. */
  public static final int IP_DEST_PROT_UNREACHABLE = IP_STATUS_BASE + 4;

  /** Destination port unreachable. */
  public static final int IP_DEST_PORT_UNREACHABLE = IP_STATUS_BASE + 5;

  /** Out of IP resources. */
  public static final int IP_NO_RESOURCES = IP_STATUS_BASE + 6;

  /** Bad IP option. */
  public static final int IP_BAD_OPTION = IP_STATUS_BASE + 7;

  /** Hardware error. */
  public static final int IP_HW_ERROR = IP_STATUS_BASE + 8;

  /** The packet is too big (fragmentation needed with DF set, ICMPv6 packet too big). */
  public static final int IP_PACKET_TOO_BIG = IP_STATUS_BASE + 9;

  /** No answer within the timeout. */
  public static final int IP_REQ_TIMED_OUT = IP_STATUS_BASE + 10;

  /** Bad request. */
  public static final int IP_BAD_REQ = IP_STATUS_BASE + 11;

  /** Bad route (source route failed). */
  public static final int IP_BAD_ROUTE = IP_STATUS_BASE + 12;

  /** The TTL expired in transit (the reporting router is in the reply's {@code Address}). */
  public static final int IP_TTL_EXPIRED_TRANSIT = IP_STATUS_BASE + 13;

  /** The TTL expired during fragment reassembly. */
  public static final int IP_TTL_EXPIRED_REASSEM = IP_STATUS_BASE + 14;

  /** Parameter problem. */
  public static final int IP_PARAM_PROBLEM = IP_STATUS_BASE + 15;

  /** Source quench. */
  public static final int IP_SOURCE_QUENCH = IP_STATUS_BASE + 16;

  /** The option is too big. */
  public static final int IP_OPTION_TOO_BIG = IP_STATUS_BASE + 17;

  /** Bad destination. */
  public static final int IP_BAD_DESTINATION = IP_STATUS_BASE + 18;

  /** Notification: an address was deleted. */
  public static final int IP_ADDR_DELETED = IP_STATUS_BASE + 19;

  /** Notification: the specified MTU changed. */
  public static final int IP_SPEC_MTU_CHANGE = IP_STATUS_BASE + 20;

  /** Notification: the MTU changed. */
  public static final int IP_MTU_CHANGE = IP_STATUS_BASE + 21;

  /** Notification: unload. */
  public static final int IP_UNLOAD = IP_STATUS_BASE + 22;

  /** Notification: an address was added. */
  public static final int IP_ADDR_ADDED = IP_STATUS_BASE + 23;

  /** Notification: media connected. */
  public static final int IP_MEDIA_CONNECT = IP_STATUS_BASE + 24;

  /** Notification: media disconnected. */
  public static final int IP_MEDIA_DISCONNECT = IP_STATUS_BASE + 25;

  /** Notification: adapter bound. */
  public static final int IP_BIND_ADAPTER = IP_STATUS_BASE + 26;

  /** Notification: adapter unbound. */
  public static final int IP_UNBIND_ADAPTER = IP_STATUS_BASE + 27;

  /** Notification: the device does not exist. */
  public static final int IP_DEVICE_DOES_NOT_EXIST = IP_STATUS_BASE + 28;

  /** Notification: duplicate address. */
  public static final int IP_DUPLICATE_ADDRESS = IP_STATUS_BASE + 29;

  /** Notification: interface metric changed. */
  public static final int IP_INTERFACE_METRIC_CHANGE = IP_STATUS_BASE + 30;

  /** Notification: security filter reconfigured. */
  public static final int IP_RECONFIG_SECFLTR = IP_STATUS_BASE + 31;

  /** Notification: negotiating IPsec. */
  public static final int IP_NEGOTIATING_IPSEC = IP_STATUS_BASE + 32;

  /** Notification: wake-on-LAN capability changed. */
  public static final int IP_INTERFACE_WOL_CAPABILITY_CHANGE = IP_STATUS_BASE + 33;

  /** Notification: duplicate IP address. */
  public static final int IP_DUPLICATE_IPADD = IP_STATUS_BASE + 34;

  /** Notification: no further sends. */
  public static final int IP_NO_FURTHER_SENDS = IP_STATUS_BASE + 35;

  /** IPv6: generic destination unreachable. */
  public static final int IP_DEST_UNREACHABLE = IP_STATUS_BASE + 40;

  /** IPv6: generic time exceeded. */
  public static final int IP_TIME_EXCEEDED = IP_STATUS_BASE + 41;

  /** IPv6: bad header. */
  public static final int IP_BAD_HEADER = IP_STATUS_BASE + 42;

  /** IPv6: unrecognized next header. */
  public static final int IP_UNRECOGNIZED_NEXT_HEADER = IP_STATUS_BASE + 43;

  /** IPv6: generic ICMP error. */
  public static final int IP_ICMP_ERROR = IP_STATUS_BASE + 44;

  /** IPv6: destination beyond the source's scope. */
  public static final int IP_DEST_SCOPE_MISMATCH = IP_STATUS_BASE + 45;

  /** General failure; on Vista and later also "the reply did not fit the reply buffer". */
  public static final int IP_GENERAL_FAILURE = IP_STATUS_BASE + 50;

  /** The highest {@code IP_STATUS} ({@link #IP_GENERAL_FAILURE}). */
  public static final int MAX_IP_STATUS = IP_GENERAL_FAILURE;

  /** The request is pending. */
  public static final int IP_PENDING = IP_STATUS_BASE + 255;

  /** IPv6 alias of {@link #IP_DEST_NET_UNREACHABLE}: no route to the destination. */
  public static final int IP_DEST_NO_ROUTE = IP_DEST_NET_UNREACHABLE;

  /** IPv6 alias of {@link #IP_DEST_HOST_UNREACHABLE}: address unreachable. */
  public static final int IP_DEST_ADDR_UNREACHABLE = IP_DEST_HOST_UNREACHABLE;

  /** IPv6 alias of {@link #IP_DEST_PROT_UNREACHABLE}: administratively prohibited. */
  public static final int IP_DEST_PROHIBITED = IP_DEST_PROT_UNREACHABLE;

  /** IPv6 alias of {@link #IP_TTL_EXPIRED_TRANSIT}: hop limit exceeded. */
  public static final int IP_HOP_LIMIT_EXCEEDED = IP_TTL_EXPIRED_TRANSIT;

  /** IPv6 alias of {@link #IP_TTL_EXPIRED_REASSEM}: reassembly time exceeded. */
  public static final int IP_REASSEMBLY_TIME_EXCEEDED = IP_TTL_EXPIRED_REASSEM;

  /** IPv6 alias of {@link #IP_PARAM_PROBLEM}: parameter problem. */
  public static final int IP_PARAMETER_PROBLEM = IP_PARAM_PROBLEM;

  /** {@code Flags} bit: add a reverse routing header (Vista and later; ignored by this layer). */
  public static final int IP_FLAG_REVERSE = 0x01;

  /** {@code Flags} bit: set don't-fragment. */
  public static final int IP_FLAG_DF = 0x02;

  /** IP option: end of option list. */
  public static final int IP_OPT_EOL = 0x00;

  /** IP option: no operation. */
  public static final int IP_OPT_NOP = 0x01;

  /** IP option: security. */
  public static final int IP_OPT_SECURITY = 0x82;

  /** IP option: loose source and record route. */
  public static final int IP_OPT_LSRR = 0x83;

  /** IP option: strict source and record route. */
  public static final int IP_OPT_SSRR = 0x89;

  /** IP option: record route. */
  public static final int IP_OPT_RR = 0x07;

  /** IP option: timestamp. */
  public static final int IP_OPT_TS = 0x44;

  /** IP option: stream identifier. */
  public static final int IP_OPT_SID = 0x88;

  /** IP option: router alert. */
  public static final int IP_OPT_ROUTER_ALERT = 0x94;

  /** The largest IP options block, in bytes. */
  public static final int MAX_OPT_SIZE = 40;
}
