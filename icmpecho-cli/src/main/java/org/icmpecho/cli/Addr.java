package org.icmpecho.cli;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address text as the tools print it (dotted IPv4, and IPv6 in RFC 5952's short form: {@code ::1},
 * not Java's long one), and address literals read as {@link InetAddress#ofLiteral} reads them.
 */
final class Addr {
  private Addr() {}

  /**
   * The address {@code s} is the literal of, as {@link InetAddress#ofLiteral} reads it (IPv4's
   * forms, IPv6 with {@code ::}, an embedded IPv4 address, {@code %scope} or brackets), or null.
   * ofLiteral tries IPv4 first and throws (a stack trace) for each IPv6 literal and name: a /16 of
   * IPv6 addresses read from a file cost 0.35 s that way. Here a literal goes to its own family's
   * parser, a plain IPv6 literal (hex groups and {@code ::}) is read without any exception, and a
   * string that cannot be a literal (a host name) is turned away before any parser.
   */
  static InetAddress parse(String s) {
    int n = s.length();
    if (n == 0) return null;
    boolean v4Chars = true, v6Plain = true;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ':') v4Chars = false;
      else if (c == '.') v6Plain = false;
      else if (c < '0' || c > '9') {
        v4Chars = false;
        if (!((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) v6Plain = false;
      }
    }
    if (v4Chars) return ofLiteral(s, false);
    if (s.indexOf(':') < 0) return null; // a name: neither family's literal
    if (v6Plain) {
      byte[] b = v6(s);
      if (b != null) {
        try {
          return InetAddress.getByAddress(b); // an IPv4-mapped one as Inet4Address, as ofLiteral
        } catch (UnknownHostException e) {
          throw new AssertionError(e); // 16 bytes
        }
      }
    }
    return ofLiteral(s, true);
  }

  private static InetAddress ofLiteral(String s, boolean v6) {
    try {
      return v6 ? Inet6Address.ofLiteral(s) : Inet4Address.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The 16 bytes of an IPv6 literal of hex groups and at most one {@code ::}, or null where the
   * text is not of that plain form (ofLiteral then decides).
   */
  private static byte[] v6(String s) {
    int n = s.length();
    int[] groups = new int[8];
    int count = 0, gap = -1, i = 0;
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) return new byte[16];
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      int digits = 0, v = 0;
      while (i < n && s.charAt(i) != ':') {
        if (++digits > 4) return null;
        v = (v << 4) | Character.digit(s.charAt(i++), 16);
      }
      if (digits == 0 || count == 8) return null;
      groups[count++] = v;
      if (i == n) break;
      i++; // ':'
      if (i < n && s.charAt(i) == ':') {
        if (gap >= 0) return null; // a second '::'
        gap = count;
        i++;
      } else if (i == n) {
        return null; // a single ':' at the end
      }
    }
    if (gap < 0 ? count != 8 : count > 7) return null;
    byte[] b = new byte[16];
    int tail = gap < 0 ? 0 : count - gap;
    for (int g = 0; g < count; g++) {
      int at = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
      b[2 * at] = (byte) (groups[g] >>> 8);
      b[2 * at + 1] = (byte) groups[g];
    }
    return b;
  }

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
