package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.icmpecho.IcmpClient;
import org.icmpecho.exporter.ExporterConfig.ProbeModule;
import org.junit.jupiter.api.Test;

/** {@link ProbeExposition} writes what the Prometheus client's writers write, byte for byte. */
class ProbeExpositionTest {
  static String client(ExpositionFormatWriter w, MetricSnapshots m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.write(out, m);
    return out.toString(StandardCharsets.UTF_8);
  }

  static void assertSame(MetricSnapshots m) throws Exception {
    assertEquals(
        client(PrometheusTextFormatWriter.create(), m),
        new String(ProbeExposition.write(m, false), StandardCharsets.UTF_8));
    assertEquals(
        client(OpenMetricsTextFormatWriter.create(), m),
        new String(ProbeExposition.write(m, true), StandardCharsets.UTF_8));
  }

  /** A probe's answer, written from its outcome, is the client's text of its snapshots. */
  static void assertSame(BlackboxProbe.Outcome o) throws Exception {
    MetricSnapshots m = o.snapshots();
    assertEquals(
        client(PrometheusTextFormatWriter.create(), m),
        new String(ProbeExposition.write(o, false), StandardCharsets.UTF_8));
    assertEquals(
        client(OpenMetricsTextFormatWriter.create(), m),
        new String(ProbeExposition.write(o, true), StandardCharsets.UTF_8));
    assertSame(m); // and the general writer agrees
  }

  @Test
  void realProbeAnswersAsTheClientWritesThem() throws Exception {
    try (IcmpClient c = IcmpClient.create()) {
      long start = System.nanoTime();
      ProbeModule module = ProbeModule.DEFAULT;
      BlackboxProbe.Resolved ok =
          new BlackboxProbe.Resolved(InetAddress.ofLiteral("127.0.0.1"), 1.5e-5, null);
      BlackboxProbe.Outcome success =
          BlackboxProbe.run(c, ok, module, Duration.ofSeconds(2), start);
      assertEquals(true, success.success());
      assertSame(success);
      BlackboxProbe.Resolved none = new BlackboxProbe.Resolved(null, 0.25, "cannot resolve x");
      assertSame(BlackboxProbe.run(c, none, module, Duration.ofSeconds(2), start));
    }
  }

  @Test
  void outcomesOfEveryKindAsTheClientWritesThem() throws Exception {
    // timed out (no hop limit), IPv6, a large hash, and numbers in every notation Double has
    assertSame(
        new BlackboxProbe.Outcome(
            1e-7, 5.000123, 1e-7, 0, 2.5e-6, -1, 4294967295L, 6, false, 11010));
    assertSame(
        new BlackboxProbe.Outcome(0.001, 1234567.0, 0.001, 9.999999e-4, 0, 255, 1, 4, true, 0));
    assertSame(
        new BlackboxProbe.Outcome(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            Double.MIN_VALUE,
            0,
            0,
            0,
            true,
            0));
  }

  @Test
  void escapesAndSpecialValuesAsTheClient() throws Exception {
    MetricSnapshots m =
        new MetricSnapshots(
            List.of(
                GaugeSnapshot.builder()
                    .name("a_gauge")
                    .help("back\\slash, \"quoted\"\nand a new line")
                    .dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("phase", "x\"y\\z\nw", "zone", "b"))
                            .value(Double.POSITIVE_INFINITY)
                            .build())
                    .dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("phase", "a"))
                            .value(-0.0)
                            .build())
                    .build(),
                GaugeSnapshot.builder()
                    .name("b_gauge")
                    .dataPoint(
                        GaugeDataPointSnapshot.builder().value(Double.NEGATIVE_INFINITY).build())
                    .dataPoint(
                        GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("k", "v"))
                            .value(Double.NaN)
                            .build())
                    .build(),
                GaugeSnapshot.builder()
                    .name("c_gauge")
                    .help("one")
                    .dataPoint(GaugeDataPointSnapshot.builder().value(123456789.125).build())
                    .build()));
    assertSame(m);
  }
}
