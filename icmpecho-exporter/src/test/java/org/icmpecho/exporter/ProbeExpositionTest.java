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

  @Test
  void realProbeAnswersAsTheClientWritesThem() throws Exception {
    try (IcmpClient c = IcmpClient.create()) {
      long start = System.nanoTime();
      ProbeModule module = ProbeModule.DEFAULT;
      BlackboxProbe.Resolved ok =
          new BlackboxProbe.Resolved(InetAddress.ofLiteral("127.0.0.1"), 1.5e-5, null);
      assertSame(BlackboxProbe.run(c, ok, module, Duration.ofSeconds(2), start));
      BlackboxProbe.Resolved none = new BlackboxProbe.Resolved(null, 0.25, "cannot resolve x");
      assertSame(BlackboxProbe.run(c, none, module, Duration.ofSeconds(2), start));
    }
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
