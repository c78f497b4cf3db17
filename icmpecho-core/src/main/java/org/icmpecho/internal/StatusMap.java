package org.icmpecho.internal;

import org.icmpecho.IpStatus;
import org.icmpecho.internal.packet.IcmpCodec;

/**
 * Maps ICMP types and codes, and local errno names, to the Windows {@link IpStatus} an echo
 * reports.
 *
 * <p>The tables follow current Wine ({@code dlls/nsiproxy.sys/icmp_echo.c}), the "Wine WN" column
 * of {@code ICMPAPI.md} section 7, chosen there as the most complete Linux reference. A {@code
 * null} result means "not an answer to an echo request; keep waiting", which is what Wine does for
 * redirects, echo requests seen on loopback and every type it does not know.
 *
 * <p>Stateless and safe for concurrent use; allocates nothing.
 *
 * <pre>{@code
 * IpStatus s = p.ipv6 ? StatusMap.icmpv6(p.icmpType, p.icmpCode) : StatusMap.icmpv4(p.icmpType, p.icmpCode);
 * }</pre>
 */
public final class StatusMap {
  private StatusMap() {}

  /**
   * The status for an ICMPv4 message (RFC 792, RFC 1812 section 5.2.7.1 for unreachable codes 13 to
   * 15), or {@code null} for a type that does not answer an echo request.
   *
   * <ul>
   *   <li>0 echo reply: {@link IpStatus#IP_SUCCESS};
   *   <li>3 destination unreachable: per code, codes 16 and above (unassigned) as host unreachable,
   *       as Wine;
   *   <li>4 source quench (deprecated by RFC 6633, still mapped as Wine does): {@link
   *       IpStatus#IP_SOURCE_QUENCH};
   *   <li>11 time exceeded: code 1 reassembly, every other code in transit (RFC 792 defines only 0
   *       and 1);
   *   <li>12 parameter problem, any code: {@link IpStatus#IP_PARAM_PROBLEM};
   *   <li>5 redirect, 8 echo request and all others: {@code null}.
   * </ul>
   */
  public static IpStatus icmpv4(int type, int code) {
    return switch (type) {
      case IcmpCodec.ICMP_ECHO_REPLY -> IpStatus.IP_SUCCESS;
      case IcmpCodec.ICMP_DEST_UNREACHABLE ->
          switch (code) {
            case 0, 6, 9, 11 ->
                IpStatus.IP_DEST_NET_UNREACHABLE; // net, net unknown, net prohibited, net TOS
            case 2 -> IpStatus.IP_DEST_PROT_UNREACHABLE;
            case 3 -> IpStatus.IP_DEST_PORT_UNREACHABLE;
            case 4 ->
                IpStatus
                    .IP_PACKET_TOO_BIG; // fragmentation needed and DF set (older Wine said 11002)
            case 5 -> IpStatus.IP_BAD_ROUTE; // source route failed
            // 1 host, 7 host unknown, 8 isolated, 10 host prohibited, 12 host TOS, 13 admin
            // filtered, 14 host precedence, 15 precedence cutoff, and unassigned codes: Wine
            // reports the host unreachable.
            default -> IpStatus.IP_DEST_HOST_UNREACHABLE;
          };
      case IcmpCodec.ICMP_SOURCE_QUENCH -> IpStatus.IP_SOURCE_QUENCH;
      case IcmpCodec.ICMP_TIME_EXCEEDED ->
          code == 1 ? IpStatus.IP_TTL_EXPIRED_REASSEM : IpStatus.IP_TTL_EXPIRED_TRANSIT;
      case IcmpCodec.ICMP_PARAMETER_PROBLEM -> IpStatus.IP_PARAM_PROBLEM;
      default -> null;
    };
  }

