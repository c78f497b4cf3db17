package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.PingSchedule;

/**
 * One trace: a schedule of one echo per hop and probe (probe-major: every hop's first probe, then
 * every hop's second ...), their outcomes, and the printing of complete hops in order. The listener
 * (the engine's callback thread) records outcomes; the command's thread prints hops as they
 * complete and gives up, NEAR-style, on probes of hops before an answered one, waiting on this
 * object between the two.
 */
final class TraceRun implements PingSchedule.Listener {
  /** What the trace takes from the command line, and where it prints. */
  record Settings(
      String host, int firstTtl, int probes, Duration probeWait, boolean json, PrintWriter out) {}

  private final String host;
  private final int firstTtl, probes;
  private final Duration wait;
  private final boolean json;
  private final Env env;

  private final IcmpClient client;
  private final InetAddress target;
  private final int hops;
  private final int window;
  private final ExecutorService lookups;
  // Guarded by this.
  private final EchoResult[][] result;
  private final boolean[][] done;
  private final long[] giveUp;
  private final Map<InetAddress, Future<String>> names = new HashMap<>();
  private final PrintWriter out;
  private int stopHop; // hops at or beyond this index are not needed: an earlier hop was final
  private int nextPrint;
  private boolean reached;
  private boolean interrupted;
  private PingSchedule schedule;

  /**
   * When this thread first saw each probe sent (0: not yet); a give-up waits at least
   * TraceCommand.NEAR_FLOOR_MS past it.
   */
  private final long[][] seenSent;

  TraceRun(
      IcmpClient client,
      InetAddress target,
      int hops,
      int window,
      ExecutorService lookups,
      Settings s,
      Env env) {
    this.host = s.host();
    this.firstTtl = s.firstTtl();
    this.probes = s.probes();
    this.wait = s.probeWait();
    this.json = s.json();
    this.out = s.out();
    this.env = env;
    this.client = client;
    this.target = target;
    this.hops = hops;
    this.window = window;
    this.lookups = lookups;
    this.result = new EchoResult[hops][probes];
    this.done = new boolean[hops][probes];
    this.giveUp = new long[hops];
    this.seenSent = new long[hops][probes];
    java.util.Arrays.fill(giveUp, Long.MAX_VALUE);
    this.stopHop = hops;
  }

  /** Target number of probe {@code p} of hop {@code h} in the schedule. */
  private int index(int h, int p) {
    return p * hops + h;
  }

  int run() throws Exception {
    List<EchoRequest> requests = new ArrayList<>(hops * probes);
    for (int i = 0; i < hops * probes; i++) {
      requests.add(
          EchoRequest.to(target)
              .payloadSize(TraceCommand.PAYLOAD)
              .ttl(i % hops + firstTtl)
              .timeout(wait)
              .build());
    }
    PingSchedule.Builder b = PingSchedule.of(requests).maxInFlight(window).listener(this);
    Throwable failure;
    synchronized (this) {
      schedule = client.schedule(b);
    }
    Runnable restore =
        env.signals()
            .onInterrupt(
                () -> {
                  synchronized (this) {
                    interrupted = true;
                    notifyAll();
                  }
                });
    CompletableFuture<Void> finished = schedule.done();
    var _ =
        finished.whenComplete(
            (v, t) -> { // only wakes this thread, which reads the outcome itself
              synchronized (this) {
                notifyAll();
              }
            });
    try {
      synchronized (this) {
        while (nextPrint < stopHop && !interrupted && !finished.isCompletedExceptionally()) {
          long wake = expire(System.nanoTime());
          printComplete();
          if (nextPrint >= stopHop) break;
          long delay = wake - System.nanoTime();
          if (delay > 0) TimeUnit.NANOSECONDS.timedWait(this, delay);
        }
      }
    } finally {
      schedule.close();
      restore.run();
    }
    try {
      finished.get(10, TimeUnit.SECONDS);
      failure = null;
    } catch (ExecutionException e) {
      failure = e.getCause();
    }
    synchronized (this) {
      if (failure != null) {
        throw failure instanceof IcmpException ie
            ? new CliException(2, ie.getMessage(), false)
            : new CliException(2, "echo failed: " + failure, failure);
      }
      if (json) {
        out.println(
            new Json()
                .put("type", "summary")
                .put("target", Addr.text(target))
                .put("host", host)
                .put("reached", reached)
                .put("hops", Math.min(nextPrint, stopHop) + firstTtl - 1));
      }
      out.flush();
      return reached ? 0 : 1;
    }
  }

