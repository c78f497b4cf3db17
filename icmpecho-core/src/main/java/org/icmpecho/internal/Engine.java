package org.icmpecho.internal;

import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.SocketMode;

/** TEMPORARY placeholder while the engine is written; replaced in the same session. */
public final class Engine {
  public Engine(EngineConfig config) {}

  public CompletableFuture<EchoResult> submit(EchoRequest r, Consumer<? super EchoResult.Reply> dup) {
    throw new UnsupportedOperationException("engine not written yet");
  }

  public SocketMode openDefaultSocket(StandardProtocolFamily f) {
    throw new UnsupportedOperationException("engine not written yet");
  }

  public ClientStats stats() {
    return new ClientStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  public void close() {}
}
