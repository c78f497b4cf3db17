package org.icmpecho.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Number formats of the tools the command line imitates (iputils ping, fping, traceroute) and of
 * its JSON.
 */
final class Fmt {
  private Fmt() {}

  /**
   * The {@code time=} of an iputils reply line: 3 decimals below 1 ms, 2 below 10 ms, 1 below 100
   * ms, whole milliseconds above ({@code 0.045}, {@code 1.23}, {@code 12.3}, {@code 123}).
   */
  static String pingTime(long nanos) {
    long us = Math.max(0, (nanos + 500) / 1000);
    if (us >= 99_950) return Long.toString((us + 500) / 1000);
    if (us >= 9_995) {
      long t = (us + 50) / 100;
      return t / 10 + "." + t % 10;
    }
    if (us >= 1_000) {
      long t = (us + 5) / 10;
      return t / 100 + "." + pad(t % 100, 2);
    }
    return us / 1000 + "." + pad(us % 1000, 3);
  }

  /** Milliseconds with exactly three decimals, as iputils' rtt line and traceroute print them. */
  static String ms3(double nanos) {
    // long arithmetic, not BigDecimal: its first use costs a fresh JVM ~15 ms, a tenth of ping -c 1
    long us = Math.max(0, Math.round(nanos / 1000.0));
    return us / 1000 + "." + pad(us % 1000, 3);
  }

  /** fping's milliseconds: {@code 0.046}, {@code 1.23}, {@code 12.3}, {@code 123}. */
  static String fpingMs(double nanos) {
    return fpingMs(new StringBuilder(12), nanos).toString();
  }

  /**
   * As {@link #fpingMs(double)}, appended to {@code sb} (a sweep's summary formats 196,602 of them
   * for a /16).
   */
  static StringBuilder fpingMs(StringBuilder sb, double nanos) {
    double ms = nanos / 1e6;
    if (ms < 1.0) return fixed(sb, ms, 3);
    if (ms < 10.0) return fixed(sb, ms, 2);
    if (ms < 100.0) return fixed(sb, ms, 1);
    return fixed(sb, ms, 0);
  }

  /**
   * A JSON number of milliseconds with nanosecond precision and no trailing zeros ({@code
   * 0.045123}).
   */
  static String jsonMs(double nanos) {
    return BigDecimal.valueOf(Math.round(nanos), 6).stripTrailingZeros().toPlainString();
  }

  /**
   * C's {@code %g}: six significant digits, trailing zeros dropped ({@code 0}, {@code 25}, {@code
   * 33.3333}).
   */
  static String cg(double v) {
    if (v == 0 || !Double.isFinite(v)) return v == 0 ? "0" : Double.toString(v);
    BigDecimal bd = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
    int exp = bd.precision() - bd.scale() - 1;
    if (exp < -4 || exp >= 6) {
      BigDecimal mant = bd.movePointLeft(exp).stripTrailingZeros();
      return mant.toPlainString() + (exp < 0 ? "e-" : "e+") + pad(Math.abs(exp), 2);
    }
    return bd.stripTrailingZeros().toPlainString();
  }

  /** A percentage for JSON, rounded to three decimals ({@code 0.0}, {@code 33.333}). */
  static double pct(long lost, long total) {
    if (total <= 0) return 0.0;
    return Math.round(lost * 100_000.0 / total) / 1000.0;
  }

  /** iputils' {@code -D} stamp: {@code [1700000000.123456]}. */
  static String stamp(Instant t) {
    return "[" + t.getEpochSecond() + "." + pad(t.getNano() / 1000, 6) + "] ";
  }

  /** Seconds since the epoch with microseconds, as a JSON number. */
  static String epochSeconds(Instant t) {
    return t.getEpochSecond() + "." + pad(t.getNano() / 1000, 6);
  }

  static String fixed(double v, int decimals) {
    return fixed(new StringBuilder(24), v, decimals).toString();
  }

  /** As {@link #fixed(double, int)}, appended to {@code sb}. */
  static StringBuilder fixed(StringBuilder sb, double v, int decimals) {
    // A sweep's summary formats three of these per target (196,602 for a /16): BigDecimal costs ~1
    // us each there. Long arithmetic gives the same text unless the value lies next to a rounding
    // tie, where the decimal representation (what BigDecimal.valueOf rounds) and the binary one can
    // disagree: those take the exact way.
    if (decimals >= 0 && decimals < POW10.length && Math.abs(v) < 1e6) {
      long p = POW10[decimals];
      double scaled =
          Math.abs(v) * p; // < 1e12: a double still holds the fraction to better than 1e-3
      double frac = scaled - Math.floor(scaled);
      if (Math.abs(frac - 0.5) > 1e-3) {
        long r = Math.round(scaled);
        if (v < 0 && r != 0) sb.append('-');
        sb.append(r / p);
        if (decimals > 0) {
          long f = r % p;
          sb.append('.');
          for (long d = p / 10; d > 1 && f < d; d /= 10)
            sb.append('0'); // leading zeros of the fraction
          sb.append(f);
        }
        return sb;
      }
    }
    return sb.append(
        BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString());
  }

  private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  static String pad(long v, int width) {
    String s = Long.toString(v);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }
}
