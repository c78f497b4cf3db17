package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmpecho.leakguard.LeakGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter over HTTP on loopback: smokeping series, /probe answers and refusals, health,
 * reload.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "the JDK caches a temporary direct buffer per carrier thread for socket writes (sun.nio.ch.Util), "
            + "as large as the largest HTTP write so far; the exporter's HTTP server and the test's client both write")
class ExporterHttpTest {
  private static final String REQ_1 =
      "smokeping_requests_total{host=\"127.0.0.1\",ip=\"127.0.0.1\"}";

  @Test
  void smokepingSeriesCountRequestsRepliesAndTtl() throws Exception {
    try (Running r = Running.start("-i", "100ms", "127.0.0.1", "localhost")) {
      String m = r.awaitAtLeast("/metrics", REQ_1, 5);
      assertTrue(
          Running.value(
                  m,
                  "smokeping_response_duration_seconds_count{host=\"127.0.0.1\",ip=\"127.0.0.1\"}")
              >= 3,
          m);
      assertEquals(
          64, Running.value(m, "smokeping_response_ttl{host=\"127.0.0.1\",ip=\"127.0.0.1\"}"));
      assertEquals(
          0,
          Running.value(
              m, "smokeping_response_duplicates_total{host=\"127.0.0.1\",ip=\"127.0.0.1\"}"));
      assertTrue(m.contains("smokeping_requests_total{host=\"localhost\",ip=\"127.0.0.1\"}"), m);
      assertTrue(
          m.contains(
                  "smokeping_response_duration_seconds_bucket{host=\"127.0.0.1\",ip=\"127.0.0.1\",le=\"5.0E-5\"}")
              || m.contains("le=\"5e-05\""),
          m);
      assertTrue(m.contains("le=\"26.2144\""), m);
      assertTrue(
          Running.value(
                  m,
                  "icmpecho_responses_total{host=\"127.0.0.1\",ip=\"127.0.0.1\",status=\"IP_SUCCESS\"}")
              >= 3,
          m);
      assertTrue(Running.value(m, "icmpecho_engine_sent_total") >= Running.value(m, REQ_1), m);
      assertTrue(m.contains("jvm_memory_used_bytes"), "JVM metrics: " + m);
      assertEquals(2, Running.value(m, "icmpecho_targets"));
    }
  }

  @Test
  void everyTargetOfABlockGetsOneEchoPerInterval() throws Exception {
    try (Running r =
        Running.start("-i", "200ms", "127.4.0.0/24")) { // 254 targets in 20 slots of the interval
      long start = System.nanoTime();
      String m = r.get("/metrics").body();
      for (long end = start + 20_000_000_000L;
          System.nanoTime() < end;
          m = r.get("/metrics").body()) {
        if (min(m, "smokeping_requests_total{") >= 3) break;
        Thread.sleep(100);
      }
      double elapsedIntervals = (System.nanoTime() - start) / 200e6;
      assertTrue(min(m, "smokeping_requests_total{") >= 3, "every target sent to: " + m);
      assertTrue(
          max(m, "smokeping_requests_total{") <= elapsedIntervals + 2,
          "no target more than once per interval: " + m);
      assertTrue(
          min(m, "smokeping_response_duration_seconds_count{") >= 2, "every target answered: " + m);
      assertEquals(254, Running.value(m, "icmpecho_targets"));
    }
  }

  private static double min(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .min()
        .orElse(Double.NaN);
  }

  private static double max(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .max()
        .orElse(Double.NaN);
  }

