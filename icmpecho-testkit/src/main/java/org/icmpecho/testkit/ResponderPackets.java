package org.icmpecho.testkit;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * The wire side of {@link ScriptedResponder}: an echo request as read from the raw socket, what its
 * {@link ResponderEffect} makes of it ({@link Plan}), and the whole IP packets sent back (RFC 791 /
 * 8200 headers, RFC 792 / 4443 messages, RFC 1071 checksums): replies, mutated replies and ICMP
 * errors quoting the request. Pure functions and plain values; the responder's thread owns the
 * timing and the sockets.
 */
final class ResponderPackets {
  /**
   * Largest ICMP error sent for an IPv4 request (RFC 1812: the error's IP packet fits in 576
   * bytes).
   */
  private static final int V4_ERROR_LIMIT = 576;

  /** Largest ICMPv6 error (RFC 4443: the minimum IPv6 MTU). */
  private static final int V6_ERROR_LIMIT = 1280;

  private static final int REPLY_TTL = 64;

  private ResponderPackets() {}

  /** What one request turns into: folded from its effect. */
  static final class Plan {
    boolean drop;
    long delayNanos;
    int copies = 1;
    boolean badChecksum;
    Integer corruptOffset;
    boolean wrongId;
    boolean wrongSeq;
    InetAddress from;
    ResponderEffect.SendError error;
    ResponderEffect.Reorder reorder;

    void apply(ResponderEffect e) {
      switch (e) {
        case ResponderEffect.Answer a -> {}
        case ResponderEffect.Drop d -> drop = true;
        case ResponderEffect.Delay d -> delayNanos += d.delay().toNanos();
        case ResponderEffect.Duplicate d -> copies += d.copies();
        case ResponderEffect.CorruptChecksum c -> badChecksum = true;
        case ResponderEffect.CorruptPayload c -> corruptOffset = c.offset();
        case ResponderEffect.WrongIdentifier w -> wrongId = true;
        case ResponderEffect.WrongSequence w -> wrongSeq = true;
        case ResponderEffect.AnswerFrom f -> from = f.from();
        case ResponderEffect.Reorder r -> reorder = r;
        case ResponderEffect.SendError s -> error = s;
        case ResponderEffect.All all -> all.effects().forEach(this::apply);
      }
    }
  }

  /** One echo request as read, parsed. */
  static final class Request {
    boolean ipv6;
    byte[] src;
    byte[] dst;
    byte[] ipHeader; // as received (IPv4) or rebuilt (IPv6)
    byte[] icmp; // the whole echo request message

    boolean parse4(byte[] b, int len) {
      if (len < 20 || (b[0] >> 4) != 4) return false;
      int ihl = (b[0] & 0x0f) * 4;
      if (ihl < 20 || len < ihl + 8 || b[9] != 1) return false;
      if ((b[ihl] & 0xff) != 8 || b[ihl + 1] != 0) return false;
      ipv6 = false;
      src = Arrays.copyOfRange(b, 12, 16);
      dst = Arrays.copyOfRange(b, 16, 20);
      ipHeader = Arrays.copyOfRange(b, 0, ihl);
      icmp = Arrays.copyOfRange(b, ihl, len);
      return true;
    }

    /**
     * An ICMPv6 echo request as a raw socket gives it (no IP header): from {@code src} to {@code
     * dst} (from the control data) with the hop limit it arrived with.
     */
    boolean set6(byte[] b, int len, byte[] src, byte[] dst, int hopLimit) {
      if (len < 8 || (b[0] & 0xff) != 128 || b[1] != 0 || dst == null) return false;
      ipv6 = true;
      this.src = src;
      this.dst = dst;
      icmp = Arrays.copyOf(b, len);
      ipHeader = ipv6Header(src, dst, len, hopLimit);
      return true;
    }
  }

  static byte[] reply4(Request rx, Plan plan, byte[] src) {
    byte[] icmp = rx.icmp.clone();
    icmp[0] = 0; // echo reply
    icmp[1] = 0;
    mutate(icmp, plan);
    setChecksum4(icmp, plan.badChecksum);
    byte[] p = ipv4Packet(src, rx.src, icmp);
    // The request's DF bit comes back, as from hosts that echo it (Linux does not): a raw client
    // can see it.
    p[6] |= (byte) (rx.ipHeader[6] & 0x40);
    p[10] = 0;
    p[11] = 0;
    int sum = checksum(p, 0, 20, 0);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    return p;
  }

  static byte[] reply6(Request rx, Plan plan, byte[] src) {
    byte[] icmp = rx.icmp.clone();
    icmp[0] = (byte) 129;
    icmp[1] = 0;
    mutate(icmp, plan);
    setChecksum6(icmp, src, rx.src, plan.badChecksum);
    return ipv6Packet(src, rx.src, icmp);
  }

