package org.icmpecho;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.icmpecho.internal.ScheduleRun;

/**
 * Echoes to one or many targets on a schedule, run by the client's own I/O thread: periodic echoes
 * (a count per target, or unbounded), fping's "until it answers" tries with backoff, a global gap
 * between any two sends, a bound on the echoes in flight and a deadline. No thread, timer or future
 * per target: the schedule keeps its targets in arrays (about 30 bytes each besides the caller's
 * addresses), so a million targets cost megabytes, not gigabytes.
 *
 * <pre>{@code
 * PingSchedule s = client.schedule(PingSchedule.to(targets, EchoRequest.to(targets.get(0)).build())
 *     .count(3).period(Duration.ofSeconds(1)).interval(Duration.ofMillis(10))
 *     .listener((target, probe, result) -> System.out.println(targets.get(target) + " [" + probe + "] " + result)));
 * s.done().join();
 * }</pre>
 *
 * <p><b>Threads.</b> The listener runs on the client's {@linkplain
 * IcmpClient.Builder#callbackExecutor callback executor}, never on the I/O thread. Its calls for
 * one schedule are made in the order the I/O thread recorded the outcomes, one after the other when
 * the executor runs its tasks in order (the default executor does), and {@link #done()} completes
 * after the last of them. Every method of this class may be called from any thread, the listener
 * included.
 *
 * <p><b>Outcomes.</b> Every echo sent is reported exactly once by {@link Listener#onResult} (reply,
 * ICMP error, timeout, send failure, corrupted reply), unless it is withdrawn by {@link #close()},
 * {@link #cancel(int)} or the deadline. Further replies to an answered echo go to {@link
 * Listener#onDuplicate}, after its result, also after {@link #done()} (within the client's
 * duplicate window) until {@link #close()}. A failure of the client itself (no permission, client
 * closed) completes {@link #done()} exceptionally.
 */
public final class PingSchedule implements AutoCloseable {
  private final ScheduleRun run;

  PingSchedule(ScheduleRun run) {
    this.run = run;
  }

  /** What a schedule reports; called on the client's callback executor. */
  @FunctionalInterface
  public interface Listener {
    /**
     * The outcome of echo number {@code probe} (0, 1, ... per target) to target number {@code
     * target} (its index in the list the schedule was built from).
     */
    void onResult(int target, long probe, EchoResult result);

    /**
     * A further reply to echo {@code probe} of {@code target}, after its first (see {@link
     * IcmpClient#echoAsync}).
     */
    default void onDuplicate(int target, long probe, EchoResult.Reply reply) {}
  }

  /**
   * A schedule of echoes to {@code targets}, each with the settings of {@code template} (whose own
   * target is ignored): the sweep's shape, one request for all, nothing per echo but the echo
   * itself.
   *
   * @throws IllegalArgumentException if the template does not fit a target's family (payload size,
   *     source)
   */
  public static Builder to(List<? extends InetAddress> targets, EchoRequest template) {
    Objects.requireNonNull(template, "template");
    InetAddress[] a = targets.toArray(new InetAddress[0]);
    EchoRequest[] own = null;
    for (int i = 0; i < a.length; i++) {
      Objects.requireNonNull(a[i], "target");
      if (a[i] instanceof java.net.Inet6Address != template.isIpv6()) {
        if (own == null) own = new EchoRequest[a.length];
        own[i] = template.withTarget(a[i]); // validates the template's limits for this family, once
      }
    }
    return new Builder(a, template, own);
  }

  /**
   * A schedule of echoes with a request of their own each (e.g. one TTL per target, as a traceroute
   * has).
   */
  public static Builder of(List<EchoRequest> requests) {
    EchoRequest[] r = requests.toArray(new EchoRequest[0]);
    InetAddress[] a = new InetAddress[r.length];
    for (int i = 0; i < r.length; i++) a[i] = Objects.requireNonNull(r[i], "request").target();
    return new Builder(a, null, r);
  }

  /** How many targets the schedule has. */
  public int size() {
    return run.size();
  }

  /**
   * A future that completes once nothing more will be reported: every target had its echoes and
   * their outcomes (count reached, or answered or out of tries), or the deadline passed, or {@link
   * #close()} was called. It completes exceptionally with an {@link IcmpException} if the client
   * fails or is closed first. Each call returns a new dependent future, so completing it does not
   * affect the schedule.
   */
  public CompletableFuture<Void> done() {
    return run.done().copy();
  }

  /**
   * A future that completes once nothing more will be sent (every target had its last echo, or the
   * schedule was closed), before the outcomes of the last echoes are in: where {@code ping -c}
   * starts waiting for its last answers. Exceptionally as {@link #done()}. A new dependent future
   * per call.
   */
  public CompletableFuture<Void> allSent() {
    return run.allSent().copy();
  }

  /** Echoes sent to {@code target} so far (exact once {@link #done()} has completed). */
  public long sent(int target) {
    Objects.checkIndex(target, run.size());
    return run.sent(target);
  }

  /** Echoes sent to all targets so far (exact once {@link #done()} has completed). */
  public long sent() {
    return run.sentTotal();
  }

  /** Sends nothing more to {@code target}; its echoes in flight are still reported. */
  public void stop(int target) {
    Objects.checkIndex(target, run.size());
    run.stop(target, false);
  }

  /**
   * Sends nothing more to {@code target} and withdraws its echoes in flight, which are then not
   * reported.
   */
  public void cancel(int target) {
    Objects.checkIndex(target, run.size());
    run.stop(target, true);
  }

