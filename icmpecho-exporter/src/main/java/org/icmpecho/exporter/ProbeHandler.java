package org.icmpecho.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.icmpecho.IcmpClient;
import org.icmpecho.exporter.ExporterConfig.ProbeModule;

/**
 * {@code GET /probe?target=HOST&module=NAME}, blackbox_exporter style. Before anything is sent: a
 * malformed query gets 400 with one line saying why, a client over its rate 429, a target outside
 * {@code --probe.allowed-targets} 403. The probe's timeout is blackbox's: the module's {@code
 * timeout}, at most Prometheus' {@code X-Prometheus-Scrape-Timeout-Seconds} less {@code
 * --timeout-offset} (120 s when the header is absent).
 */
final class ProbeHandler implements HttpHandler {
  private final IcmpClient client;
  private final Supplier<Map<String, ProbeModule>> modules;
  private final List<Addresses.Block> allowed;
  private final RateLimiter limiter;
  private final double timeoutOffset;
  private final Log log;
  private final ExpositionFormats formats = ExpositionFormats.init();

  ProbeHandler(
      IcmpClient client,
      Supplier<Map<String, ProbeModule>> modules,
      List<Addresses.Block> allowed,
      RateLimiter limiter,
      double timeoutOffset,
      Log log) {
    this.client = client;
    this.modules = modules;
    this.allowed = List.copyOf(allowed);
    this.limiter = limiter;
    this.timeoutOffset = timeoutOffset;
    this.log = log;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        Http.text(ex, 405, "This endpoint requires a GET request.");
        return;
      }
      Query q;
      try {
        q = query(ex.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        Http.text(ex, 400, e.getMessage());
        return;
      }
      String target = q.target() == null ? "" : q.target();
      if (target.isEmpty()) {
        Http.text(ex, 400, "Target parameter is missing");
        return;
      }
      ProbeModule module = module(q.module());
      if (module == null) {
        Http.text(ex, 400, "Unknown module \"" + q.module() + "\"");
        return;
      }
      if (!module.prober().equals("icmp")) {
        Http.text(
            ex,
            400,
            "Module \""
                + module.name()
                + "\" uses prober \""
                + module.prober()
                + "\"; icmpecho serves icmp only");
        return;
      }
      Duration timeout;
      try {
        timeout =
            timeout(ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds"), module);
      } catch (IllegalArgumentException e) {
        Http.text(ex, 400, e.getMessage());
        return;
      }
      if (!limiter.tryAcquire(ex.getRemoteAddress().getAddress())) {
        Http.text(
            ex,
            429,
            "Too many probes from "
                + ex.getRemoteAddress().getAddress().getHostAddress()
                + "; see --probe.rate-limit");
        return;
      }
      BlackboxProbe.Resolved resolved = BlackboxProbe.resolve(target, module);
      if (resolved.address() != null && !allowed(resolved)) {
        log.warn(
            "Probe target outside --probe.allowed-targets",
            "target",
            target,
            "ip",
            Addresses.text(resolved.address()),
            "client",
            ex.getRemoteAddress().getAddress().getHostAddress());
        Http.text(
            ex,
            403,
            "Target "
                + target
                + " ("
                + Addresses.text(resolved.address())
                + ") is not in --probe.allowed-targets");
        return;
      }
      if (resolved.error() != null)
        log.debug("Error resolving address", "target", target, "err", resolved.error());
      Duration left = timeout.minusNanos(System.nanoTime() - start);
      BlackboxProbe.Outcome outcome =
          BlackboxProbe.run(
              client, resolved, module, left.isNegative() ? Duration.ZERO : left, start);
      write(ex, outcome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ProbeModule module(String name) {
    Map<String, ProbeModule> all = modules.get();
    if (name == null || name.isEmpty())
      name = "icmp"; // blackbox would use http_2xx, which icmpecho does not serve
    ProbeModule m = all.get(name);
    return m == null && name.equals("icmp") ? ProbeModule.DEFAULT : m;
  }

  private boolean allowed(BlackboxProbe.Resolved r) {
    if (allowed.isEmpty()) return true;
    for (Addresses.Block b : allowed) if (b.contains(r.address())) return true;
    return false;
  }

  Duration timeout(String header, ProbeModule module) {
    double scrape = 0;
    if (header != null && !header.isBlank()) {
      try {
        scrape = Double.parseDouble(header.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Failed to parse timeout from Prometheus header: '" + header + "' is not a number");
      }
      if (!(scrape >= 0) || Double.isInfinite(scrape)) {
        throw new IllegalArgumentException(
            "Failed to parse timeout from Prometheus header: '" + header + "' is not a duration");
      }
    }
    if (scrape == 0) scrape = 120;
    double max = scrape - timeoutOffset;
    double moduleSeconds = module.timeout().toNanos() / 1e9;
    double seconds = (moduleSeconds > 0 && moduleSeconds < max) || max < 0 ? moduleSeconds : max;
    return Duration.ofNanos((long) (Math.max(seconds, 0) * 1e9));
  }

  private void write(HttpExchange ex, BlackboxProbe.Outcome outcome) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(ex.getRequestHeaders().getFirst("Accept"));
    byte[] body;
    if (writer instanceof PrometheusProtobufWriter) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      writer.write(out, outcome.snapshots());
      body = out.toByteArray();
    } else {
      body = ProbeExposition.write(outcome, writer instanceof OpenMetricsTextFormatWriter);
    }
    ex.getResponseHeaders().set("Content-Type", writer.getContentType());
    Http.send(ex, 200, body);
  }

  /** The query's {@code target} and {@code module} (null when absent). */
  record Query(String target, String module) {}

  /**
   * The query's {@code target} and {@code module}; a malformed query (a bad %-escape in any
   * parameter, a repeated target or module) is refused with a message. Parameters without escapes
   * are compared and cut where they are, without decoding (one string per value).
   */
  static Query query(String raw) {
    String target = null, module = null;
    if (raw == null || raw.isEmpty()) return new Query(null, null);
    int n = raw.length();
    for (int start = 0; start <= n; ) {
      int end = raw.indexOf('&', start);
      if (end < 0) end = n;
      if (end > start) {
        int eq = raw.indexOf('=', start);
        if (eq < 0 || eq > end) eq = end;
        String k = part(raw, start, eq, end);
        boolean isTarget = k.equals("target");
        if (isTarget || k.equals("module")) {
          if (isTarget ? target != null : module != null) {
            throw new IllegalArgumentException(
                "Malformed query: parameter '" + k + "' given more than once");
          }
          String v = eq == end ? "" : part(raw, eq + 1, end, end);
          if (isTarget) target = v;
          else module = v;
        } else if (eq < end) {
          part(raw, eq + 1, end, end); // checks its escapes
        }
      }
      start = end + 1;
    }
    return new Query(target, module);
  }

  /**
   * {@code raw[from, to)} decoded; its pair {@code raw[..., pairEnd)} named in the error when it is
   * not URL-encoded correctly.
   */
  private static String part(String raw, int from, int to, int pairEnd) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      char c = raw.charAt(i);
      plain = c != '%' && c != '+';
    }
    if (plain) return raw.substring(from, to);
    try {
      return URLDecoder.decode(raw.substring(from, to), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      int pairStart = raw.lastIndexOf('&', from - 1) + 1;
      throw new IllegalArgumentException(
          "Malformed query: '"
              + raw.substring(pairStart, pairEnd)
              + "' is not URL-encoded correctly");
    }
  }
}
