package org.icmpecho.testkit;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The lab topology's address plan (see {@link Topology}): link k's ends {@code 10.0.k.1/.2} and
 * {@code fd00:0:0:k::1/::2}, the host ranges {@code 10.x.0.0/16} and {@code fd00:x::/64}, and the
 * failure routes' and reject rules' addresses under {@code 10.9.0.0/16} and {@code fd00:9::/32}.
 * Used by the topology's builder and by the topology it builds.
 */
final class AddressPlan {
  private AddressPlan() {}

  static Map<StandardProtocolFamily, InetAddress> primary(InetAddress a4, InetAddress a6) {
    Map<StandardProtocolFamily, InetAddress> m = new EnumMap<>(StandardProtocolFamily.class);
    m.put(StandardProtocolFamily.INET, a4);
    m.put(StandardProtocolFamily.INET6, a6);
    return m;
  }

  static InetAddress v4(int link, int host) {
    return addr(new byte[] {10, 0, (byte) link, (byte) host});
  }

  static InetAddress v6(int link, int host) {
    byte[] b = new byte[16];
    b[0] = (byte) 0xfd;
    b[6] = (byte) (link >> 8);
    b[7] = (byte) link;
    b[14] = (byte) (host >> 8);
    b[15] = (byte) host;
    return addr(b);
  }

  static String v6net(int link) {
    return "fd00:0:0:" + Integer.toHexString(link) + "::/64";
  }

  static InetAddress addr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code prefix} ({@code 10.x.0.0/16} or {@code fd00:x::/64}) plus host number {@code i}. */
  static InetAddress inRange(StandardProtocolFamily f, int second, int i) {
    if (f == StandardProtocolFamily.INET) {
      if (i < 0 || i >= 250 * 250)
        throw new IllegalArgumentException("host index " + i + " not in 0..62499");
      return addr(new byte[] {10, (byte) second, (byte) (1 + i / 250), (byte) (1 + i % 250)});
    }
    if (i < 0 || i >= 62_500)
      throw new IllegalArgumentException("host index " + i + " not in 0..62499");
    byte[] b = new byte[16];
    b[0] = (byte) 0xfd;
    b[3] = (byte) second;
    b[14] = (byte) ((i + 1) >> 8);
    b[15] = (byte) (i + 1);
    return addr(b);
  }

  static InetAddress rejectAddress(StandardProtocolFamily f, int code) {
    return f == StandardProtocolFamily.INET
        ? addr(new byte[] {10, 9, 4, (byte) (10 + code)})
        : addr(
            new byte[] {(byte) 0xfd, 0, 0, 9, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (10 + code)});
  }

  static InetAddress routeAddress(StandardProtocolFamily f, int third) {
    return f == StandardProtocolFamily.INET
        ? addr(new byte[] {10, 9, (byte) third, 1})
        : addr(new byte[] {(byte) 0xfd, 0, 0, 9, 0, (byte) third, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }
}
