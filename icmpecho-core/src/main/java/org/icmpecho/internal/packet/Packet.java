package org.icmpecho.internal.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One received ICMP message, parsed: a mutable flyweight that a channel fills and the engine reads,
 * reused for every packet so the receive path allocates nothing. Only the I/O thread touches it.
 */
public final class Packet {
  /** An echo reply (ICMP type 0 / ICMPv6 type 129). */
  public static final int ECHO_REPLY = 1;

  /** An ICMP error that quotes one of our echo requests (from a raw socket or the error queue). */
  public static final int ICMP_ERROR = 2;

  /**
   * A local error from the error queue ({@code SO_EE_ORIGIN_LOCAL}), e.g. EMSGSIZE with the MTU.
   */
  public static final int LOCAL_ERROR = 3;

  public int kind;
  public boolean ipv6;

  /** Echo identifier: of the reply, or of the quoted request for an error. */
  public int identifier;

  /** Echo sequence: of the reply, or of the quoted request for an error. */
  public int sequence;

  public int icmpType;
  public int icmpCode;

  /** MTU (frag needed / packet too big), pointer (parameter problem), else 0. */
  public int info;

  /**
   * The transport's failure code of a LOCAL_ERROR (errno on Linux), for {@code
   * Channel.failureName}.
   */
  public int failureCode;

  /** TTL / hop limit of the received packet, -1 if unknown. */
  public int ttl;

  /** TOS / traffic class of the received packet, -1 if unknown. */
  public int tos;

  /** IPv4 options of the received packet: {@code options[0 .. optionsLength)}. */
  public final byte[] options = new byte[40];

  public int optionsLength;

  /** The top three bits of the IPv4 flags/fragment word (DF = 2), -1 if unknown. */
  public int ipFlags;

  /**
   * False when the ICMP checksum was verified and is wrong (such a packet must never be matched).
   */
  public boolean checksumOk;

  /**
   * The receive time (ns) on the engine's clock (the kernel's stamp, converted by the channel), or
   * {@link Long#MIN_VALUE} when absent.
   */
  public long rxTime;

  /** Source of the packet: the replying host, or the router that reported the error. */
  public final byte[] from = new byte[16];

  public int fromLen;
  public int fromScope;

  /**
   * Destination of the quoted original request (errors only, when present), else quotedDstLen 0.
   */
  public final byte[] quotedDst = new byte[16];

  public int quotedDstLen;

  /** Echo payload of a reply: {@code data[dataOffset .. dataOffset + dataLength)}. */
  public byte[] data;

  public int dataOffset;
  public int dataLength;

  /** Length of the whole ICMP message (header + payload) of a reply. */
  public int icmpLength;

  /** Resets every field for the next packet. */
  public void clear() {
    kind = 0;
    ipv6 = false;
    identifier = -1;
    sequence = -1;
    icmpType = -1;
    icmpCode = -1;
    info = 0;
    failureCode = 0;
    ttl = -1;
    tos = -1;
    optionsLength = 0;
    ipFlags = -1;
    checksumOk = true;
    rxTime = Long.MIN_VALUE;
    fromLen = 0;
    fromScope = 0;
    quotedDstLen = 0;
    data = null;
    dataOffset = 0;
    dataLength = 0;
    icmpLength = 0;
  }

  /** Sets {@link #from} from raw address bytes (4 or 16). */
  public void setFrom(byte[] src, int off, int len, int scope) {
    System.arraycopy(src, off, from, 0, len);
    fromLen = len;
    fromScope = scope;
  }

  /** The source address as an {@link InetAddress} (allocates; call only for attributed packets). */
  public InetAddress fromAddress() {
    return toAddress(from, fromLen, fromScope);
  }

  /**
   * The source address, reusing {@code likely} when it is that address (a reply usually comes from
   * the target), so the common case allocates nothing.
   */
  public InetAddress fromAddress(InetAddress likely) {
    if (likely != null
        && fromIs(likely)
        && !(likely instanceof Inet6Address a6 && a6.getScopeId() != fromScope)) {
      return likely;
    }
    return fromAddress();
  }

  /**
   * True when the packet's source is {@code a} (address bytes; a link-local scope is not compared).
   */
  public boolean fromIs(InetAddress a) {
    if (fromLen == 4 && a instanceof Inet4Address) {
      int v =
          ((from[0] & 0xff) << 24)
              | ((from[1] & 0xff) << 16)
              | ((from[2] & 0xff) << 8)
              | (from[3] & 0xff);
      return v == a.hashCode();
    }
    return fromLen == 16
        && a instanceof Inet6Address
        && java.util.Arrays.equals(from, 0, 16, a.getAddress(), 0, 16);
  }

  /** True when the packet's source is the IPv4 address {@code a} (the four bytes as an int). */
  public boolean fromIs4(int a) {
    if (fromLen != 4) return false;
    int v =
        ((from[0] & 0xff) << 24)
            | ((from[1] & 0xff) << 16)
            | ((from[2] & 0xff) << 8)
            | (from[3] & 0xff);
    return v == a;
  }

  /**
   * True when the quoted destination is absent or is the IPv4 address {@code a} (the four bytes as
   * an int).
   */
  public boolean quotedDstIs4(int a) {
    if (quotedDstLen == 0) return true;
    if (quotedDstLen != 4) return false;
    int v =
        ((quotedDst[0] & 0xff) << 24)
            | ((quotedDst[1] & 0xff) << 16)
            | ((quotedDst[2] & 0xff) << 8)
            | (quotedDst[3] & 0xff);
    return v == a;
  }

  /** True when the quoted destination is present and equals {@code a}. */
  public boolean quotedDstIs(InetAddress a) {
    if (quotedDstLen == 0) return true;
    byte[] b = a.getAddress();
    if (b.length != quotedDstLen) return false;
    for (int i = 0; i < b.length; i++) if (b[i] != quotedDst[i]) return false;
    return true;
  }

  static InetAddress toAddress(byte[] bytes, int len, int scope) {
    try {
      if (len == 4) {
        return InetAddress.getByAddress(new byte[] {bytes[0], bytes[1], bytes[2], bytes[3]});
      }
      if (len == 16) {
        byte[] b = java.util.Arrays.copyOf(bytes, 16);
        return scope != 0 && (b[0] == (byte) 0xfe && (b[1] & 0xc0) == 0x80)
            ? Inet6Address.getByAddress(null, b, scope)
            : InetAddress.getByAddress(b);
      }
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return null;
  }
}
