package org.icmpecho.winapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.SocketMode;

/**
 * Passes every echo on to a real service and counts them, so that a test can tell nothing was sent.
 */
final class CountingService implements EchoService, AutoCloseable {
  final EchoService real;
  final AtomicInteger submitted = new AtomicInteger();

  CountingService(EchoService real) {
    this.real = real;
    EchoService.override(this);
  }

  /** Counts the echoes of the process-wide shared client. */
  static CountingService shared() {
    return new CountingService(EchoService.Shared.INSTANCE);
  }

  @Override
  public CompletableFuture<EchoResult> submit(EchoRequest request) {
    submitted.incrementAndGet();
    return real.submit(request);
  }

  @Override
  public SocketMode socketMode(StandardProtocolFamily family)
      throws IOException, InterruptedException {
    return real.socketMode(family);
  }

  @Override
  public void close() {
    EchoService.override(null);
  }
}
