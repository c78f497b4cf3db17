package org.icmpecho.internal.packet;

import java.util.Objects;

/**
 * The ICMP echo codec: writes echo requests and recognises the packets that answer them, on plain
 * byte arrays.
 *
 * <p>Stateless and safe for concurrent use (each call works only on the arrays and the {@link
 * Packet} it is given). Nothing is allocated, so the I/O thread can call it for every received
 * packet.
 *
 * <p><b>Input is untrusted.</b> A raw socket sees every ICMP packet that reaches the host, and
 * error messages carry bytes that routers chose. The parsers therefore never throw on their input:
 * a truncated packet, a wrong version, a length field that points outside the packet, or even an
 * {@code (off, len)} range that does not fit in the array all give {@code false} ("not relevant").
 * When a parser returns {@code false} it has not touched the {@link Packet}. When it returns {@code
 * true} it has written the fields its Javadoc lists and no others, so the caller clears the packet
 * ({@link Packet#clear()}) and may fill the fields that come from elsewhere (receive address,
 * control messages, timestamps) before or after parsing.
 *
 * <h2>Formats</h2>
 *
 * ICMP echo request and echo reply (RFC 792 page 14; ICMPv6 RFC 4443 sections 4.1 and 4.2 have the
 * same layout, types 128 and 129):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * +-+-+-+-+-
 * </pre>
 *
 * ICMPv4 errors: destination unreachable (3), source quench (4), time exceeded (11), parameter
 * problem (12) (RFC 792; next-hop MTU of RFC 1191 section 4 for type 3 code 4). Routers quote at
 * least the original IP header and 64 bits of its data, which for our datagram is the whole 8-byte
 * echo request header:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Pointer (12)  |    unused     |   Next-Hop MTU (3/4) / unused |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Internet Header + 64 bits of Original Data Datagram      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The IPv4 header (RFC 791 section 3.1), first in what a raw IPv4 socket receives and first in
 * every ICMPv4 error quote:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)          |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * ICMPv6 errors: destination unreachable (1), packet too big (2), time exceeded (3), parameter
 * problem (4) (RFC 4443 sections 3.1 to 3.4):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        MTU (type 2) / Pointer (type 4) / unused (1, 3)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    As much of invoking packet                 |
 * +               as possible without the ICMPv6 packet           +
 * |               exceeding the minimum IPv6 MTU [IPv6]           |
 * </pre>
 *
 * whose quote starts with the IPv6 header (RFC 8200 section 3):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Source Address (128 bits)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Destination Address (128 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <h2>Matching (ICMPAPI.md section 6.2)</h2>
 *
 * An echo reply is relevant; an ICMP error is relevant only when the datagram it quotes is one of
 * ours, that is an echo request of the same family (quoted IP protocol ICMP, quoted ICMP type 8 or
 * 128, code 0) with its whole 8-byte header present. Echo requests (our own, looped back on a raw
 * socket), redirects, neighbour discovery and every other type are not. Identifier and sequence are
 * reported, not compared: the engine owns the in-flight table and decides whether they are ours.
 *
 * <pre>{@code
 * int n = IcmpCodec.writeEchoRequest(buf, 0, false, id, seq, payload, 0, payload.length, rawSocket);
 * // ... sendto, then for each datagram received on the raw socket:
 * packet.clear();
 * if (IcmpCodec.parseIpv4WithHeader(rx, 0, received, packet) && packet.checksumOk) {
 *   IpStatus status = StatusMap.icmpv4(packet.icmpType, packet.icmpCode);
 * }
 * }</pre>
 */
public final class IcmpCodec {
  /** Length of the ICMP and ICMPv6 echo and error headers. */
  public static final int ICMP_HEADER_LENGTH = 8;

  /** Length of an IPv4 header without options (IHL 5). */
  public static final int IPV4_HEADER_LENGTH = 20;

  /** Length of the fixed IPv6 header. */
  public static final int IPV6_HEADER_LENGTH = 40;

  public static final int ICMP_ECHO_REPLY = 0;
  public static final int ICMP_DEST_UNREACHABLE = 3;
  public static final int ICMP_SOURCE_QUENCH = 4;
  public static final int ICMP_REDIRECT = 5;
  public static final int ICMP_ECHO_REQUEST = 8;
  public static final int ICMP_TIME_EXCEEDED = 11;
  public static final int ICMP_PARAMETER_PROBLEM = 12;

