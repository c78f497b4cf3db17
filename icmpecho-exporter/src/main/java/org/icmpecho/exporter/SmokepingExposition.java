package org.icmpecho.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Predicate;
import org.icmpecho.IpStatus;
import org.icmpecho.exporter.SmokepingMetrics.Series;

/**
 * Writes {@link SmokepingMetrics}' series in the three formats Prometheus negotiates, as the
 * Prometheus client's own writers would write them (the same lines and bytes, checked by {@code
 * SmokepingExpositionTest}), without the client's snapshots: each target's labels are encoded once,
 * the counts are read straight from its cells, numbers go into a reused buffer. A 100,000-target
 * scrape is ~260 MB of text (module README).
 */
final class SmokepingExposition {
  /** What the client's {@code ExpositionFormats} chose for a request. */
  enum Format {
    TEXT,
    OPENMETRICS,
    PROTOBUF
  }

  private static final int COUNTER = 0, GAUGE = 1, HISTOGRAM = 4; // the protobuf MetricType

  @SuppressWarnings("ArrayRecordComponent") // constants, never compared
  private record Family(String name, String help, int type, byte[] line, byte[] protoName) {
    Family(String name, String help, int type) {
      this(name, help, type, ascii(name + "{"), ascii(name));
    }

    /** OpenMetrics names a counter's family without its {@code _total}. */
    String openMetricsName() {
      return type == COUNTER ? name.substring(0, name.length() - "_total".length()) : name;
    }
  }

  // in the client's order (sorted by name), so a whole page reads as the client's would
  private static final Family RESPONSES =
      new Family(
          "icmpecho_responses_total",
          "Outcomes of echo requests by Windows IP_STATUS name (IP_SUCCESS, IP_REQ_TIMED_OUT, IP_TTL_EXPIRED_TRANSIT, ...).",
          COUNTER);
  private static final Family REQUESTS =
      new Family("smokeping_requests_total", "Number of ping requests sent", COUNTER);
  private static final Family DUPLICATES =
      new Family(
          "smokeping_response_duplicates_total",
          "The number of duplicated response packets.",
          COUNTER);
  private static final Family DURATIONS =
      new Family(
          "smokeping_response_duration_seconds",
          "A histogram of latencies for ping responses.",
          HISTOGRAM);
  private static final Family TTL =
      new Family("smokeping_response_ttl", "The last response Time To Live (TTL).", GAUGE);

  private static final byte[] BUCKET = ascii(DURATIONS.name + "_bucket{");
  private static final byte[] COUNT = ascii(DURATIONS.name + "_count{");
  private static final byte[] SUM = ascii(DURATIONS.name + "_sum{");
  private static final byte[] CLOSE = ascii("} ");
  private static final byte[] HOST = ascii("host"), IP = ascii("ip"), STATUS = ascii("status");

  /** The statuses in the order of their names (the client sorts series by their labels). */
  private static final IpStatus[] STATUSES =
      Arrays.stream(IpStatus.values())
          .sorted(Comparator.comparing(IpStatus::name))
          .toArray(IpStatus[]::new);

  private static final byte[][] STATUS_LABELS =
      Arrays.stream(STATUSES)
          .map(s -> ascii(",status=\"" + s.name() + "\"} "))
          .toArray(byte[][]::new);
  private static final byte[][] STATUS_NAMES =
      Arrays.stream(STATUSES).map(s -> ascii(s.name())).toArray(byte[][]::new);

  private final SmokepingMetrics metrics;
  private final byte[][] le;

  SmokepingExposition(SmokepingMetrics metrics) {
    this.metrics = metrics;
    le =
        Arrays.stream(metrics.bounds)
            .mapToObj(
                b ->
                    ascii(
                        ",le=\""
                            + (b == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(b))
                            + "\"} "))
            .toArray(byte[][]::new);
  }

