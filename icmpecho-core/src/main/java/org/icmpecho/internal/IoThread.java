package org.icmpecho.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.IcmpException;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * One I/O thread: the owner of an {@link Exchange} (its sockets, in-flight table, timer heap and
 * counters). Callers hand probes over through a lock-free queue and wake the thread through the
 * poller only when it sleeps; while it sleeps, a blocking caller may borrow the loop for one echo
 * ({@link #tryRunDirect}, through the {@link OwnerToken}). The thread never runs user code:
 * outcomes leave in a batch once per turn.
 */
final class IoThread implements Runnable {
  private static final System.Logger LOG = System.getLogger("org.icmpecho");

  /**
   * How long a blocking caller, and an I/O thread that just had work, spin before they park (ns).
   * System property {@code icmpecho.spinNanos}; 0 turns spinning off (e.g. on a single busy core).
   */
  static final long SPIN_NANOS = Long.getLong("icmpecho.spinNanos", 20_000L);

  private static final int SUBMIT_BATCH = 1024;

  /**
   * Sends per call of {@link #startChunk}: the per-echo loop lives in a method called often
   * (ENGINE-NOTES §9).
   */
  private static final int START_CHUNK = 32;

  /** How long a full send buffer is given to drain before deferred echoes are sent again. */
  static final long DEFER_WAIT = 1_000_000L;

  /**
   * Sends since the loop last slept after which its sockets leave the poller until it next sleeps
   * ({@link InFlightTable#detach}); a shorter busy spell would pay two poller calls per socket for
   * little.
   */
  static final int DETACH_AFTER = 64;

  /** Receive buffer of a caller loop's socket: one echo at a time needs little. */
  private static final int CALLER_RECEIVE_BUFFER = 256 << 10;

  /**
   * Probes submitted and not yet taken off the queue; approximate (the thread subtracts once per
   * chunk), read by {@link Engine} to spread a sweep's template echoes over the loops by how fast
   * each drains. Counted only when there is another loop to choose ({@link #countsBacklog}: with
   * one, an atomic per echo for nothing).
   */
  final AtomicInteger backlog = new AtomicInteger();

  private final boolean countsBacklog;
  private final EngineConfig config;
  private final TransportFactory transport;
  private final Admission admission;
  private final Exchange exchange;

  /** The {@code PingSchedule}s this loop runs (I/O thread only). */
  private final Schedules schedules = new Schedules();

  private final OwnerToken owner = OwnerToken.heldByIoThread();
  final Thread thread;

  private final ProbeQueue queue = new ProbeQueue();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean sleeping;
  private final AtomicBoolean wakeRequested = new AtomicBoolean();
  private volatile boolean stopping;

  /** Set when the thread has ended; later submissions fail at once. */
  volatile boolean terminated;

  final CompletableFuture<Void> started = new CompletableFuture<>();

  /** The poller, once the thread made it (read by other threads to wake it). */
  private volatile Poller poller;

  /** When the loop last sent something (poller clock), for the spin decision. */
  private long lastBusy = Long.MIN_VALUE / 2;

  /**
   * Echoes sent since the loop last slept: a busy spell long enough to detach for ({@link
   * #DETACH_AFTER}).
   */
  private int busySent;

  IoThread(EngineConfig config, int index, int cookie, Admission admission) {
    this.config = config;
    this.transport = config.transportFactory();
    this.admission = admission;
    this.countsBacklog = config.socketsPerFamily() > 1;
    InFlightTable table =
        new InFlightTable(
            transport, Failures.kind(config.socketMode()), config.receiveBufferSize(), false, this);
    OutcomeBatch batch =
        OutcomeBatch.forIoThread(
            config.callbackExecutor(),
            index == 0 ? "icmpecho-callback" : "icmpecho-callback-" + index);
    exchange =
        new Exchange(
            table, new Matcher(cookie), batch, admission.outstanding, config.duplicateWindow());
    this.thread =
        Thread.ofPlatform()
            .name(index == 0 ? "icmpecho-io" : "icmpecho-io-" + index)
            .daemon(true)
            .unstarted(this);
  }

  // ---------------------------------------------------------------- any thread

  /** Hands a probe to this loop. */
  void submit(Probe p) {
    if (countsBacklog) backlog.incrementAndGet();
    queue.offer(p);
    wake();
    if (terminated) {
      // The thread ended between our check and the offer: nobody will take the probe from the
      // queue.
      IcmpException f = admission.failure();
      p.completeExceptionally(f != null ? f : Failures.clientClosed());
    }
  }

  /** Runs {@code task} on the I/O thread soon. */
  void execute(Runnable task) {
    tasks.add(task);
    wake();
  }

  /** A probe of this loop was cancelled: it leaves its slot and timer soon. */
  void cancelled(Probe p) {
    execute(() -> exchange.withdraw(p));
  }

  private void wake() {
    if (sleeping && !wakeRequested.getAndSet(true)) {
      Poller pl = poller;
      if (pl != null) pl.wakeup();
    }
  }

  void stop() {
    stopping = true;
    execute(() -> {});
    Poller pl = poller;
    if (pl != null) pl.wakeup();
  }

  /** Counters, on the I/O thread (a task) or once it has ended. */
  ClientStats snapshot() {
    return exchange.snapshot();
  }

  // ---------------------------------------------------------------- the I/O thread

  @Override
  public void run() {
    Throwable fatal = null;
    try {
      if (config.networkNamespace() != null) transport.enterNamespace(config.networkNamespace());
      if (config.ioThreadSetup() != null) config.ioThreadSetup().run();
      Poller p = transport.newPoller();
      exchange.usePoller(p);
      poller = p;
      started.complete(null);
      loop();
    } catch (Throwable t) {
      fatal = t;
      started.completeExceptionally(t);
    } finally {
      shutdown(fatal);
    }
  }

  private void loop() throws TransportException {
    Exchange x = exchange;
    InFlightTable table = x.table;
    Poller pl = x.poller();
    while (!stopping) {
      runTasks();
      // Schedules first, so that what they send this turn leaves with the rest (clock read only
      // when they exist).
      long scheduled = schedules.isEmpty() ? Long.MAX_VALUE : schedules.run(pl.nanoTime());
      int sentNow = drainSubmissions();
      long now = pl.nanoTime();
      // Before any deadline is declared passed: what the sockets hold (answers, ICMP errors) is
      // read.
      if (sentNow > 0 || table.detached()) x.readSockets(now);
      x.expire(now);
      x.sweep(now);
      x.batch.flush();
      long timeout;
      if (sentNow > 0) lastBusy = now;
      boolean scheduleDue =
          (scheduled != Long.MAX_VALUE && scheduled - now <= 0) || schedules.poked();
      if (!queue.isEmpty() || !tasks.isEmpty() || scheduleDue || spinForWork(now)) {
        timeout = 0;
        busySent += sentNow;
        if (table.detached() || busySent >= DETACH_AFTER) {
          // Busy: no poll at all. The sockets are read above, every turn; nothing else needs the
          // poller now.
          if (!table.detached()) table.detach(pl.nanoTime());
          continue;
        }
      } else {
        busySent = 0;
        if (table.detached()) table.attach();
        else if (table.disarmed()) rearmAll(table);
        long next = x.nextDeadline();
        timeout = next == Long.MAX_VALUE ? -1 : undershoot(Math.max(0, next - pl.nanoTime()));
        if (x.hasDeferred()) timeout = timeout < 0 ? DEFER_WAIT : Math.min(timeout, DEFER_WAIT);
        if (scheduled != Long.MAX_VALUE) {
          long s = undershoot(Math.max(0, scheduled - pl.nanoTime()));
          timeout = timeout < 0 ? s : Math.min(timeout, s);
        }
        sleeping = true;
        // Re-check after publishing "sleeping": a producer that saw sleeping == false has already
        // queued.
        if (!queue.isEmpty() || !tasks.isEmpty()) timeout = 0;
      }
      owner.lendForPoll();
      try {
        x.awaitReady(timeout);
      } finally {
        owner.reclaimAfterPoll();
      }
      sleeping = false;
      wakeRequested.set(false);
      x.readReady();
      x.batch.flush(); // answers read while polling complete now, not after the next round of sends
    }
  }

  private static void rearmAll(InFlightTable table) throws TransportException {
    table.rearm(false);
    table.rearm(true);
  }

  /**
   * How long to sleep towards a deadline {@code t} ns away. The kernel lets a timed wait run late
   * by 0.1 % of its timeout (the "slack", up to 100 ms), so a 20 s timeout could fire 20 ms after
   * its deadline. A long wait is therefore slept in two steps: 99.8 % of it, whose slack cannot
   * pass the deadline (the slack is also at least the thread's timer slack, 50 us), then the rest,
   * whose slack is 0.1 % of a small remainder.
   */
  static long undershoot(long t) {
    return t > 10_000_000L ? t - Math.max(t / 500, 100_000L) : t;
  }

  /**
   * After recent work, spins up to {@link #SPIN_NANOS} for the next submission before sleeping in
   * the poller: a caller sending one echo at a time submits again within microseconds, and a
   * wake-up through the poller costs more than that. Returns true when work arrived.
   */
  private boolean spinForWork(long now) {
    if (SPIN_NANOS <= 0 || now - lastBusy > SPIN_NANOS * 10) return false;
    long end = System.nanoTime() + SPIN_NANOS;
    while (System.nanoTime() - end < 0) {
      if (!queue.isEmpty() || !tasks.isEmpty()) return true;
      Thread.onSpinWait();
    }
    return false;
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) r.run();
  }

  private int drainSubmissions() {
    int n = exchange.startDeferred();
    // The per-echo loop is in a per-chunk method: this one runs once per turn, too seldom to
    // compile early.
    while (n < SUBMIT_BATCH) {
      int started = startChunk();
      if (started < 0) break;
      n += started;
    }
    return n;
  }

  /**
   * Takes up to {@link #START_CHUNK} probes off the queue and starts them: how many it started, -1
   * if it was empty.
   */
  private int startChunk() {
    int n = 0;
    int taken = 0;
    for (; taken < START_CHUNK; taken++) {
      int r = startNext();
      if (r < 0) break;
      n += r;
    }
    if (countsBacklog && taken > 0)
      backlog.addAndGet(-taken); // once per chunk; read by Engine.loopFor
    return taken == 0 ? -1 : n;
  }

  /**
   * Starts the next queued probe: 1 when one was sent, 0 when it had been cancelled, -1 when the
   * queue is empty.
   */
  private int startNext() {
    Probe p = queue.poll();
    if (p == null) return -1;
    if (p.isDone()) { // cancelled before it was sent
      admission.outstanding.decrementAndGet();
      return 0;
    }
    exchange.start(p);
    return 1;
  }

  /** Opens the default socket of a family (for {@code IcmpClient.socketMode}); on this thread. */
  SocketKind openDefault(boolean v6) throws TransportException {
    return exchange.table.openDefault(v6);
  }

  /**
   * Opens a ping socket for a caller loop; on this thread, which sits in the client's namespace.
   * Null when the family resolves to raw sockets: a raw socket receives every ICMP message of the
   * namespace, so one per thread would multiply the work and count the other sockets' answers as
   * foreign.
   */
  Channel openForCaller(boolean v6) throws TransportException {
    if (openDefault(v6) != SocketKind.DATAGRAM) return null;
    return transport.open(
        new ChannelKey(v6, null, null, 0), SocketKind.DATAGRAM, CALLER_RECEIVE_BUFFER);
  }

  /**
   * The caller-runs fast path of a blocking {@code echo()}: when the I/O thread is asleep in the
   * poller, the calling thread borrows the loop, sends the echo on the shared socket and reads what
   * the kernel already queued (on loopback and fast LANs, the answer), then hands the loop back.
   * One thread and no wake-up per round trip instead of two hand-offs. Returns false, changing
   * nothing, when the loop is busy or its socket for this request is not open yet (sockets are
   * opened only by the I/O thread, inside its network namespace); the caller then queues the probe
   * as usual.
   */
  boolean tryRunDirect(Probe p) {
    EchoRequest r = p.request;
    if (r.source() != null || r.interfaceName() != null || stopping) return false;
    if (!owner.tryTake(SPIN_NANOS)) return false;
    Exchange x = exchange;
    boolean ran = false;
    try {
      if (stopping || terminated || !x.table.hasRoom(r.isIpv6())) return false;
      ran = true;
      // While this thread sends and reads, the sleeping loop must not be woken by the answer it
      // reads itself: input readiness of this family's sockets is off for that span (readiness is
      // level-triggered, so whatever is still unread when it is turned back on wakes the loop
      // then).
      x.table.disarm(r.isIpv6());
      try {
        x.start(p);
        if (!p.finished)
          x.readSockets(x.lastSendClock()); // attached: no error backstop, so no clock needed
        x.batch.flush();
      } finally {
        // Left off while a ping socket is idle: the next echo need not turn it off again. A late
        // answer meanwhile is read by the next echo, or by this loop, which re-arms before it
        // next sleeps; ICMP errors wake it regardless.
        if (!p.finished || !x.table.quiet(r.isIpv6())) x.table.rearm(r.isIpv6());
      }
    } catch (TransportException | Exchange.FatalIo failure) {
      // The I/O thread would have died of this; here only this echo learns of it, and the loop
      // finds out itself.
      x.finish(
          p,
          Failures.toPublic(
              failure instanceof Exchange.FatalIo f ? f.getCause() : (TransportException) failure));
    } finally {
      owner.release();
    }
    if (ran && !p.finished) {
      // Still waiting: the sleeping loop must take the new deadline into its poll timeout.
      poller.wakeup();
    }
    return ran;
  }

  private void shutdown(Throwable fatal) {
    IcmpException cause =
        fatal == null
            ? Failures.clientClosed()
            : fatal instanceof TransportException te
                ? Failures.toPublic(te)
                : fatal instanceof Exchange.FatalIo fi
                    ? Failures.toPublic(fi.getCause())
                    : new IcmpException("icmpecho I/O thread failed: " + fatal, fatal);
    admission.fail(cause); // before terminated: who sees the loop ended finds the cause set
    terminated = true;
    // Every pending and later echo fails with the cause, so the caller hears of it: no ERROR record
    // on top (the default logging configuration would print it, with a stack trace, on the
    // application's stderr).
    if (fatal != null && !stopping) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "icmpecho I/O thread failed; pending echoes fail with the cause",
          cause);
    }
    schedules.fail(cause);
    exchange.failAll(cause);
    Probe p;
    while ((p = queue.poll()) != null) exchange.failUnsent(p, cause);
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException ignored) {
        // Tasks after shutdown only complete their own futures; nothing to do about a failure.
      }
    }
    schedules.fail(cause); // those whose start was still queued
    exchange.batch.flush();
    exchange.batch.stop();
    exchange.table.closeAll();
    Poller pl = poller;
    if (pl != null) pl.close();
  }

  // ----------------------------------------------- for the schedules (ScheduleRun), home loop only

  Schedules schedules() {
    return schedules;
  }

  /** The loop's monotonic clock. */
  long now() {
    return exchange.poller().nanoTime();
  }

  /** Queues an outcome for the callback executor. */
  void addBatch(Object target, Object value) {
    exchange.batch.add(target, value);
  }

  /** Whether outcomes recorded by {@code x} were recorded on this loop. */
  boolean owns(Exchange x) {
    return x == exchange;
  }

  @Override
  public String toString() {
    return thread.getName() + exchange.table;
  }
}