  /**
   * Destination unreachable code "fragmentation needed and DF set", which carries the next-hop MTU.
   */
  public static final int ICMP_CODE_FRAGMENTATION_NEEDED = 4;

  public static final int ICMPV6_DEST_UNREACHABLE = 1;
  public static final int ICMPV6_PACKET_TOO_BIG = 2;
  public static final int ICMPV6_TIME_EXCEEDED = 3;
  public static final int ICMPV6_PARAMETER_PROBLEM = 4;
  public static final int ICMPV6_ECHO_REQUEST = 128;
  public static final int ICMPV6_ECHO_REPLY = 129;

  static final int IPPROTO_ICMP = 1;

  /** Low 13 bits of the IPv4 flags/fragment word: the offset of this fragment, in 8-byte units. */
  static final int IPV4_FRAGMENT_OFFSET_MASK = 0x1FFF;

  private IcmpCodec() {}

  /**
   * Writes an echo request (type 8, or 128 for ICMPv6, code 0) at {@code dst[off]}, followed by the
   * payload.
   *
   * <p>The checksum field is RFC 1071 over header and payload when {@code computeChecksum} is set
   * and the message is ICMPv4, which a raw IPv4 socket needs. It is left 0 otherwise: a Linux ping
   * socket fills it itself (and rewrites the identifier), and for ICMPv6 the checksum covers a
   * pseudo-header with the source address that the kernel picks, so Linux always computes it (RFC
   * 3542 section 3.1) and {@code computeChecksum} is ignored rather than producing a value that
   * would be wrong.
   *
   * @param identifier only the low 16 bits are written, so callers may pass a wrapping counter
   * @param sequence only the low 16 bits are written
   * @param payload copied after the header; it may already be in place ({@code payload == dst} and
   *     {@code payloadOff == off + 8}), but must not overlap the 8 header bytes
   * @return the length of the message, {@code 8 + payloadLen}
   * @throws IndexOutOfBoundsException if the payload range is not inside {@code payload} or the
   *     message does not fit in {@code dst} at {@code off}; nothing is written then
   */
  public static int writeEchoRequest(
      byte[] dst,
      int off,
      boolean ipv6,
      int identifier,
      int sequence,
      byte[] payload,
      int payloadOff,
      int payloadLen,
      boolean computeChecksum) {
    Objects.checkFromIndexSize(payloadOff, payloadLen, payload.length);
    if (payloadLen > Integer.MAX_VALUE - ICMP_HEADER_LENGTH) {
      throw new IndexOutOfBoundsException("payload of " + payloadLen + " bytes is too long");
    }
    int length = ICMP_HEADER_LENGTH + payloadLen;
    Objects.checkFromIndexSize(off, length, dst.length);
    dst[off] = (byte) (ipv6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO_REQUEST);
    dst[off + 1] = 0;
    dst[off + 2] = 0;
    dst[off + 3] = 0;
    putU16(dst, off + 4, identifier);
    putU16(dst, off + 6, sequence);
    System.arraycopy(payload, payloadOff, dst, off + ICMP_HEADER_LENGTH, payloadLen);
    if (computeChecksum && !ipv6) {
      putU16(dst, off + 2, Checksum.compute(dst, off, length));
    }
    return length;
  }