  /**
   * The status for an ICMPv6 message (RFC 4443), or {@code null} for a type that does not answer an
   * echo request (echo request, neighbour discovery, MLD, unknown types).
   *
   * <ul>
   *   <li>129 echo reply: {@link IpStatus#IP_SUCCESS};
   *   <li>1 destination unreachable: per code (RFC 4443 section 3.1 codes 0 to 6, RFC 6554 code 7),
   *       codes 8 and above as address unreachable, as Wine;
   *   <li>2 packet too big: {@link IpStatus#IP_PACKET_TOO_BIG};
   *   <li>3 time exceeded: 0 hop limit, 1 reassembly, other codes {@link
   *       IpStatus#IP_TIME_EXCEEDED};
   *   <li>4 parameter problem, any code: {@link IpStatus#IP_PARAM_PROBLEM} (.NET splits codes 0 to
   *       2; Wine does not, and Wine is the reference).
   * </ul>
   */
  public static IpStatus icmpv6(int type, int code) {
    return switch (type) {
      case IcmpCodec.ICMPV6_ECHO_REPLY -> IpStatus.IP_SUCCESS;
      case IcmpCodec.ICMPV6_DEST_UNREACHABLE ->
          switch (code) {
            case 0 -> IpStatus.IP_DEST_NO_ROUTE;
            case 1 -> IpStatus.IP_DEST_PROHIBITED;
            case 2 -> IpStatus.IP_DEST_SCOPE_MISMATCH;
            case 3 -> IpStatus.IP_DEST_ADDR_UNREACHABLE;
            case 4 -> IpStatus.IP_DEST_PORT_UNREACHABLE;
            case 5 -> IpStatus.IP_ICMP_ERROR; // source address failed ingress/egress policy
            case 6 -> IpStatus.IP_DEST_UNREACHABLE; // reject route to destination
            case 7 -> IpStatus.IP_BAD_HEADER; // error in source routing header
            default -> IpStatus.IP_DEST_ADDR_UNREACHABLE;
          };
      case IcmpCodec.ICMPV6_PACKET_TOO_BIG -> IpStatus.IP_PACKET_TOO_BIG;
      case IcmpCodec.ICMPV6_TIME_EXCEEDED ->
          switch (code) {
            case 0 -> IpStatus.IP_HOP_LIMIT_EXCEEDED;
            case 1 -> IpStatus.IP_REASSEMBLY_TIME_EXCEEDED;
            default -> IpStatus.IP_TIME_EXCEEDED;
          };
      case IcmpCodec.ICMPV6_PARAMETER_PROBLEM -> IpStatus.IP_PARAMETER_PROBLEM;
      default -> null;
    };
  }

  /**
   * The status for a probe that failed locally, from the symbolic errno of {@code sendto} or of a
   * {@code SO_EE_ORIGIN_LOCAL} error-queue entry ({@code "EMSGSIZE"}, {@code "EHOSTUNREACH"} ...).
   *
   * <p>Current Wine maps only {@code EHOSTUNREACH} (to 11003) and reports everything else as {@link
   * IpStatus#IP_GENERAL_FAILURE}; older Wine also mapped {@code EMSGSIZE} and {@code ENETUNREACH}.
   * This deliberately maps a few more, because each of them has an exact {@code IP_STATUS} and the
   * caller gains from knowing: {@code EMSGSIZE} is the local form of "packet too big" (the path MTU
   * is already known to be smaller, and .NET maps it the same way), {@code ENETUNREACH} is "no
   * route", and {@code ENOBUFS} or {@code ENOMEM} mean the host ran out of resources, which Windows
   * reports as 11006. Any other name, including {@code null}, is {@link
   * IpStatus#IP_GENERAL_FAILURE}, as in Wine.
   */
  public static IpStatus localErrno(String errnoName) {
    if (errnoName == null) {
      return IpStatus.IP_GENERAL_FAILURE;
    }
    return switch (errnoName) {
      case "EMSGSIZE" -> IpStatus.IP_PACKET_TOO_BIG;
      case "EHOSTUNREACH" -> IpStatus.IP_DEST_HOST_UNREACHABLE;
      case "ENETUNREACH" -> IpStatus.IP_DEST_NET_UNREACHABLE;
      case "ENOBUFS", "ENOMEM" -> IpStatus.IP_NO_RESOURCES;
      default -> IpStatus.IP_GENERAL_FAILURE;
    };
  }
}
