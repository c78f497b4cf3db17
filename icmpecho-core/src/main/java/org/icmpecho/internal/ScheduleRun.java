package org.icmpecho.internal;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.PingSchedule;

/**
 * The engine side of a {@link PingSchedule}: its targets as arrays, a heap of when each is next
 * due, and the send loop, all owned by one I/O loop (the home), which calls {@link #run} every turn
 * it is registered. Echoes may be answered on another loop (a sweep spreads over several sockets):
 * their outcomes come home through {@link #returned}, so that the schedule's state and its listener
 * calls have one writer and one order. Listener calls go through the home loop's outcome batch to
 * the callback executor, never on the I/O thread.
 */
public final class ScheduleRun {
  /** Everything a schedule is built from (checked by the public builder). */
  @SuppressWarnings("ArrayRecordComponent") // a holder of checked values, never compared
  public record Spec(
      InetAddress[] targets,
      EchoRequest template,
      EchoRequest[] requests,
      long count,
      long periodNanos,
      long intervalNanos,
      int retries,
      double backoff,
      int maxInFlight,
      long deadlineNanos,
      boolean adaptive,
      long delayNanos,
      PingSchedule.Listener listener,
      LongConsumer lateness) {}

  /** Most sends per turn of the home loop, so that answers are read between bursts. */
  private static final int SENDS_PER_TURN = 1024;

  private static final byte ACTIVE = 0;

  /** Until-reply mode: a try is out, the next depends on its outcome. */
  private static final byte WAITING = 1;

  private static final byte FINISHED = 2; // nothing more will be sent

  private final Spec spec;
  private final int n;

  /** Addresses and requests; read by the probes of this schedule on any loop. */
  final ScheduleTargets targets;

  private final Engine engine;
  private final IoThread home;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final CompletableFuture<Void> allSent = new CompletableFuture<>();
  private boolean allSentTold;

  // Per target, written by the home loop only.
  private final long[] due;
  private final long[] sent;
  private final int[] inFlight;
  private final byte[] state;
  private final DueHeap heap;
  private int cursor;
  private int finishedTargets;
  private volatile long sentTotal;

  /** The echoes in flight, so that close and cancel can withdraw them. */
  private final LiveEchoes live = new LiveEchoes();

  private boolean started;

  /** Nothing more will be sent; {@link #done} is decided. */
  private boolean closed;

  /** Closed by the caller or a failure: no more listener calls. Read by callbacks. */
  private volatile boolean silent;

  private long nextSlot;
  private long deadlineAt;

  /** When the first echoes are due (the start, or the start plus the anchoring delay). */
  private long origin;

  private final long maxBacklog;

  /** Outcomes and duplicates recorded on other loops, waiting for the home loop. */
  private final ConcurrentLinkedQueue<Object> returns = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean drainQueued = new AtomicBoolean();
  private final Runnable drainReturns = this::drainReturns;

  ScheduleRun(Spec spec, Engine engine, IoThread home) {
    this.spec = spec;
    this.engine = engine;
    this.home = home;
    this.targets = new ScheduleTargets(spec);
    this.n = targets.size();
    this.due = new long[n];
    this.sent = new long[n];
    this.inFlight = new int[n];
    this.state = new byte[n];
    this.heap = new DueHeap(due);
    this.maxBacklog = Math.clamp(4 * spec.intervalNanos(), 1_000_000L, 100_000_000L);
  }

  public int size() {
    return n;
  }

  public CompletableFuture<Void> done() {
    return done;
  }

  public CompletableFuture<Void> allSent() {
    return allSent;
  }

  public long sent(int target) {
    return sent[target];
  }

  public long sentTotal() {
    return sentTotal;
  }

  // ---------------------------------------------------------------- any thread

  public void stop(int target, boolean withdraw) {
    home.execute(() -> stopTarget(target, withdraw));
  }

  public void close() {
    silent = true; // at once: no listener call starts after close() returns
    home.execute(this::closeNow);
  }

  /** Registers with the home loop; fails at once when the engine has already stopped. */
  void start() {
    home.execute(() -> home.schedules().add(this));
    if (home.terminated) failEarly(engine.failureOrClosed());
  }

  /** The engine stopped before the schedule could start: nothing ran, nothing will. */
  void failEarly(Throwable failure) {
    allSent.completeExceptionally(failure);
    done.completeExceptionally(failure);
  }

  // ---------------------------------------------------------------- the home loop

