package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IpStatus;
import org.icmpecho.exporter.SmokepingExposition.Format;
import org.junit.jupiter.api.Test;

/**
 * The exporter's own writer of the smokeping series against the Prometheus client's writers fed the
 * same series through the client's own metric types: the same bytes in Prometheus text and
 * OpenMetrics, the same messages in protobuf (the created timestamps aside: those are the times
 * each side made its series).
 */
class SmokepingExpositionTest {
  private static final List<Double> BUCKETS =
      SmokepingMetrics.parseBuckets("5e-05,0.0001,0.001,0.5,26.2144");

  /** Both sides of one comparison, fed identically. */
  private static final class Twin {
    final SmokepingMetrics ours = new SmokepingMetrics(BUCKETS);
    final SmokepingExposition writer = new SmokepingExposition(ours);
    final PrometheusRegistry theirs = new PrometheusRegistry();
    final Histogram durations =
        Histogram.builder()
            .name("smokeping_response_duration_seconds")
            .help("A histogram of latencies for ping responses.")
            .labelNames("host", "ip")
            .classicOnly()
            .classicUpperBounds(BUCKETS.stream().mapToDouble(Double::doubleValue).toArray())
            .withoutExemplars()
            .register(theirs);
    final Counter duplicates =
        Counter.builder()
            .name("smokeping_response_duplicates_total")
            .help("The number of duplicated response packets.")
            .labelNames("host", "ip")
            .withoutExemplars()
            .register(theirs);
    final Gauge ttl =
        Gauge.builder()
            .name("smokeping_response_ttl")
            .help("The last response Time To Live (TTL).")
            .labelNames("host", "ip")
            .withoutExemplars()
            .register(theirs);
    final Counter responses =
        Counter.builder()
            .name("icmpecho_responses_total")
            .help(
                "Outcomes of echo requests by Windows IP_STATUS name (IP_SUCCESS, IP_REQ_TIMED_OUT, IP_TTL_EXPIRED_TRANSIT, ...).")
            .labelNames("host", "ip", "status")
            .withoutExemplars()
            .register(theirs);
    final Map<String, Long> sent = new HashMap<>();
    final List<SmokepingMetrics.Series> series = new ArrayList<>();

    Twin() {
      CounterWithCallback.builder()
          .name("smokeping_requests_total")
          .help("Number of ping requests sent")
          .labelNames("host", "ip")
          .callback(
              cb -> {
                for (SmokepingMetrics.Series s : series) cb.call(s.sent.getAsLong(), s.host, s.ip);
              })
          .register(theirs);
    }

    SmokepingMetrics.Series target(String host, String ip, long sentSoFar) {
      sent.put(host + ip, sentSoFar);
      SmokepingMetrics.Series s = ours.series(host, ip, () -> sent.get(host + ip));
      series.add(s);
      ours.expose(series);
      durations.labelValues(host, ip);
      duplicates.labelValues(host, ip);
      ttl.labelValues(host, ip);
      return s;
    }

    void outcome(SmokepingMetrics.Series s, EchoResult r) {
      s.outcome(r);
      if (r instanceof EchoResult.Reply reply) {
        durations.labelValues(s.host, s.ip).observe(reply.rtt().toNanos() / 1e9);
        ttl.labelValues(s.host, s.ip).set(reply.ttl());
      }
      responses.labelValues(s.host, s.ip, r.status().name()).inc();
    }

    void duplicate(SmokepingMetrics.Series s) {
      s.duplicate();
      duplicates.labelValues(s.host, s.ip).inc();
    }

    byte[] ours(Format f, Predicate<String> include) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      writer.write(out, f, include);
      return out.toByteArray();
    }