  /**
   * Parses what a raw IPv4 ICMP socket ({@code SOCK_RAW}, {@code IPPROTO_ICMP}) receives: an IPv4
   * header, then an ICMP message.
   *
   * <p>The IP header must be version 4, protocol 1, IHL at least 5, not a non-first fragment (whose
   * payload is not an ICMP header; Linux reassembles before raw delivery anyway), with a total
   * length that covers IP header plus 8 ICMP bytes, and {@code len} must hold at least that much. A
   * total length below {@code len} means the bytes after it are not part of the datagram and are
   * ignored. A total length above {@code len} means the receive buffer cut the datagram short
   * ({@code MSG_TRUNC}): the packet is still reported, with {@link Packet#icmpLength} the length
   * the sender sent, the data range clipped to what is present, and {@link Packet#checksumOk}
   * {@code true} because a partial message cannot be verified.
   *
   * <p>Relevant packets, and the fields written:
   *
   * <ul>
   *   <li>echo reply (type 0, any code): {@code kind = ECHO_REPLY}, identifier and sequence of the
   *       reply, data range = the payload after the 8-byte header;
   *   <li>destination unreachable (3), source quench (4), time exceeded (11) or parameter problem
   *       (12) that quote an IPv4 datagram (any IHL, not a non-first fragment) of protocol 1 whose
   *       ICMP header is an echo request (type 8, code 0), all 8 bytes present: {@code kind =
   *       ICMP_ERROR}, identifier and sequence of the quoted request, {@code quotedDst} = the
   *       quoted IP destination, {@code info} = next-hop MTU (bytes 6-7) for type 3 code 4, pointer
   *       (byte 4) for type 12, else 0, and data range = whatever part of the quoted request's
   *       payload the error carries (often none; bounded by the quoted total length), so the engine
   *       can check its cookie when it is there.
   * </ul>
   *
   * <p>In both cases also: {@code ipv6 = false}, {@code icmpType}, {@code icmpCode}, {@code
   * icmpLength}, {@code checksumOk} (RFC 1071 over the ICMP message; a router error can arrive
   * corrupted, and the kernel does not check ICMP checksums before raw delivery), {@code ttl},
   * {@code tos}, {@code ipFlags} and the options from the IP header, and {@code from} (length 4,
   * scope 0) = the IP source. {@code quotedDstLen} is 0 for a reply, {@code info} 0.
   *
   * @return whether the packet is relevant; {@code false} for anything else, including every
   *     malformed input
   */
  public static boolean parseIpv4WithHeader(byte[] b, int off, int len, Packet p) {
    if (!fits(b, off, len) || len < IPV4_HEADER_LENGTH + ICMP_HEADER_LENGTH) {
      return false;
    }
    int versionIhl = b[off] & 0xFF;
    int ipHeaderLength = (versionIhl & 0x0F) * 4;
    if (versionIhl >>> 4 != 4
        || ipHeaderLength < IPV4_HEADER_LENGTH
        || (b[off + 9] & 0xFF) != IPPROTO_ICMP
        || (u16(b, off + 6) & IPV4_FRAGMENT_OFFSET_MASK) != 0) {
      return false;
    }
    int totalLength = u16(b, off + 2);
    if (totalLength < ipHeaderLength + ICMP_HEADER_LENGTH
        || len < ipHeaderLength + ICMP_HEADER_LENGTH) {
      return false;
    }
    int icmp = off + ipHeaderLength;
    int icmpLength = totalLength - ipHeaderLength;
    boolean complete = totalLength <= len;
    int end = complete ? off + totalLength : off + len;
    int type = b[icmp] & 0xFF;
    int code = b[icmp + 1] & 0xFF;

    if (type == ICMP_ECHO_REPLY) {
      boolean checksumOk = !complete || Checksum.verify(b, icmp, icmpLength);
      setReply(p, false, b, icmp, end, icmpLength, checksumOk);
    } else if (isIcmpv4Error(type)) {
      int quoted = icmp + ICMP_HEADER_LENGTH;
      int echo = Quote.ipv4Echo(b, quoted, end);
      if (echo < 0) {
        return false;
      }
      int info =
          type == ICMP_DEST_UNREACHABLE && code == ICMP_CODE_FRAGMENTATION_NEEDED
              ? u16(b, icmp + 6)
              : type == ICMP_PARAMETER_PROBLEM ? b[icmp + 4] & 0xFF : 0;
      // The quote ends at the quoted datagram's total length when that is believable: with RFC 4884
      // extensions (MPLS labels ...) padding and extension objects follow the quoted datagram.
      int quotedTotal = u16(b, quoted + 2);
      int dataEnd =
          quotedTotal >= echo - quoted + ICMP_HEADER_LENGTH
              ? Math.min(end, quoted + quotedTotal)
              : end;
      boolean checksumOk = !complete || Checksum.verify(b, icmp, icmpLength);
      setError(p, false, b, icmp, echo, dataEnd, icmpLength, info, checksumOk);
      System.arraycopy(b, quoted + 16, p.quotedDst, 0, 4);
      p.quotedDstLen = 4;
    } else {
      return false;
    }
    p.ttl = b[off + 8] & 0xFF;
    p.tos = b[off + 1] & 0xFF;
    p.ipFlags = u16(b, off + 6) >>> 13;
    p.optionsLength = ipHeaderLength - IPV4_HEADER_LENGTH; // at most 40: IHL is 4 bits
    System.arraycopy(b, off + IPV4_HEADER_LENGTH, p.options, 0, p.optionsLength);
    p.setFrom(b, off + 12, 4, 0);
    return true;
  }

