package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.icmpecho.PathMtuDiscovery;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** Number, address, JSON and value formats, no network. */
class FormatTest {

  @Test
  void pingTimeFollowsIputilsPrecisionSteps() {
    assertEquals("0.045", Fmt.pingTime(45_123));
    assertEquals("0.000", Fmt.pingTime(0));
    assertEquals("0.999", Fmt.pingTime(999_000));
    assertEquals("1.23", Fmt.pingTime(1_234_000));
    assertEquals("9.99", Fmt.pingTime(9_994_000));
    assertEquals("12.3", Fmt.pingTime(12_345_000));
    assertEquals("99.9", Fmt.pingTime(99_940_000));
    assertEquals("123", Fmt.pingTime(123_456_000));
    assertEquals("1500", Fmt.pingTime(1_500_000_000));
  }

  @Test
  void fixedDecimalsAreBigDecimalsHalfEvenText() {
    // The fast path must print exactly what BigDecimal.valueOf(v).setScale(d, HALF_EVEN) prints.
    java.util.Random rnd = new java.util.Random(42);
    List<Double> values =
        new java.util.ArrayList<>(
            List.of(
                0.0,
                -0.0,
                0.0065,
                0.0045,
                0.0005,
                1.0005,
                2.5,
                3.5,
                -2.5,
                -0.0004,
                999_999.9999995,
                0.125,
                0.375,
                1e-9,
                12.345,
                1e7,
                -1e7,
                Double.NaN));
    for (int i = 0; i < 200_000; i++) {
      double v =
          switch (i % 4) {
            case 0 -> rnd.nextDouble() * 10;
            case 1 -> rnd.nextInt(10_000_000) / 1e6; // RTTs in ms from whole ns
            case 2 ->
                (rnd.nextInt(2_000_000) - 1_000_000) / 1e3 + 0.0005; // ties in the 4th decimal
            default -> rnd.nextDouble() * 2e6 - 1e6;
          };
      values.add(v);
    }
    for (double v : values) {
      for (int d = 0; d <= 7; d++) {
        if (Double.isNaN(v)) continue;
        String want =
            new java.math.BigDecimal(Double.toString(v))
                .setScale(d, java.math.RoundingMode.HALF_EVEN)
                .toPlainString();
        assertEquals(want, Fmt.fixed(v, d), v + " to " + d + " decimals");
      }
    }
  }

  @Test
  void fpingAndTracerouteTimes() {
    assertEquals("0.046", Fmt.fpingMs(46_000));
    assertEquals("1.23", Fmt.fpingMs(1_234_000));
    assertEquals("12.3", Fmt.fpingMs(12_340_000));
    assertEquals("123", Fmt.fpingMs(123_400_000));
    assertEquals("0.123", Fmt.ms3(123_400));
    assertEquals("1234.568", Fmt.ms3(1_234_567_800));
  }

  @Test
  void cPercentGStyleForPacketLoss() {
    assertEquals("0", Fmt.cg(0));
    assertEquals("100", Fmt.cg(100));
    assertEquals("25", Fmt.cg(25));
    assertEquals("33.3333", Fmt.cg(100.0 / 3));
    assertEquals("66.6667", Fmt.cg(200.0 / 3));
    assertEquals("0.001", Fmt.cg(0.001));
    assertEquals("1e-05", Fmt.cg(0.00001));
  }

  @Test
  void jsonNumbersAndStamps() {
    assertEquals("0.045123", Fmt.jsonMs(45_123));
    assertEquals("12", Fmt.jsonMs(12_000_000));
    assertEquals("0", Fmt.jsonMs(0));
    assertEquals(33.333, Fmt.pct(1, 3));
    assertEquals(0.0, Fmt.pct(0, 0));
    Instant t = Instant.ofEpochSecond(1_700_000_000L, 1_234_567);
    assertEquals("[1700000000.001234] ", Fmt.stamp(t));
    assertEquals("1700000000.001234", Fmt.epochSeconds(t));
  }

