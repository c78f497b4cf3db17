package org.icmpecho.internal.packet;

/**
 * Finds our echo request inside the datagram an ICMP error quotes: after the IPv4 header (RFC 792:
 * "internet header + 64 bits of original data datagram", RFC 1812 §4.3.2.3: as much as fits), or
 * after the IPv6 header and the extension headers a quote may carry (RFC 4443 §2.4(c): "as much of
 * invoking packet as possible"). Pure functions over untrusted bytes, used by {@link IcmpCodec}'s
 * error parsers: they never throw on their input and answer -1 (or false) for anything that is not
 * an echo request quoted in full.
 */
final class Quote {
  private static final int IPPROTO_HOPOPTS = 0;
  private static final int IPPROTO_ROUTING = 43;
  private static final int IPPROTO_FRAGMENT = 44;
  private static final int IPPROTO_ICMPV6 = 58;
  private static final int IPPROTO_DSTOPTS = 60;

  /** High 13 bits of the second word of an IPv6 fragment header: the offset, in 8-byte units. */
  private static final int IPV6_FRAGMENT_OFFSET_MASK = 0xFFF8;

  private Quote() {}

  /** True when the ICMP header at {@code b[at]} is an echo request (code 0) of the family. */
  static boolean isEchoRequest(byte[] b, int at, boolean ipv6) {
    return (b[at] & 0xFF) == (ipv6 ? IcmpCodec.ICMPV6_ECHO_REQUEST : IcmpCodec.ICMP_ECHO_REQUEST)
        && b[at + 1] == 0;
  }

  /**
   * The offset of the echo request header inside a quoted IPv4 datagram that starts at {@code
   * quoted} and whose bytes end at {@code end}, or -1 when the quote is not an echo request of ours
   * in full.
   */
  static int ipv4Echo(byte[] b, int quoted, int end) {
    if (end - quoted < IcmpCodec.IPV4_HEADER_LENGTH + IcmpCodec.ICMP_HEADER_LENGTH) {
      return -1;
    }
    int versionIhl = b[quoted] & 0xFF;
    int headerLength = (versionIhl & 0x0F) * 4;
    if (versionIhl >>> 4 != 4
        || headerLength < IcmpCodec.IPV4_HEADER_LENGTH
        || end - quoted < headerLength + IcmpCodec.ICMP_HEADER_LENGTH
        || (b[quoted + 9] & 0xFF) != IcmpCodec.IPPROTO_ICMP
        // After the header of a non-first fragment come payload bytes, which may look like
        // anything.
        || (IcmpCodec.u16(b, quoted + 6) & IcmpCodec.IPV4_FRAGMENT_OFFSET_MASK) != 0) {
      return -1;
    }
    int echo = quoted + headerLength;
    return isEchoRequest(b, echo, false) ? echo : -1;
  }

  /**
   * Like {@link #ipv4Echo} for a quoted IPv6 packet, walking the extension headers a quote may
   * carry.
   */
  static int ipv6Echo(byte[] b, int quoted, int end) {
    if (end - quoted < IcmpCodec.IPV6_HEADER_LENGTH + IcmpCodec.ICMP_HEADER_LENGTH
        || (b[quoted] & 0xF0) != 0x60) {
      return -1;
    }
    int nextHeader = b[quoted + 6] & 0xFF;
    int at = quoted + IcmpCodec.IPV6_HEADER_LENGTH;
    // Every extension header is at least 8 bytes, so the walk ends within the quote; no hop limit
    // needed.
    while (nextHeader != IPPROTO_ICMPV6) {
      if (end - at < 8) {
        return -1;
      }
      int headerLength;
      switch (nextHeader) {
        case IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS ->
            headerLength = ((b[at + 1] & 0xFF) + 1) * 8;
        case IPPROTO_FRAGMENT -> {
          if ((IcmpCodec.u16(b, at + 2) & IPV6_FRAGMENT_OFFSET_MASK) != 0) {
            return -1;
          }
          headerLength = 8;
        }
        default -> {
          return -1;
        }
      }
      if (end - at < headerLength) {
        return -1;
      }
      nextHeader = b[at] & 0xFF;
      at += headerLength;
    }
    return end - at >= IcmpCodec.ICMP_HEADER_LENGTH && isEchoRequest(b, at, true) ? at : -1;
  }
}