  /**
   * Parses what a Linux ping socket ({@code SOCK_DGRAM}, {@code IPPROTO_ICMP}) receives: an ICMP
   * message without IP header. Such a socket delivers only echo replies whose identifier the kernel
   * matched, after verifying their checksum; errors come through the error queue instead (see
   * {@link #parseQuotedEcho}).
   *
   * <p>Relevant: an echo reply (type 0, any code) of at least 8 bytes. Writes {@code kind =
   * ECHO_REPLY}, {@code ipv6 = false}, identifier, sequence, {@code icmpType}, {@code icmpCode},
   * {@code info = 0}, {@code checksumOk = true}, {@code quotedDstLen = 0}, the data range (payload
   * after the header) and {@code icmpLength = len}. {@code ttl}, {@code tos} and {@code from} are
   * left as they are: the caller has them from {@code IP_TTL}/{@code IP_TOS} control messages and
   * from the receive address.
   *
   * @return whether the message is an echo reply; {@code false} for anything else, including
   *     malformed input
   */
  public static boolean parseIcmpv4(byte[] b, int off, int len, Packet p) {
    if (!fits(b, off, len) || len < ICMP_HEADER_LENGTH || (b[off] & 0xFF) != ICMP_ECHO_REPLY) {
      return false;
    }
    setReply(p, false, b, off, off + len, len, true);
    return true;
  }

  /**
   * Parses an ICMPv6 message without IPv6 header, which is what both raw and ping ICMPv6 sockets
   * receive. The kernel has verified the checksum (it covers a pseudo-header that is not in the
   * buffer), so {@code checksumOk = true}.
   *
   * <p>Relevant messages:
   *
   * <ul>
   *   <li>echo reply (type 129, any code): {@code kind = ECHO_REPLY}, identifier, sequence, data
   *       range = the payload after the header, {@code quotedDstLen = 0}, {@code info = 0};
   *   <li>destination unreachable (1), packet too big (2), time exceeded (3) or parameter problem
   *       (4) quoting an IPv6 header (version 6) whose next header is 58 (ICMPv6), followed by an
   *       echo request header (type 128, code 0, all 8 bytes present): {@code kind = ICMP_ERROR},
   *       identifier and sequence of the quoted request, {@code quotedDst} = the quoted IPv6
   *       destination (16 bytes), {@code info} = MTU (bytes 4-7) for type 2, pointer (bytes 4-7)
   *       for type 4, else 0, saturated at {@link Integer#MAX_VALUE}, and data range = the part of
   *       the quoted request's payload present (bounded by the quoted payload length).
   * </ul>
   *
   * <p>Beyond the Wine rule (next header 58 directly), the quote may also carry Hop-by-Hop,
   * Routing, Destination Options and first-fragment Fragment headers before the ICMPv6 header:
   * Linux fragments a large echo request at the source with a Fragment header, and an error about
   * its first fragment quotes that header. A quoted non-first fragment, or any other next header,
   * is not relevant.
   *
   * <p>Also written in both cases: {@code ipv6 = true}, {@code icmpType}, {@code icmpCode}, {@code
   * icmpLength = len}. {@code from}, {@code ttl} and {@code tos} are left as they are: the caller
   * has the source from the receive address and the hop limit from an {@code IPV6_HOPLIMIT} control
   * message.
   *
   * @return whether the message is relevant; {@code false} for anything else, including malformed
   *     input
   */
  public static boolean parseIcmpv6(byte[] b, int off, int len, Packet p) {
    if (!fits(b, off, len) || len < ICMP_HEADER_LENGTH) {
      return false;
    }
    int type = b[off] & 0xFF;
    int end = off + len;
    if (type == ICMPV6_ECHO_REPLY) {
      setReply(p, true, b, off, end, len, true);
      return true;
    }
    if (type < ICMPV6_DEST_UNREACHABLE || type > ICMPV6_PARAMETER_PROBLEM) {
      return false;
    }
    int quoted = off + ICMP_HEADER_LENGTH;
    int echo = Quote.ipv6Echo(b, quoted, end);
    if (echo < 0) {
      return false;
    }
    int info =
        type == ICMPV6_PACKET_TOO_BIG || type == ICMPV6_PARAMETER_PROBLEM
            ? saturatedU32(b, off + 4)
            : 0;
    // Payload Length 0 announces a jumbogram (RFC 2675); then only the bytes present bound the
    // quote.
    int quotedPayloadLength = u16(b, quoted + 4);
    int quotedEnd = quoted + IPV6_HEADER_LENGTH + quotedPayloadLength;
    int dataEnd = quotedEnd >= echo + ICMP_HEADER_LENGTH ? Math.min(end, quotedEnd) : end;
    setError(p, true, b, off, echo, dataEnd, len, info, true);
    System.arraycopy(b, quoted + 24, p.quotedDst, 0, 16);
    p.quotedDstLen = 16;
    return true;
  }

