package org.icmpecho.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.icmpecho.exporter.SmokepingExposition.Format;

/**
 * {@code /metrics}: the Prometheus client's format negotiation ({@code Accept}: Prometheus text,
 * OpenMetrics, protobuf), its {@code name[]} filter and gzip, as its own handler does, with the
 * registry (engine, JVM, reload metrics) written by the client and the per-target smokeping series
 * by {@link SmokepingExposition} after it. The answer is streamed (chunked), not buffered whole: at
 * 100,000 targets it is ~260 MB.
 */
final class ScrapeHandler implements HttpHandler {
  private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

  private final PrometheusRegistry registry;
  private final SmokepingExposition smokeping;
  private final ExpositionFormats formats = ExpositionFormats.init();

  ScrapeHandler(PrometheusRegistry registry, SmokepingExposition smokeping) {
    this.registry = registry;
    this.smokeping = smokeping;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      List<String> names;
      try {
        names = names(ex.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        Http.text(ex, 400, "Invalid query parameters");
        return;
      }
      Predicate<String> include =
          names.isEmpty() ? n -> true : MetricNameFilter.builder().nameMustBeEqualTo(names).build();
      String accept = ex.getRequestHeaders().getFirst("Accept");
      ExpositionFormatWriter writer = formats.findWriter(accept);
      Format format =
          writer instanceof OpenMetricsTextFormatWriter
              ? Format.OPENMETRICS
              : writer instanceof PrometheusProtobufWriter ? Format.PROTOBUF : Format.TEXT;
      ByteArrayOutputStream rest = new ByteArrayOutputStream(1 << 14);
      writer.write(
          rest,
          names.isEmpty() ? registry.scrape() : registry.scrape(include),
          EscapingScheme.fromAcceptHeader(accept));
      int restSize = rest.size();
      if (format == Format.OPENMETRICS) restSize -= EOF.length; // ours follow, then the EOF
      ex.getResponseHeaders().set("Content-Type", writer.getContentType());
      boolean gzip = acceptsGzip(ex);
      if (gzip) ex.getResponseHeaders().set("Content-Encoding", "gzip");
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, 0);
      try (OutputStream body = gzip ? new FastGzip(ex.getResponseBody()) : ex.getResponseBody()) {
        body.write(rest.toByteArray(), 0, restSize);
        smokeping.write(body, format, include);
        if (format == Format.OPENMETRICS) body.write(EOF);
      }
    }
  }

  /** The {@code name[]} parameters; other parameters are ignored, as the client does. */
  static List<String> names(String rawQuery) {
    List<String> names = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) return names;
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals("name[]") && eq >= 0)
        names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return names;
  }

  private static boolean acceptsGzip(HttpExchange ex) {
    List<String> values = ex.getRequestHeaders().get("Accept-Encoding");
    if (values == null) return false;
    for (String v : values)
      for (String e : v.split(",", -1)) {
        String enc = e.trim();
        int semi = enc.indexOf(';');
        if ((semi < 0 ? enc : enc.substring(0, semi).trim()).equalsIgnoreCase("gzip")) return true;
      }
    return false;
  }

  /**
   * gzip at the fastest level: a large scrape is mostly repeated label text, which level 1 still
   * shrinks about tenfold at several times level 6's speed (module README).
   */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