  @Test
  void probeAnswersAsBlackbox() throws Exception {
    try (Running r = Running.start("127.0.0.1")) {
      HttpResponse<String> p = r.get("/probe?target=127.0.0.1&module=icmp");
      assertEquals(200, p.statusCode(), p.body());
      String b = p.body();
      assertEquals(1, Running.value(b, "probe_success"), b);
      assertEquals(
          4, Running.value(b, "probe_ip_protocol"), b); // no IPv6 address: falls back to IPv4
      assertEquals(64, Running.value(b, "probe_icmp_reply_hop_limit"), b);
      assertEquals(
          BlackboxProbe.fnv32a(new byte[] {127, 0, 0, 1}),
          (long) Running.value(b, "probe_ip_addr_hash"),
          b);
      assertEquals(0, Running.value(b, "icmpecho_probe_status_code"), b);
      assertTrue(Running.value(b, "probe_icmp_duration_seconds{phase=\"rtt\"}") > 0, b);
      assertTrue(Running.value(b, "probe_duration_seconds") > 0, b);
      assertTrue(b.contains("probe_dns_lookup_time_seconds"), b);
      assertTrue(b.contains("probe_icmp_duration_seconds{phase=\"resolve\"}"), b);
      assertTrue(b.contains("probe_icmp_duration_seconds{phase=\"setup\"}"), b);
      String six =
          r.get("/probe?target=::1").body(); // no module: blackbox's defaults (ip6 preferred)
      assertEquals(1, Running.value(six, "probe_success"), six);
      assertEquals(6, Running.value(six, "probe_ip_protocol"), six);
      String bad = r.get("/probe?target=no-such-host.invalid").body();
      assertEquals(0, Running.value(bad, "probe_success"), bad);
      assertEquals(0, Running.value(bad, "probe_ip_protocol"), bad);
      assertEquals(11018, Running.value(bad, "icmpecho_probe_status_code"), bad);
    }
  }

  @Test
  void malformedQueriesGet400WithAMessage(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yml");
    Files.writeString(config, ConfigParserTest.BLACKBOX_EXAMPLE);
    try (Running r = Running.start("--config.file", config.toString())) {
      assertAnswer(r.get("/probe"), 400, "Target parameter is missing");
      assertAnswer(r.get("/probe?target=127.0.0.1&module=nope"), 400, "Unknown module \"nope\"");
      assertAnswer(
          r.get("/probe?target=127.0.0.1&module=http_2xx"),
          400,
          "uses prober \"http\"; icmpecho serves icmp only");
      assertAnswer(
          r.get("/probe?target=127.0.0.1&target=127.0.0.2"),
          400,
          "parameter 'target' given more than once");
      assertEquals(
          400,
          rawStatus(r, "/probe?target=127.0.0.1%zz"),
          "the JDK's server refuses a bad %-escape");
      HttpResponse<String> post = r.post("/probe?target=127.0.0.1");
      assertEquals(405, post.statusCode());
      assertFalse(post.body().contains("Exception"), post.body());
      HttpResponse<String> ttl5 = r.get("/probe?target=127.0.0.1&module=icmp_ttl5");
      assertEquals(1, Running.value(ttl5.body(), "probe_success"), ttl5.body());
    }
  }

  @Test
  void aTargetOutsideTheAllowListGets403AndNothingIsSent() throws Exception {
    try (Running r =
        Running.start(
            "--probe.allowed-targets", "127.0.0.1/32,::1/128", "--config.file", "/dev/null")) {
      long sent = r.client.stats().sent();
      assertAnswer(r.get("/probe?target=127.0.0.2"), 403, "is not in --probe.allowed-targets");
      assertAnswer(r.get("/probe?target=localhost&module=icmp"), 200, "probe_success");
      assertEquals(sent + 1, r.client.stats().sent(), "only the allowed probe was sent");
      assertTrue(
          r.log
              .toString()
              .contains(
                  "level=warn msg=\"Probe target outside --probe.allowed-targets\" target=127.0.0.2"),
          r.log.toString());
    }
  }

  @Test
  void aClientOverItsRateGets429() throws Exception {
    try (Running r = Running.start("--probe.rate-limit", "2", "127.0.0.1")) {
      int ok = 0, limited = 0;
      for (int i = 0; i < 6; i++) {
        int s = r.get("/probe?target=127.0.0.1").statusCode();
        if (s == 200) ok++;
        if (s == 429) limited++;
      }
      assertTrue(ok >= 2 && limited >= 2, ok + " answered, " + limited + " refused");
    }
  }

