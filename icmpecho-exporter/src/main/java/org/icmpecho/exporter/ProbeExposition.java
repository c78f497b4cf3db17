package org.icmpecho.exporter;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.charset.StandardCharsets;

/**
 * A {@code /probe} answer (a few gauges) in the Prometheus text format or OpenMetrics, the same
 * bytes as the Prometheus client's writers produce for it ({@code ProbeExpositionTest}). The
 * client's writers go through a {@code BufferedWriter} one help character at a time, which on the
 * handler's virtual thread was most of the CPU of a probe; and the client's snapshots, built per
 * probe, validated every name through a new {@code CharsetEncoder}. A probe's answer is instead its
 * {@link BlackboxProbe.Outcome}'s ten numbers between constant text made once: one array of the
 * answer's exact size per probe.
 */
final class ProbeExposition {
  private ProbeExposition() {}

  /**
   * The answer's lines in the client's order (metrics sorted by name, points by label): {@code
   * [name, help, labels]}, a null name continuing the metric above; line {@link #HOP_LIMIT} only
   * when the probe succeeded.
   */
  private static final String[][] LINES = {
    {"icmpecho_probe_status_code", BlackboxProbe.STATUS_HELP, ""},
    {"probe_dns_lookup_time_seconds", "Returns the time taken for probe dns lookup in seconds", ""},
    {"probe_duration_seconds", "Returns how long the probe took to complete in seconds", ""},
    {"probe_icmp_duration_seconds", "Duration of icmp request by phase", "{phase=\"resolve\"}"},
    {null, null, "{phase=\"rtt\"}"},
    {null, null, "{phase=\"setup\"}"},
    {"probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)", ""},
    {
      "probe_ip_addr_hash",
      "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
      ""
    },
    {"probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", ""},
    {"probe_success", "Displays whether or not the probe was a success", ""}
  };

  private static final int HOP_LIMIT = 6;

  /** Per format (0 text, 1 OpenMetrics), each line's text before its value. */
  private static final byte[][][] PREFIXES = {prefixes(false), prefixes(true)};

  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

  private static byte[][] prefixes(boolean openMetrics) {
    byte[][] out = new byte[LINES.length][];
    String name = null;
    for (int i = 0; i < LINES.length; i++) {
      StringBuilder b = new StringBuilder();
      if (LINES[i][0] != null) {
        name = LINES[i][0];
        String help = LINES[i][1];
        if (openMetrics) {
          b.append("# TYPE ").append(name).append(" gauge\n");
          escape(b.append("# HELP ").append(name).append(' '), help, true).append('\n');
        } else {
          escape(b.append("# HELP ").append(name).append(' '), help, false).append('\n');
          b.append("# TYPE ").append(name).append(" gauge\n");
        }
      }
      b.append(name).append(LINES[i][2]).append(' ');
      out[i] = b.toString().getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  /** {@code outcome}'s answer: the bytes {@code write(outcome.snapshots(), openMetrics)} makes. */
  static byte[] write(BlackboxProbe.Outcome o, boolean openMetrics) {
    double[] values = {
      o.statusCode(),
      o.lookupSeconds(),
      o.durationSeconds(),
      o.resolveSeconds(),
      o.rttSeconds(),
      o.setupSeconds(),
      o.hopLimit(),
      o.addressHash(),
      o.protocol(),
      o.success() ? 1 : 0
    };
    // the numbers first, as the client formats them, to know the answer's size
    StringBuilder numbers = new StringBuilder(values.length * 12);
    int[] ends = new int[values.length];
    byte[][] prefixes = PREFIXES[openMetrics ? 1 : 0];
    int size = openMetrics ? EOF.length : 0;
    for (int i = 0; i < values.length; i++) {
      if (i == HOP_LIMIT && o.hopLimit() < 0) {
        ends[i] = numbers.length();
        continue;
      }
      number(numbers, values[i]);
      ends[i] = numbers.length();
      size += prefixes[i].length + 1;
    }
    byte[] out = new byte[size + numbers.length()];
    int at = 0, from = 0;
    for (int i = 0; i < values.length; i++) {
      if (i == HOP_LIMIT && o.hopLimit() < 0) continue;
      System.arraycopy(prefixes[i], 0, out, at, prefixes[i].length);
      at += prefixes[i].length;
      for (int k = from; k < ends[i]; k++) out[at++] = (byte) numbers.charAt(k); // ASCII
      from = ends[i];
      out[at++] = '\n';
    }
    if (openMetrics) System.arraycopy(EOF, 0, out, at, EOF.length);
    return out;
  }

  /** As the client's {@code writeDouble}, appended without a string per number. */
  private static void number(StringBuilder b, double v) {
    if (v == Double.POSITIVE_INFINITY) b.append("+Inf");
    else if (v == Double.NEGATIVE_INFINITY) b.append("-Inf");
    else b.append(v);
  }

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
