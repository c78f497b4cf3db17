package org.icmpecho.exporter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.IcmpClient;
import picocli.CommandLine;

/**
 * An exporter started in-process from command-line arguments, listening on a free loopback port.
 */
final class Running implements AutoCloseable {
  final IcmpClient client;
  final Exporter exporter;
  final StringWriter log;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Running(IcmpClient client, Exporter exporter, StringWriter log) {
    this.client = client;
    this.exporter = exporter;
    this.log = log;
  }

  /** Starts with {@code args} (plus a loopback listen address); a config error is thrown as is. */
  static Running start(String... args) throws Exception {
    IcmpClient client = IcmpClient.create();
    return start(client, new ScheduleProber(client), args);
  }

  /** Starts on {@code client} (closed with the exporter) and {@code prober}. */
  static Running start(IcmpClient client, PeriodicProber prober, String... args) throws Exception {
    ExporterCommand cmd = new ExporterCommand();
    List<String> all = new ArrayList<>(List.of("--web.listen-address", "127.0.0.1:0"));
    all.addAll(List.of(args));
    new CommandLine(cmd).parseArgs(all.toArray(String[]::new));
    StringWriter log = new StringWriter();
    Exporter e =
        new Exporter(
            cmd.settings(), new Log(new PrintWriter(log), Log.Level.DEBUG, false), client, prober);
    Running r = new Running(client, e, log);
    try {
      e.start();
    } catch (Exception ex) {
      r.close();
      throw ex;
    }
    return r;
  }

  String base() {
    return "http://127.0.0.1:" + exporter.addresses().get(0).getPort();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET with request headers (name, value, ...), the body as bytes as they came. */
  HttpResponse<byte[]> get(String path, String... headers)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .headers(headers)
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample line starting with {@code prefix} in {@code text}, or NaN. */
  static double value(String text, String prefix) {
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(prefix + " "))
        return Double.parseDouble(line.substring(prefix.length() + 1).trim());
    }
    return Double.NaN;
  }

  /**
   * Waits until {@code path}'s sample {@code prefix} reaches {@code min}; returns the last body.
   */
  String awaitAtLeast(String path, String prefix, double min) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String body;
    do {
      body = get(path).body();
      if (value(body, prefix) >= min) return body;
      Thread.sleep(100);
    } while (System.nanoTime() < end);
    throw new AssertionError(prefix + " did not reach " + min + " in 20 s:\n" + body);
  }

  @Override
  public void close() {
    exporter.close();
    client.close();
    http.close();
  }
}
