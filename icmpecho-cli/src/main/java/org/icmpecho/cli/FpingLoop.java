package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.PathMtuDiscovery;
import org.icmpecho.PingSchedule;

/**
 * fping's probing on the engine's {@link PingSchedule}, in fping's words. The schedule sends, from
 * the engine's I/O thread, what fping's main loop sends: fping's default mode as {@code
 * untilReply(-r, -B)} (each retry when the previous try's timeout is over, the timeout grown by the
 * backoff), count mode as {@code count(-c)} every {@code -p}, loop mode without an end; at most one
 * send per {@code -i} in all. Its listener only queues each outcome and wakes the command's thread,
 * which prints, counts, and makes the {@code -Q} reports and SIGQUIT snapshots when due.
 *
 * <p>Counting follows fping: an echo counts as sent when its outcome is known (answer or timeout)
 * or its send failed, so a loss percentage never counts echoes still on their way; a reply later
 * than the timeout is dropped by the engine as fping drops it. Output goes where fping writes it:
 * per-echo lines and "is alive" on stdout, summaries, {@code -s}, {@code -Q} reports, warnings on
 * stderr.
 */
final class FpingLoop {
  /** A target: what to print, the name for netdata charts, where to send. */
  record Host(String label, String chart, InetAddress address) {}

  private record Due(long at, long order, int host, int index) {}

  private record Outcome(int host, int index, long sentAt, EchoResult result, boolean duplicate) {}

  private final FpingOptions o;
  private final int n;
  private final Host[] hosts;
  private final int width;
  private final IcmpClient client;
  private final PrintWriter out, err;
  private final Env env;
  private final FpingReport report;
  private final byte[] randomPayload;

  // fping's per-host counters; *I are the -Q interval's
  final int[] sent, sentI, recv, recvI, recvTotal;
  final long[] minReply, maxReply, totalTime, minI, maxI, totalI;
  final long[][] resp; // per probe (count mode): RTT ns, or WAITING / TIMEOUT / ERROR
  static final long WAITING = -1, TIMEOUT = -4, ERROR = -3;

  // totals (fping -s)
  int alive, timeouts, pingsSent, pingsReceived, otherIcmp, unknown;
  long allMin, allMax, allSum, allCount;

