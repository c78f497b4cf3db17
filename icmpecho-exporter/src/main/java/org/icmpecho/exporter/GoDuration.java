package org.icmpecho.exporter;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations as the Go tools write them ({@code time.ParseDuration}: {@code 1s}, {@code 500ms},
 * {@code 1m30s}, {@code 1.5h}), which is what smokeping_prober's and blackbox_exporter's YAML and
 * flags take; Prometheus' own {@code d}, {@code w} and {@code y} units are accepted as well.
 */
final class GoDuration {
  private GoDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a one-line message saying what is wrong
   */
  static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) return Duration.ZERO;
    if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) s = s.substring(1);
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
      if (start == i) throw bad(text, "expected a number at '" + s.substring(start) + "'");
      BigDecimal number;
      try {
        number = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw bad(text, "'" + s.substring(start, i) + "' is not a number");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
      String unit = s.substring(unitStart, i);
      long per =
          switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            case "w" -> 7 * 86_400_000_000_000L;
            case "y" -> 365 * 86_400_000_000_000L;
            case "" -> throw bad(text, "missing unit (write e.g. 1s or 500ms)");
            default ->
                throw bad(text, "unknown unit '" + unit + "' (ns, us, ms, s, m, h, d, w, y)");
          };
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(per)));
    }
    if (negative) nanos = nanos.negate();
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw bad(text, "too long or not a whole number of nanoseconds");
    }
  }

  /** The Go spelling of {@code d} ({@code 1s}, {@code 1m30s}, {@code 250ms}), for logs and help. */
  static String format(Duration d) {
    if (d.isZero()) return "0s";
    if (d.isNegative()) return "-" + format(d.negated()); // as Go: -1m5s, not 1m-5s nor -5s
    long n = d.toNanos();
    if (n % 1_000_000_000L != 0 && n < 1_000_000_000L) {
      return n % 1_000_000L == 0
          ? n / 1_000_000L + "ms"
          : n % 1_000L == 0 ? n / 1_000L + "µs" : n + "ns";
    }
    StringBuilder sb = new StringBuilder();
    long h = d.toHours(), m = d.toMinutesPart();
    if (h > 0) sb.append(h).append('h');
    if (h > 0 || m > 0) sb.append(m).append('m');
    BigDecimal seconds =
        BigDecimal.valueOf(d.toSecondsPart()).add(BigDecimal.valueOf(d.toNanosPart(), 9));
    return sb.append(seconds.stripTrailingZeros().toPlainString()).append('s').toString();
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("invalid duration '" + text + "': " + why);
  }
}
