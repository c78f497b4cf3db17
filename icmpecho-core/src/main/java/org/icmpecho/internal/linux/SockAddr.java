package org.icmpecho.internal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import org.icmpecho.internal.packet.Packet;

/** Writes and reads {@code sockaddr_in} / {@code sockaddr_in6} in native memory. */
public final class SockAddr {
  private SockAddr() {}

  static final ValueLayout.OfInt NET_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  /** Size to pass as the address length for a family. */
  public static int size(boolean ipv6) {
    return ipv6 ? (int) Layouts.SOCKADDR_IN6.byteSize() : (int) Layouts.SOCKADDR_IN.byteSize();
  }

  /**
   * Writes {@code address} (null: the wildcard of the family) with port 0 into {@code seg}; returns
   * the length. For an IPv4 address the bytes come from {@link Inet4Address#hashCode()}, which is
   * the address itself, so the hot path allocates nothing.
   */
  public static int write(MemorySegment seg, InetAddress address, boolean ipv6) {
    seg.fill((byte) 0);
    if (!ipv6) {
      seg.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET);
      seg.set(NET_INT, 4, address == null ? 0 : address.hashCode());
      return 16;
    }
    seg.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET6);
    if (address != null) {
      MemorySegment.copy(address.getAddress(), 0, seg, ValueLayout.JAVA_BYTE, 8, 16);
      if (address instanceof Inet6Address a6) {
        seg.set(ValueLayout.JAVA_INT, 24, a6.getScopeId());
      }
    }
    return 28;
  }

  /**
   * Writes a {@code sockaddr_in} for the IPv4 address {@code address} (the four bytes as an int);
   * returns 16.
   */
  public static int write4(MemorySegment seg, int address) {
    seg.fill((byte) 0);
    seg.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET);
    seg.set(NET_INT, 4, address);
    return 16;
  }

  /**
   * Copies the address of a received sockaddr, {@code len} bytes in a heap copy {@code b} at {@code
   * off}, into {@code p.from}: the receive paths copy sender addresses out of native memory in bulk
   * and parse them here.
   */
  static void readInto(byte[] b, int off, int len, Packet p) {
    int family = len >= 2 ? NativeBytes.getShort(b, off) : -1;
    if (family == Sys.AF_INET && len >= 8) {
      System.arraycopy(
          b, off + 4, p.from, 0, 4); // sin_addr, in network order as InetAddress wants it
      p.fromLen = 4;
      p.fromScope = 0;
    } else if (family == Sys.AF_INET6 && len >= 24) {
      System.arraycopy(b, off + 8, p.from, 0, 16);
      p.fromLen = 16;
      p.fromScope = len >= 28 ? NativeBytes.getInt(b, off + 24) : 0;
    } else {
      p.fromLen = 0;
    }
  }
}
