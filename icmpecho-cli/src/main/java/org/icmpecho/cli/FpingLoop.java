package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.PingSchedule;

/**
 * fping's probing, in fping's words: the listener of the engine's {@link PingSchedule} that {@link
 * FpingSchedule} makes of fping's modes, and the command's loop while it runs.
 *
 * <p>Threads: the outcomes reach this listener on the engine's callback thread, one at a time,
 * under this object's lock ({@link PrintingListener}), which counts and prints them. The command's
 * own thread takes the same lock only to do what is due at a time rather than at an outcome: flush
 * what was printed (woken by the first line after a flush, then at most every {@link
 * #FLUSH_GAP_NANOS}, so that a burst of lines costs a few writes, not one each), the timeouts of
 * echoes that an ICMP error answered, the {@code -Q} reports and SIGQUIT snapshots, the progress
 * line of {@code icmpecho sweep} ({@link FpingProgress}) and the end. No queue, wake-up or object
 * per outcome: a {@code /16} costs what counting it costs.
 *
 * <p>Counting follows fping: an echo counts as sent when its outcome is known (answer or timeout)
 * or its send failed, so a loss percentage never counts echoes still on their way; a reply later
 * than the timeout is dropped by the engine as fping drops it. Output goes where fping writes it:
 * per-echo lines and "is alive" on stdout, summaries, {@code -s}, {@code -Q} reports, warnings on
 * stderr.
 */
final class FpingLoop extends PrintingListener {
  /** A target: what to print, the name for netdata charts, where to send. */
  record Host(String label, String chart, InetAddress address) {}

  private record Due(long at, long order, int host, int index) {}

  /** The most echoes in flight at once by default (--max-in-flight). */
  static final int WINDOW = 16_384;

  /** Least time between two flushes of the output while lines keep coming. */
  private static final long FLUSH_GAP_NANOS = 5_000_000L;

  /** With --json, how long the end waits for duplicates of the last answers. */
  private static final long STRAGGLER_GRACE_MILLIS = 10;

  private final FpingOptions o;
  private final int n;
  private final Host[] hosts;
  private final int width;
  private final IcmpClient client;
  private final PrintWriter out, err;
  private final Env env;
  private final FpingReport report;
  private final FpingProgress progress;

  // fping's per-host counters; *I are the -Q interval's
  final int[] sent, sentI, recv, recvI, recvTotal;
  final long[] minReply, maxReply, totalTime, minI, maxI, totalI;
  final long[][] resp; // per probe (-C only): RTT ns, or TIMEOUT / ERROR
  static final long TIMEOUT = -4, ERROR = -3;

  /** --json only: per host, the sum of squared round trips (for the mdev) and the errors. */
  final double[] sumSquares;

  final int[] errors;

  // totals (fping -s)
  int alive, timeouts, pingsSent, pingsReceived, otherIcmp, unknown;
  long allMin, allMax, allSum, allCount;

  private final PriorityQueue<Due> lateTimeouts =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long order;
  private final Thread owner = Thread.currentThread();
  private final AtomicBoolean finishRequested = new AtomicBoolean(), snapshot = new AtomicBoolean();

  /** Something was printed since the last flush (guarded by this). */
  private boolean dirty;

  FpingLoop(
      FpingOptions o,
      List<Host> list,
      int unknown,
      IcmpClient client,
      PrintWriter out,
      PrintWriter err,
      Env env) {
    this.o = o;
    this.n = list.size();
    this.hosts = list.toArray(Host[]::new);
    int w = 0;
    for (Host h : hosts) w = Math.max(w, h.label().length());
    this.width = w;
    this.client = client;
    this.out = out;
    this.err = err;
    this.env = env;
    this.unknown = unknown;
    sent = new int[n];
    sentI = new int[n];
    recv = new int[n];
    recvI = new int[n];
    recvTotal = new int[n];
    minReply = new long[n];
    maxReply = new long[n];
    totalTime = new long[n];
    minI = new long[n];
    maxI = new long[n];
    totalI = new long[n];
    resp = o.reportAllRtts ? new long[n][o.count] : null;
    sumSquares = o.json ? new double[n] : null;
    errors = o.json ? new int[n] : null;
    this.report = new FpingReport(o, this, hosts, width, out, err);
    this.progress = new FpingProgress(o, this, n, env, out, err);
  }

  String label(int h) {
    return hosts[h].label();
  }

  InetAddress address(int h) {
    return hosts[h].address();
  }

