package org.icmpecho.internal;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpSaturatedException;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.linux.LinuxTransport;
import org.icmpecho.internal.transport.TransportException;

/**
 * The engine behind an {@code IcmpClient}: one or more {@link IoThread}s (one per {@code
 * socketsPerFamily}), each a platform thread owning its sockets, and a {@link CallerLoop} per
 * platform thread that blocks in {@code echo()} (handed out by {@link CallerLoops}). A target
 * always goes to the same I/O thread, so its echoes share a socket. The loops call nothing back:
 * what they share with the engine is its {@link Admission}.
 */
public final class Engine {

  private final EngineConfig config;
  private final IoThread[] loops;
  private final Admission admission = new Admission();
  private final AtomicLong outstanding = admission.outstanding;
  private volatile boolean closed;

  public Engine(EngineConfig config) {
    if (config.transportFactory() == null)
      config = config.withTransportFactory(LinuxTransport.INSTANCE);
    this.config = config;
    this.cookie = new SecureRandom().nextInt();
    loops = new IoThread[config.socketsPerFamily()];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new IoThread(config, i, cookie, admission);
    }
    callerLoops =
        new CallerLoops(
            config, cookie, outstanding, v6 -> onLoop(loops[0], () -> loops[0].openForCaller(v6)));
    for (IoThread l : loops) l.thread.start();
  }

  public CompletableFuture<EchoResult> submit(
      EchoRequest request, Consumer<? super EchoResult.Reply> onDuplicate) {
    return submit(
        onDuplicate != null ? new Probe.Listened(request, onDuplicate) : new Probe(request, false));
  }

  /**
   * An echo to {@code target} with the settings of {@code template} (whose own target is ignored):
   * no request object per echo while it is in flight. A template of the other family is applied
   * through {@link EchoRequest#withTarget}, which checks its limits for this target's family.
   */
  public CompletableFuture<EchoResult> submit(InetAddress target, EchoRequest template) {
    if ((target instanceof java.net.Inet6Address) != template.isIpv6()) {
      // throws IllegalArgumentException when the settings do not fit the family
      return submit(new Probe(template.withTarget(target), false));
    }
    return submit(
        target instanceof java.net.Inet4Address
            ? new Probe.Templated4(template, target.hashCode())
            : new Probe.Templated(template, target));
  }

  /**
   * Sends an echo and blocks for its outcome. A platform thread runs it on a socket of its own
   * ({@link CallerLoop#run}: no other thread involved). Otherwise the future stays inside the
   * engine, so the I/O thread completes it directly; the caller spins briefly before parking
   * because a loopback or LAN answer often arrives within microseconds, far sooner than a
   * park/unpark round trip.
   */
  public EchoResult await(EchoRequest request) throws InterruptedException, ExecutionException {
    // As every blocking JDK call does: a pending interrupt is answered before anything is sent,
    // whether or not this echo would have had to wait.
    if (Thread.interrupted()) throw new InterruptedException();
    CallerLoop own = callerLoop(request);
    if (own != null) {
      if (outstanding.incrementAndGet() <= config.maxInFlight()) {
        Probe p = new Probe(request, true);
        if (own.run(p)) return p.get(); // done: run returns with an outcome or throws
      }
      // Over the bound, or closed meanwhile: the shared path fails or sends it.
      outstanding.decrementAndGet();
    }
    CompletableFuture<EchoResult> f = submitDirect(request);
    long spinUntil = System.nanoTime() + IoThread.SPIN_NANOS;
    while (!f.isDone() && System.nanoTime() - spinUntil < 0) {
      Thread.onSpinWait();
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(false);
      throw e;
    }
  }

  // ---------------------------------------------------------------- caller sockets

  /** The client's payload cookie, shared by its I/O loops and caller loops. */
  private final int cookie;

  private final CallerLoops callerLoops;

  /**
   * The calling thread's own loop for a blocking echo of {@code r}; null when the echo must take
   * the shared path: virtual threads (a blocking poll would pin their carrier, and there may be
   * millions of them), a bound source or interface, raw sockets, a fake transport, or all caller
   * sockets taken.
   */
  private CallerLoop callerLoop(EchoRequest r) throws InterruptedException {
    if (config.callerSockets() <= 0
        || !config.transportFactory().callerSockets()
        || closed
        || admission.failure() != null
        || r.source() != null
        || r.interfaceName() != null
        || Thread.currentThread().isVirtual()) {
      return null;
    }
    return callerLoops.get(r);
  }

  /** Caller sockets open now (for the test lab). */
  public int callerSocketCount() {
    return callerLoops.socketCount();
  }

  /** Work for the first I/O thread. */
  @FunctionalInterface
  private interface LoopTask<T> {
    T run() throws TransportException;
  }

  /**
   * Queues {@code task} for {@code loop}'s thread; on a loop that has ended it fails with the
   * client's failure.
   */
  private <T> CompletableFuture<T> onLoop(IoThread loop, LoopTask<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            if (loop.terminated)
              throw failureOrClosed(); // run by the shutdown drain: sockets and poller are gone
            result.complete(task.run());
          } catch (TransportException | IcmpException | RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    if (loop.terminated)
      result.completeExceptionally(failureOrClosed()); // it may have drained its tasks already
    return result;
  }

  /** The outcome of a task on an I/O thread; waits up to 30 s. */
  static <T> T await(CompletableFuture<T> result) throws IcmpException, InterruptedException {
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException te) throw Failures.toPublic(te);
      if (e.getCause() instanceof IcmpException ie) throw ie;
      throw new IcmpException("cannot open a socket", e.getCause());
    } catch (TimeoutException e) {
      throw new IcmpException("the I/O thread did not answer within 30 s", e);
    }
  }

  /**
   * A blocking echo: run by the caller itself when its loop is idle, else queued like any other.
   */
  private CompletableFuture<EchoResult> submitDirect(EchoRequest request) {
    if (admission.failure() != null || outstanding.incrementAndGet() > config.maxInFlight()) {
      if (admission.failure() == null) outstanding.decrementAndGet();
      return submit(new Probe(request, true)); // fails it with the right exception
    }
    Probe p = new Probe(request, true);
    if (config.submitted() != null) config.submitted().accept(request);
    IoThread loop = loopFor(p);
    if (!loop.tryRunDirect(p)) loop.submit(p);
    return p;
  }

  private CompletableFuture<EchoResult> submit(Probe p) {
    IcmpException f = admission.failure();
    if (f != null) {
      p.completeExceptionally(f);
      return p;
    }
    if (outstanding.incrementAndGet() > config.maxInFlight()) {
      outstanding.decrementAndGet();
      p.completeExceptionally(
          new IcmpSaturatedException(
              "more than "
                  + config.maxInFlight()
                  + " echoes in flight (IcmpClient.Builder.maxInFlight)"));
      return p;
    }
    if (config.submitted() != null) config.submitted().accept(p.request());
    loopFor(p).submit(p);
    return p;
  }

  /**
   * Starts a schedule on one of the loops (its home: it sends from there, its outcomes are reported
   * from there).
   */
  public ScheduleRun schedule(ScheduleRun.Spec spec) {
    IoThread home = loops[Math.floorMod(nextHome++, loops.length)];
    ScheduleRun run = new ScheduleRun(spec, this, home);
    if (admission.failure() != null || closed) run.failEarly(failureOrClosed());
    else run.start();
    return run;
  }

  /** Spreads schedules over the loops; a race only changes which loop gets one. */
  private int nextHome;

  /**
   * An echo of a schedule, sent from its home loop; a refusal fails it at once (see {@link
   * Probe.Scheduled}).
   */
  void submitScheduled(Probe.Scheduled p) {
    var _ = submit(p); // the schedule follows its echo itself
  }

  /**
   * Why the engine takes no more work: its failure (set before a loop reads as terminated), or
   * "client closed".
   */
  IcmpException failureOrClosed() {
    IcmpException f = admission.failure();
    return f != null ? f : Failures.clientClosed();
  }

  /** A template echo's own loop has this many queued before the echo may go to a less busy loop. */
  private static final int SPILL_BACKLOG = 64;

  private IoThread loopFor(Probe p) {
    if (loops.length == 1) return loops[0];
    IoThread home = loops[Math.floorMod(p.targetHash(), loops.length)];
    // An echo goes to its target's loop, so that one target's echoes leave from one socket (one
    // ICMP identifier, one path through ECMP hashing and firewalls' state). A template echo (a
    // sweep's: many targets, queued faster than sent) goes to the least busy loop once its own has
    // a backlog: the loops then split the sweep by how fast each really drains (one may share its
    // core with the JIT compiler or the caller for a while), instead of one idling at the end while
    // the other still has thousands queued. Measured: see ENGINE-NOTES §9.
    if (!p.fromTemplate() || home.backlog.get() < SPILL_BACKLOG) return home;
    IoThread best = home;
    for (IoThread l : loops) {
      if (l.backlog.get() < best.backlog.get()) best = l;
    }
    return best;
  }

  /**
   * Opens the default socket of {@code family} on every I/O loop and reports the mode (the first
   * loop's).
   */
  public SocketMode openDefaultSocket(StandardProtocolFamily family)
      throws IcmpException, InterruptedException {
    boolean v6 = family == StandardProtocolFamily.INET6;
    if (family == StandardProtocolFamily.UNIX)
      throw new IllegalArgumentException("not an IP family: " + family);
    IcmpException f = admission.failure();
    if (f != null) throw f;
    // Every I/O thread opens its socket now, all at once: a socket opened by its first echo would
    // cost that echo (and a sweep's first answers) the socket's set-up, and a missing privilege is
    // reported here, before any output.
    List<CompletableFuture<SocketMode>> opened = new ArrayList<>(loops.length);
    for (IoThread l : loops) opened.add(onLoop(l, () -> Failures.mode(l.openDefault(v6))));
    SocketMode mode = null;
    for (CompletableFuture<SocketMode> o : opened) {
      SocketMode m = await(o);
      if (mode == null) mode = m;
    }
    return mode;
  }

  public ClientStats stats() {
    long[] sum = new long[12];
    for (IoThread l : loops) {
      ClientStats s;
      if (l.terminated) {
        s = l.snapshot();
      } else {
        CompletableFuture<ClientStats> f = new CompletableFuture<>();
        l.execute(() -> f.complete(l.snapshot()));
        try {
          s = f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          s = l.snapshot();
        } catch (ExecutionException | TimeoutException e) {
          s = l.snapshot(); // the loop ended meanwhile: its fields are final now
        }
      }
      addCounts(sum, s);
    }
    callerLoops.addCounts(sum);
    return new ClientStats(
        sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9], sum[10],
        sum[11]);
  }

  static void addCounts(long[] sum, ClientStats s) {
    long[] v = {
      s.sent(),
      s.replies(),
      s.errors(),
      s.timeouts(),
      s.sendFailures(),
      s.duplicates(),
      s.late(),
      s.foreign(),
      s.corrupted(),
      s.badChecksum(),
      s.inFlight(),
      s.receiveDrops()
    };
    for (int i = 0; i < v.length; i++) sum[i] += v[i];
  }

  /**
   * Stops every loop and waits (up to 10 s) for them to fail what was pending and close their
   * sockets.
   */
  public void close() {
    if (closed) return;
    closed = true;
    callerLoops.close();
    for (IoThread l : loops) l.stop();
    for (IoThread l : loops) {
      if (l.thread == Thread.currentThread()) continue;
      try {
        l.thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (IoThread l : loops) sb.append(sb.isEmpty() ? "" : "; ").append(l);
    return sb.toString();
  }
}
