package org.icmpecho.winapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.SocketMode;

/**
 * A completion source that completes nothing by itself: tests complete each submitted future by
 * hand.
 */
final class FakeEchoService implements EchoService, AutoCloseable {
  record Submitted(EchoRequest request, CompletableFuture<EchoResult> future) {}

  final List<Submitted> submitted = new CopyOnWriteArrayList<>();
  volatile IOException socketFailure;
  volatile RuntimeException submitFailure;
  volatile java.util.function.Function<EchoRequest, EchoResult> autoReply;

  FakeEchoService() {
    EchoService.override(this);
  }

  @Override
  public CompletableFuture<EchoResult> submit(EchoRequest request) {
    if (submitFailure != null) throw submitFailure;
    CompletableFuture<EchoResult> f = new CompletableFuture<>();
    submitted.add(new Submitted(request, f));
    if (autoReply != null) f.complete(autoReply.apply(request));
    return f;
  }

  @Override
  public SocketMode socketMode(StandardProtocolFamily family) throws IOException {
    if (socketFailure != null) throw socketFailure;
    return SocketMode.RAW;
  }

  Submitted last() {
    return submitted.get(submitted.size() - 1);
  }

  @Override
  public void close() {
    EchoService.override(null);
  }
}
