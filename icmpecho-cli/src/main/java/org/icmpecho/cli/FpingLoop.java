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

/**
 * fping's probing on the engine, with fping's schedule and fping's words. One thread (the caller's) runs fping's main
 * loop: a queue of due probes ({@code -p} apart per target in count and loop modes), at most one send per {@code -i}
 * in all, {@code -Q} reports when due; the engine times each echo out after the target's current timeout (grown by
 * {@code -B} between the retries of the default mode) and its callbacks only queue the outcome and wake this thread.
 *
 * <p>Counting follows fping: an echo counts as sent when its outcome is known (answer or timeout) or its send
 * failed, so a loss percentage never counts echoes still on their way; a reply later than the timeout is dropped by
 * the engine as fping drops it. Output goes where fping writes it: per-echo lines and "is alive" on stdout, summaries,
 * {@code -s}, {@code -Q} reports, warnings on stderr.
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
  private final long[] timeout;
  final long[][] resp; // per probe (count mode): RTT ns, or WAITING / TIMEOUT / ERROR
  static final long WAITING = -1, TIMEOUT = -4, ERROR = -3;

  // totals (fping -s)
  int alive, timeouts, pingsSent, pingsReceived, otherIcmp, unknown;
  long allMin, allMax, allSum, allCount;

  private final PriorityQueue<Due> pings = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
      : Long.compare(a.order, b.order));
  private final PriorityQueue<Due> lateTimeouts = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private long order;
  private int inFlight;
  private long lastSend = Long.MIN_VALUE / 2;
  private final Queue<Outcome> events = new ConcurrentLinkedQueue<>();
  private final Thread owner = Thread.currentThread();
  private final AtomicBoolean finishRequested = new AtomicBoolean(), snapshot = new AtomicBoolean();

  FpingLoop(FpingOptions o, List<Host> list, int unknown, IcmpClient client, PrintWriter out, PrintWriter err, Env env) {
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
    timeout = new long[n];
    java.util.Arrays.fill(timeout, o.timeoutNs);
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

  /** Runs until every probe is answered or timed out (never, with -l, until SIGINT); prints the end; the status. */
  int run() {
    long start = System.nanoTime();
    for (int h = 0; h < n; h++) pings.add(new Due(start, order++, h, 0));
    long nextReport = o.reportNs > 0 ? start + o.reportNs : Long.MAX_VALUE;
    Runnable restoreInt = env.signals().onInterrupt(() -> {
      finishRequested.set(true);
      LockSupport.unpark(owner);
    });
    Runnable restoreQuit = FpingSignals.onQuit(() -> {
      snapshot.set(true);
      LockSupport.unpark(owner);
    });
    try {
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
        Due next = pings.peek();
        if (next != null && next.at <= now && now - lastSend >= o.intervalNs) {
          pings.poll();
          send(next.host, next.index, now);
          if (o.loop || (o.countMode && next.index + 1 < o.count)) {
            pings.add(new Due(next.at + o.periodNs, order++, next.host, next.index + 1));
          }
          continue;
        }
        if (pings.isEmpty() && inFlight == 0 && lateTimeouts.isEmpty()) break;
        long wake = Long.MAX_VALUE;
        if (next != null) wake = Math.max(next.at, lastSend + o.intervalNs);
        if (!lateTimeouts.isEmpty()) wake = Math.min(wake, lateTimeouts.peek().at);
        if (o.reportNs > 0 && (o.loop || o.countMode)) wake = Math.min(wake, nextReport);
        if (events.isEmpty()) LockSupport.parkNanos(this, wake == Long.MAX_VALUE ? 100_000_000L : Math.max(0, wake - now));
      }
      drain();
    } finally {
      restoreInt.run();
      restoreQuit.run();
    }
    return report.finish(System.nanoTime() - start);
  }

  private void send(int h, int index, long now) {
    lastSend = now;
    pingsSent++;
    EchoRequest.Builder b = EchoRequest.to(hosts[h].address()).timeout(Duration.ofNanos(Math.max(timeout[h], 1_000L)));
    if (randomPayload != null) b.payload(randomPayload);
    else b.payloadSize(o.size);
    if (o.ttl > 0) b.ttl(o.ttl);
    if (o.tos >= 0 && o.tos <= 255) b.tos(o.tos);
    if (o.dontFrag) b.pathMtuDiscovery(PathMtuDiscovery.DO);
    InetAddress src = hosts[h].address() instanceof java.net.Inet4Address ? o.src4 : o.src6;
    if (src != null) b.source(src);
    if (o.iface != null) b.interfaceName(o.iface);
    if (resp != null && index < resp[h].length) resp[h][index] = WAITING;
    CompletableFuture<EchoResult> f;
    try {
      f = client.echoAsync(b.build(), dup -> offer(new Outcome(h, index, now, dup, true)));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    inFlight++;
    var _ = f.whenComplete((r, e) -> offer(new Outcome(h, index, now, r != null ? r : failed(b, e), false)));
  }

  private static EchoResult failed(EchoRequest.Builder b, Throwable e) {
    Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    return new EchoResult.SendFailed(b.build(), org.icmpecho.IpStatus.IP_GENERAL_FAILURE, null, String.valueOf(t.getMessage()), 0);
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
      if (!ev.duplicate) inFlight--;
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
          err.print(hosts[h].label() + " : duplicate for [" + ev.index + "], " + r.bytes() + " bytes, "
              + Fmt.fpingMs(r.rtt().toNanos()) + " ms");
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
          err.println(IcmpText.fping(e) + " from " + Addr.text(e.from()) + " for ICMP Echo sent to " + hosts[h].label());
        }
        report.json(h, ev.index, e, false);
        lateTimeouts.add(new Due(ev.sentAt + timeout[h], order++, h, ev.index));
      }
      case EchoResult.SendFailed f -> {
        if (o.verbose) err.println(hosts[h].label() + ": error while sending ping: " + f.message());
        report.json(h, ev.index, f, false);
        sent[h]++;
        sentI[h]++;
        if (resp != null && ev.index < resp[h].length) resp[h][ev.index] = ERROR;
      }
      case EchoResult.Corrupted c -> {
        // a reply whose payload differs: fping would count it; we report it and let the probe time out
        if (!o.quiet && !o.json) {
          err.println(hosts[h].label() + ": corrupted reply from " + Addr.text(c.from()) + ": " + c.reason());
        }
        report.json(h, ev.index, c, false);
        lateTimeouts.add(new Due(ev.sentAt + timeout[h], order++, h, ev.index));
      }
    }
  }

  @SuppressWarnings("NarrowCalculation") // fping's average: its C divides int64 nanoseconds as integers
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
    timeout[h] = o.timeoutNs; // the next try starts from the initial timeout again
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
      report.padded(sb, h).append(" : [").append(index).append("], ").append(r.bytes()).append(" bytes, ");
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

  @SuppressWarnings("NarrowCalculation") // fping's average: its C divides int64 nanoseconds as integers
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
    if (!o.loop && !o.countMode && sent[h] < o.retry + 1) { // the default mode's retry, at once
      if (o.backoffOn) timeout[h] = (long) (timeout[h] * o.backoff);
      send(h, index, System.nanoTime());
    }
  }
}
