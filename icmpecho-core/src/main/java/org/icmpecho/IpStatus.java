package org.icmpecho;

/**
 * The outcome of one echo, with the numbers of the Windows {@code IP_STATUS} codes ({@code ipexport.h},
 * {@code IP_STATUS_BASE} = 11000).
 *
 * <p>The constant names are the Windows names on purpose: they are what scripts, logs, the JSON output of the
 * command line and code ported from Windows already use. Where Windows has an IPv6 alias for the same number
 * ({@code IP_DEST_NO_ROUTE} for {@link #IP_DEST_NET_UNREACHABLE}, {@code IP_HOP_LIMIT_EXCEEDED} for
 * {@link #IP_TTL_EXPIRED_TRANSIT} ...), the alias is a static field naming the same constant, so the IPv4 name is
 * the one printed for both families.
 */
public enum IpStatus {
  IP_SUCCESS(0),
  IP_BUF_TOO_SMALL(11001),
  IP_DEST_NET_UNREACHABLE(11002),
  IP_DEST_HOST_UNREACHABLE(11003),
  IP_DEST_PROT_UNREACHABLE(11004),
  IP_DEST_PORT_UNREACHABLE(11005),
  IP_NO_RESOURCES(11006),
  IP_BAD_OPTION(11007),
  IP_HW_ERROR(11008),
  IP_PACKET_TOO_BIG(11009),
  IP_REQ_TIMED_OUT(11010),
  IP_BAD_REQ(11011),
  IP_BAD_ROUTE(11012),
  IP_TTL_EXPIRED_TRANSIT(11013),
  IP_TTL_EXPIRED_REASSEM(11014),
  IP_PARAM_PROBLEM(11015),
  IP_SOURCE_QUENCH(11016),
  IP_OPTION_TOO_BIG(11017),
  IP_BAD_DESTINATION(11018),
  IP_DEST_UNREACHABLE(11040),
  IP_TIME_EXCEEDED(11041),
  IP_BAD_HEADER(11042),
  IP_UNRECOGNIZED_NEXT_HEADER(11043),
  IP_ICMP_ERROR(11044),
  IP_DEST_SCOPE_MISMATCH(11045),
  IP_GENERAL_FAILURE(11050),
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
