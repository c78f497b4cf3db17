package org.icmpecho.cli;

import org.icmpecho.EchoResult;

/**
 * How each tool words an ICMP error answer: iputils {@code ping} ("Time to live exceeded"), fping
 * ("ICMP Host Unreachable from ...") and traceroute's annotations ({@code !H}, {@code !N}, {@code
 * !X}, {@code !F-1280}).
 */
final class IcmpText {
  private IcmpText() {}

  private static final String[] PING_UNREACH_V4 = {
    "Destination Net Unreachable",
    "Destination Host Unreachable",
    "Destination Protocol Unreachable",
    "Destination Port Unreachable",
    null, // frag needed: carries the MTU
    "Source Route Failed",
    "Destination Net Unknown",
    "Destination Host Unknown",
    "Source Host Isolated",
    "Destination Net Prohibited",
    "Destination Host Prohibited",
    "Destination Net Unreachable for Type of Service",
    "Destination Host Unreachable for Type of Service",
    "Packet filtered",
    "Precedence Violation",
    "Precedence Cutoff",
  };

  private static final String[] PING_UNREACH_V6 = {
    "No route",
    "Administratively prohibited",
    "Beyond scope of source address",
    "Address unreachable",
    "Port unreachable",
    "Source address failed ingress/egress policy",
    "Reject route to destination",
  };

  private static final String[] FPING_UNREACH_V4 = {
    "ICMP Network Unreachable",
    "ICMP Host Unreachable",
    "ICMP Protocol Unreachable",
    "ICMP Port Unreachable",
    "ICMP Unreachable (Fragmentation Needed)",
    "ICMP Unreachable (Source Route Failed)",
    "ICMP Unreachable (Destination Network Unknown)",
    "ICMP Unreachable (Destination Host Unknown)",
    "ICMP Unreachable (Source Host Isolated)",
    "ICMP Unreachable (Communication with Network Prohibited)",
    "ICMP Unreachable (Communication with Host Prohibited)",
    "ICMP Unreachable (Network Unreachable For Type Of Service)",
    "ICMP Unreachable (Host Unreachable For Type Of Service)",
    "ICMP Unreachable (Communication Administratively Prohibited)",
    "ICMP Unreachable (Host Precedence Violation)",
    "ICMP Unreachable (Precedence cutoff in effect)",
  };

  private static final String[] FPING_UNREACH_V6 = {
    "ICMPv6 No Route to Destination",
    "ICMPv6 Communication with Destination Administratively Prohibited",
    "ICMPv6 Beyond Scope of Source Address",
    "ICMPv6 Address Unreachable",
    "ICMPv6 Port Unreachable",
    "ICMPv6 Source Address Failed Ingress/Egress Policy",
    "ICMPv6 Reject Route to Destination",
  };

  /** iputils' words for an ICMP error, as after {@code "From 10.0.0.1 icmp_seq=1 "}. */
  static String ping(EchoResult.IcmpError e) {
    int type = e.icmpType(), code = e.icmpCode();
    if (e.request().isIpv6()) {
      return switch (type) {
        case 1 -> "Destination unreachable: " + pick(PING_UNREACH_V6, code, "Unknown code " + code);
        case 2 -> "Packet too big: mtu=" + e.info();
        case 3 ->
            "Time exceeded: "
                + (code == 0
                    ? "Hop limit"
                    : code == 1 ? "Defragmentation failure" : "code " + code);
        case 4 ->
            "Parameter problem: "
                + (code == 0
                    ? "Wrong header field "
                    : code == 1
                        ? "Unknown header "
                        : code == 2 ? "Unknown option " : "code " + code + " ")
                + "at "
                + e.info();
        default -> "Unknown ICMPv6 type " + type + " code " + code + " (" + e.status() + ")";
      };
    }
    return switch (type) {
      case 3 ->
          code == 4
              ? "Frag needed and DF set (mtu = " + e.info() + ")"
              : pick(PING_UNREACH_V4, code, "Dest Unreachable, Bad Code: " + code);
      case 4 -> "Source Quench";
      case 5 ->
          code == 0
              ? "Redirect Network"
              : code == 1 ? "Redirect Host" : "Redirect, Bad Code: " + code;
      case 11 ->
          code == 0
              ? "Time to live exceeded"
              : code == 1 ? "Frag reassembly time exceeded" : "Time exceeded, Bad Code: " + code;
      case 12 -> "Parameter problem: pointer = " + e.info();
      default -> "Bad ICMP type: " + type + " (" + e.status() + ")";
    };
  }

  /**
   * fping's words for an ICMP error, as before {@code " from 10.0.0.1 for ICMP Echo sent to
   * 10.0.0.5"}.
   */
  static String fping(EchoResult.IcmpError e) {
    int type = e.icmpType(), code = e.icmpCode();
    if (e.request().isIpv6()) {
      return switch (type) {
        case 1 ->
            pick(FPING_UNREACH_V6, code, "ICMPv6 Destination Unreachable (Code " + code + ")");
        case 2 -> "ICMPv6 Packet Too Big";
        case 3 -> "ICMPv6 Time Exceeded";
        case 4 -> "ICMPv6 Parameter Problem";
        default -> "ICMPv6 type " + type;
      };
    }
    return switch (type) {
      case 3 -> pick(FPING_UNREACH_V4, code, "ICMP Unreachable (Invalid Code)");
      case 4 -> "ICMP Source Quench";
      case 5 -> "ICMP Redirect";
      case 11 -> "ICMP Time Exceeded";
      case 12 -> "ICMP Parameter Problem";
      default -> "ICMP type " + type;
    };
  }

  /**
   * True for "time exceeded in transit": the answer of a router on the way, not a final verdict.
   */
  static boolean isTransit(EchoResult.IcmpError e) {
    return e.request().isIpv6()
        ? e.icmpType() == 3 && e.icmpCode() == 0
        : e.icmpType() == 11 && e.icmpCode() == 0;
  }

  /**
   * traceroute's annotation after the time of a probe ({@code !H}, {@code !X}, {@code !F-1280}), or
   * "".
   */
  static String traceMark(EchoResult.IcmpError e) {
    if (isTransit(e)) return "";
    int type = e.icmpType(), code = e.icmpCode();
    if (e.request().isIpv6()) {
      return switch (type) {
        case 1 ->
            switch (code) {
              case 0 -> "!N";
              case 1, 5, 6 -> "!X";
              case 2 -> "!S";
              case 3 -> "!H";
              case 4 -> "";
              default -> "!<" + code + ">";
            };
        case 2 -> "!F-" + e.info();
        default -> "!<" + type + "." + code + ">";
      };
    }
    if (type != 3) return "!<" + type + "." + code + ">";
    return switch (code) {
      case 0, 6, 8, 11 -> "!N";
      case 1, 7, 12 -> "!H";
      case 2 -> "!P";
      case 3 -> "";
      case 4 -> "!F-" + e.info();
      case 5 -> "!S";
      case 9, 10, 13 -> "!X";
      case 14 -> "!V";
      case 15 -> "!C";
      default -> "!<" + code + ">";
    };
  }

  private static String pick(String[] table, int code, String otherwise) {
    return code >= 0 && code < table.length && table[code] != null ? table[code] : otherwise;
  }
}