  /**
   * Writes the families {@code include} accepts (by their exposed name), leaving out those without
   * series, as the client does; no OpenMetrics {@code # EOF}.
   */
  void write(OutputStream sink, Format format, Predicate<String> include) throws IOException {
    Series[] all = metrics.exposed();
    if (all.length == 0) return;
    if (format == Format.PROTOBUF) {
      new ProtoWriter(all, sink).write(include);
      return;
    }
    TextOut out = new TextOut(sink);
    boolean om = format == Format.OPENMETRICS;
    if (include.test(RESPONSES.name) && anyStatus(all)) {
      header(out, RESPONSES, om);
      for (Series s : all) {
        for (int i = 0; i < STATUSES.length; i++) {
          long c = s.status(STATUSES[i]);
          if (c == 0) continue;
          out.bytes(RESPONSES.line).bytes(s.textLabels).bytes(STATUS_LABELS[i]).counter(c).nl();
        }
      }
    }
    if (include.test(REQUESTS.name)) {
      header(out, REQUESTS, om);
      for (Series s : all)
        out.bytes(REQUESTS.line).bytes(s.textLabels).bytes(CLOSE).counter(s.sent.getAsLong()).nl();
    }
    if (include.test(DUPLICATES.name)) {
      header(out, DUPLICATES, om);
      for (Series s : all)
        out.bytes(DUPLICATES.line).bytes(s.textLabels).bytes(CLOSE).counter(s.duplicates()).nl();
    }
    if (include.test(DURATIONS.name)) {
      header(out, DURATIONS, om);
      for (Series s : all) {
        long cumulative = 0;
        for (int b = 0; b < le.length; b++) {
          cumulative += s.bucket(b);
          out.bytes(BUCKET).bytes(s.textLabels).bytes(le[b]).decimal(cumulative).nl();
        }
        out.bytes(COUNT).bytes(s.textLabels).bytes(CLOSE).decimal(cumulative).nl();
        out.bytes(SUM).bytes(s.textLabels).bytes(CLOSE).ascii(Double.toString(s.sum())).nl();
      }
    }
    if (include.test(TTL.name)) {
      header(out, TTL, om);
      for (Series s : all)
        out.bytes(TTL.line).bytes(s.textLabels).bytes(CLOSE).counter(s.ttl()).nl();
    }
    out.flush();
  }

  private static boolean anyStatus(Series[] all) {
    for (Series s : all) for (IpStatus st : STATUSES) if (s.status(st) != 0) return true;
    return false;
  }