  private final PriorityQueue<Due> lateTimeouts =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long order;
  private PingSchedule schedule;
  private final Queue<Outcome> events = new ConcurrentLinkedQueue<>();
  private final Thread owner = Thread.currentThread();
  private final AtomicBoolean finishRequested = new AtomicBoolean(), snapshot = new AtomicBoolean();

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
    int trials = Math.max(o.count, o.retry + 1);
    resp = o.loop ? null : new long[n][];
    if (resp != null) for (int i = 0; i < n; i++) resp[i] = new long[trials];
    this.report = new FpingReport(o, this, hosts, width, out, err);
    if (o.random) {
      randomPayload = new byte[o.size];
      ThreadLocalRandom.current().nextBytes(randomPayload);
    } else {
      randomPayload = null;
    }
  }

  String label(int h) {
    return hosts[h].label();
  }

  /**
   * Runs until every probe is answered or timed out (never, with -l, until SIGINT); prints the end;
   * the status.
   */
  int run() {
    long start = System.nanoTime();
    long nextReport = o.reportNs > 0 ? start + o.reportNs : Long.MAX_VALUE;
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
    try {
      schedule = client.schedule(schedule());
      CompletableFuture<Void> done = schedule.done();
      var _ = done.whenComplete((v, e) -> LockSupport.unpark(owner));
      while (!finishRequested.get()) {
        drain();
        if (o.fastReachable && alive >= o.minReachable) break;
        long now = System.nanoTime();
        if (snapshot.getAndSet(false)) report.splits();
        if ((o.loop || o.countMode) && now >= nextReport) {
          if (o.netdata) report.netdata();
          else report.splits();
          while (now >= nextReport) nextReport += o.reportNs;
        }
        while (!lateTimeouts.isEmpty() && lateTimeouts.peek().at <= now) {
          Due d = lateTimeouts.poll();
          timedOut(d.host, d.index);
        }
        if (done.isDone() && events.isEmpty() && lateTimeouts.isEmpty()) break;
        long wake = Long.MAX_VALUE;
        if (!lateTimeouts.isEmpty()) wake = lateTimeouts.peek().at;
        if (o.reportNs > 0 && (o.loop || o.countMode)) wake = Math.min(wake, nextReport);
        if (events.isEmpty() && !done.isDone()) {
          LockSupport.parkNanos(
              this, wake == Long.MAX_VALUE ? 100_000_000L : Math.max(0, wake - now));
        }
      }
      schedule
          .close(); // Ctrl-C or -X: what is still in flight is withdrawn, as fping stops waiting
      // for it
      drain();
      failure(done);
    } finally {
      restoreInt.run();
      restoreQuit.run();
    }
    pingsSent = (int) schedule.sent();
    return report.finish(System.nanoTime() - start);
  }

  /**
   * fping's modes as a schedule: one request per target (its own family's source address, -R's
   * payload).
   */
  private PingSchedule.Builder schedule() {
    List<EchoRequest> requests = new java.util.ArrayList<>(n);
    for (Host h : hosts) requests.add(request(h.address()));
    PingSchedule.Builder b =
        PingSchedule.of(requests)
            .interval(Duration.ofNanos(o.intervalNs))
            .period(Duration.ofNanos(o.periodNs))
            .maxInFlight(WINDOW)
            .listener(
                new PingSchedule.Listener() {
                  @Override
                  public void onResult(int target, long probe, EchoResult result) {
                    offer(new Outcome(target, (int) probe, System.nanoTime(), result, false));
                  }

                  @Override
                  public void onDuplicate(int target, long probe, EchoResult.Reply reply) {
                    offer(new Outcome(target, (int) probe, System.nanoTime(), reply, true));
                  }
                });
    if (o.loop) b.count(0);
    else if (o.countMode) b.count(o.count);
    else b.untilReply(o.retry, o.backoffOn ? o.backoff : 1.0);
    return b;
  }

  /** The most echoes in flight at once: what the client was opened for (see {@link Fping}). */
  static final int WINDOW = 16_384;

  private EchoRequest request(InetAddress target) {
    EchoRequest.Builder b =
        EchoRequest.to(target).timeout(Duration.ofNanos(Math.max(o.timeoutNs, 1_000L)));
    if (randomPayload != null) b.payload(randomPayload);
    else b.payloadSize(o.size);
    if (o.ttl > 0) b.ttl(o.ttl);
    if (o.tos >= 0 && o.tos <= 255) b.tos(o.tos);
    if (o.dontFrag) b.pathMtuDiscovery(PathMtuDiscovery.DO);
    InetAddress src = target instanceof java.net.Inet4Address ? o.src4 : o.src6;
    if (src != null) b.source(src);
    if (o.iface != null) b.interfaceName(o.iface);
    return b.build();
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

  private void offer(Outcome ev) {
    events.add(ev);
    LockSupport.unpark(owner);
  }

  private void drain() {
    Outcome ev;
    boolean any = false;
    while ((ev = events.poll()) != null) {
      any = true;
      handle(ev);
    }
    if (any) {
      out.flush();
      err.flush();
    }
  }

  private void handle(Outcome ev) {
    int h = ev.host;
    switch (ev.result) {
      case EchoResult.Reply r when ev.duplicate -> {
        recvTotal[h]++;
        pingsReceived++;
        if (!o.perRecv && !o.json) {
          err.print(
              hosts[h].label()
                  + " : duplicate for ["
                  + ev.index
                  + "], "
                  + r.bytes()
                  + " bytes, "
                  + Fmt.fpingMs(r.rtt().toNanos())
                  + " ms");
          if (!r.from().equals(hosts[h].address())) err.print(" [<- " + Addr.text(r.from()) + "]");
          err.println();
        }
        report.json(h, ev.index, r, true);
      }
      case EchoResult.Reply r -> reply(h, ev.index, r);
      case EchoResult.TimedOut t -> {
        report.json(h, ev.index, t, false);
        timedOut(h, ev.index);
      }
      case EchoResult.IcmpError e -> {
        // fping prints the ICMP error when it comes and still waits for the echo's timeout
        otherIcmp++;
        if (!o.quiet && !o.json) {
          err.println(
              IcmpText.fping(e)
                  + " from "
                  + Addr.text(e.from())
                  + " for ICMP Echo sent to "
                  + hosts[h].label());
        }
        report.json(h, ev.index, e, false);
        lateTimeouts.add(new Due(ev.sentAt + tryTimeout(ev.index), order++, h, ev.index));
      }
      case EchoResult.SendFailed f -> {
        if (o.verbose) err.println(hosts[h].label() + ": error while sending ping: " + f.message());
        report.json(h, ev.index, f, false);
        sent[h]++;
        sentI[h]++;
        if (resp != null && ev.index < resp[h].length) resp[h][ev.index] = ERROR;
      }
      case EchoResult.Corrupted c -> {
        // a reply whose payload differs: fping would count it; we report it and let the probe time
        // out
        if (!o.quiet && !o.json) {
          err.println(
              hosts[h].label()
                  + ": corrupted reply from "
                  + Addr.text(c.from())
                  + ": "
                  + c.reason());
        }
        report.json(h, ev.index, c, false);
        lateTimeouts.add(new Due(ev.sentAt + tryTimeout(ev.index), order++, h, ev.index));
      }
    }
  }

  @SuppressWarnings(
      "NarrowCalculation") // fping's average: its C divides int64 nanoseconds as integers
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
    if (resp != null && index < resp[h].length) resp[h][index] = rtt;
    if (allMax == 0 || rtt > allMax) allMax = rtt;
    if (allMin == 0 || rtt < allMin) allMin = rtt;
    allSum += rtt;
    allCount++;
    report.json(h, index, r, false);
    if (recv[h] == 1) {
      alive++;
      if (o.verbose || o.alive) {
        out.print(hosts[h].label());
        if (o.verbose) out.print(" is alive");
        if (o.elapsed) out.print(" (" + Fmt.fpingMs(rtt) + " ms)");
        out.flush();
        if (!r.from().equals(hosts[h].address())) {
          err.print(" [<- " + Addr.text(r.from()) + "]");
          err.flush();
        }
        out.println();
      }
    }
    if (o.perRecv) {
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
  }

  /**
   * The timeout of try {@code index}: grown by the backoff between the default mode's tries, as the
   * schedule does.
   */
  private long tryTimeout(int index) {
    return o.loop || o.countMode || !o.backoffOn
        ? o.timeoutNs
        : (long) (o.timeoutNs * Math.pow(o.backoff, index));
  }

  @SuppressWarnings(
      "NarrowCalculation") // fping's average: its C divides int64 nanoseconds as integers
  private void timedOut(int h, int index) {
    sent[h]++;
    sentI[h]++;
    timeouts++;
    if (resp != null && index < resp[h].length) resp[h][index] = TIMEOUT;
    if (o.perRecv) {
      StringBuilder sb = new StringBuilder(80);
      if (o.timestamp) report.stamp(sb);
      report.padded(sb, h).append(" : [").append(index).append("], timed out (");
      if (recv[h] > 0) Fmt.fpingMs(sb, (double) (totalTime[h] / recv[h])).append(" avg, ");
      else sb.append("NaN avg, ");
      report.lossOrReturn(sb, h).append(')');
      out.println(sb);
    }
  }
}
