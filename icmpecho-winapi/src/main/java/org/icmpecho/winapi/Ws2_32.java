package org.icmpecho.winapi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code ws2_32} address helpers that ICMP code uses. An {@code IPAddr} is an {@code int} whose
 * bytes in memory (little-endian on every platform this runs on) are the address in network order:
 * {@code inet_addr("127.0.0.1") == 0x0100007F}.
 *
 * <pre>{@code
 * int dst = Ws2_32.inet_addr("127.0.0.1");
 * String text = Ws2_32.inet_ntoa(ICMP_ECHO_REPLY.Address(reply));
 * }</pre>
 */
public final class Ws2_32 {
  private Ws2_32() {}

  /** The IPv4 address family. */
  public static final int AF_INET = 2;

  /** The IPv6 address family, as Windows numbers it (Linux uses 10). */
  public static final int AF_INET6 = 23;

  /** What {@link #inet_addr} returns for an invalid string (also 255.255.255.255). */
  public static final int INADDR_NONE = -1;

  /** 0.0.0.0. */
  public static final int INADDR_ANY = 0;

  private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  /**
   * Parses an IPv4 address in the dotted forms of {@code inet_addr}: {@code a.b.c.d}, {@code a.b.c}
   * (c: 16 bits), {@code a.b} (b: 24 bits) or {@code a} (32 bits), each part decimal, octal
   * (leading 0) or hexadecimal ({@code 0x}, ASCII digits only); what follows C white space (space,
   * \t \n \v \f \r) is ignored.
   *
   * @return the {@code IPAddr}, or {@link #INADDR_NONE} for null, an empty or an invalid string
   */
  public static int inet_addr(String cp) {
    if (cp == null) return INADDR_NONE;
    long[] parts = new long[4];
    int n = 0;
    int i = 0;
    int len = cp.length();
    while (true) {
      if (i >= len || !isDigit(cp.charAt(i))) return INADDR_NONE;
      long v = 0;
      int base = 10;
      if (cp.charAt(i) == '0') {
        base = 8;
        i++;
        if (i < len && (cp.charAt(i) == 'x' || cp.charAt(i) == 'X')) {
          base = 16;
          i++;
        }
      }
      int start = i;
      while (i < len) {
        int d = digit(cp.charAt(i), base);
        if (d < 0) {
          if (base == 8 && isDigit(cp.charAt(i))) return INADDR_NONE; // 8 or 9 in an octal part
          break;
        }
        v = v * base + d;
        if (v > 0xFFFFFFFFL) return INADDR_NONE;
        i++;
      }
      if (base == 16 && i == start) return INADDR_NONE; // "0x" alone
      if (n == 4) return INADDR_NONE;
      parts[n++] = v;
      if (i < len && cp.charAt(i) == '.') {
        i++;
        continue;
      }
      break;
    }
    if (i < len && !isSpace(cp.charAt(i))) return INADDR_NONE;
    long addr;
    switch (n) {
      case 1 -> addr = parts[0];
      case 2 -> {
        if (parts[0] > 0xFF || parts[1] > 0xFFFFFF) return INADDR_NONE;
        addr = parts[0] << 24 | parts[1];
      }
      case 3 -> {
        if (parts[0] > 0xFF || parts[1] > 0xFF || parts[2] > 0xFFFF) return INADDR_NONE;
        addr = parts[0] << 24 | parts[1] << 16 | parts[2];
      }
      default -> {
        for (int k = 0; k < 4; k++) if (parts[k] > 0xFF) return INADDR_NONE;
        addr = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3];
      }
    }
    return htonl((int) addr);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * An ASCII digit of {@code base}, or -1: {@code Character.digit} would also take other scripts'
   * digits.
   */
  private static int digit(char c, int base) {
    int d =
        c >= '0' && c <= '9'
            ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    return d < base ? d : -1;
  }

  /**
   * C's {@code isspace} in the C locale ({@code Character.isWhitespace} also takes U+001C..U+001F
   * and more).
   */
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  /** Formats an {@code IPAddr} as {@code a.b.c.d}. */
  public static String inet_ntoa(int in) {
    int h = ntohl(in);
    return (h >>> 24) + "." + ((h >>> 16) & 0xFF) + "." + ((h >>> 8) & 0xFF) + "." + (h & 0xFF);
  }

  /** Host to network order, 32 bits. */
  public static int htonl(int hostlong) {
    return LITTLE ? Integer.reverseBytes(hostlong) : hostlong;
  }

  /** Host to network order, 16 bits. */
  public static short htons(short hostshort) {
    return LITTLE ? Short.reverseBytes(hostshort) : hostshort;
  }

  /** Network to host order, 32 bits. */
  public static int ntohl(int netlong) {
    return htonl(netlong);
  }

  /** Network to host order, 16 bits. */
  public static short ntohs(short netshort) {
    return htons(netshort);
  }

  /** The four address bytes of an {@code IPAddr}, in network order. */
  static byte[] bytesOf(int ipAddr) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(ipAddr).array();
  }

  /** The {@code IPAddr} of an IPv4 address. */
  static int ipAddrOf(InetAddress a) {
    return ByteBuffer.wrap(a.getAddress()).order(ByteOrder.nativeOrder()).getInt();
  }

  /** The {@link Inet4Address} of an {@code IPAddr}. */
  static InetAddress inet4(int ipAddr) {
    try {
      return InetAddress.getByAddress(bytesOf(ipAddr));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always valid
    }
  }
}