  private static void mutate(byte[] icmp, Plan plan) {
    if (plan.wrongId) {
      icmp[4] ^= 0x55;
      icmp[5] ^= 0x55;
    }
    if (plan.wrongSeq) icmp[6] ^= (byte) 0x80;
    if (plan.corruptOffset != null) {
      int payload = icmp.length - 8;
      int at = plan.corruptOffset >= 0 ? plan.corruptOffset : payload + plan.corruptOffset;
      if (at >= 0 && at < payload) icmp[8 + at] ^= (byte) 0xff;
    }
  }

  static byte[] error4(Request rx, ResponderEffect.SendError e, byte[] src) {
    int quote = Math.min(rx.ipHeader.length + rx.icmp.length, V4_ERROR_LIMIT - 20 - 8);
    byte[] icmp = new byte[8 + quote];
    icmp[0] = (byte) e.type();
    icmp[1] = (byte) e.code();
    if (e.type() == 12) {
      icmp[4] = (byte) e.info(); // pointer
    } else if (e.type() == 3 && e.code() == 4) {
      icmp[6] = (byte) (e.info() >> 8); // next-hop MTU (RFC 1191)
      icmp[7] = (byte) e.info();
    } else {
      putInt(icmp, 4, e.info());
    }
    byte[] original = concat(rx.ipHeader, rx.icmp);
    System.arraycopy(original, 0, icmp, 8, quote);
    setChecksum4(icmp, false);
    return ipv4Packet(src, rx.src, icmp);
  }

  static byte[] error6(Request rx, ResponderEffect.SendError e, byte[] src) {
    int quote = Math.min(rx.ipHeader.length + rx.icmp.length, V6_ERROR_LIMIT - 40 - 8);
    byte[] icmp = new byte[8 + quote];
    icmp[0] = (byte) e.type();
    icmp[1] = (byte) e.code();
    putInt(icmp, 4, e.info());
    byte[] original = concat(rx.ipHeader, rx.icmp);
    System.arraycopy(original, 0, icmp, 8, quote);
    setChecksum6(icmp, src, rx.src, false);
    return ipv6Packet(src, rx.src, icmp);
  }

  private static byte[] ipv4Packet(byte[] src, byte[] dst, byte[] icmp) {
    byte[] p = new byte[20 + icmp.length];
    p[0] = 0x45;
    int total = p.length;
    p[2] = (byte) (total >> 8);
    p[3] = (byte) total;
    p[8] = (byte) REPLY_TTL;
    p[9] = 1; // ICMP
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int sum = checksum(p, 0, 20, 0);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    System.arraycopy(icmp, 0, p, 20, icmp.length);
    return p;
  }

  private static byte[] ipv6Packet(byte[] src, byte[] dst, byte[] icmp) {
    byte[] p = ipv6Header(src, dst, icmp.length, REPLY_TTL);
    return concat(p, icmp);
  }

  private static byte[] ipv6Header(byte[] src, byte[] dst, int payloadLength, int hopLimit) {
    byte[] h = new byte[40];
    h[0] = 0x60;
    h[4] = (byte) (payloadLength >> 8);
    h[5] = (byte) payloadLength;
    h[6] = 58; // ICMPv6
    h[7] = (byte) hopLimit;
    System.arraycopy(src, 0, h, 8, 16);
    System.arraycopy(dst, 0, h, 24, 16);
    return h;
  }

  private static void setChecksum4(byte[] icmp, boolean corrupt) {
    icmp[2] = 0;
    icmp[3] = 0;
    int sum = checksum(icmp, 0, icmp.length, 0);
    if (corrupt) sum ^= 0x5a5a;
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
  }

  private static void setChecksum6(byte[] icmp, byte[] src, byte[] dst, boolean corrupt) {
    icmp[2] = 0;
    icmp[3] = 0;
    byte[] pseudo = new byte[40];
    System.arraycopy(src, 0, pseudo, 0, 16);
    System.arraycopy(dst, 0, pseudo, 16, 16);
    putInt(pseudo, 32, icmp.length);
    pseudo[39] = 58;
    long partial = sum16(pseudo, 0, 40, 0);
    int sum = checksum(icmp, 0, icmp.length, partial);
    if (corrupt) sum ^= 0x5a5a;
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
  }

  private static long sum16(byte[] b, int off, int len, long acc) {
    int i = off;
    for (; i + 1 < off + len; i += 2) acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    if (i < off + len) acc += (b[i] & 0xff) << 8;
    return acc;
  }

  /** RFC 1071 Internet checksum of {@code b[off, off+len)} plus an already summed part. */
  static int checksum(byte[] b, int off, int len, long partial) {
    long acc = sum16(b, off, len, partial);
    while ((acc >> 16) != 0) acc = (acc & 0xffff) + (acc >> 16);
    return (int) (~acc & 0xffff);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >> 24);
    b[off + 1] = (byte) (v >> 16);
    b[off + 2] = (byte) (v >> 8);
    b[off + 3] = (byte) v;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
