package org.icmpecho;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.icmpecho.internal.Engine;
import org.icmpecho.internal.EngineConfig;
import org.icmpecho.internal.InternalAccess;

/**
 * An ICMP echo ("ping") client: one socket per address family, one I/O thread, any number of echoes
 * in flight. Build one per application and share it; it is safe for concurrent use by any number of
 * threads.
 *
 * <pre>{@code
 * try (IcmpClient client = IcmpClient.create()) {
 *   EchoResult r = client.echo(EchoRequest.of(InetAddress.getByName("127.0.0.1")));
 *   System.out.println(r.status() + " " + r);
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A platform thread named {@code icmpecho-io} owns the sockets; it never runs
 * user code. Futures returned by {@link #echoAsync} are completed, and duplicate listeners called,
 * on the {@linkplain Builder#callbackExecutor callback executor} (by default one completion thread
 * per I/O thread, {@code icmpecho-callback}, fed batches of outcomes), so dependent stages never
 * run on the I/O thread. A blocking {@link #echo} may send and read on the calling thread itself
 * while the I/O thread sleeps, saving two thread hand-offs.
 *
 * <p><b>Sockets.</b> They are opened lazily, on the first echo of each family, in the {@linkplain
 * Builder#socketMode mode} asked for; {@link #socketMode(StandardProtocolFamily)} opens one eagerly
 * and says which kind it got. A permission failure completes the echo's future with an {@link
 * IcmpPermissionException}.
 *
 * <p><b>Close.</b> {@link #close()} completes every pending echo exceptionally with an {@link
 * IcmpException} ("client closed"), stops the I/O thread and closes the sockets. Later echoes fail
 * the same way.
 */
public final class IcmpClient implements AutoCloseable {
  static {
    InternalAccess.setConfigurer(
        (builder, change) -> builder.config = change.apply(builder.config));
    InternalAccess.setEngineAccess(client -> client.engine);
  }

  private final EngineConfig config;
  private final Engine engine;

  private IcmpClient(EngineConfig config) {
    this.config = config;
    this.engine = new Engine(config);
  }

  /** A client with the defaults: {@link SocketMode#AUTO}, the process's network namespace. */
  public static IcmpClient create() {
    return newBuilder().build();
  }

  /** A builder with the defaults. */
  public static Builder newBuilder() {
    return new Builder(EngineConfig.defaults());
  }

  /**
   * A builder starting from this client's configuration (a new client gets its own engine and
   * sockets).
   */
  public Builder toBuilder() {
    return new Builder(config);
  }

  /**
   * Sends one echo and returns a future of its outcome. Argument errors were already caught by
   * {@link EchoRequest}; a system failure (no permission, namespace gone, client closed) completes
   * the future exceptionally with an {@link IcmpException}; {@code future.cancel(...)} withdraws
   * the echo.
   */
  public CompletableFuture<EchoResult> echoAsync(EchoRequest request) {
    return engine.submit(Objects.requireNonNull(request, "request"), null);
  }

  /**
   * As {@link #echoAsync(EchoRequest)}, and calls {@code onDuplicate} (on the callback executor)
   * for each further echo reply to the same request that arrives after the first, within the
   * request's timeout after the answer.
   */
  public CompletableFuture<EchoResult> echoAsync(
      EchoRequest request, Consumer<? super EchoResult.Reply> onDuplicate) {
    return engine.submit(
        Objects.requireNonNull(request, "request"),
        Objects.requireNonNull(onDuplicate, "onDuplicate"));
  }

  /**
   * Sends one echo to {@code target} with every other setting of {@code template} (whose own target
   * is ignored), as {@code echoAsync(template.withTarget(target))} would, but without a request
   * object per echo while it is in flight: for sweeps and scanners with many targets and one set of
   * options, an echo in flight then costs the engine's 64-byte future and the address. The result's
   * {@link EchoResult#request()} is made with the result.
   *
   * <p>With several sockets per family, echoes to one target normally leave from the same socket
   * (one ICMP identifier). Template echoes are the exception once that socket's I/O thread has a
   * backlog: they go to the least busy thread, so that the threads share a sweep by how fast each
   * drains.
   *
   * @throws IllegalArgumentException if the template's settings do not fit the target's family
   *     (payload size, source address)
   */
  public CompletableFuture<EchoResult> echoAsync(InetAddress target, EchoRequest template) {
    return engine.submit(
        Objects.requireNonNull(target, "target"), Objects.requireNonNull(template, "template"));
  }

  /**
   * Starts a schedule of echoes (see {@link PingSchedule}) on this client's I/O thread and returns
   * its handle. The schedule ends by itself when every target had its echoes, at its deadline, or
   * by {@link PingSchedule#close()}; closing the client ends it too ({@link PingSchedule#done()}
   * then fails with an {@link IcmpException}).
   *
   * @throws IllegalStateException if the builder has no listener
   */
  public PingSchedule schedule(PingSchedule.Builder schedule) {
    return new PingSchedule(engine.schedule(Objects.requireNonNull(schedule, "schedule").spec()));
  }