  @Test
  void jsonEscapesEverythingThatNeedsIt() {
    String s =
        new Json()
            .put("a", "q\"b\\n\nt\tc\u0001\u2028")
            .put("n", 5)
            .put("b", true)
            .put("d", 0.0)
            .put("nan", Double.NaN)
            .putNull("z")
            .put("s", (String) null)
            .put("lone", "x\ud800y")
            .put("pair", "\ud83d\ude00")
            .toString();
    assertEquals(
        "{\"a\":\"q\\\"b\\\\n\\nt\\tc\\u0001\\u2028\",\"n\":5,\"b\":true,\"d\":0.0,\"nan\":null,\"z\":null,\"s\":null,"
            + "\"lone\":\"x\\ud800y\",\"pair\":\"\ud83d\ude00\"}",
        s);
  }

  @Test
  void ipv6InShortForm() throws Exception {
    assertEquals("::1", Addr.text(InetAddress.getByName("::1")));
    assertEquals("::", Addr.text(InetAddress.getByName("::")));
    assertEquals("fd00:0:0:3::2", Addr.text(InetAddress.getByName("fd00:0:0:3:0:0:0:2")));
    assertEquals("2001:db8::1:0:0:1", Addr.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
    assertEquals("1::", Addr.text(InetAddress.getByName("1::")));
    assertEquals(
        "fd00:0:1:2:3:4:5:6",
        Addr.text(InetAddress.getByName("fd00:0:1:2:3:4:5:6"))); // one 0 group stays
    assertEquals("127.0.0.1", Addr.text(InetAddress.getByName("127.0.0.1")));
  }

  /**
   * The converters' long arithmetic gives what BigDecimal gave (the way they took until
   * 2026-12-07).
   */
  @Test
  void decimalsAgreeWithBigDecimal() {
    java.util.Random random = new java.util.Random(19);
    for (int i = 0; i < 200_000; i++) {
      String whole = Long.toString(Math.abs(random.nextLong()) % 1_000_000_000L);
      String fraction = Long.toString(Math.abs(random.nextLong()) % 1_000_000_000L);
      fraction = fraction.substring(0, random.nextInt(fraction.length() + 1));
      String text =
          random.nextInt(4) == 0
              ? "." + (fraction.isEmpty() ? "0" : fraction)
              : whole + "." + fraction;
      long unit = random.nextBoolean() ? 1_000_000_000L : 1_000_000L;
      long expected =
          new java.math.BigDecimal(text.startsWith(".") ? "0" + text : text)
              .multiply(java.math.BigDecimal.valueOf(unit))
              .longValue();
      assertEquals(
          Duration.ofNanos(expected),
          unit == 1_000_000L
              ? new Converters.Millis().convert(text)
              : new Converters.Seconds().convert(text),
          text);
    }
    for (int i = 0; i < 200_000; i++) {
      double nanos =
          random.nextInt(3) == 0 ? random.nextDouble() * 1e12 : random.nextInt(10_000_000);
      assertEquals(
          java.math.BigDecimal.valueOf(Math.max(0, Math.round(nanos / 1000.0)), 3).toPlainString(),
          Fmt.ms3(nanos),
          Double.toString(nanos));
    }
  }

  /**
   * Addr.parse reads what InetAddress.ofLiteral reads, and turns away what it turns away: random
   * texts near the literal forms, and every form of random addresses.
   */
  @Test
  void parseReadsLiteralsAsOfLiteral() throws Exception {
    java.util.Random random = new java.util.Random(6);
    String[] tokens = {
      "0", "1", "ff", "FFFF", "12345", "00001", "abc", "g", ":", ":", ":", "::", ".", "1.2.3.4",
      "255", "256", "%lo", "%1", "[", "]", " ", "\u0661", "x", "0x7f", "-"
    };
    for (int i = 0; i < 300_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(12); k >= 0; k--)
        sb.append(tokens[random.nextInt(tokens.length)]);
      assertParsesAsOfLiteral(sb.toString());
    }
    for (int i = 0; i < 100_000; i++) {
      byte[] b = new byte[random.nextBoolean() ? 4 : 16];
      random.nextBytes(b);
      for (int z = random.nextInt(b.length); z > 0; z--) b[random.nextInt(b.length)] = 0;
      InetAddress a = InetAddress.getByAddress(b);
      assertParsesAsOfLiteral(Addr.text(a));
      assertParsesAsOfLiteral(a.getHostAddress());
    }
    for (String s :
        List.of(
            "",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            "::ffff:102:304",
            "[::1]",
            "::1%1",
            "1.2.3.4",
            "127.1",
            "017.0.0.1",
            "localhost",
            "host-1.example",
            "1:2")) {
      assertParsesAsOfLiteral(s);
    }
  }

