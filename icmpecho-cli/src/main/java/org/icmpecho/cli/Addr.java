package org.icmpecho.cli;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Address text as the tools print it: dotted IPv4, and IPv6 in RFC 5952's short form ({@code ::1},
 * not Java's long one).
 */
final class Addr {
  private Addr() {}

  static String text(InetAddress a) {
    if (a == null) return null;
    if (!(a instanceof Inet6Address v6)) return a.getHostAddress();
    byte[] b = a.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    int bestStart = -1, bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      sb.append(Integer.toHexString(g[i]));
      if (i < 7) sb.append(':');
    }
    if (v6.getScopedInterface() != null) sb.append('%').append(v6.getScopedInterface().getName());
    else if (v6.getScopeId() != 0) sb.append('%').append(v6.getScopeId());
    return sb.toString();
  }
}
