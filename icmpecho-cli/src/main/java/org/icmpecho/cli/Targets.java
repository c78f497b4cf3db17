package org.icmpecho.cli;

import java.io.IOException;
import java.io.InputStream;
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
 * Where {@code sweep}'s targets come from: arguments, {@code -g CIDR} / {@code -g START END} (as
 * fping), and {@code -f FILE} ({@code -} = stdin). Generated IPv4 ranges from a prefix shorter than
 * /31 leave out the network and broadcast addresses, as fping does ({@code -g 198.18.0.0/16} is
 * 65,534 targets).
 */
final class Targets {
  /** The most targets one sweep takes. */
  static final int MAX = 1 << 20;

  private Targets() {}

  /** A target to probe: what to print, and where to send. */
  record Target(String label, InetAddress address) {}

  /**
   * Expands the values of {@code -g}: each is a CIDR block, or the first of a START END pair; a
   * lone address with no partner is a target of its own.
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
    if (prefix < 0 || prefix > bits)
      throw new IllegalArgumentException("-g " + spec + ": prefix length not in 0.." + bits);
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
      throw new IllegalArgumentException(
          "-g " + start + " " + end + ": the two ends are of different families");
    }
    checkFamily(a, family, start);
    BigInteger first = toBig(a), last = toBig(b);
    if (first.compareTo(last) > 0)
      throw new IllegalArgumentException(
          "-g " + start + " " + end + ": the end is before the start");
    emit(first, last, a instanceof Inet4Address ? 32 : 128, "-g " + start + " " + end, sink);
  }

  private static void emit(
      BigInteger first, BigInteger last, int bits, String what, Consumer<InetAddress> sink) {
    BigInteger n = last.subtract(first).add(BigInteger.ONE);
    if (n.signum() <= 0) return;
    if (n.compareTo(BigInteger.valueOf(MAX)) > 0) {
      throw new IllegalArgumentException(
          what + ": " + n + " addresses, more than the limit of " + MAX);
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

  /**
   * The longest word kept of a line (a host name has at most 253 characters; longer ones fail to
   * resolve anyway).
   */
  private static final int MAX_WORD = 1024;

  /**
   * The targets of a {@code -f} file, read as fping 5.1 reads it: line by line as bytes, the first
   * word of each line (words end at C whitespace or a NUL byte), lines whose first word starts with
   * {@code #} and blank lines skipped. Only the word is decoded (UTF-8, a malformed byte replaced),
   * so a bad byte in a comment costs nothing and one in a name spoils only that line: the name does
   * not resolve and is reported and skipped like any unknown name. Unlike fping, which reads a line
   * in pieces of 131 bytes (the tail of a long comment then becomes targets), a line is one line
   * whatever its length.
   */
  static List<String> read(String file, InputStream stdin) throws IOException {
    List<String> out = new ArrayList<>();
    try (InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file))) {
      byte[] buf = new byte[1 << 16];
      byte[] word = new byte[MAX_WORD];
      int len = 0;
      boolean skipRest =
          false; // the line's first word is complete: the rest of the line does not matter
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          byte c = buf[i];
          if (c == '\n') {
            addWord(out, word, len);
            len = 0;
            skipRest = false;
          } else if (skipRest) {
            // the rest of the line does not count
          } else if (c == 0
              || c == ' '
              || (c >= '\t' && c <= '\r')) { // sscanf's %s: C isspace, and NUL ends the string
            skipRest = len > 0 || c == 0;
          } else if (len < MAX_WORD) {
            word[len++] = c;
          }
        }
      }
      addWord(out, word, len);
    } catch (NoSuchFileException e) {
      throw new IOException("No such file or directory");
    }
    return out;
  }

  private static void addWord(List<String> out, byte[] word, int len) throws IOException {
    if (len == 0 || word[0] == '#') return;
    out.add(new String(word, 0, len, StandardCharsets.UTF_8));
    if (out.size() > MAX) throw new IOException("more than " + MAX + " targets");
  }

  private static InetAddress literal(String s, String what) {
    InetAddress a = Addr.parse(s);
    if (a == null)
      throw new IllegalArgumentException("-g " + what + ": '" + s + "' is not an IP address");
    return a;
  }

  private static void checkFamily(InetAddress a, Resolver.Family family, String what) {
    if (!family.accepts(a))
      throw new IllegalArgumentException("-g " + what + ": not of the family asked for (-4/-6)");
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
