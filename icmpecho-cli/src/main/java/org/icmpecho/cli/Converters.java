package org.icmpecho.cli;

import java.time.Duration;
import java.util.Locale;
import org.icmpecho.PathMtuDiscovery;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the command line's value types: decimal seconds and milliseconds, TOS, -p,
 * -M.
 */
final class Converters {
  private Converters() {}

  /**
   * {@code s} (up to 9 digits, a point, up to 9 decimals: {@code 1}, {@code 0.2}, {@code .5},
   * {@code 2.}) times {@code unitNanos}, the nanoseconds below 1 cut off. Long arithmetic, not
   * BigDecimal or a regular expression: their first use costs a fresh JVM more than the rest of the
   * parse.
   */
  static Duration decimal(String s, long unitNanos, String unit) {
    String t = s.trim();
    int dot = t.indexOf('.');
    String whole = dot < 0 ? t : t.substring(0, dot);
    String fraction = dot < 0 ? "" : t.substring(dot + 1);
    if (whole.length() > 9
        || fraction.length() > 9
        || (whole.isEmpty() && fraction.isEmpty())
        || !digits(whole)
        || !digits(fraction)) {
      throw new TypeConversionException("'" + s + "' is not a number of " + unit);
    }
    long nanos = whole.isEmpty() ? 0 : Long.parseLong(whole) * unitNanos;
    if (!fraction.isEmpty()) {
      long scale = 1;
      for (int i = 0; i < fraction.length(); i++) scale *= 10;
      nanos += Long.parseLong(fraction) * unitNanos / scale; // < 10^9 * 10^9: no overflow
    }
    return Duration.ofNanos(nanos);
  }

  private static boolean digits(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }

  /** Seconds with decimals, as iputils takes them ({@code -i 0.2}, {@code -W 1.5}). */
  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String s) {
      return decimal(s, 1_000_000_000L, "seconds");
    }
  }

  /** Milliseconds with decimals, as fping takes them ({@code -i 0.5}, {@code -t 500}). */
  static final class Millis implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String s) {
      return decimal(s, 1_000_000L, "milliseconds");
    }
  }

  /** A TOS / traffic class: decimal or {@code 0x} hex, 0..255. */
  static final class Tos implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String s) {
      int v;
      try {
        v =
            s.regionMatches(true, 0, "0x", 0, 2)
                ? Integer.parseInt(s.substring(2), 16)
                : Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + s + "' is not a TOS value (decimal or 0x hex)");
      }
      if (v < 0 || v > 255)
        throw new TypeConversionException("TOS " + s + " is out of range 0..255");
      return v;
    }
  }

  /**
   * iputils' {@code -p}: up to 16 bytes given as hex digits, read in pairs ({@code ff0} is ff 00).
   */
  static final class HexPattern implements ITypeConverter<byte[]> {
    @Override
    public byte[] convert(String s) {
      if (s.isEmpty() || s.length() > 32 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new TypeConversionException("'" + s + "' is not a pattern of 1 to 32 hex digits");
      }
      byte[] b = new byte[(s.length() + 1) / 2];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) Integer.parseInt(s.substring(2 * i, Math.min(s.length(), 2 * i + 2)), 16);
      }
      return b;
    }
  }

  /** iputils' {@code -M do|dont|want}. */
  static final class Pmtu implements ITypeConverter<PathMtuDiscovery> {
    @Override
    public PathMtuDiscovery convert(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "do" -> PathMtuDiscovery.DO;
        case "dont" -> PathMtuDiscovery.DONT;
        case "want" -> PathMtuDiscovery.WANT;
        default -> throw new TypeConversionException("'" + s + "' is not one of do, dont, want");
      };
    }
  }
}
