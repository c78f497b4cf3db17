package org.icmpecho.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;

/**
 * What the commands need of the engine: asynchronous echoes and an early permission check. The real one is an
 * {@link IcmpClient}; tests substitute scripted answers.
 */
interface Prober extends AutoCloseable {

  /** Sends one echo; {@code onDuplicate} (may be null) hears further replies to it. */
  CompletableFuture<EchoResult> echo(EchoRequest request, Consumer<EchoResult.Reply> onDuplicate);

  /**
   * Sends one echo to {@code target} with the other settings of {@code template}, no duplicate listener: what a
   * sweep sends to each of many targets, without a request object per echo.
   */
  default CompletableFuture<EchoResult> echo(InetAddress target, EchoRequest template) {
    return echo(template.withTarget(target), null);
  }

  /**
   * Opens the family's socket now, so that a missing privilege is reported before any output.
   *
   * @throws org.icmpecho.IcmpPermissionException when neither ping sockets nor raw sockets are allowed
   */
  void open(StandardProtocolFamily family) throws IOException, InterruptedException;

  @Override
  void close();

  /** How a command wants its engine: namespace, socket kind, in-flight bound, sockets (I/O loops) per family. */
  record Options(String networkNamespace, SocketMode socketMode, int maxInFlight, int socketsPerFamily) {}

  /** Makes the prober of one command run. */
  @FunctionalInterface
  interface Factory {
    Prober open(Options options);
  }

  /** The real prober: one {@link IcmpClient} whose futures complete directly on its I/O thread. */
  static Prober icmp(Options o) {
    // The commands only queue the outcome and wake their own thread in their callbacks, so running them on the
    // engine's thread is cheap and spares a thread hop per answer; they never call back into the client there.
    IcmpClient.Builder b =
        IcmpClient.newBuilder().callbackExecutor(Runnable::run).maxInFlight(o.maxInFlight()).socketMode(o.socketMode())
            .socketsPerFamily(o.socketsPerFamily());
    if (o.networkNamespace() != null) b.networkNamespace(o.networkNamespace());
    IcmpClient client = b.build();
    return new Prober() {
      @Override
      public CompletableFuture<EchoResult> echo(EchoRequest request, Consumer<EchoResult.Reply> onDuplicate) {
        return onDuplicate == null ? client.echoAsync(request) : client.echoAsync(request, onDuplicate);
      }

      @Override
      public CompletableFuture<EchoResult> echo(InetAddress target, EchoRequest template) {
        return client.echoAsync(target, template);
      }

      @Override
      public void open(StandardProtocolFamily family) throws IOException, InterruptedException {
        client.socketMode(family);
      }

      @Override
      public void close() {
        client.close();
      }
    };
  }
}