  /**
   * Runs until every probe is answered or timed out (never, with -l, until SIGINT); prints the end;
   * the status.
   */
  int run() {
    long start = System.nanoTime();
    long nextReport = o.reportNs > 0 ? start + o.reportNs : Long.MAX_VALUE;
    progress.start(start);
    long lastFlush = start;
    Runnable restoreInt =
        env.signals()
            .onInterrupt(
                () -> {
                  finishRequested.set(true);
                  LockSupport.unpark(owner);
                });
    Runnable restoreQuit =
        FpingSignals.onQuit(
            () -> {
              snapshot.set(true);
              LockSupport.unpark(owner);
            });
    CompletableFuture<Void> done;
    try {
      synchronized (this) {
        schedule = client.schedule(FpingSchedule.of(o, hosts).listener(this));
      }
      Timeline.mark("probing");
      done = schedule.done();
      var _ = done.whenComplete((v, e) -> LockSupport.unpark(owner));
      while (true) {
        long wake = Long.MAX_VALUE;
        long now = System.nanoTime();
        synchronized (this) {
          if (finishRequested.get() || (o.fastReachable && alive >= o.minReachable)) break;
          if (snapshot.getAndSet(false)) {
            progress.clear();
            report.splits();
          }
          if ((o.loop || o.countMode) && now >= nextReport) {
            progress.clear();
            if (o.netdata) report.netdata();
            else report.splits();
            while (now >= nextReport) nextReport += o.reportNs;
          }
          while (!lateTimeouts.isEmpty() && lateTimeouts.peek().at <= now) {
            Due d = lateTimeouts.poll();
            timedOut(d.host, d.index);
          }
          // the schedule's done follows its last listener call: nothing more will come
          if (done.isDone() && lateTimeouts.isEmpty()) break;
          if (dirty) {
            if (now - lastFlush >= FLUSH_GAP_NANOS) {
              flush();
              lastFlush = now;
            } else {
              wake = lastFlush + FLUSH_GAP_NANOS;
            }
          }
          wake = Math.min(wake, progress.tick(now));
          if (!lateTimeouts.isEmpty()) wake = Math.min(wake, lateTimeouts.peek().at);
          if (o.reportNs > 0 && (o.loop || o.countMode)) wake = Math.min(wake, nextReport);
        }
        if (!done.isDone() || wake != Long.MAX_VALUE) {
          // woken early by the first line printed after a flush, an ICMP error's timeout, -X, the
          // end, a signal
          LockSupport.parkNanos(
              this, wake == Long.MAX_VALUE ? 100_000_000L : Math.max(1, wake - now));
        }
      }
      // Ctrl-C or -X: what is still in flight is withdrawn, as fping stops waiting for it. With
      // --json, duplicates of the last answers get a short grace first (fping never waits).
      Timeline.mark("probes done");
      if (o.json && !o.quiet && !finishRequested.get() && done.isDone()) graceForDuplicates();
      schedule.close();
      synchronized (this) {
        progress.clear();
        flush();
        end(); // what printing failed with on the callback thread ends the command here
      }
      failure(done);
    } finally {
      restoreInt.run();
      restoreQuit.run();
    }
    pingsSent = (int) schedule.sent();
    return report.finish(System.nanoTime() - start);
  }