  /**
   * Parses the data that the Linux error queue ({@code recvmsg(MSG_ERRQUEUE)} with {@code
   * IP_RECVERR} or {@code IPV6_RECVERR}) gives back with an error: our own original echo request,
   * from its ICMP header on, with no IP header. The error itself (origin, ICMP type and code,
   * offender address) is in the {@code sock_extended_err} control message, which the caller reads;
   * this method only recovers which request the error is about.
   *
   * <p>Relevant: at least 8 bytes, type 8 (IPv4) or 128 ({@code ipv6}), code 0. Writes only {@link
   * Packet#identifier} and {@link Packet#sequence}; the caller sets {@code kind} and the rest.
   *
   * @return whether the data is an echo request of the given family
   */
  public static boolean parseQuotedEcho(byte[] b, int off, int len, boolean ipv6, Packet p) {
    if (!fits(b, off, len) || len < ICMP_HEADER_LENGTH || !Quote.isEchoRequest(b, off, ipv6)) {
      return false;
    }
    p.identifier = u16(b, off + 4);
    p.sequence = u16(b, off + 6);
    return true;
  }

  private static boolean isIcmpv4Error(int type) {
    return type == ICMP_DEST_UNREACHABLE
        || type == ICMP_SOURCE_QUENCH
        || type == ICMP_TIME_EXCEEDED
        || type == ICMP_PARAMETER_PROBLEM;
  }

  private static void setReply(
      Packet p, boolean ipv6, byte[] b, int icmp, int end, int icmpLength, boolean ok) {
    p.kind = Packet.ECHO_REPLY;
    p.ipv6 = ipv6;
    p.identifier = u16(b, icmp + 4);
    p.sequence = u16(b, icmp + 6);
    p.icmpType = b[icmp] & 0xFF;
    p.icmpCode = b[icmp + 1] & 0xFF;
    p.info = 0;
    p.checksumOk = ok;
    p.quotedDstLen = 0;
    p.data = b;
    p.dataOffset = icmp + ICMP_HEADER_LENGTH;
    p.dataLength = end - p.dataOffset;
    p.icmpLength = icmpLength;
  }

  private static void setError(
      Packet p,
      boolean ipv6,
      byte[] b,
      int icmp,
      int echo,
      int dataEnd,
      int icmpLength,
      int info,
      boolean ok) {
    p.kind = Packet.ICMP_ERROR;
    p.ipv6 = ipv6;
    p.identifier = u16(b, echo + 4);
    p.sequence = u16(b, echo + 6);
    p.icmpType = b[icmp] & 0xFF;
    p.icmpCode = b[icmp + 1] & 0xFF;
    p.info = info;
    p.checksumOk = ok;
    p.data = b;
    p.dataOffset = echo + ICMP_HEADER_LENGTH;
    p.dataLength = Math.max(0, dataEnd - p.dataOffset);
    p.icmpLength = icmpLength;
  }

  /**
   * Whether {@code [off, off + len)} is a valid range of {@code b}, without overflow and without
   * throwing.
   */
  private static boolean fits(byte[] b, int off, int len) {
    return b != null && off >= 0 && len >= 0 && off <= b.length - len;
  }

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  /** A big-endian unsigned 32-bit field, clamped so that the int stays non-negative. */
  private static int saturatedU32(byte[] b, int at) {
    long v = ((long) u16(b, at) << 16) | u16(b, at + 2);
    return (int) Math.min(v, Integer.MAX_VALUE);
  }

  private static void putU16(byte[] b, int at, int value) {
    b[at] = (byte) (value >>> 8);
    b[at + 1] = (byte) value;
  }
}