  private static void assertParsesAsOfLiteral(String s) {
    InetAddress expected;
    try {
      expected = InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      expected = null;
    }
    InetAddress actual = Addr.parse(s);
    assertEquals(expected, actual, s);
    if (expected != null) {
      assertEquals(expected.getClass(), actual.getClass(), s);
      if (expected instanceof java.net.Inet6Address e6) {
        assertEquals(e6.getScopeId(), ((java.net.Inet6Address) actual).getScopeId(), s);
      }
    }
  }

  @Test
  void convertersReadIputilsAndFpingValues() {
    assertEquals(Duration.ofMillis(200), new Converters.Seconds().convert("0.2"));
    assertEquals(Duration.ofMillis(500), new Converters.Seconds().convert(".5"));
    assertEquals(Duration.ofSeconds(3), new Converters.Seconds().convert("3"));
    assertEquals(Duration.ofNanos(1), new Converters.Seconds().convert("0.000000001"));
    assertEquals(Duration.ofMillis(10), new Converters.Millis().convert("10"));
    assertEquals(Duration.ofNanos(500_000), new Converters.Millis().convert("0.5"));
    for (String bad : new String[] {"-1", "abc", "1e3", "", "1.2.3", "NaN"}) {
      assertThrows(TypeConversionException.class, () -> new Converters.Seconds().convert(bad), bad);
    }
    for (String bad : new String[] {".", " ", "1234567890", "0.1234567891", "1,5", "+1", "٣"}) {
      assertThrows(TypeConversionException.class, () -> new Converters.Seconds().convert(bad), bad);
    }
    assertEquals(Duration.ofSeconds(2), new Converters.Seconds().convert("2."));
    assertEquals(Duration.ofSeconds(2), new Converters.Seconds().convert(" 2 "));
    assertEquals(
        Duration.ofNanos(999_999_999_999_999_999L),
        new Converters.Seconds().convert("999999999.999999999"));
    assertEquals(
        Duration.ofNanos(1), new Converters.Millis().convert("0.000001999")); // cut, not rounded
    assertEquals(Duration.ZERO, new Converters.Millis().convert("0.000000999"));
    assertEquals(184, new Converters.Tos().convert("0xb8"));
    assertEquals(16, new Converters.Tos().convert("16"));
    assertThrows(TypeConversionException.class, () -> new Converters.Tos().convert("256"));
    assertThrows(TypeConversionException.class, () -> new Converters.Tos().convert("x"));
    assertEquals(
        "ff00", java.util.HexFormat.of().formatHex(new Converters.HexPattern().convert("ff0")));
    assertEquals(
        16, new Converters.HexPattern().convert("00112233445566778899aabbccddeeff").length);
    assertThrows(TypeConversionException.class, () -> new Converters.HexPattern().convert("xyz"));
    assertThrows(
        TypeConversionException.class, () -> new Converters.HexPattern().convert("0".repeat(33)));
    assertEquals(PathMtuDiscovery.DO, new Converters.Pmtu().convert("do"));
    assertEquals(PathMtuDiscovery.DONT, new Converters.Pmtu().convert("dont"));
    assertEquals(PathMtuDiscovery.WANT, new Converters.Pmtu().convert("WANT"));
    assertThrows(TypeConversionException.class, () -> new Converters.Pmtu().convert("probe"));
  }

  @Test
  void rttStatsAreIputilsMdev() {
    RttStats s = new RttStats();
    for (long v : new long[] {42_000, 225_000}) s.add(v);
    assertEquals(42_000, s.min());
    assertEquals(225_000, s.max());
    assertEquals("0.134", Fmt.ms3(s.mean())); // iputils: 0.042/0.133/0.225/0.091 (it truncates)
    assertEquals("0.092", Fmt.ms3(s.mdev()));
    assertEquals(
        "{\"rtt_min_ms\":null,\"rtt_avg_ms\":null,\"rtt_max_ms\":null,\"rtt_mdev_ms\":null}",
        new RttStats().putTo(new Json()).toString());
  }
}
