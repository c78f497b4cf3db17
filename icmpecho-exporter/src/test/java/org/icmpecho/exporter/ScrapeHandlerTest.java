package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.icmpecho.leakguard.LeakGuard;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} over HTTP: each format Prometheus negotiates is one whole page (the client's
 * metrics and the exporter's own smokeping series, every family once), gzip when asked, the {@code
 * name[]} filter, HEAD.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "the JDK caches a temporary direct buffer per carrier thread for socket writes (sun.nio.ch.Util), "
            + "as large as the largest HTTP write so far; the exporter's HTTP server and the test's client both write")
class ScrapeHandlerTest {
  /** What Prometheus 2.x and 3.x send by default. */
  private static final String PROMETHEUS_ACCEPT =
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
          + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private static final String PROTOBUF =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  @Test
  void openMetricsGzippedIsOnePageWithEveryFamilyOnce() throws Exception {
    try (Running r = Running.start("-i", "100ms", "127.0.0.1", "::1")) {
      r.awaitAtLeast("/metrics", "smokeping_requests_total{host=\"::1\",ip=\"::1\"}", 2);
      HttpResponse<byte[]> res =
          r.get("/metrics", "Accept", PROMETHEUS_ACCEPT, "Accept-Encoding", "gzip");
      assertEquals(200, res.statusCode());
      assertEquals("gzip", res.headers().firstValue("Content-Encoding").orElse(""));
      assertTrue(
          res.headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/openmetrics-text"),
          res.headers().toString());
      String page =
          new String(
              new GZIPInputStream(new ByteArrayInputStream(res.body())).readAllBytes(),
              StandardCharsets.UTF_8);
      assertTrue(page.endsWith("\n# EOF\n"), page);
      assertEquals(1, page.split("# EOF", -1).length - 1, page);
      Map<String, Long> types =
          page.lines()
              .filter(l -> l.startsWith("# TYPE "))
              .map(l -> l.split(" ", -1)[2])
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertTrue(types.values().stream().allMatch(c -> c == 1), types.toString());
      for (String f :
          List.of(
              "smokeping_requests",
              "smokeping_response_duration_seconds",
              "smokeping_response_duplicates",
              "smokeping_response_ttl",
              "icmpecho_responses",
              "icmpecho_engine_sent",
              "jvm_memory_used_bytes",
              "smokeping_prober_config_last_reload_successful"))
        assertTrue(types.containsKey(f), f + " in " + types);
      assertTrue(
          page.contains(
              "smokeping_response_duration_seconds_bucket{host=\"127.0.0.1\",ip=\"127.0.0.1\",le=\"+Inf\"} "),
          page);
    }
  }

  @Test
  void protobufIsOneFamilyPerNameWithEveryTarget() throws Exception {
    try (Running r = Running.start("-i", "100ms", "127.0.0.1", "::1")) {
      r.awaitAtLeast("/metrics", "smokeping_requests_total{host=\"::1\",ip=\"::1\"}", 2);
      HttpResponse<byte[]> res = r.get("/metrics", "Accept", PROTOBUF);
      assertTrue(
          res.headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/vnd.google.protobuf"),
          res.headers().toString());
      List<Metrics.MetricFamily> families = SmokepingExpositionTest.families(res.body());
      Set<String> names = new HashSet<>();
      for (Metrics.MetricFamily f : families) assertTrue(names.add(f.getName()), f.getName());
      Metrics.MetricFamily durations =
          families.stream()
              .filter(f -> f.getName().equals("smokeping_response_duration_seconds"))
              .findFirst()
              .orElseThrow();
      assertEquals(Metrics.MetricType.HISTOGRAM, durations.getType());
      assertEquals(2, durations.getMetricCount());
      assertTrue(durations.getMetric(0).getHistogram().getSampleCount() >= 1, durations.toString());
      assertTrue(names.contains("jvm_memory_used_bytes"), names.toString());
    }
  }

  @Test
  void theNameFilterKeepsTheNamedFamiliesOnlyAndHeadHasNoBody() throws Exception {
    try (Running r = Running.start("-i", "100ms", "127.0.0.1")) {
      String page =
          r.get("/metrics?name[]=smokeping_response_ttl&name%5B%5D=icmpecho_targets").body();
      Set<String> types =
          page.lines()
              .filter(l -> l.startsWith("# TYPE "))
              .map(l -> l.split(" ", -1)[2])
              .collect(Collectors.toSet());
      assertEquals(Set.of("smokeping_response_ttl", "icmpecho_targets"), types, page);
      assertThrows(IllegalArgumentException.class, () -> ScrapeHandler.names("name[]=%zz")); // 400
      HttpResponse<String> head =
          r.http.send(
              HttpRequest.newBuilder(URI.create(r.base() + "/metrics"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());
      assertTrue(head.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }
  }
}
