package org.icmpecho;

/**
 * The outcome of one echo, with the numbers of the Windows {@code IP_STATUS} codes ({@code
 * ipexport.h}, {@code IP_STATUS_BASE} = 11000).
 *
 * <p>The constant names are the Windows names on purpose: they are what scripts, logs, the JSON
 * output of the command line and code ported from Windows already use. Where Windows has an IPv6
 * alias for the same number ({@code IP_DEST_NO_ROUTE} for {@link #IP_DEST_NET_UNREACHABLE}, {@code
 * IP_HOP_LIMIT_EXCEEDED} for {@link #IP_TTL_EXPIRED_TRANSIT} ...), the alias is a static field
 * naming the same constant, so the IPv4 name is the one printed for both families.
 */
public enum IpStatus {
  /** The echo was answered. */
  IP_SUCCESS(0),
  /** The reply buffer is too small (the Windows layer's reply buffers). */
  IP_BUF_TOO_SMALL(11001),
  /**
   * Destination network unreachable (ICMP 3/0, 3/6, 3/9, 3/11; ICMPv6 1/0; a local {@code
   * ENETUNREACH}).
   */
  IP_DEST_NET_UNREACHABLE(11002),
  /**
   * Destination host unreachable (ICMP 3/1, 3/7, 3/8, 3/10, 3/12-3/15; ICMPv6 1/3; a local {@code
   * EHOSTUNREACH}).
   */
  IP_DEST_HOST_UNREACHABLE(11003),
  /** Destination protocol unreachable (ICMP 3/2; ICMPv6 1/1, administratively prohibited). */
  IP_DEST_PROT_UNREACHABLE(11004),
  /** Destination port unreachable (ICMP 3/3; ICMPv6 1/4). */
  IP_DEST_PORT_UNREACHABLE(11005),
  /** Not enough resources to send. */
  IP_NO_RESOURCES(11006),
  /** A bad IP option. */
  IP_BAD_OPTION(11007),
  /** A hardware error. */
  IP_HW_ERROR(11008),
  /** Too big to forward without fragmenting (ICMP 3/4, ICMPv6 2, or a local {@code EMSGSIZE}). */
  IP_PACKET_TOO_BIG(11009),
  /** No answer within the timeout. */
  IP_REQ_TIMED_OUT(11010),
  /** A bad request. */
  IP_BAD_REQ(11011),
  /** A bad route (ICMP 3/5, source route failed). */
  IP_BAD_ROUTE(11012),
  /** TTL or hop limit exceeded in transit (ICMP 11/0; ICMPv6 3/0). */
  IP_TTL_EXPIRED_TRANSIT(11013),
  /** Fragment reassembly time exceeded (ICMP 11/1; ICMPv6 3/1). */
  IP_TTL_EXPIRED_REASSEM(11014),
  /** A parameter problem (ICMP 12; ICMPv6 4). */
  IP_PARAM_PROBLEM(11015),
  /** Source quench (ICMP 4). */
  IP_SOURCE_QUENCH(11016),
  /** An IP option too big. */
  IP_OPTION_TOO_BIG(11017),
  /** A bad destination address. */
  IP_BAD_DESTINATION(11018),
  /** Destination unreachable for another reason (ICMPv6 1/6, reject route). */
  IP_DEST_UNREACHABLE(11040),
  /** Time exceeded for another reason (ICMPv6 3 with another code). */
  IP_TIME_EXCEEDED(11041),
  /** A bad IP header (ICMPv6 1/7, error in the source routing header). */
  IP_BAD_HEADER(11042),
  /** An unrecognised IPv6 next header. */
  IP_UNRECOGNIZED_NEXT_HEADER(11043),
  /** Another ICMP error (ICMPv6 1/5, source address failed policy). */
  IP_ICMP_ERROR(11044),
  /** Destination beyond the scope of the source address (ICMPv6 1/2). */
  IP_DEST_SCOPE_MISMATCH(11045),
  /**
   * A general failure; here also an answer whose payload differs from the echo's ({@link
   * EchoResult.Corrupted}).
   */
  IP_GENERAL_FAILURE(11050),
  /** An asynchronous request still in progress (the Windows layer). */
  IP_PENDING(11255);

  /** IPv6 alias of {@link #IP_DEST_NET_UNREACHABLE} (11002). */
  public static final IpStatus IP_DEST_NO_ROUTE = IP_DEST_NET_UNREACHABLE;

  /** IPv6 alias of {@link #IP_DEST_HOST_UNREACHABLE} (11003). */
  public static final IpStatus IP_DEST_ADDR_UNREACHABLE = IP_DEST_HOST_UNREACHABLE;

  /** IPv6 alias of {@link #IP_DEST_PROT_UNREACHABLE} (11004). */
  public static final IpStatus IP_DEST_PROHIBITED = IP_DEST_PROT_UNREACHABLE;

  /** IPv6 alias of {@link #IP_TTL_EXPIRED_TRANSIT} (11013). */
  public static final IpStatus IP_HOP_LIMIT_EXCEEDED = IP_TTL_EXPIRED_TRANSIT;

  /** IPv6 alias of {@link #IP_TTL_EXPIRED_REASSEM} (11014). */
  public static final IpStatus IP_REASSEMBLY_TIME_EXCEEDED = IP_TTL_EXPIRED_REASSEM;

  /** IPv6 alias of {@link #IP_PARAM_PROBLEM} (11015). */
  public static final IpStatus IP_PARAMETER_PROBLEM = IP_PARAM_PROBLEM;

  private static final IpStatus[] VALUES = values();

  private final int code;

  IpStatus(int code) {
    this.code = code;
  }

  /** The Windows number of this status, e.g. 11010 for {@link #IP_REQ_TIMED_OUT}. */
  public int code() {
    return code;
  }

  /**
   * The status with the given Windows number.
   *
   * @throws IllegalArgumentException if no {@code IP_STATUS} has that number
   */
  public static IpStatus ofCode(int code) {
    for (IpStatus s : VALUES) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("no IP_STATUS has the number " + code);
  }
}