    byte[] theirs(String accept) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ExpositionFormats.init().findWriter(accept).write(out, theirs.scrape());
      return out.toByteArray();
    }
  }

  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  /** Targets made out of order, odd labels, every kind of outcome, counts past 10^7. */
  private static Twin fed() throws Exception {
    Twin t = new Twin();
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    EchoRequest req = EchoRequest.to(lo).build();
    SmokepingMetrics.Series z = t.target("zeta.example", "127.0.0.3", 3);
    SmokepingMetrics.Series odd = t.target("we\"ird\\ho\nst", "127.0.0.2", 12_345_678);
    SmokepingMetrics.Series v6 = t.target("alpha", "::1", 0);
    SmokepingMetrics.Series v4 = t.target("alpha", "127.0.0.1", 9_999_999);
    t.target("idle", "127.0.0.9", 0);
    for (double rtt : new double[] {0.000012, 0.00005, 0.00007, 0.0009, 0.3, 7, 40}) {
      t.outcome(
          z, new EchoResult.Reply(req, lo, Duration.ofNanos((long) (rtt * 1e9)), 64, 0, 64, 1));
      t.outcome(
          v6, new EchoResult.Reply(req, lo, Duration.ofNanos((long) (rtt * 3e9)), 57, 0, 64, 1));
    }
    t.outcome(odd, new EchoResult.TimedOut(req, Duration.ofSeconds(5), 1));
    t.outcome(odd, new EchoResult.TimedOut(req, Duration.ofSeconds(5), 2));
    t.outcome(
        v4,
        new EchoResult.IcmpError(
            req, IpStatus.IP_TTL_EXPIRED_TRANSIT, lo, Duration.ofMillis(1), 11, 0, 0, 3));
    t.outcome(
        v4,
        new EchoResult.IcmpError(
            req, IpStatus.IP_DEST_HOST_UNREACHABLE, lo, Duration.ofMillis(1), 3, 1, 0, 4));
    t.outcome(v4, new EchoResult.Reply(req, lo, Duration.ofNanos(123_456), 1, 0, 64, 5));
    t.duplicate(z);
    t.duplicate(z);
    return t;
  }

  @Test
  void prometheusTextIsTheClientsByteForByte() throws Exception {
    Twin t = fed();
    assertEquals(
        new String(t.theirs("text/plain"), StandardCharsets.UTF_8),
        new String(t.ours(Format.TEXT, n -> true), StandardCharsets.UTF_8));
  }

  @Test
  void openMetricsIsTheClientsByteForByteBeforeItsEof() throws Exception {
    Twin t = fed();
    String theirs = new String(t.theirs(OPENMETRICS), StandardCharsets.UTF_8);
    assertTrue(theirs.endsWith("# EOF\n"), theirs);
    assertEquals(
        theirs.substring(0, theirs.length() - "# EOF\n".length()),
        new String(t.ours(Format.OPENMETRICS, n -> true), StandardCharsets.UTF_8));
  }

  @Test
  void protobufIsTheClientsMessages() throws Exception {
    Twin t = fed();
    List<Metrics.MetricFamily> theirs = families(t.theirs(PROTOBUF));
    List<Metrics.MetricFamily> ours = families(t.ours(Format.PROTOBUF, n -> true));
    assertEquals(5, theirs.size());
    assertEquals(withoutCreated(theirs), withoutCreated(ours));
    Metrics.MetricFamily dup = ours.get(2);
    assertEquals("smokeping_response_duplicates_total", dup.getName());
    long created = dup.getMetric(0).getCounter().getCreatedTimestamp().getSeconds();
    assertTrue(Math.abs(created - System.currentTimeMillis() / 1000) < 600, "created: " + dup);
  }

  @Test
  void theNameFilterAndNoTargetsLeaveFamiliesOut() throws Exception {
    Twin t = fed();
    String only =
        new String(t.ours(Format.TEXT, "smokeping_response_ttl"::equals), StandardCharsets.UTF_8);
    assertTrue(only.startsWith("# HELP smokeping_response_ttl "), only);
    assertEquals(5 + 2, only.lines().count(), only);
    Twin none = new Twin();
    assertArrayEquals(none.theirs("text/plain"), none.ours(Format.TEXT, n -> true));
    assertEquals(0, none.ours(Format.PROTOBUF, n -> true).length);
    Twin quiet =
        new Twin(); // targets without outcomes: no icmpecho_responses_total family, as the client
    quiet.target("a", "127.0.0.1", 0);
    assertEquals(
        new String(quiet.theirs("text/plain"), StandardCharsets.UTF_8),
        new String(quiet.ours(Format.TEXT, n -> true), StandardCharsets.UTF_8));
    assertEquals(
        withoutCreated(families(quiet.theirs(PROTOBUF))),
        withoutCreated(families(quiet.ours(Format.PROTOBUF, n -> true))));
  }

  @Test
  void anObservationOnABoundCountsInThatBucket() {
    SmokepingMetrics m = new SmokepingMetrics(BUCKETS);
    SmokepingMetrics.Series s = m.series("h", "127.0.0.1", () -> 0);
    s.observe(0.0001);
    s.observe(1e9);
    assertEquals(1, s.bucket(1));
    assertEquals(1, s.bucket(BUCKETS.size())); // +Inf
    assertEquals(Arrays.stream(m.bounds).boxed().toList().getLast(), Double.POSITIVE_INFINITY);
  }

  static List<Metrics.MetricFamily> families(byte[] delimited) throws IOException {
    List<Metrics.MetricFamily> out = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(delimited);
    for (Metrics.MetricFamily f; (f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null; )
      out.add(f);
    return out;
  }

  private static List<Metrics.MetricFamily> withoutCreated(List<Metrics.MetricFamily> families) {
    List<Metrics.MetricFamily> out = new ArrayList<>();
    for (Metrics.MetricFamily f : families) {
      Metrics.MetricFamily.Builder b = f.toBuilder();
      for (Metrics.Metric.Builder m : b.getMetricBuilderList()) {
        if (m.hasCounter()) m.getCounterBuilder().clearCreatedTimestamp();
        if (m.hasHistogram()) m.getHistogramBuilder().clearCreatedTimestamp();
      }
      out.add(b.build());
    }
    return out;
  }
}