  /**
   * Sends what is due at {@code now} (at most {@link #SENDS_PER_TURN}); returns when it next has
   * something to do (monotonic ns; {@code now} for "at once", {@link Long#MAX_VALUE} for "when an
   * echo comes back").
   */
  long run(long now) {
    if (closed) return Long.MAX_VALUE;
    if (!started) {
      started = true;
      origin = now + Math.max(0, spec.delayNanos());
      nextSlot = origin;
      deadlineAt = now + spec.deadlineNanos();
    }
    if (spec.deadlineNanos() > 0 && now - deadlineAt >= 0) {
      closeNow();
      return Long.MAX_VALUE;
    }
    if (now - origin < 0) { // anchored later than now: nothing is due before the origin
      return spec.deadlineNanos() > 0 && deadlineAt - origin < 0 ? deadlineAt : origin;
    }
    long interval = spec.intervalNanos();
    if (interval > 0 && nextSlot - (now - maxBacklog) < 0)
      nextSlot = now - maxBacklog; // a bounded catch-up
    for (int budget = SENDS_PER_TURN; live.size() < spec.maxInFlight(); ) {
      if (interval > 0 && nextSlot - now > 0) break;
      int t = nextDue(now);
      if (t < 0) break;
      send(t, now);
      if (closed) return Long.MAX_VALUE;
      if (interval > 0) {
        nextSlot += interval; // the absolute schedule
      }
      if (--budget == 0) return now;
    }
    long wake = Long.MAX_VALUE;
    if (live.size() < spec.maxInFlight()) {
      if (cursor < n) wake = now;
      else if (!heap.isEmpty()) wake = due[heap.peek()];
      if (wake != Long.MAX_VALUE && interval > 0 && nextSlot - wake > 0) wake = nextSlot;
    }
    if (spec.deadlineNanos() > 0 && (wake == Long.MAX_VALUE || deadlineAt - wake < 0))
      wake = deadlineAt;
    return wake;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The next target to send to: one whose next echo is due, else the next one not started yet; -1
   * if none.
   */
  private int nextDue(long now) {
    if (!heap.isEmpty() && due[heap.peek()] - now <= 0) return heap.pop();
    while (cursor < n) {
      int t = cursor++;
      if (state[t] == ACTIVE) {
        due[t] = spec.delayNanos() >= 0 ? origin : now; // anchored, or due as it is reached
        return t;
      }
    }
    return -1;
  }

  // sentTotal: only the home loop writes it; readers take a snapshot
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void send(int t, long now) {
    long k = sent[t]++;
    sentTotal++;
    EchoRequest r = targets.request(t, k);
    Probe.Scheduled p = new Probe.Scheduled(r, this, t, k, due[t]);
    inFlight[t]++;
    live.add(p);
    if (spec.retries() >= 0) {
      // the next try, if one is needed, when this one's time is up
      due[t] = now + ScheduleTargets.nanos(r.timeout());
      state[t] = WAITING;
    } else if (spec.count() == 0 || sent[t] < spec.count()) {
      long period = spec.periodNanos();
      long next = due[t] + period;
      if (next - now <= 0 && period > 0) {
        // more than a period behind: no burst. An anchored schedule skips the periods it missed
        // and keeps its phase (its slots stay apart); any other starts again from now.
        next = spec.delayNanos() >= 0 ? next + ((now - next) / period + 1) * period : now + period;
      }
      due[t] = next;
      heap.push(t);
    } else {
      finishTarget(t);
    }
    // a refusal comes back at once through Probe.Scheduled.completeExceptionally
    engine.submitScheduled(p);
  }

  private void finishTarget(int t) {
    if (state[t] == FINISHED) return;
    state[t] = FINISHED;
    heap.remove(t);
    finishedTargets++;
    if (finishedTargets == n) tellAllSent(null);
  }

  /**
   * Nothing more will be sent (the last send, a close or a failure): {@link #allSent} completes, in
   * order.
   */
  private void tellAllSent(Throwable failure) {
    if (allSentTold) return;
    allSentTold = true;
    home.addBatch(
        (Consumer<Object>)
            f -> {
              if (f instanceof Throwable t) allSent.completeExceptionally(t);
              else allSent.complete(null);
            },
        failure);
  }

  /** An echo of this schedule has an outcome, recorded on {@code loop}. */
  void returned(Exchange loop, Probe.Scheduled p, Object outcome) {
    p.outcome = outcome;
    if (home.owns(loop)) {
      onReturn(p);
    } else {
      returns.add(p);
      wakeHome();
    }
  }

  /**
   * A further reply to an answered echo, on the callback thread of the loop that read it. From the
   * home loop that thread is the one the listener hears everything on, after the echo's result: the
   * call is made at once. From another loop it goes home first, to keep one thread and one order.
   */
  void duplicate(Probe.Scheduled p, EchoResult.Reply reply) {
    if (p.loop() == home) {
      if (!silent) spec.listener().onDuplicate(p.index, p.number, reply);
      return;
    }
    returns.add(new Dup(p, reply));
    wakeHome();
  }

  private record Dup(Probe.Scheduled probe, EchoResult.Reply reply) {}

  private void wakeHome() {
    if (!drainQueued.getAndSet(true)) home.execute(drainReturns);
  }

  private void drainReturns() {
    drainQueued.set(false);
    Object o;
    while ((o = returns.poll()) != null) {
      if (o instanceof Probe.Scheduled p) {
        onReturn(p);
      } else if (!silent) {
        Dup d = (Dup) o;
        home.addBatch(
            (Consumer<Object>)
                x -> {
                  if (!silent)
                    spec.listener().onDuplicate(d.probe().index, d.probe().number, d.reply());
                },
            null);
      }
    }
  }

  private void onReturn(Probe.Scheduled p) {
    if (!live.remove(p)) return; // withdrawn meanwhile
    // room in the window, or a retry due: the loop turns again before it sleeps
    home.schedules().poke();
    int t = p.index;
    inFlight[t]--;
    if (p.outcome instanceof Throwable failure) {
      fail(failure);
      return;
    }
    EchoResult result = (EchoResult) p.outcome;
    if (spec.retries() >= 0) {
      if (result instanceof EchoResult.Reply || sent[t] > spec.retries()) {
        finishTarget(t);
      } else if (state[t] == WAITING) {
        state[t] = ACTIVE;
        heap.push(t); // due since the send: when this try's time is up
      }
    } else if (spec.adaptive() && inFlight[t] == 0 && state[t] == ACTIVE) {
      heap.remove(t);
      due[t] = Math.min(due[t], home.now());
      heap.push(t);
    }
    home.addBatch(p, result); // the listener hears it through Probe.Scheduled.complete
    checkDone();
  }

  private void checkDone() {
    if (!closed && finishedTargets == n && live.size() == 0) {
      closed = true;
      home.addBatch(doneMarker, null);
    }
  }

  // one object for every batch (a method reference would allocate each time)
  @SuppressWarnings("UnnecessaryLambda")
  private final Consumer<Object> doneMarker =
      failure -> {
        if (failure instanceof Throwable t) done.completeExceptionally(t);
        else done.complete(null);
      };

  private void stopTarget(int t, boolean withdraw) {
    if (closed) return;
    finishTarget(t);
    if (withdraw) {
      for (int i = live.size() - 1; i >= 0; i--) {
        Probe.Scheduled p = live.get(i);
        if (p.index == t) withdraw(p);
      }
    }
    checkDone();
  }

  private void closeNow() {
    end(null);
  }

  /**
   * The engine failed the schedule's echo (client closed, no permission, more in flight than it
   * allows).
   */
  void fail(Throwable failure) {
    end(failure);
  }

  /**
   * Closed by the caller or a failure: withdraws what is in flight; {@code done} follows the calls
   * under way.
   */
  private void end(Throwable failure) {
    silent = true;
    if (closed) return;
    closed = true;
    for (int i = live.size() - 1; i >= 0; i--) withdraw(live.get(i));
    tellAllSent(failure);
    home.addBatch(doneMarker, failure);
  }

  private void withdraw(Probe.Scheduled p) {
    live.remove(p);
    inFlight[p.index]--;
    p.cancel(false);
  }

  // ---------------------------------------------------------------- for Probe.Scheduled

  /**
   * Echo {@code p} went to the kernel at {@code sendClock} (the sending loop's monotonic clock, on
   * its I/O thread, which need not be the home loop's): tells the lateness observer, if any.
   */
  void sent(Probe.Scheduled p, long sendClock) {
    LongConsumer observer = spec.lateness();
    if (observer == null) return;
    try {
      observer.accept(Math.max(0, sendClock - p.due));
    } catch (RuntimeException e) {
      // the observer's own fault: documented as ignored, the I/O loop goes on
    }
  }

  /** The listener's call for one outcome (callback executor). */
  void deliver(Probe.Scheduled p, EchoResult result) {
    if (!silent) spec.listener().onResult(p.index, p.number, result);
  }

  @Override
  public String toString() {
    return n + " targets, " + sentTotal + " sent";
  }
}
