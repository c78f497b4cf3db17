package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus}) on loopback in a namespace of the test's own,
 * scraping two exporter processes ({@code --shard 0/2} and {@code --shard 1/2}) over 1,000 loopback
 * targets: PromQL through its HTTP API shows every target exactly once with requests sent. In the
 * same run Prometheus' own {@code hashmod} relabelling of 10,000 host strings is compared with
 * {@link Hashmod}, {@code promtool check metrics} reads both endpoints' output, and SIGHUP reloads
 * a changed host file.
 */
@NetNs
class PrometheusShardingTest {
  private static final int TARGETS = 1000;
  private static final int HASH_STRINGS = 10_000;
  private static final int PROBE_TARGETS = 60;

  @TempDir Path dir;

  private final List<Process> processes = new ArrayList<>();

  @Test
  void twoShardsCoverEveryTargetOnceAndHashmodIsPrometheus(NetLab lab) throws Exception {
    for (String tool : List.of("/usr/bin/prometheus", "/usr/bin/promtool")) {
      if (!Files.isExecutable(Path.of(tool))) {
        fail(
            tool
                + " is missing: install Debian's 'prometheus' package (./run-tests does, as root)");
      }
    }
    Node ns = lab.namespace("prom");
    ns.pingGroupRange(true);
    try {
      run(ns);
    } finally {
      for (Process p : processes) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void run(Node ns) throws Exception {
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < TARGETS; i++) hosts.add("127.20." + (i / 250) + "." + (1 + i % 250));
    Files.write(dir.resolve("hosts.txt"), hosts);
    Files.writeString(
        dir.resolve("exporter.yml"), "targets:\n- files: [hosts.txt]\n  interval: 1s\n");
    List<String> strings = hashStrings();
    List<String> probeTargets = hosts.subList(0, PROBE_TARGETS);
    StringBuilder exposition = new StringBuilder("# TYPE hashmod_probe gauge\n");
    for (String s : strings) exposition.append("hashmod_probe{host=\"").append(s).append("\"} 1\n");
    Files.writeString(dir.resolve("strings.prom"), exposition);
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
        - job_name: smokeping
          scrape_interval: 2s        # a scrape of 500 targets' histograms can take over 1 s on a loaded machine
          scrape_timeout: 2s
          static_configs:
          - targets: ['127.0.0.1:9374', '127.0.0.1:9375']
        %s
        - job_name: strings
          static_configs:
          - targets: ['127.0.0.1:9376']
          metric_relabel_configs:
          - source_labels: [host]
            modulus: 2
            target_label: shard2
            action: hashmod
          - source_labels: [host]
            modulus: 7
            target_label: shard7
            action: hashmod
        """
            .formatted(blackboxJob(probeTargets, 0)));
    Files.writeString(
        dir.resolve("prometheus-b.yml"),
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
        %s
        """
            .formatted(blackboxJob(probeTargets, 1)));

    Process shard0 =
        java(
            ns,
            "org.icmpecho.exporter.ExporterCommand",
            "--config.file",
            dir.resolve("exporter.yml").toString(),
            "--shard",
            "0/2",
            "--web.listen-address",
            "127.0.0.1:9374");
    java(
        ns,
        "org.icmpecho.exporter.ExporterCommand",
        "--config.file",
        dir.resolve("exporter.yml").toString(),
        "--shard",
        "1/2",
        "--web.listen-address",
        "127.0.0.1:9375");
    java(ns, "org.icmpecho.exporter.StaticMetrics", dir.resolve("strings.prom").toString(), "9376");
    start(
        ns,
        "prometheus",
        List.of(
            "prometheus",
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:9090",
            "--log.level=warn"));
    start(
        ns,
        "prometheus-b",
        List.of(
            "prometheus",
            "--config.file=" + dir.resolve("prometheus-b.yml"),
            "--storage.tsdb.path=" + dir.resolve("tsdb-b"),
            "--web.listen-address=127.0.0.1:9091",
            "--log.level=warn"));

    // every target exactly once, with requests sent, split between the two exporters
    awaitQuery(ns, "count(smokeping_requests_total > 0)", TARGETS, 45);
    assertEquals(
        TARGETS, scalar(ns, "count(smokeping_requests_total)"), "series of both exporters");
    assertEquals(
        TARGETS, scalar(ns, "count(count by (host) (smokeping_requests_total))"), "distinct hosts");
    assertEquals(
        -1,
        scalar(ns, "count(count by (host) (smokeping_requests_total) > 1)"),
        "no host on both exporters");
    double onShard0 = scalar(ns, "count(smokeping_requests_total{instance=\"127.0.0.1:9374\"})");
    assertEquals(
        hosts.stream().filter(h -> Hashmod.of(h, 2) == 0).count(),
        (long) onShard0,
        "shard 0 keeps hashmod 0");
    assertTrue(onShard0 > 400 && onShard0 < 600, "a fair split: " + onShard0);

    // Prometheus' own hashmod of 10,000 strings equals ours, for two moduli
    awaitQuery(ns, "count(hashmod_probe)", HASH_STRINGS, 20);
    for (int m : new int[] {2, 7}) {
      Map<String, Integer> theirs = labels(query(ns, "hashmod_probe"), "shard" + m);
      assertEquals(HASH_STRINGS, theirs.size());
      int differ = 0;
      for (String s : strings) if (theirs.get(s) != Hashmod.of(s, m)) differ++;
      assertEquals(0, differ, "strings whose shard differs from Prometheus' hashmod modulo " + m);
    }

    // blackbox mode behind two Prometheus servers that split the targets with hashmod: no overlap,
    // nothing missing
    for (int k = 0; k < 2; k++) {
      int residue = k;
      List<String> mine =
          probeTargets.stream().filter(h -> Hashmod.of(h, 2) == residue).sorted().toList();
      awaitQuery(ns, 9090 + k, "count(probe_success == 1)", mine.size(), 20);
      Map<String, String> probed = labels(query(ns, 9090 + k, "probe_success"), "instance", "job");
      assertEquals(
          mine,
          probed.keySet().stream().sorted().toList(),
          "the targets Prometheus " + k + " probed");
    }

    // promtool check metrics on both kinds of output
    promtool(get(ns, 9374, "/metrics"));
    promtool(get(ns, 9375, "/metrics"));
    promtool(get(ns, 9374, "/probe?target=127.0.0.1"));

    // SIGHUP: a shorter host file, re-read by both; the 990 that stay keep their series
    Files.write(dir.resolve("hosts.txt"), hosts.subList(0, TARGETS - 10));
    for (Process p : processes.subList(0, 2))
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    int series;
    do {
      series = count(get(ns, 9374, "/metrics")) + count(get(ns, 9375, "/metrics"));
    } while (series != TARGETS - 10 && System.nanoTime() < deadline);
    assertEquals(TARGETS - 10, series, "series after SIGHUP");
    assertTrue(shard0.isAlive(), "the exporter lives on after SIGHUP");
  }

