package org.icmpecho.exporter;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small responses for the JDK's HTTP server. */
final class Http {
  private Http() {}

  /** A plain-text answer of one line. */
  static void text(HttpExchange ex, int status, String line) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    send(ex, status, (line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    // The request's body read to its end here (nothing, for a GET) saves the server's close a new
    // 2 KB buffer to skip it with, per request.
    var _ = ex.getRequestBody().read();
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
