package org.icmpecho.internal.packet;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds packets byte by byte for the codec tests, independently of {@link IcmpCodec}'s parsers, so
 * that a parser bug cannot hide behind a matching builder bug. Addresses come from the
 * documentation ranges (RFC 5737, 3849).
 */
final class TestPackets {
  static final byte[] ME = {(byte) 192, 0, 2, 10};
  static final byte[] TARGET = {(byte) 203, 0, 113, 7};
  static final byte[] ROUTER = {(byte) 198, 51, 100, 1};
  static final byte[] ME6 = hex("20010db8000000000000000000000010");
  static final byte[] TARGET6 = hex("20010db8000000ff0000000000000007");
  static final byte[] ROUTER6 = hex("20010db8000000010000000000000001");

  /** The payload of Windows' ping.exe. */
  static final byte[] WINDOWS_PAYLOAD = "abcdefghijklmnopqrstuvwabcdefghi".getBytes(US_ASCII);

  static final int ID = 0xBEEF;
  static final int SEQ = 0x0102;

  private TestPackets() {}

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  static void putU16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  /**
   * An ICMPv4 message: type, code, checksum, the 32-bit "rest of header" word, body. The checksum
   * is computed with a plain 16-bit loop ({@link #referenceChecksum}), not with {@link Checksum}.
   */
  static byte[] icmp(int type, int code, long restOfHeader, byte[] body) {
    byte[] m = new byte[8 + body.length];
    m[0] = (byte) type;
    m[1] = (byte) code;
    putU16(m, 4, (int) (restOfHeader >>> 16));
    putU16(m, 6, (int) restOfHeader);
    System.arraycopy(body, 0, m, 8, body.length);
    putU16(m, 2, referenceChecksum(m, 0, m.length));
    return m;
  }

  /** An ICMPv6 message; checksum 0 because the kernel verifies ICMPv6 checksums, not the codec. */
  static byte[] icmpv6(int type, int code, long restOfHeader, byte[] body) {
    byte[] m = new byte[8 + body.length];
    m[0] = (byte) type;
    m[1] = (byte) code;
    putU16(m, 4, (int) (restOfHeader >>> 16));
    putU16(m, 6, (int) restOfHeader);
    System.arraycopy(body, 0, m, 8, body.length);
    return m;
  }

  static byte[] echoRequest(int id, int seq, byte[] payload) {
    return icmp(8, 0, ((long) id << 16) | seq, payload);
  }

  static byte[] echoReply(int id, int seq, byte[] payload) {
    return icmp(0, 0, ((long) id << 16) | seq, payload);
  }

  static byte[] echoRequest6(int id, int seq, byte[] payload) {
    return icmpv6(128, 0, ((long) id << 16) | seq, payload);
  }

  /** An IPv4 header of protocol ICMP, IHL 5, DF set, around {@code body}. */
  static byte[] ipv4(byte[] src, byte[] dst, int ttl, byte[] body) {
    return ipv4(5, 0, ttl, 1, 0x4000, src, dst, body);
  }

  /**
   * An IPv4 datagram. IHL above 5 adds option bytes: NOPs (type 1) ended by an End of Option List
   * (type 0), so the header is valid as RFC 791 options. Total length and header checksum are
   * filled in.
   */
  static byte[] ipv4(
      int ihl,
      int tos,
      int ttl,
      int protocol,
      int flagsFragment,
      byte[] src,
      byte[] dst,
      byte[] body) {
    int headerLength = ihl * 4;
    byte[] d = new byte[headerLength + body.length];
    d[0] = (byte) (0x40 | ihl);
    d[1] = (byte) tos;
    putU16(d, 2, d.length);
    putU16(d, 4, 0x1234);
    putU16(d, 6, flagsFragment);
    d[8] = (byte) ttl;
    d[9] = (byte) protocol;
    System.arraycopy(src, 0, d, 12, 4);
    System.arraycopy(dst, 0, d, 16, 4);
    if (headerLength > 20) {
      Arrays.fill(d, 20, headerLength - 1, (byte) 1);
      d[headerLength - 1] = 0;
    }
    System.arraycopy(body, 0, d, headerLength, body.length);
    putU16(d, 10, referenceChecksum(d, 0, headerLength));
    return d;
  }