  @Override
  public synchronized void onResult(int index, long probe, EchoResult r) {
    int h = index % hops, p = index / hops;
    if (done[h][p]) return; // given up already
    done[h][p] = true;
    result[h][p] = r;
    InetAddress from = from(r);
    if (from != null && lookups != null && !names.containsKey(from)) {
      names.put(from, lookups.submit(() -> env.resolver().reverse(from)));
    }
    // The destination's reply or a refused send ends the trace at this hop. An unreachable answer
    // ends it only when every probe of its hop was answered: one unreachable among silent probes is
    // a rate-limited router (traceroute keeps probing past it), not the end of the path.
    boolean fin =
        r instanceof EchoResult.Reply
            || r instanceof EchoResult.SendFailed
            || (anyFinalError(h) && allAnswered(h));
    if (r instanceof EchoResult.Reply) reached = true;
    if (fin && h + 1 < stopHop) {
      for (int hh = h + 1; hh < stopHop; hh++) {
        for (int pp = 0; pp < probes; pp++) schedule.cancel(index(hh, pp));
      }
      stopHop = h + 1;
    }
    if (from != null) {
      long limit =
          System.nanoTime()
              + Math.max(
                  TraceCommand.NEAR_FACTOR * rtt(r), TraceCommand.NEAR_FLOOR_MS * 1_000_000L);
      for (int hh = 0; hh < h; hh++) giveUp[hh] = Math.min(giveUp[hh], limit);
    }
    notifyAll();
  }

  private boolean anyFinalError(int h) {
    for (EchoResult r : result[h])
      if (r instanceof EchoResult.IcmpError e && !IcmpText.isTransit(e)) return true;
    return false;
  }

  private boolean allAnswered(int h) {
    for (EchoResult r : result[h]) if (r == null || from(r) == null) return false;
    return true;
  }

  /**
   * Gives up waiting probes whose hop has a later answer long enough ago; returns when to look
   * again.
   */
  private long expire(long now) {
    long next = now + 1_000_000_000L;
    for (int h = nextPrint; h < Math.min(stopHop, hops); h++) {
      for (int p = 0; p < probes; p++) {
        if (seenSent[h][p] == 0 && schedule.sent(index(h, p)) > 0)
          seenSent[h][p] = now; // woken by outcomes: soon
      }
      if (giveUp[h] == Long.MAX_VALUE) continue;
      for (int p = 0; p < probes; p++) {
        if (done[h][p] || seenSent[h][p] == 0) continue;
        long at = Math.max(giveUp[h], seenSent[h][p] + TraceCommand.NEAR_FLOOR_MS * 1_000_000L);
        if (now >= at) {
          done[h][p] = true;
          schedule.cancel(index(h, p));
        } else {
          next = Math.min(next, at);
        }
      }
    }
    return next;
  }

  private void printComplete() {
    while (nextPrint < stopHop) {
      for (int p = 0; p < probes; p++) if (!done[nextPrint][p]) return;
      printHop(nextPrint++);
    }
  }

  private void printHop(int h) {
    int ttl = h + firstTtl;
    if (json) {
      for (int p = 0; p < probes; p++) {
        EchoResult r = result[h][p];
        InetAddress from = r == null ? null : from(r);
        Json j =
            new Json()
                .put("type", "hop")
                .put("target", Addr.text(target))
                .put("ttl", ttl)
                .put("probe", p + 1);
        j.put("from", from == null ? null : Addr.text(from));
        if (from != null && lookups != null) j.put("name", name(from));
        j.put("status", r == null ? "IP_REQ_TIMED_OUT" : r.status().name());
        j.put("status_code", r == null ? 11010 : r.status().code());
        j.putRaw("rtt_ms", from == null ? null : Fmt.jsonMs(rtt(r)));
        if (r instanceof EchoResult.IcmpError e)
          j.put("icmp_type", e.icmpType()).put("icmp_code", e.icmpCode());
        if (r instanceof EchoResult.SendFailed f)
          j.put("errno", f.errno()).put("message", f.message());
        out.println(j);
        out.flush();
      }
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(ttl < 10 ? " " : "").append(ttl).append(' ');
    InetAddress last = null;
    for (int p = 0; p < probes; p++) {
      EchoResult r = result[h][p];
      InetAddress from = r == null ? null : from(r);
      if (from == null) {
        sb.append(r instanceof EchoResult.SendFailed f ? " !" + f.errno() : " *");
        continue;
      }
      if (!from.equals(last)) {
        String literal = Addr.text(from);
        sb.append(' ').append(lookups == null ? literal : name(from) + " (" + literal + ")");
        last = from;
      }
      sb.append("  ").append(Fmt.ms3(rtt(r))).append(" ms");
      if (r instanceof EchoResult.IcmpError e) {
        String mark = IcmpText.traceMark(e);
        if (!mark.isEmpty()) sb.append(' ').append(mark);
      }
    }
    out.println(sb);
    out.flush();
  }

  private String name(InetAddress a) {
    Future<String> f = names.get(a);
    try {
      return f == null ? Addr.text(a) : f.get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return Addr.text(a);
    }
  }

  private static InetAddress from(EchoResult r) {
    return switch (r) {
      case EchoResult.Reply x -> x.from();
      case EchoResult.IcmpError x -> x.from();
      case EchoResult.Corrupted x -> x.from();
      case EchoResult.TimedOut x -> null;
      case EchoResult.SendFailed x -> null;
    };
  }

  private static long rtt(EchoResult r) {
    return switch (r) {
      case EchoResult.Reply x -> x.rtt().toNanos();
      case EchoResult.IcmpError x -> x.rtt().toNanos();
      case EchoResult.Corrupted x -> x.rtt().toNanos();
      default -> 0;
    };
  }
}
