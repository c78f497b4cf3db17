package org.icmpecho.exporter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import org.icmpecho.EchoResult;
import org.icmpecho.IpStatus;

/**
 * smokeping_prober 0.6.1's metrics, same names, help, labels ({@code host}, {@code ip}) and
 * semantics, plus {@code icmpecho_responses_total{host,ip,status}}. Kept here rather than in the
 * Prometheus client's metric types: at 100,000 targets the client's per-series objects and its
 * snapshot of every series per scrape were most of the heap and of the scrape's time (module
 * README). A target's values are one {@code long[]}, updated with atomic adds and read as they are
 * by {@link SmokepingExposition}; everything else on {@code /metrics} stays the client's.
 */
final class SmokepingMetrics {
  /** smokeping_prober's default: {@code prometheus.ExponentialBuckets(0.00005, 2, 20)}. */
  static final String DEFAULT_BUCKETS =
      "5e-05,0.0001,0.0002,0.0004,0.0008,0.0016,0.0032,0.0064,0.0128,0.0256,0.0512,0.1024,0.2048,0.4096,0.8192,"
          + "1.6384,3.2768,6.5536,13.1072,26.2144";

  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final IpStatus[] STATUSES = IpStatus.values();

  /** The histogram's upper bounds, the last one +Inf. */
  final double[] bounds;

  private final int sumCell, duplicatesCell, ttlCell, statusCell, cells;

  /** The series exposed, sorted by host then ip (the client library's order). */
  private volatile Series[] exposed = new Series[0];

  SmokepingMetrics(List<Double> buckets) {
    double[] b = buckets.stream().mapToDouble(Double::doubleValue).toArray();
    if (b.length == 0 || b[b.length - 1] != Double.POSITIVE_INFINITY) {
      b = Arrays.copyOf(b, b.length + 1);
      b[b.length - 1] = Double.POSITIVE_INFINITY;
    }
    bounds = b;
    sumCell = b.length;
    duplicatesCell = sumCell + 1;
    ttlCell = sumCell + 2;
    statusCell = sumCell + 3;
    cells = statusCell + STATUSES.length;
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
    return Arrays.stream(out).boxed().toList();
  }

  /**
   * A target's series, all at zero as smokeping_prober starts them; {@code sent} tells its echoes
   * sent at scrape time, as smokeping_prober's collector does.
   */
  Series series(String host, String ip, LongSupplier sent) {
    return new Series(host, ip, sent);
  }

  /** From now on, exactly these series are exposed (start and reload). */
  void expose(List<Series> series) {
    Series[] s = series.toArray(new Series[0]);
    Arrays.sort(s, Comparator.comparing((Series x) -> x.host).thenComparing(x -> x.ip));
    exposed = s;
  }

  Series[] exposed() {
    return exposed;
  }

  /** One target's values; updated on the engine's callback thread, read by scrapes. */
  @SuppressWarnings("EnumOrdinal") // a status's cell: an index in this process, never stored
  final class Series {
    final String host;
    final String ip;
    final LongSupplier sent;

    /** {@code host="...",ip="..."} as the text formats write it, encoded once. */
    final byte[] textLabels;

    /** When the series started (ms since the epoch): the counters' created timestamp. */
    final long created = System.currentTimeMillis();

    /** Bucket counts (not cumulative), the sum's bits, duplicates, TTL, counts by status. */
    private final long[] values = new long[cells];

    private Series(String host, String ip, LongSupplier sent) {
      this.host = host;
      this.ip = ip;
      this.sent = sent;
      textLabels =
          ("host=\"" + escape(host) + "\",ip=\"" + escape(ip) + "\"")
              .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * An echo's outcome: a reply goes into the histogram and the TTL gauge; every outcome into its
     * status.
     */
    void outcome(EchoResult r) {
      if (r instanceof EchoResult.Reply reply) {
        observe(reply.rtt().toNanos() / 1e9);
        if (reply.ttl() >= 0) CELLS.setOpaque(values, ttlCell, (long) reply.ttl());
      }
      CELLS.getAndAdd(values, statusCell + r.status().ordinal(), 1L);
    }

    void observe(double seconds) {
      int b = 0;
      while (seconds > bounds[b]) b++; // the last bound is +Inf; NaN never comes (an RTT)
      for (long old = (long) CELLS.getVolatile(values, sumCell); ; ) {
        long now = Double.doubleToRawLongBits(Double.longBitsToDouble(old) + seconds);
        long seen = (long) CELLS.compareAndExchange(values, sumCell, old, now);
        if (seen == old) break;
        old = seen;
      }
      CELLS.getAndAdd(values, b, 1L);
    }

    void duplicate() {
      CELLS.getAndAdd(values, duplicatesCell, 1L);
    }

    /** Observations in bucket {@code b} alone (not cumulative). */
    long bucket(int b) {
      return (long) CELLS.getOpaque(values, b);
    }

    double sum() {
      return Double.longBitsToDouble((long) CELLS.getOpaque(values, sumCell));
    }

    long duplicates() {
      return (long) CELLS.getOpaque(values, duplicatesCell);
    }

    long ttl() {
      return (long) CELLS.getOpaque(values, ttlCell);
    }

    long status(IpStatus s) {
      return (long) CELLS.getOpaque(values, statusCell + s.ordinal());
    }
  }

  /** A label value as the text formats escape it (backslash, double quote, newline). */
  static String escape(String v) {
    if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
