package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
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
 * One sweep over many targets: fping's modes on a {@link PingSchedule}, per-target state in
 * primitive arrays, and fping's output.
 *
 * <p>Threads: the schedule sends from the engine's I/O thread (pacing, window, retries with
 * backoff, count mode); its outcomes reach {@link #onResult} on the engine's callback thread, one
 * at a time, which counts and prints them. The command's thread only starts the schedule, waits for
 * it (flushing output and drawing the progress line meanwhile) and prints the end.
 */
final class Sweep extends PrintingListener {
  private static final long PROGRESS_AFTER_NANOS = 1_000_000_000L;
  private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

  /** How often the waiting command thread flushes what the listener printed. */
  private static final long FLUSH_EVERY_NANOS = 20_000_000L;

  /**
   * @param count probes per target (count mode), or 0 for fping's default "is it alive" mode
   * @param stepNanos nanoseconds between two sends, 0 for as fast as the window allows
   */
  record Config(
      int count,
      int retries,
      double backoff,
      long stepNanos,
      long periodNanos,
      long timeoutNanos,
      int payloadSize,
      int window,
      boolean json,
      boolean quiet,
      boolean showAlive,
      boolean showUnreachable,
      boolean elapsed,
      boolean stats) {}

  private static final byte PENDING = 0, ALIVE = 1, UNREACHABLE = 2;

  private final Config c;
  private final int n;
  private final String[] label;
  private final InetAddress[] address;
  private final int width;
  private final PrintWriter out;
  private final PrintWriter err;
  private final int unknown;
  private final EchoRequest template;

  // per target (guarded by this, as everything the listener touches)
  private final int[] completed;
  private final int[] received;
  private final int[] dups;
  private final int[] errors;
  private final long[] rttMin;
  private final long[] rttMax;
  private final double[] rttMean;
  private final double[] rttM2;
  private final byte[] state;

  // totals
  private int finished, alive;
  private long outcomes, totalReplies, totalTimeouts, totalOther;
  private final RttStats allRtt = new RttStats();

  private static final long STRAGGLER_GRACE_NANOS = 10_000_000L;
  private volatile boolean interrupted;
  private final boolean progress;
  private boolean progressShown;

  /**
   * @param unknown how many names did not resolve (for -s)
   * @param terminal whether stderr is a terminal (the live progress line)
   */
  Sweep(
      Config config,
      List<Targets.Target> targets,
      int unknown,
      PrintWriter out,
      PrintWriter err,
      boolean terminal) {
    this.c = config;
    this.unknown = unknown;
    this.n = targets.size();
    this.label = new String[n];
    this.address = new InetAddress[n];
    int w = 0;
    for (int i = 0; i < n; i++) {
      label[i] = targets.get(i).label();
      address[i] = targets.get(i).address();
      w = Math.max(w, label[i].length());
    }
    this.width = w;
    this.out = out;
    this.err = err;
    this.completed = new int[n];
    this.received = new int[n];
    this.dups = new int[n];
    this.errors = new int[n];
    this.rttMin = new long[n];
    this.rttMax = new long[n];
    this.rttMean = new double[n];
    this.rttM2 = new double[n];
    this.state = new byte[n];
    this.progress = terminal;
    // One request for every target (the engine's template path); the schedule makes retries' longer
    // timeouts.
    this.template =
        EchoRequest.to(address[0])
            .payloadSize(c.payloadSize())
            .timeout(Duration.ofNanos(c.timeoutNanos()))
            .build();
  }

  /**
   * Runs the sweep to the end (or Ctrl-C) and prints the final output; returns how many targets are
   * alive.
   */
  int run(IcmpClient client, Env.Signals signals) throws Exception {
    PingSchedule.Builder b =
        PingSchedule.to(Arrays.asList(address), template)
            .interval(Duration.ofNanos(c.stepNanos()))
            .maxInFlight(c.window())
            .listener(this);
    if (c.count() > 0) b.count(c.count()).period(Duration.ofNanos(c.periodNanos()));
    else b.untilReply(c.retries(), c.backoff());
    long start = System.nanoTime();
    Throwable failure = null;
    synchronized (this) {
      schedule = client.schedule(b);
    }
    Runnable restore =
        signals.onInterrupt(
            () -> {
              interrupted = true;
              schedule.close();
            });
    try {
      failure = await(schedule.done(), start);
      // A duplicate follows the answer it duplicates, so the last answers' duplicates may still be
      // on their way:
      // give them a short grace before the summary (10 ms; nothing is sent meanwhile). Only where
      // they are
      // reported: -q without --json prints no duplicate.
      if (failure == null && !interrupted && (!c.quiet() || c.json()))
        Thread.sleep(STRAGGLER_GRACE_NANOS / 1_000_000);
    } finally {
      schedule.close();
      restore.run();
    }
    long elapsed = System.nanoTime() - start;
    synchronized (this) {
      clearProgress();
      out.flush(); // what the listener printed goes out before the end's lines, as it came
      err.flush();
      end();
      if (failure != null) {
        throw failure instanceof IcmpException ie
            ? new CliException(4, ie.getMessage(), false)
            : new CliException(4, "echo failed: " + failure, failure);
      }
      finish(elapsed);
    }
    return alive;
  }

  /**
   * Waits for the schedule, flushing output and drawing the progress line; returns the failure, if
   * any.
   */
  private Throwable await(CompletableFuture<Void> done, long start) throws InterruptedException {
    long nextProgress = start + PROGRESS_AFTER_NANOS;
    while (true) {
      try {
        done.get(FLUSH_EVERY_NANOS, TimeUnit.NANOSECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (TimeoutException e) {
        synchronized (this) {
          if (!c.json()) {
            out.flush();
            err.flush();
          }
          long now = System.nanoTime();
          if (progress && now - nextProgress >= 0) {
            showProgress();
            nextProgress = now + PROGRESS_EVERY_NANOS;
          }
        }
      }
    }
  }

  @Override
  void result(int t, long probe, EchoResult result) {
    outcome(t, (int) probe, result);
  }

  @Override
  void duplicate(int t, long probe, EchoResult.Reply reply) {
    printDuplicate(t, (int) probe, reply);
  }

  private void outcome(int t, int probe, EchoResult result) {
    completed[t]++;
    outcomes++;
    boolean reply = false;
    switch (result) {
      case EchoResult.Reply r -> {
        reply = true;
        long ns = r.rtt().toNanos();
        addRtt(t, ns);
        totalReplies++;
        event(t, probe, r, ns, r.ttl(), r.bytes(), false);
      }
      case EchoResult.IcmpError e -> {
        errors[t]++;
        totalOther++;
        event(t, probe, e, e.rtt().toNanos(), -1, e.request().payloadSize() + 8, false);
        if (!c.quiet() && !c.json()) {
          line(
              err,
              IcmpText.fping(e)
                  + " from "
                  + Addr.text(e.from())
                  + " for ICMP Echo sent to "
                  + label[t]);
        }
      }
      case EchoResult.TimedOut to -> {
        totalTimeouts++;
        event(t, probe, to, -1, -1, to.request().payloadSize() + 8, false);
      }
      case EchoResult.SendFailed f -> {
        errors[t]++;
        event(t, probe, f, -1, -1, f.request().payloadSize() + 8, false);
        if (!c.quiet() && !c.json())
          line(err, label[t] + ": error while sending ping: " + f.message());
      }
      case EchoResult.Corrupted x -> {
        errors[t]++;
        event(t, probe, x, x.rtt().toNanos(), -1, x.request().payloadSize() + 8, false);
        if (!c.quiet() && !c.json())
          line(err, label[t] + ": corrupted reply from " + Addr.text(x.from()) + ": " + x.reason());
      }
    }
    if (c.count() > 0) {
      if (!c.quiet() && !c.json()) countLine(t, probe, result);
      if (completed[t] == c.count()) finish(t, received[t] > 0 ? ALIVE : UNREACHABLE);
      return;
    }
    if (state[t] != PENDING) return;
    // The schedule sends the retries (when this try's time is up, fping's rule); here only the
    // verdict.
    if (reply) finish(t, ALIVE);
    else if (probe >= c.retries()) finish(t, UNREACHABLE);
  }

  private void addRtt(int t, long ns) {
    int k = ++received[t];
    if (k == 1 || ns < rttMin[t]) rttMin[t] = ns;
    if (k == 1 || ns > rttMax[t]) rttMax[t] = ns;
    double d = ns - rttMean[t];
    rttMean[t] += d / k;
    rttM2[t] += d * (ns - rttMean[t]);
    allRtt.add(ns);
  }

  private void finish(int t, byte verdict) {
    state[t] = verdict;
    finished++;
    if (verdict == ALIVE) alive++;
    if (c.json() || c.count() > 0) return; // count mode lists alive/unreachable at the end
    if (verdict == ALIVE) {
      if (c.showAlive())
        line(out, label[t] + (c.elapsed() ? " (" + Fmt.fpingMs(rttMax[t]) + " ms)" : ""));
      else if (!c.quiet() && !c.showUnreachable()) {
        line(
            out,
            label[t] + " is alive" + (c.elapsed() ? " (" + Fmt.fpingMs(rttMax[t]) + " ms)" : ""));
      }
    } else {
      if (c.showUnreachable()) line(out, label[t]);
      else if (!c.quiet() && !c.showAlive()) line(out, label[t] + " is unreachable");
    }
  }

  private void printDuplicate(int t, int probe, EchoResult.Reply r) {
    dups[t]++;
    if (c.json()) {
      if (!c.quiet()) event(t, probe, r, r.rtt().toNanos(), r.ttl(), r.bytes(), true);
      return;
    }
    if (!c.quiet()) {
      line(
          err,
          pad(label[t])
              + " : duplicate for ["
              + probe
              + "], "
              + r.bytes()
              + " bytes, "
              + Fmt.fpingMs(r.rtt().toNanos())
              + " ms");
    }
  }

  /** fping's count-mode line: {@code 127.0.0.1 : [0], 64 bytes, 0.046 ms (0.046 avg, 0% loss)}. */
  private void countLine(int t, int probe, EchoResult result) {
    String avg = received[t] > 0 ? Fmt.fpingMs(rttMean[t]) : "NaN";
    int loss = (int) ((completed[t] - received[t]) * 100L / completed[t]);
    String head = pad(label[t]) + " : [" + probe + "], ";
    if (result instanceof EchoResult.Reply r) {
      line(
          out,
          head
              + r.bytes()
              + " bytes, "
              + Fmt.fpingMs(r.rtt().toNanos())
              + " ms ("
              + avg
              + " avg, "
              + loss
              + "% loss)");
    } else if (result instanceof EchoResult.TimedOut) {
      line(out, head + "timed out (" + avg + " avg, " + loss + "% loss)");
    }
  }

  private void event(
      int t, int probe, EchoResult r, long rttNanos, int ttl, int bytes, boolean duplicate) {
    if (!c.json() || c.quiet()) return;
    Json j = new Json().put("type", "reply").put("target", Addr.text(address[t]));
    InetAddress from =
        switch (r) {
          case EchoResult.Reply x -> x.from();
          case EchoResult.IcmpError x -> x.from();
          case EchoResult.Corrupted x -> x.from();
          default -> null;
        };
    j.put("from", from == null ? null : Addr.text(from)).put("seq", probe + 1);
    j.put("status", r.status().name()).put("status_code", r.status().code());
    j.putRaw("rtt_ms", rttNanos < 0 ? null : Fmt.jsonMs(rttNanos));
    if (ttl >= 0) j.put("ttl", ttl);
    else j.putNull("ttl");
    j.put("bytes", bytes);
    if (duplicate) j.put("duplicate", true);
    if (!label[t].equals(Addr.text(address[t]))) j.put("host", label[t]);
    if (r instanceof EchoResult.IcmpError e)
      j.put("icmp_type", e.icmpType()).put("icmp_code", e.icmpCode());
    line(out, j.toString());
  }

  /** The end: count-mode summaries, -a/-u lists in count mode, JSON summaries, -s statistics. */
  private void finish(long elapsedNanos) {
    for (int t = 0; t < n; t++) {
      if (state[t] == PENDING) { // interrupted: decide on what came back
        state[t] = received[t] > 0 ? ALIVE : UNREACHABLE;
        if (state[t] == ALIVE) alive++;
      }
    }
    if (c.json()) {
      for (int t = 0; t < n; t++) {
        if (!shown(t)) continue;
        Json j = new Json().put("type", "summary").put("target", Addr.text(address[t]));
        if (!label[t].equals(Addr.text(address[t]))) j.put("host", label[t]);
        j.put("sent", sent(t))
            .put("received", received[t])
            .put("duplicates", dups[t])
            .put("errors", errors[t]);
        j.put("loss_pct", Fmt.pct(sent(t) - received[t], sent(t))).put("alive", state[t] == ALIVE);
        if (received[t] == 0) {
          j.putNull("rtt_min_ms")
              .putNull("rtt_avg_ms")
              .putNull("rtt_max_ms")
              .putNull("rtt_mdev_ms");
        } else {
          j.putRaw("rtt_min_ms", Fmt.jsonMs(rttMin[t]))
              .putRaw("rtt_avg_ms", Fmt.jsonMs(rttMean[t]))
              .putRaw("rtt_max_ms", Fmt.jsonMs(rttMax[t]))
              .putRaw("rtt_mdev_ms", Fmt.jsonMs(Math.sqrt(Math.max(0, rttM2[t] / received[t]))));
        }
        line(out, j.toString());
      }
    } else if (c.count() > 0) {
      for (int t = 0; t < n; t++) {
        if ((c.showAlive() && state[t] == ALIVE)
            || (c.showUnreachable() && state[t] == UNREACHABLE)) out.println(label[t]);
      }
      out.flush();
      // One line per target (65,534 for a /16), written in large chunks: println per line costs
      // more than the
      // formatting in a JVM that has not compiled this code yet. Each chunk goes through one reused
      // char[]: a
      // String per chunk would be copied twice more (PrintWriter's write(String) makes a char[] of
      // it), 5 MB of
      // text becoming ~20 MB of garbage, on fresh pages that the kernel first has to fault in.
      StringBuilder sb = new StringBuilder(1 << 16);
      char[] chunk = new char[1 << 16];
      String nl = System.lineSeparator();
      for (int t = 0; t < n; t++) {
        summaryLine(sb, t).append(nl);
        if (sb.length() > (1 << 16) - 256 || t == n - 1) {
          int len = sb.length();
          if (len > chunk.length)
            chunk = new char[len]; // a line longer than the chunk (a very long host name)
          sb.getChars(0, len, chunk, 0);
          err.write(chunk, 0, len);
          sb.setLength(0);
        }
      }
      err.flush();
    }
    if (c.stats()) stats(elapsedNanos);
    out.flush();
    err.flush();
  }

  private boolean shown(int t) {
    if (!c.showAlive() && !c.showUnreachable()) return true;
    return (c.showAlive() && state[t] == ALIVE) || (c.showUnreachable() && state[t] == UNREACHABLE);
  }

  /** fping's {@code 127.0.0.1 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.030/0.040/0.050}. */
  String summaryLine(int t) {
    return summaryLine(new StringBuilder(), t).toString();
  }

  private StringBuilder summaryLine(StringBuilder sb, int t) {
    sb.append(label[t]);
    if (c.count() > 0) for (int i = label[t].length(); i < width; i++) sb.append(' ');
    sb.append(" : xmt/rcv/%loss = ");
    sb.append(sent(t)).append('/').append(received[t]).append('/');
    sb.append(sent(t) == 0 ? 0 : (sent(t) - received[t]) * 100L / sent(t)).append('%');
    if (received[t] > 0) {
      Fmt.fpingMs(sb.append(", min/avg/max = "), rttMin[t]).append('/');
      Fmt.fpingMs(sb, rttMean[t]).append('/');
      Fmt.fpingMs(sb, rttMax[t]);
    }
    return sb;
  }

  /** Echoes sent to target {@code t} (exact once the schedule is done). */
  private long sent(int t) {
    return schedule.sent(t);
  }

  /** fping's {@code -s} block, on stderr. */
  private void stats(long elapsedNanos) {
    err.println();
    err.printf(" %7d targets%n", n);
    err.printf(" %7d alive%n", alive);
    err.printf(" %7d unreachable%n", n - alive);
    err.printf(" %7d unknown addresses%n", unknown);
    err.println();
    err.printf(" %7d timeouts (waiting for response)%n", totalTimeouts);
    err.printf(" %7d ICMP Echos sent%n", schedule.sent());
    err.printf(" %7d ICMP Echo Replies received%n", totalReplies);
    err.printf(" %7d other ICMP received%n", totalOther);
    err.println();
    // With no reply, fping 5.1 prints zeros (RttStats gives 0 for all three then).
    err.println(" " + Fmt.fpingMs(allRtt.min()) + " ms (min round trip time)");
    err.println(" " + Fmt.fpingMs(allRtt.mean()) + " ms (avg round trip time)");
    err.println(" " + Fmt.fpingMs(allRtt.max()) + " ms (max round trip time)");
    err.printf(" %12s sec (elapsed real time)%n", Fmt.fixed(elapsedNanos / 1e9, 3));
    err.flush();
  }

  private String pad(String s) {
    return c.count() > 0 && s.length() < width ? s + " ".repeat(width - s.length()) : s;
  }

  private void line(PrintWriter w, String s) {
    clearProgress();
    w.println(s);
    if (c.json() && w == out) w.flush();
  }

  private void showProgress() {
    out.flush();
    long sent = schedule.sent();
    err.print(
        "\r"
            + sent
            + " sent, "
            + finished
            + "/"
            + n
            + " done, "
            + alive
            + " alive, "
            + (finished - alive)
            + " unreachable, "
            + Math.max(0, sent - outcomes)
            + " in flight\033[K");
    err.flush();
    progressShown = true;
  }

  private void clearProgress() {
    if (!progressShown) return;
    err.print("\r\033[K");
    err.flush();
    progressShown = false;
  }
}
