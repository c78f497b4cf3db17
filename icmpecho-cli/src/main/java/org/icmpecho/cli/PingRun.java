package org.icmpecho.cli;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.PingSchedule;

/**
 * One run: the schedule of echoes to the target and what came back. The schedule sends (absolute
 * schedule, or flood pacing for -i 0) and ends at the -w deadline; its outcomes arrive on the
 * engine's callback thread, one at a time, in {@link #result}; the command's thread waits for the
 * end and prints the statistics.
 */
final class PingRun extends PrintingListener {
  /** What the run takes from the command line: -i, -c, -w, -W and -I as given. */
  record Settings(
      Duration interval,
      Long count,
      Duration deadline,
      Duration timeout,
      String sourceOrInterface) {}

  private static final long FLOOD_GAP_NANOS = 10_000_000L;

  /**
   * The least wait for the last answers once something answered (iputils waits 2 x the largest
   * RTT): an answer measured at 50 us by the kernel can still reach this thread milliseconds later
   * on a loaded machine.
   */
  private static final long LINGER_FLOOR_NANOS = 100_000_000L;

  private final IcmpClient client;
  private final EchoRequest request;
  private final PingReport report;
  // Guarded by this: written by the listener, read by the command's thread at the end.
  private final RttStats rtt = new RttStats();

  /**
   * Echo numbers (from 0) whose outcome was reported; those sent but not in here were still pending
   * at the end.
   */
  private final BitSet reported = new BitSet();

  private long received, duplicates, corrupted, errors;
  private final Duration interval, deadline, timeout;
  private final Long count;
  private final String sourceOrInterface;
  private final Env env;

  PingRun(IcmpClient client, EchoRequest request, PingReport report, Settings s, Env env) {
    this.client = client;
    this.request = request;
    this.report = report;
    this.interval = s.interval();
    this.count = s.count();
    this.deadline = s.deadline();
    this.timeout = s.timeout();
    this.sourceOrInterface = s.sourceOrInterface();
    this.env = env;
  }

  int loop() throws Exception {
    long step = interval.toNanos();
    // -i 0: the next echo as soon as the last is back, or after FLOOD_GAP. -c without -w counts
    // sends; with -w it counts replies, so the schedule runs on until the listener has them.
    PingSchedule.Builder b =
        PingSchedule.of(List.of(request))
            .period(Duration.ofNanos(step == 0 ? FLOOD_GAP_NANOS : step))
            .adaptive(step == 0)
            .count(count != null && deadline == null ? count : 0)
            .maxInFlight(PingCommand.MAX_PENDING)
            .listener(this);
    if (deadline != null) b.deadline(deadline);
    long start = System.nanoTime();
    synchronized (this) {
      schedule = client.schedule(b);
    }
    Timeline.mark("schedule started (first echo)");
    Runnable restore = env.signals().onInterrupt(schedule::close);
    Throwable failure;
    try {
      failure = await();
    } finally {
      schedule.close();
      restore.run();
    }
    long end = System.nanoTime();
    long elapsedMs = (end - start) / 1_000_000;
    try {
      schedule.done().get(10, TimeUnit.SECONDS); // closed: no listener call after this
    } catch (ExecutionException | TimeoutException e) {
      if (failure == null) failure = e instanceof ExecutionException ee ? ee.getCause() : e;
    }
    synchronized (this) {
      end();
      if (failure != null) throw failure(failure);
      // Echoes still unanswered at the end are lost: say so (JSON gets an event for every echo
      // sent).
      long sent = schedule.sent(0);
      for (int k = reported.nextClearBit(0); k < sent; k = reported.nextClearBit(k + 1)) {
        report.timeout(k + 1, new EchoResult.TimedOut(request, Duration.ofNanos(end - start), -1));
      }
      report.summary(sent, received, duplicates, corrupted, errors, elapsedMs, rtt);
      Timeline.mark("summary written");
      return received > 0 ? 0 : 1;
    }
  }

  /**
   * Waits for the end: the schedule's (deadline, Ctrl-C, -c replies with -w), or -c's last answers;
   * the failure.
   */
  private Throwable await() throws InterruptedException {
    CompletableFuture<Void> done = schedule.done();
    try {
      if (count == null || deadline != null) {
        done.get();
        return null;
      }
      schedule.allSent().get();
      long lastSend = System.nanoTime();
      // Waiting for the last answers: as iputils, twice the slowest round trip once something
      // answered.
      while (!done.isDone()) {
        long linger;
        synchronized (this) {
          linger =
              received > 0
                  ? Math.min(timeout.toNanos(), Math.max(2 * rtt.max(), LINGER_FLOOR_NANOS))
                  : timeout.toNanos();
        }
        long left = lastSend + linger - System.nanoTime();
        if (left <= 0) break;
        try {
          done.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // the linger may have changed meanwhile: look again
        }
      }
      if (done.isCompletedExceptionally()) done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Override
  void result(int target, long probe, EchoResult result) {
    reported.set((int) probe);
    Timeline.markLast("last outcome");
    long seq = probe + 1;
    switch (result) {
      case EchoResult.Reply r -> {
        received++;
        rtt.add(r.rtt().toNanos());
        report.reply(seq, r, false);
      }
      case EchoResult.IcmpError e -> {
        errors++;
        report.error(seq, e);
      }
      case EchoResult.TimedOut t -> report.timeout(seq, t);
      case EchoResult.SendFailed f -> {
        errors++;
        report.sendFailed(seq, f);
      }
      case EchoResult.Corrupted c -> {
        corrupted++;
        report.corrupted(seq, c);
      }
    }
    if (count != null && deadline != null && received >= count) schedule.close();
  }

  @Override
  void duplicate(int target, long probe, EchoResult.Reply reply) {
    duplicates++;
    report.reply(probe + 1, reply, true);
  }

  private CliException failure(Throwable t) {
    if (t instanceof IcmpException ie && "EADDRNOTAVAIL".equals(ie.errno())) {
      return new CliException(
          2, "-I " + sourceOrInterface + ": Cannot assign requested address", t);
    }
    if (t instanceof IcmpException ie) return new CliException(2, ie.getMessage(), t);
    return new CliException(2, "echo failed: " + t, t);
  }
}
