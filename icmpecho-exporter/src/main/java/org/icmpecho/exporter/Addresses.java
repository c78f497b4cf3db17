package org.icmpecho.exporter;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;
import org.icmpecho.exporter.ExporterConfig.Network;

/** Address literals, CIDR blocks and name resolution for the host lists. */
final class Addresses {
  /** The most addresses one CIDR block may expand to (a /12 of IPv4, or 2^20 IPv6 addresses). */
  static final int MAX_BLOCK = 1 << 20;

  private Addresses() {}

  /** An IPv4 or IPv6 literal, never a DNS lookup. */
  static InetAddress literal(String s) {
    return InetAddress.ofLiteral(
        s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s);
  }

  /** True when {@code s} looks like a CIDR block ({@code ADDRESS/PREFIX}). */
  static boolean isCidr(String s) {
    return s.indexOf('/') > 0;
  }

  /**
   * Every address of a CIDR block, in order. As fping's {@code -g}, an IPv4 block shorter than /31
   * leaves out its network and broadcast addresses.
   *
   * @throws IllegalArgumentException for a malformed block or one larger than {@link #MAX_BLOCK}
   */
  static void expand(String cidr, Consumer<InetAddress> sink) {
    int slash = cidr.indexOf('/');
    InetAddress base;
    int prefix;
    try {
      base = literal(cidr.substring(0, slash));
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not a CIDR block (ADDRESS/PREFIX)");
    }
    int bits = base instanceof Inet4Address ? 32 : 128;
    if (prefix < 0 || prefix > bits)
      throw new IllegalArgumentException("'" + cidr + "': prefix length must be 0.." + bits);
    if (bits - prefix > 20) {
      throw new IllegalArgumentException(
          "'" + cidr + "' has 2^" + (bits - prefix) + " addresses; at most 2^20 per block");
    }
    BigInteger mask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
    BigInteger first = new BigInteger(1, base.getAddress()).andNot(mask);
    long count = 1L << (bits - prefix);
    long from = 0, to = count;
    if (bits == 32 && prefix < 31) {
      from = 1;
      to = count - 1;
    }
    for (long i = from; i < to; i++)
      sink.accept(toAddress(first.add(BigInteger.valueOf(i)), bits / 8));
  }

  private static InetAddress toAddress(BigInteger value, int bytes) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[bytes];
    int n = Math.min(raw.length, bytes);
    System.arraycopy(raw, raw.length - n, out, bytes - n, n);
    try {
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // only for a wrong length
    }
  }

  /**
   * Resolves {@code host} (a literal or a name) to one address of the wanted family: for {@link
   * Network#IP} the first IPv4 address, else the first IPv6 one (as Go's resolver, which
   * smokeping_prober uses).
   *
   * @throws UnknownHostException when the name does not resolve, or not to the family asked for
   */
  static InetAddress resolve(String host, Network network) throws UnknownHostException {
    InetAddress[] all = InetAddress.getAllByName(host);
    InetAddress v4 = null, v6 = null;
    for (InetAddress a : all) {
      if (a instanceof Inet4Address && v4 == null) v4 = a;
      if (a instanceof Inet6Address && v6 == null) v6 = a;
    }
    InetAddress pick =
        switch (network) {
          case IP -> v4 != null ? v4 : v6;
          case IP4 -> v4;
          case IP6 -> v6;
        };
    if (pick == null)
      throw new UnknownHostException(
          host + ": no " + (network == Network.IP4 ? "IPv4" : "IPv6") + " address");
    return pick;
  }

  /** A CIDR block to test addresses against ({@code --probe.allowed-targets}). */
  record Block(InetAddress network, int prefix) {
    static Block parse(String cidr) {
      String s = cidr.strip();
      int slash = s.indexOf('/');
      try {
        InetAddress base = literal(slash < 0 ? s : s.substring(0, slash));
        int bits = base.getAddress().length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException();
        return new Block(base, prefix);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + cidr + "' is not an address or CIDR block");
      }
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      byte[] network = this.network.getAddress();
      if (b.length != network.length) return false;
      int full = prefix / 8, rest = prefix % 8;
      for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
      if (rest == 0) return true;
      int mask = 0xff << (8 - rest) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
      return text(network) + "/" + prefix;
    }
  }

  /**
   * The text of an address as Go prints it, which is what smokeping_prober's {@code ip} label
   * holds: dotted IPv4, and IPv6 in RFC 5952's short form ({@code ::1}, {@code 2001:db8::a}), where
   * Java would write {@code 0:0:0:0:0:0:0:1}.
   */
  static String text(InetAddress a) {
    if (!(a instanceof Inet6Address v6)) return a.getHostAddress();
    byte[] b = v6.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    int bestStart = -1,
        bestLen = 1; // the longest run of two or more zero groups, the first of equals
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    String zone =
        v6.getScopedInterface() != null
            ? v6.getScopedInterface().getName()
            : v6.getScopeId() != 0 ? Integer.toString(v6.getScopeId()) : null;
    return zone == null ? sb.toString() : sb + "%" + zone;
  }
}