  @Test
  void healthReadinessAndLanding() throws Exception {
    try (Running r = Running.start("127.0.0.1")) {
      assertAnswer(r.get("/-/healthy"), 200, "Healthy");
      assertAnswer(r.get("/-/ready"), 200, "Ready");
      assertAnswer(r.get("/"), 200, "<a href=\"/metrics\">");
      assertEquals(404, r.get("/nothing-here").statusCode());
      assertEquals(405, r.get("/-/reload").statusCode());
    }
  }

  @Test
  void reloadKeepsCountersOfTargetsThatStayAndAFailedReloadKeepsTheOldConfig(@TempDir Path dir)
      throws Exception {
    Path config = dir.resolve("c.yml");
    Files.writeString(config, "targets:\n- hosts: [127.0.0.1, 127.0.0.2]\n  interval: 100ms\n");
    try (Running r = Running.start("--config.file", config.toString())) {
      String two = "smokeping_requests_total{host=\"127.0.0.2\",ip=\"127.0.0.2\"}";
      r.awaitAtLeast("/metrics", REQ_1, 5);
      Files.writeString(config, "targets:\n- hosts: [127.0.0.1, 127.0.0.3]\n  interval: 100ms\n");
      double before = Running.value(r.get("/metrics").body(), REQ_1);
      assertAnswer(r.post("/-/reload"), 200, "Reloaded");
      String after =
          r.awaitAtLeast(
              "/metrics", "smokeping_requests_total{host=\"127.0.0.3\",ip=\"127.0.0.3\"}", 1);
      assertTrue(Running.value(after, REQ_1) >= before, "127.0.0.1 kept its count: " + after);
      assertFalse(after.contains(two), "127.0.0.2 is gone: " + after);
      assertEquals(1, Running.value(after, "smokeping_prober_config_last_reload_successful"));

      Files.writeString(config, "targets:\n- hosts: [127.0.0.1]\n  interval: 1x\n");
      HttpResponse<String> failed = r.post("/-/reload");
      assertAnswer(
          failed,
          500,
          "failed to reload config: " + config + ":3: targets[0].interval: invalid duration '1x'");
      double still =
          Running.value(
              r.get("/metrics").body(),
              "smokeping_requests_total{host=\"127.0.0.3\",ip=\"127.0.0.3\"}");
      String later =
          r.awaitAtLeast(
              "/metrics",
              "smokeping_requests_total{host=\"127.0.0.3\",ip=\"127.0.0.3\"}",
              still + 3);
      assertEquals(0, Running.value(later, "smokeping_prober_config_last_reload_successful"));
      assertTrue(
          r.log.toString().contains("level=error msg=\"Error reloading config\""),
          r.log.toString());
    }
  }

  @Test
  void aBadConfigFailsTheStartWithItsLine(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yml");
    Files.writeString(config, "targets:\n- hosts: [127.0.0.1]\n  size: 5\n");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> Running.start("--config.file", config.toString()));
    assertEquals(config + ":3: targets[0].size: 5 is out of range 24..65507", e.getMessage());
    ConfigException none = assertThrows(ConfigException.class, () -> Running.start());
    assertEquals("no targets specified on command line or in config file", none.getMessage());
  }

  /** The status of a request the JDK's HTTP client would refuse to send. */
  private static int rawStatus(Running r, String pathAndQuery) throws Exception {
    try (java.net.Socket s =
        new java.net.Socket(
            java.net.InetAddress.getLoopbackAddress(), r.exporter.addresses().get(0).getPort())) {
      s.getOutputStream()
          .write(
              ("GET " + pathAndQuery + " HTTP/1.0\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String status =
          new String(
              s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  private static void assertAnswer(HttpResponse<String> r, int status, String text) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.body().contains(text), r.body());
    assertFalse(r.body().contains("at org."), "no stack trace: " + r.body());
  }
}