  private static void graceForDuplicates() {
    try {
      Thread.sleep(STRAGGLER_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A failure of the engine itself (not of an echo) ends the command with fping's system-failure
   * status.
   */
  private static void failure(CompletableFuture<Void> done) {
    if (!done.isCompletedExceptionally()) return;
    Throwable t = done.exceptionNow();
    throw new CliException(
        4, t instanceof org.icmpecho.IcmpException ? t.getMessage() : "echo failed: " + t, false);
  }

  // --- the listener: on the engine's callback thread, under this object's lock

  @Override
  void result(int h, long probe, EchoResult result) {
    int index = (int) probe;
    progress.outcome();
    switch (result) {
      case EchoResult.Reply r -> reply(h, index, r);
      case EchoResult.TimedOut t -> {
        report.json(h, index, t, false);
        timedOut(h, index);
      }
      case EchoResult.IcmpError e -> {
        // fping prints the ICMP error when it comes and still waits for the echo's timeout
        otherIcmp++;
        if (errors != null) errors[h]++;
        if (!o.quiet && !o.json) {
          printing();
          err.println(
              IcmpText.fping(e)
                  + " from "
                  + Addr.text(e.from())
                  + " for ICMP Echo sent to "
                  + hosts[h].label());
        }
        report.json(h, index, e, false);
        timeoutLater(h, index);
      }
      case EchoResult.SendFailed f -> {
        if (errors != null) errors[h]++;
        if (o.verbose) {
          printing();
          err.println(hosts[h].label() + ": error while sending ping: " + f.message());
        }
        report.json(h, index, f, false);
        sent[h]++;
        sentI[h]++;
        if (resp != null && index < resp[h].length) resp[h][index] = ERROR;
        progress.settle(h);
      }
      case EchoResult.Corrupted c -> {
        // a reply whose payload differs: fping would count it; we report it and let the probe time
        // out
        if (errors != null) errors[h]++;
        if (!o.quiet && !o.json) {
          printing();
          err.println(
              hosts[h].label()
                  + ": corrupted reply from "
                  + Addr.text(c.from())
                  + ": "
                  + c.reason());
        }
        report.json(h, index, c, false);
        timeoutLater(h, index);
      }
    }
  }

  @Override
  void duplicate(int h, long probe, EchoResult.Reply r) {
    recvTotal[h]++;
    pingsReceived++;
    if (!o.perRecv && !o.json) {
      printing();
      err.print(
          hosts[h].label()
              + " : duplicate for ["
              + probe
              + "], "
              + r.bytes()
              + " bytes, "
              + Fmt.fpingMs(r.rtt().toNanos())
              + " ms");
      if (!r.from().equals(hosts[h].address())) err.print(" [<- " + Addr.text(r.from()) + "]");
      err.println();
    }
    report.json(h, (int) probe, r, true);
  }

  /** An echo that an ICMP error (or a corrupted reply) answered times out when its time is up. */
  private void timeoutLater(int h, int index) {
    lateTimeouts.add(
        new Due(System.nanoTime() + FpingSchedule.tryTimeout(o, index), order++, h, index));
    LockSupport.unpark(owner);
  }

  /** Before a line: the progress line goes, and the command's thread is told to flush. */
  void printing() {
    progress.clear();
    if (!dirty) {
      dirty = true;
      LockSupport.unpark(owner);
    }
  }

  private void flush() {
    dirty = false;
    out.flush();
    err.flush();
  }

  // fping's average: its C divides int64 nanoseconds as integers
  @SuppressWarnings("NarrowCalculation")
  private void reply(int h, int index, EchoResult.Reply r) {
    long rtt = r.rtt().toNanos();
    recvTotal[h]++;
    pingsReceived++;
    sent[h]++;
    sentI[h]++;
    recv[h]++;
    recvI[h]++;
    if (maxReply[h] == 0 || rtt > maxReply[h]) maxReply[h] = rtt;
    if (maxI[h] == 0 || rtt > maxI[h]) maxI[h] = rtt;
    if (minReply[h] == 0 || rtt < minReply[h]) minReply[h] = rtt;
    if (minI[h] == 0 || rtt < minI[h]) minI[h] = rtt;
    totalTime[h] += rtt;
    totalI[h] += rtt;
    if (sumSquares != null) sumSquares[h] += (double) rtt * rtt;
    if (resp != null && index < resp[h].length) resp[h][index] = rtt;
    if (allMax == 0 || rtt > allMax) allMax = rtt;
    if (allMin == 0 || rtt < allMin) allMin = rtt;
    allSum += rtt;
    allCount++;
    report.json(h, index, r, false);
    if (recv[h] == 1) {
      alive++;
      if (o.fastReachable && alive >= o.minReachable) LockSupport.unpark(owner);
      if ((o.verbose || o.alive) && !o.json) {
        printing();
        out.print(hosts[h].label());
        if (o.verbose) out.print(" is alive");
        if (o.elapsed) out.print(" (" + Fmt.fpingMs(rtt) + " ms)");
        if (!r.from().equals(hosts[h].address())) {
          out.flush();
          err.print(" [<- " + Addr.text(r.from()) + "]");
          err.flush();
        }
        out.println();
      }
    }
    if (o.perRecv) {
      printing();
      StringBuilder sb = new StringBuilder(80);
      if (o.timestamp) report.stamp(sb);
      report
          .padded(sb, h)
          .append(" : [")
          .append(index)
          .append("], ")
          .append(r.bytes())
          .append(" bytes, ");
      Fmt.fpingMs(sb, rtt).append(" ms (");
      Fmt.fpingMs(sb, (double) (totalTime[h] / recv[h])).append(" avg, ");
      report.lossOrReturn(sb, h).append(')');
      out.print(sb);
      if (!r.from().equals(hosts[h].address())) {
        out.flush();
        err.print(" [<- " + Addr.text(r.from()) + "]");
        err.flush();
      }
      out.println();
    }
    progress.settle(h);
  }

  // fping's average: its C divides int64 nanoseconds as integers
  @SuppressWarnings("NarrowCalculation")
  private void timedOut(int h, int index) {
    sent[h]++;
    sentI[h]++;
    timeouts++;
    if (resp != null && index < resp[h].length) resp[h][index] = TIMEOUT;
    if (o.perRecv) {
      printing();
      StringBuilder sb = new StringBuilder(80);
      if (o.timestamp) report.stamp(sb);
      report.padded(sb, h).append(" : [").append(index).append("], timed out (");
      if (recv[h] > 0) Fmt.fpingMs(sb, (double) (totalTime[h] / recv[h])).append(" avg, ");
      else sb.append("NaN avg, ");
      report.lossOrReturn(sb, h).append(')');
      out.println(sb);
    }
    progress.settle(h);
  }
}
