package org.icmpecho.exporter;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.icmpecho.EchoResult;
import org.icmpecho.IpStatus;

/**
 * smokeping_prober 0.6.1's metrics, same names, help, labels ({@code host}, {@code ip}) and
 * semantics, plus {@code icmpecho_responses_total{host,ip,status}}. Each target's data points are
 * looked up once ({@link Series}), so an echo costs no label lookup.
 */
final class SmokepingMetrics {
  /** smokeping_prober's default: {@code prometheus.ExponentialBuckets(0.00005, 2, 20)}. */
  static final String DEFAULT_BUCKETS =
      "5e-05,0.0001,0.0002,0.0004,0.0008,0.0016,0.0032,0.0064,0.0128,0.0256,0.0512,0.1024,0.2048,0.4096,0.8192,"
          + "1.6384,3.2768,6.5536,13.1072,26.2144";

  private final Histogram durations;
  private final Counter duplicates;
  private final Gauge ttl;
  private final Counter responses;

  /**
   * {@code requests} reports each target's echoes sent at scrape time, as smokeping_prober's
   * collector does.
   */
  SmokepingMetrics(
      PrometheusRegistry registry,
      List<Double> buckets,
      Consumer<CounterWithCallback.Callback> requestsSent) {
    CounterWithCallback.builder()
        .name("smokeping_requests_total")
        .help("Number of ping requests sent")
        .labelNames("host", "ip")
        .callback(requestsSent)
        .register(registry);
    durations =
        Histogram.builder()
            .name("smokeping_response_duration_seconds")
            .help("A histogram of latencies for ping responses.")
            .labelNames("host", "ip")
            .classicOnly()
            .classicUpperBounds(buckets.stream().mapToDouble(Double::doubleValue).toArray())
            .withoutExemplars()
            .register(registry);
    duplicates =
        Counter.builder()
            .name("smokeping_response_duplicates_total")
            .help("The number of duplicated response packets.")
            .labelNames("host", "ip")
            .withoutExemplars()
            .register(registry);
    ttl =
        Gauge.builder()
            .name("smokeping_response_ttl")
            .help("The last response Time To Live (TTL).")
            .labelNames("host", "ip")
            .withoutExemplars()
            .register(registry);
    responses =
        Counter.builder()
            .name("icmpecho_responses_total")
            .help(
                "Outcomes of echo requests by Windows IP_STATUS name (IP_SUCCESS, IP_REQ_TIMED_OUT, IP_TTL_EXPIRED_TRANSIT, ...).")
            .labelNames("host", "ip", "status")
            .withoutExemplars()
            .register(registry);
  }

  /** Parses {@code --buckets}: ascending, comma-separated seconds. */
  static List<Double> parseBuckets(String text) {
    String[] parts = text.split(",", -1);
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--buckets: '" + parts[i].trim() + "' is not a number");
      }
      if (i > 0 && out[i] <= out[i - 1])
        throw new IllegalArgumentException("--buckets: values must be ascending");
    }
    return java.util.Arrays.stream(out).boxed().toList();
  }

  /** The data points of one target, all at zero as smokeping_prober starts them. */
  Series series(String host, String ip) {
    return new Series(host, ip);
  }

  /** Drops every series of the targets whose {@link TargetList.Target#key()} is in {@code keys}. */
  void remove(Set<String> keys) {
    if (keys.isEmpty()) return;
    java.util.function.Function<java.util.List<String>, Boolean> gone =
        l -> keys.contains(l.get(0) + '\u0000' + l.get(1));
    durations.removeIf(gone);
    duplicates.removeIf(gone);
    ttl.removeIf(gone);
    responses.removeIf(gone);
  }

  /** One target's data points; thread-safe. */
  final class Series {
    final String host;
    final String ip;
    private final DistributionDataPoint durationPoint;
    private final CounterDataPoint duplicatesPoint;
    private final GaugeDataPoint ttlPoint;
    private final EnumMap<IpStatus, CounterDataPoint> byStatus = new EnumMap<>(IpStatus.class);

    private Series(String host, String ip) {
      this.host = host;
      this.ip = ip;
      durationPoint = durations.labelValues(host, ip);
      duplicatesPoint = duplicates.labelValues(host, ip);
      ttlPoint = ttl.labelValues(host, ip);
    }

    /**
     * An echo's outcome: a reply goes into the histogram and the TTL gauge; every outcome into its
     * status.
     */
    void outcome(EchoResult r) {
      if (r instanceof EchoResult.Reply reply) {
        durationPoint.observe(reply.rtt().toNanos() / 1e9);
        if (reply.ttl() >= 0) ttlPoint.set(reply.ttl());
      }
      status(r.status()).inc();
    }

    void duplicate() {
      duplicatesPoint.inc();
    }

    private synchronized CounterDataPoint status(
        IpStatus s) { // uncontended: outcomes come on one thread
      return byStatus.computeIfAbsent(s, k -> responses.labelValues(host, ip, k.name()));
    }
  }
}
