package org.icmpecho.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where {@code sweep}'s targets come from: arguments, {@code -g CIDR} / {@code -g START END} (as fping), and {@code -f
 * FILE} ({@code -} = stdin). Generated IPv4 ranges from a prefix shorter than /31 leave out the network and
 * broadcast addresses, as fping does ({@code -g 198.18.0.0/16} is 65,534 targets).
 */
final class Targets {
  /** The most targets one sweep takes. */
  static final int MAX = 1 << 20;

  private Targets() {}

  /** A target to probe: what to print, and where to send. */
  record Target(String label, InetAddress address) {}

  /**
   * Expands the values of {@code -g}: each is a CIDR block, or the first of a START END pair; a lone address with
   * no partner is a target of its own.
   *
   * @throws IllegalArgumentException with a one-line message on a bad block or range
   */
  static void generate(List<String> values, Resolver.Family family, Consumer<InetAddress> sink) {
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v.contains("/")) {
        cidr(v, family, sink);
      } else if (i + 1 < values.size() && !values.get(i + 1).contains("/")) {
        range(v, values.get(++i), family, sink);
      } else {
        range(v, v, family, sink);
      }
    }
  }

  static void cidr(String spec, Resolver.Family family, Consumer<InetAddress> sink) {
    int slash = spec.indexOf('/');
    InetAddress base = literal(spec.substring(0, slash), spec);
    int bits = base instanceof Inet4Address ? 32 : 128;
    int prefix;
    try {
      prefix = Integer.parseInt(spec.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-g " + spec + ": the prefix length is not a number");
    }
    if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("-g " + spec + ": prefix length not in 0.." + bits);
    checkFamily(base, family, spec);
    BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
    BigInteger first = toBig(base).andNot(size.subtract(BigInteger.ONE));
    BigInteger last = first.add(size).subtract(BigInteger.ONE);
    if (bits == 32 && prefix < 31) { // fping: no network and broadcast address
      first = first.add(BigInteger.ONE);
      last = last.subtract(BigInteger.ONE);
    }
    emit(first, last, bits, "-g " + spec, sink);
  }

  static void range(String start, String end, Resolver.Family family, Consumer<InetAddress> sink) {
    InetAddress a = literal(start, start), b = literal(end, end);
    if ((a instanceof Inet4Address) != (b instanceof Inet4Address)) {
      throw new IllegalArgumentException("-g " + start + " " + end + ": the two ends are of different families");
    }
    checkFamily(a, family, start);
    BigInteger first = toBig(a), last = toBig(b);
    if (first.compareTo(last) > 0) throw new IllegalArgumentException("-g " + start + " " + end + ": the end is before the start");
    emit(first, last, a instanceof Inet4Address ? 32 : 128, "-g " + start + " " + end, sink);
  }

  private static void emit(BigInteger first, BigInteger last, int bits, String what, Consumer<InetAddress> sink) {
    BigInteger n = last.subtract(first).add(BigInteger.ONE);
    if (n.signum() <= 0) return;
    if (n.compareTo(BigInteger.valueOf(MAX)) > 0) {
      throw new IllegalArgumentException(what + ": " + n + " addresses, more than the limit of " + MAX);
    }
    if (bits == 32) {
      long f = first.longValue(), l = last.longValue();
      byte[] b = new byte[4];
      for (long x = f; x <= l; x++) {
        b[0] = (byte) (x >>> 24);
        b[1] = (byte) (x >>> 16);
        b[2] = (byte) (x >>> 8);
        b[3] = (byte) x;
        sink.accept(byAddress(b));
      }
      return;
    }
    for (BigInteger x = first; x.compareTo(last) <= 0; x = x.add(BigInteger.ONE)) {
      byte[] raw = x.toByteArray();
      byte[] b = new byte[16];
      int copy = Math.min(16, raw.length);
      System.arraycopy(raw, raw.length - copy, b, 16 - copy, copy);
      sink.accept(byAddress(b));
    }
  }

  /** The targets of a {@code -f} file: the first word of each line; blank lines and {@code #} comments skipped. */
  static List<String> read(String file, InputStream stdin) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = file.equals("-")
        ? new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))
        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        int hash = line.indexOf('#');
        if (hash >= 0) line = line.substring(0, hash);
        line = line.strip();
        if (line.isEmpty()) continue;
        int sp = line.indexOf(' ');
        int tab = line.indexOf('\t');
        int cut = sp < 0 ? tab : tab < 0 ? sp : Math.min(sp, tab);
        out.add(cut < 0 ? line : line.substring(0, cut));
        if (out.size() > MAX) throw new IOException("more than " + MAX + " targets");
      }
    } catch (NoSuchFileException e) {
      throw new IOException("No such file or directory");
    }
    return out;
  }

  private static InetAddress literal(String s, String what) {
    try {
      return InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("-g " + what + ": '" + s + "' is not an IP address");
    }
  }

  private static void checkFamily(InetAddress a, Resolver.Family family, String what) {
    if (!family.accepts(a)) throw new IllegalArgumentException("-g " + what + ": not of the family asked for (-4/-6)");
  }

  private static BigInteger toBig(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  private static InetAddress byAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // 4 or 16 bytes
    }
  }
}