  /**
   * Stops the schedule: nothing more is sent, echoes in flight are withdrawn, and no listener call
   * starts once this method has returned (one already running may finish); {@link #done()}
   * completes soon after. Idempotent.
   */
  @Override
  public void close() {
    run.close();
  }

  @Override
  public String toString() {
    return "PingSchedule[" + run + "]";
  }

  /**
   * Describes a schedule; {@link IcmpClient#schedule} starts it. Values are checked when set. Not
   * thread-safe; a builder may start several schedules.
   */
  public static final class Builder {
    final InetAddress[] targets;
    final EchoRequest template;
    final EchoRequest[] requests;
    long count = 1;
    long periodNanos = 1_000_000_000L;
    long intervalNanos;
    int retries = -1;
    double backoff = 1.0;
    int maxInFlight = 65_536;
    long deadlineNanos;
    boolean adaptive;
    long delayNanos = -1;
    Listener listener;
    LongConsumer lateness;

    private Builder(InetAddress[] targets, EchoRequest template, EchoRequest[] requests) {
      this.targets = targets;
      this.template = template;
      this.requests = requests;
    }

    /**
     * Echoes per target (default 1); 0 for no end (until {@link PingSchedule#close()} or the
     * deadline).
     */
    public Builder count(long count) {
      if (count < 0) throw new IllegalArgumentException("count " + count + " is negative");
      this.count = count;
      this.retries = -1;
      return this;
    }

    /**
     * fping's default mode instead of a count: a target gets one echo, and while no reply has come,
     * up to {@code retries} more, each sent when the previous one's timeout is over, the timeout
     * growing by {@code backoff} per try ({@code timeout * backoff^k} for try {@code k}). A target
     * is done at its first reply.
     */
    public Builder untilReply(int retries, double backoff) {
      if (retries < 0) throw new IllegalArgumentException("retries " + retries + " is negative");
      if (!(backoff >= 1.0 && backoff <= 100.0)) {
        throw new IllegalArgumentException("backoff " + backoff + " is out of range 1..100");
      }
      this.retries = retries;
      this.backoff = backoff;
      return this;
    }

    /**
     * Time between two echoes to one target (default 1 s), kept on an absolute schedule (echo
     * {@code k} is due at the first one's time plus {@code k} periods; a target that fell more than
     * a period behind starts again from now instead of sending a burst). Zero sends a target's
     * echoes as fast as the other limits allow.
     */
    public Builder period(Duration period) {
      this.periodNanos = nonNegative("period", period);
      return this;
    }

    /**
     * The least time between any two sends of this schedule (fping's {@code -i}; default 0, no
     * gap). After a late wake-up the schedule sends what fell due at once, up to four gaps' worth
     * (at least 1 ms, at most 100 ms), so the average rate holds without a burst after a stall.
     */
    public Builder interval(Duration interval) {
      this.intervalNanos = nonNegative("interval", interval);
      return this;
    }

    /** At most this many of the schedule's echoes in flight at once (default 65,536). */
    public Builder maxInFlight(int max) {
      if (max < 1) throw new IllegalArgumentException("maxInFlight " + max + " < 1");
      this.maxInFlight = max;
      return this;
    }

    /**
     * Stops the schedule this long after it started, as {@link PingSchedule#close()} would;
     * default: none.
     */
    public Builder deadline(Duration deadline) {
      long d = nonNegative("deadline", deadline);
      if (d == 0) throw new IllegalArgumentException("deadline must be more than 0");
      this.deadlineNanos = d;
      return this;
    }

    /**
     * Also sends a target's next echo as soon as none of its echoes is in flight, when that comes
     * before its period (iputils {@code ping -i 0}'s flood pacing, with the period as the longest
     * wait).
     */
    public Builder adaptive(boolean adaptive) {
      this.adaptive = adaptive;
      return this;
    }

    /**
     * Anchors the schedule in time: every target's first echo is due {@code delay} after the
     * schedule starts on its I/O thread, and each later one a whole number of periods after that,
     * however late the thread gets to the sends (default: no anchor, a target's first echo is due
     * when the schedule reaches it, and its later ones count from there). Schedules started
     * together on one client with different delays keep their offsets even when the first of them
     * take longer to send than the offsets between them: the way to spread many targets over a
     * period in slots. A target that fell more than a period behind skips the echoes it missed and
     * keeps its phase (without an anchor it starts again from now). With an {@link #interval}, the
     * first echoes are all due at that time and leave paced.
     */
    public Builder delay(Duration delay) {
      this.delayNanos = nonNegative("delay", delay);
      return this;
    }

    /**
     * Tells {@code observer}, for every echo handed to the kernel (sent, or refused by it), how
     * late it left: the time of its {@code sendmsg} minus the time the schedule had it due, in
     * nanoseconds (0 or more). Called on the I/O thread that sent the echo, right after the send,
     * not on the callback executor: it must be quick, thread-safe and never block (bumping a
     * counter is the intended use); an exception it throws is ignored. Default: none.
     */
    public Builder lateness(LongConsumer observer) {
      this.lateness = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Where outcomes go (required). */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    ScheduleRun.Spec spec() {
      if (listener == null) throw new IllegalStateException("a schedule needs a listener");
      return new ScheduleRun.Spec(
          targets,
          template,
          requests,
          count,
          periodNanos,
          intervalNanos,
          retries,
          backoff,
          maxInFlight,
          deadlineNanos,
          adaptive,
          delayNanos,
          listener,
          lateness);
    }

    private static long nonNegative(String what, Duration d) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) throw new IllegalArgumentException(what + " " + d + " is negative");
      try {
        return d.toNanos();
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE / 4;
      }
    }
  }
}