  /** An IPv6 packet with the given next header, hop limit 64, around {@code body}. */
  static byte[] ipv6(int nextHeader, byte[] src, byte[] dst, byte[] body) {
    byte[] d = new byte[40 + body.length];
    d[0] = 0x60;
    putU16(d, 4, body.length);
    d[6] = (byte) nextHeader;
    d[7] = 64;
    System.arraycopy(src, 0, d, 8, 16);
    System.arraycopy(dst, 0, d, 24, 16);
    System.arraycopy(body, 0, d, 40, body.length);
    return d;
  }

  /**
   * An ICMPv4 error of the given type and code quoting {@code quoted}, from the router, in an IPv4
   * header.
   */
  static byte[] ipv4Error(int type, int code, long restOfHeader, byte[] quoted) {
    return ipv4(ROUTER, ME, 250, icmp(type, code, restOfHeader, quoted));
  }

  /**
   * Our echo request to the target as a router quotes it: IP header plus the first 8 bytes of ICMP.
   */
  static byte[] quotedEchoRequest(int id, int seq) {
    byte[] full = ipv4(ME, TARGET, 1, echoRequest(id, seq, WINDOWS_PAYLOAD));
    return Arrays.copyOf(full, 28);
  }

  /** Our ICMPv6 echo request as a router quotes it (whole packet: it is below the minimum MTU). */
  static byte[] quotedEchoRequest6(int id, int seq) {
    return ipv6(58, ME6, TARGET6, echoRequest6(id, seq, WINDOWS_PAYLOAD));
  }

  /**
   * RFC 1071 the slow, obvious way: 16-bit big-endian words, odd byte padded, carries folded at the
   * end.
   */
  static int referenceChecksum(byte[] b, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xFF;
      int lo = i + 1 < len ? b[off + i + 1] & 0xFF : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  /**
   * A packet as the caller prepares it, with recognisable values in the fields that come from
   * elsewhere.
   */
  static Packet preparedPacket() {
    Packet p = new Packet();
    p.clear();
    p.ttl = 77;
    p.tos = 0x2E;
    p.rxTime = 123_456_789L;
    p.setFrom(new byte[] {9, 9, 9, 9}, 0, 4, 0);
    return p;
  }

  /** Every field of a packet, to check that a parser that says "not relevant" left it alone. */
  record State(
      int kind,
      boolean ipv6,
      int identifier,
      int sequence,
      int icmpType,
      int icmpCode,
      int info,
      int errno,
      int ttl,
      int tos,
      boolean checksumOk,
      long rxTime,
      String from,
      int fromLen,
      int fromScope,
      String quotedDst,
      int quotedDstLen,
      byte[] data,
      int dataOffset,
      int dataLength,
      int icmpLength) {
    static State of(Packet p) {
      return new State(
          p.kind,
          p.ipv6,
          p.identifier,
          p.sequence,
          p.icmpType,
          p.icmpCode,
          p.info,
          p.failureCode,
          p.ttl,
          p.tos,
          p.checksumOk,
          p.rxTime,
          Arrays.toString(p.from),
          p.fromLen,
          p.fromScope,
          Arrays.toString(p.quotedDst),
          p.quotedDstLen,
          p.data, // records compare arrays by identity, which is what is wanted here
          p.dataOffset,
          p.dataLength,
          p.icmpLength);
    }
  }

  /** The data range of a parsed packet, copied out. */
  static byte[] data(Packet p) {
    return Arrays.copyOfRange(p.data, p.dataOffset, p.dataOffset + p.dataLength);
  }

  static byte[] from(Packet p) {
    return Arrays.copyOf(p.from, p.fromLen);
  }

  static byte[] quotedDst(Packet p) {
    return Arrays.copyOf(p.quotedDst, p.quotedDstLen);
  }
}