  /**
   * Sends one echo and waits for its outcome.
   *
   * <p>On a platform thread, with ping sockets available and no source or interface asked for, the
   * echo runs on the calling thread from start to end, on a ping socket of that thread's own (up to
   * 16 threads per client; system property {@code icmpecho.callerSockets}): no hand-off to the I/O
   * thread, two system calls per round trip on loopback. Otherwise it goes through the client's
   * shared sockets. Results and counters are the same either way.
   *
   * @throws IcmpException on a system failure (see {@link #echoAsync(EchoRequest)})
   * @throws InterruptedException if interrupted while waiting (the echo is withdrawn), or already
   *     interrupted when called (nothing is sent)
   */
  public EchoResult echo(EchoRequest request) throws IOException, InterruptedException {
    try {
      return engine.await(Objects.requireNonNull(request, "request"));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) throw io;
      if (c instanceof RuntimeException re) throw re;
      if (c instanceof Error err) throw err;
      throw new IcmpException("echo failed", c);
    }
  }

  /** Sends one echo with the default payload and timeout and waits for its outcome. */
  public EchoResult echo(InetAddress target) throws IOException, InterruptedException {
    return echo(EchoRequest.of(target));
  }

  /**
   * Opens the default socket of {@code family} if it is not open yet and tells which kind it is
   * ({@link SocketMode#DATAGRAM} or {@link SocketMode#RAW}).
   *
   * @throws IcmpPermissionException if neither kind may be opened
   * @throws IcmpUnsupportedException if the family is not available (e.g. IPv6 disabled)
   */
  public SocketMode socketMode(StandardProtocolFamily family)
      throws IOException, InterruptedException {
    return engine.openDefaultSocket(Objects.requireNonNull(family, "family"));
  }

  /** A snapshot of this client's counters. */
  public ClientStats stats() {
    return engine.stats();
  }

  /**
   * Stops the client: pending echoes complete exceptionally with an {@link IcmpException} ("client
   * closed"), the I/O thread ends and the sockets close. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  @Override
  public String toString() {
    return "IcmpClient[" + config + ", " + engine + "]";
  }

  /** Configures an {@link IcmpClient}; not thread-safe. */
  public static final class Builder {
    private EngineConfig config;

    private Builder(EngineConfig config) {
      this.config = config;
    }

    /**
     * Which sockets to use; default {@link SocketMode#AUTO} (ping socket first, raw socket as the
     * fallback).
     */
    public Builder socketMode(SocketMode mode) {
      config = config.withSocketMode(Objects.requireNonNull(mode, "mode"));
      return this;
    }

    /**
     * Opens the client's sockets inside the named network namespace ({@code /var/run/netns/NAME},
     * as made by {@code ip netns add}). The I/O thread enters it with {@code setns}, which needs
     * {@code CAP_SYS_ADMIN}; the rest of the process stays where it is.
     */
    public Builder networkNamespace(String name) {
      config = config.withNetworkNamespace(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * The most echoes in flight at once (default 1,048,576); beyond it an echo fails at once with
     * {@link IcmpSaturatedException} (the future of {@code echoAsync}, or thrown by {@code echo}).
     */
    public Builder maxInFlight(int max) {
      if (max < 1) throw new IllegalArgumentException("maxInFlight " + max + " < 1");
      config = config.withMaxInFlight(max);
      return this;
    }

    /**
     * Sockets per family for the default (no source, no interface) traffic, 1 by default. More
     * sockets let a large window use more of the kernel: with 2 the engine uses two I/O threads. An
     * echo goes to the socket of its target (by address), so one target's echoes share one ICMP
     * identifier; template echoes ({@link IcmpClient#echoAsync(java.net.InetAddress, EchoRequest)})
     * go to the least busy socket when their own is backed up. {@link IcmpClient#socketMode} opens
     * all of them.
     */
    public Builder socketsPerFamily(int n) {
      if (n < 1 || n > 64)
        throw new IllegalArgumentException("socketsPerFamily " + n + " not in 1..64");
      config = config.withSocketsPerFamily(n);
      return this;
    }

    /**
     * Where futures complete and duplicate listeners run (default: one completion thread per I/O
     * thread).
     */
    public Builder callbackExecutor(Executor executor) {
      config = config.withCallbackExecutor(Objects.requireNonNull(executor, "executor"));
      return this;
    }

    /**
     * {@code SO_RCVBUF} of each socket in bytes (default 4 MiB; as root, {@code SO_RCVBUFFORCE} is
     * used).
     */
    public Builder receiveBufferSize(int bytes) {
      if (bytes < 4096)
        throw new IllegalArgumentException("receiveBufferSize " + bytes + " < 4096");
      config = config.withReceiveBufferSize(bytes);
      return this;
    }

    /**
     * How long after an answer further replies still count as duplicates rather than foreign
     * (default 10 s).
     */
    public Builder duplicateWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) throw new IllegalArgumentException("duplicateWindow is negative");
      config = config.withDuplicateWindow(window);
      return this;
    }

    /** A new client with this configuration (its sockets open at the first echo of each family). */
    public IcmpClient build() {
      return new IcmpClient(config);
    }
  }
}