  /**
   * A blackbox-style job over {@code targets}, keeping those whose hashmod (modulus 2) of the
   * address is {@code residue}.
   */
  private static String blackboxJob(List<String> targets, int residue) {
    return """
        - job_name: blackbox
          metrics_path: /probe
          params: {module: [icmp]}
          static_configs:
          - targets: [%s]
          relabel_configs:
          - {source_labels: [__address__], modulus: 2, target_label: __tmp_hash, action: hashmod}
          - {source_labels: [__tmp_hash], regex: '%d', action: keep}
          - {source_labels: [__address__], target_label: __param_target}
          - {source_labels: [__param_target], target_label: instance}
          - {target_label: __address__, replacement: '127.0.0.1:9374'}
        """
        .formatted(String.join(", ", targets), residue)
        .strip();
  }

  /** 10,000 host strings of the shapes people use: names, IPv4, IPv6, ports, non-ASCII. */
  private static List<String> hashStrings() {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < HASH_STRINGS; i++) {
      out.add(
          switch (i % 5) {
            case 0 -> "host-" + i + ".example.org";
            case 1 -> "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            case 2 -> "2001:db8::" + Integer.toHexString(i);
            case 3 -> "router" + i + ":9374";
            default -> "hôte-" + i + "-ü";
          });
    }
    return out;
  }

  private static int count(String metrics) {
    int n = 0;
    for (String line : metrics.split("\n", -1))
      if (line.startsWith("smokeping_requests_total{")) n++;
    return n;
  }

  private Process java(Node ns, String mainClass, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    cmd.addAll(List.of(args));
    return start(
        ns, mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + processes.size(), cmd);
  }

  private Process start(Node ns, String name, List<String> argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    cmd.addAll(argv);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private void awaitQuery(Node ns, String promql, double want, int seconds) throws Exception {
    awaitQuery(ns, 9090, promql, want, seconds);
  }

  private void awaitQuery(Node ns, int port, String promql, double want, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    double got = Double.NaN;
    IOException error = null;
    do {
      try {
        got = scalar(ns, port, promql);
        if (got == want) return;
      } catch (IOException e) {
        error = e; // Prometheus still starting
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    fail(
        promql
            + " = "
            + got
            + " after "
            + seconds
            + " s, want "
            + want
            + (error == null ? "" : " (" + error.getMessage() + ")")
            + logs());
  }

  private String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (File f : dir.toFile().listFiles((d, n) -> n.endsWith(".log"))) {
      String text = Files.readString(f.toPath());
      sb.append("\n--- ")
          .append(f.getName())
          .append(":\n")
          .append(text, Math.max(0, text.length() - 3000), text.length());
    }
    return sb.toString();
  }

  /** The single value of an instant query, or -1 for an empty result. */
  private double scalar(Node ns, String promql) throws Exception {
    return scalar(ns, 9090, promql);
  }

  private double scalar(Node ns, int port, String promql) throws Exception {
    Matcher m =
        Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(query(ns, port, promql));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private String query(Node ns, String promql) throws Exception {
    return query(ns, 9090, promql);
  }

  private String query(Node ns, int port, String promql) throws Exception {
    String body =
        get(ns, port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (!body.startsWith("{\"status\":\"success\""))
      throw new IOException("query " + promql + ": " + body); // 503 while starting
    return body;
  }

  /** host label -> value of {@code label} of each series in a query's JSON answer. */
  private static Map<String, Integer> labels(String json, String label) {
    Map<String, Integer> out = new HashMap<>();
    labels(json, "host", label).forEach((k, v) -> out.put(k, Integer.parseInt(v)));
    return out;
  }

  /** {@code key} label -> {@code value} label of each series in a query's JSON answer. */
  private static Map<String, String> labels(String json, String key, String value) {
    Map<String, String> out = new HashMap<>();
    Matcher m = Pattern.compile("\"metric\":\\{([^}]*)\\}").matcher(json);
    while (m.find()) {
      Matcher k = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(m.group(1));
      Matcher v = Pattern.compile("\"" + value + "\":\"([^\"]*)\"").matcher(m.group(1));
      if (k.find() && v.find()) out.put(k.group(1), v.group(1));
    }
    return out;
  }

  /**
   * GET inside the namespace through bash's /dev/tcp (the test JVM is outside it); the body of the
   * answer.
   */
  private static String get(Node ns, int port, String pathAndQuery) throws Exception {
    String script =
        "exec 3<>/dev/tcp/127.0.0.1/"
            + port
            + " && printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' \"$1\" >&3 && cat <&3";
    Process p =
        new ProcessBuilder(
                "ip", "netns", "exec", ns.name(), "bash", "-c", script, "get", pathAndQuery)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    p.waitFor(30, TimeUnit.SECONDS);
    String text = new String(out, StandardCharsets.UTF_8);
    int body = text.indexOf("\r\n\r\n");
    if (p.exitValue() != 0 || body < 0 || !text.startsWith("HTTP/1.")) {
      throw new IOException(
          "GET :"
              + port
              + pathAndQuery
              + " failed: "
              + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)
              + text);
    }
    return text.substring(body + 4);
  }

  private static void promtool(String metrics) throws Exception {
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool timed out");
    assertEquals(
        0,
        p.exitValue(),
        "promtool check metrics: "
            + out
            + "\n"
            + metrics.substring(0, Math.min(2000, metrics.length())));
  }
}
