package org.icmpecho.exporter;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper process: serves one file as {@code /metrics} on {@code 127.0.0.1:PORT} (for a
 * Prometheus relabel run).
 */
public final class StaticMetrics {
  private StaticMetrics() {}

  public static void main(String[] args) throws Exception {
    byte[] body = Files.readAllBytes(Path.of(args[0]));
    HttpServer s =
        HttpServer.create(
            new InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])),
            16);
    s.createContext(
        "/metrics",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          try (var out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    s.start();
  }
}
