package org.icmpecho.exporter;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;

/**
 * A {@code /probe} answer (a few gauges) in the Prometheus text format or OpenMetrics, the same
 * bytes as the Prometheus client's writers produce for it ({@code ProbeExpositionTest}), built in
 * one {@code StringBuilder}. The client's writers go through a {@code BufferedWriter} one help
 * character at a time, which on the handler's virtual thread was most of the CPU of a probe.
 */
final class ProbeExposition {
  private ProbeExposition() {}

  /** The answer's bytes; every snapshot must be a gauge (all a probe answers with). */
  static byte[] write(MetricSnapshots metrics, boolean openMetrics) {
    StringBuilder b = new StringBuilder(1024);
    for (MetricSnapshot m : metrics) {
      GaugeSnapshot g = (GaugeSnapshot) m;
      String name = g.getMetadata().getPrometheusName();
      String help = g.getMetadata().getHelp();
      if (openMetrics) {
        b.append("# TYPE ").append(name).append(" gauge\n");
        if (help != null)
          escape(b.append("# HELP ").append(name).append(' '), help, true).append('\n');
      } else {
        if (help != null)
          escape(b.append("# HELP ").append(name).append(' '), help, false).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
      }
      for (GaugeDataPointSnapshot p : g.getDataPoints()) {
        b.append(name);
        Labels labels = p.getLabels();
        if (!labels.isEmpty()) {
          b.append('{');
          for (int i = 0; i < labels.size(); i++) {
            if (i > 0) b.append(',');
            b.append(labels.getPrometheusName(i)).append("=\"");
            escape(b, labels.getValue(i), true);
            b.append('"');
          }
          b.append('}');
        }
        b.append(' ').append(number(p.getValue())).append('\n');
      }
    }
    if (openMetrics) b.append("# EOF\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** As the client's {@code writeDouble}. */
  private static String number(double v) {
    return v == Double.POSITIVE_INFINITY
        ? "+Inf"
        : v == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(v);
  }

  /** Backslash and newline escaped, and the double quote too where {@code quote}. */
  private static StringBuilder escape(StringBuilder b, String s, boolean quote) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '"' -> b.append(quote ? "\\\"" : "\"");
        default -> b.append(c);
      }
    }
    return b;
  }
}