  private static void header(TextOut out, Family f, boolean om) throws IOException {
    String type =
        switch (f.type) {
          case COUNTER -> "counter";
          case GAUGE -> "gauge";
          default -> "histogram";
        };
    if (om) {
      String n = f.openMetricsName();
      out.ascii("# TYPE " + n + " " + type + "\n# HELP " + n + " " + f.help + "\n");
    } else {
      out.ascii("# HELP " + f.name + " " + f.help + "\n# TYPE " + f.name + " " + type + "\n");
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A buffered sink for the text formats, with number formatting that does not allocate. */
  private static final class TextOut {
    private final OutputStream sink;
    private final byte[] buf = new byte[1 << 16];
    private int pos;

    TextOut(OutputStream sink) {
      this.sink = sink;
    }

    TextOut bytes(byte[] b) throws IOException {
      if (b.length > buf.length - pos) {
        flush();
        if (b.length > buf.length) {
          sink.write(b);
          return this;
        }
      }
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return this;
    }

    TextOut ascii(String s) throws IOException {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A non-negative count, as {@code Long.toString}. */
    TextOut decimal(long v) throws IOException {
      if (buf.length - pos < 20) flush();
      int len = 1;
      for (long x = v; x >= 10; x /= 10) len++;
      int end = pos + len;
      for (int i = end - 1; i >= pos; i--, v /= 10) buf[i] = (byte) ('0' + v % 10);
      pos = end;
      return this;
    }

    /**
     * A count written as the client writes a counter's or gauge's double: {@code 3.0}, {@code
     * 1.2345678E7}.
     */
    TextOut counter(long v) throws IOException {
      if (v < 0 || v >= 10_000_000) return ascii(Double.toString((double) v));
      decimal(v);
      buf[pos++] = '.'; // decimal() left room: a count under 10^7 has 7 digits at most
      buf[pos++] = '0';
      return this;
    }

    TextOut nl() throws IOException {
      if (pos == buf.length) flush();
      buf[pos++] = '\n';
      return this;
    }

    void flush() throws IOException {
      sink.write(buf, 0, pos);
      pos = 0;
    }
  }

  /**
   * The Prometheus protobuf format ({@code io.prometheus.client.MetricFamily}, length-delimited):
   * each family is built whole (its length comes first), then written.
   */
  private final class ProtoWriter {
    private final Series[] all;
    private final OutputStream sink;
    private final Proto family = new Proto(), metric = new Proto(), inner = new Proto();
    private final byte[][] hosts, ips;
    private final long[] counts = new long[le.length];

    ProtoWriter(Series[] all, OutputStream sink) {
      this.all = all;
      this.sink = sink;
      hosts = new byte[all.length][];
      ips = new byte[all.length][];
      for (int i = 0; i < all.length; i++) {
        hosts[i] = ascii(all[i].host);
        ips[i] = ascii(all[i].ip);
      }
    }

    void write(Predicate<String> include) throws IOException {
      if (include.test(RESPONSES.name) && anyStatus(all)) {
        begin(RESPONSES);
        for (int i = 0; i < all.length; i++) {
          for (int k = 0; k < STATUSES.length; k++) {
            long c = all[i].status(STATUSES[k]);
            if (c == 0) continue;
            labels(i);
            label(STATUS, STATUS_NAMES[k]);
            counter(c, all[i].created);
          }
        }
        end();
      }
      if (include.test(REQUESTS.name)) {
        begin(REQUESTS);
        for (int i = 0; i < all.length; i++) {
          labels(i);
          counter(all[i].sent.getAsLong(), 0);
        }
        end();
      }
      if (include.test(DUPLICATES.name)) {
        begin(DUPLICATES);
        for (int i = 0; i < all.length; i++) {
          labels(i);
          counter(all[i].duplicates(), all[i].created);
        }
        end();
      }
      if (include.test(DURATIONS.name)) {
        begin(DURATIONS);
        for (int i = 0; i < all.length; i++) histogram(i);
        end();
      }
      if (include.test(TTL.name)) {
        begin(TTL);
        for (int i = 0; i < all.length; i++) {
          labels(i);
          inner.reset().tag(1, 1).fixed64(Double.doubleToRawLongBits(all[i].ttl()));
          metric.message(2, inner);
          family.message(4, metric);
        }
        end();
      }
    }

    private void begin(Family f) {
      family.reset().bytes(1, f.protoName).bytes(2, ascii(f.help)).tag(3, 0).varint(f.type);
    }

    private void end() throws IOException {
      Proto length = new Proto().varint(family.size());
      length.writeTo(sink);
      family.writeTo(sink);
    }

    private void labels(int i) {
      metric.reset();
      label(HOST, hosts[i]);
      label(IP, ips[i]);
    }

    private void label(byte[] name, byte[] value) {
      inner.reset().bytes(1, name).bytes(2, value);
      metric.message(1, inner);
    }

    /** A counter data point; {@code created} ms since the epoch, 0 for none. */
    private void counter(long value, long created) {
      inner.reset().tag(1, 1).fixed64(Double.doubleToRawLongBits(value));
      if (created != 0) {
        long seconds = created / 1000, nanos = created % 1000 * 1_000_000;
        int size = 1 + Proto.varintSize(seconds) + (nanos == 0 ? 0 : 1 + Proto.varintSize(nanos));
        inner.tag(3, 2).varint(size).tag(1, 0).varint(seconds);
        if (nanos != 0) inner.tag(2, 0).varint(nanos);
      }
      metric.message(3, inner);
      family.message(4, metric);
    }

    private void histogram(int i) {
      labels(i);
      Series s = all[i];
      long total = 0;
      for (int b = 0;
          b < le.length;
          b++) { // each count read once: the buckets agree with the total
        counts[b] = s.bucket(b);
        total += counts[b];
      }
      inner.reset().tag(1, 0).varint(total).tag(2, 1).fixed64(Double.doubleToRawLongBits(s.sum()));
      long cumulative = 0;
      for (int b = 0; b < le.length; b++) {
        cumulative += counts[b];
        inner.tag(3, 2).varint(1 + Proto.varintSize(cumulative) + 9);
        inner.tag(1, 0).varint(cumulative).tag(2, 1);
        inner.fixed64(Double.doubleToRawLongBits(metrics.bounds[b]));
      }
      metric.message(7, inner);
      family.message(4, metric);
    }
  }

  /** A growable protobuf encoding buffer. */
  static final class Proto {
    private byte[] buf = new byte[256];
    private int size;

    Proto reset() {
      size = 0;
      return this;
    }

    int size() {
      return size;
    }

    Proto tag(int field, int wireType) {
      return varint((long) field << 3 | wireType);
    }

    Proto varint(long v) {
      room(10);
      while ((v & ~0x7FL) != 0) {
        buf[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
      return this;
    }

    Proto fixed64(long v) {
      room(8);
      for (int i = 0; i < 8; i++, v >>>= 8) buf[size++] = (byte) v;
      return this;
    }

    Proto bytes(int field, byte[] b) {
      tag(field, 2).varint(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
      return this;
    }

    /** {@code m} as field {@code field} of this message. */
    Proto message(int field, Proto m) {
      tag(field, 2).varint(m.size);
      room(m.size);
      System.arraycopy(m.buf, 0, buf, size, m.size);
      size += m.size;
      return this;
    }

    void writeTo(OutputStream out) throws IOException {
      out.write(buf, 0, size);
    }

    static int varintSize(long v) {
      int n = 1;
      while ((v & ~0x7FL) != 0) {
        n++;
        v >>>= 7;
      }
      return n;
    }

    private void room(int n) {
      if (buf.length - size < n) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }
}
