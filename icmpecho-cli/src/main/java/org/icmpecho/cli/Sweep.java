package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;

/**
 * One sweep over many targets: the pacing loop, per-target state in primitive arrays, and fping's output.
 *
 * <p>Threads: everything runs on the thread that calls {@link #run}; the engine's callbacks only queue the outcome
 * and unpark that thread. Sends follow an absolute schedule (send {@code k} is due at {@code start + k * step});
 * after a late wake-up the loop sends what fell due at once (at most four sends' worth of backlog), so the average rate holds
 * without a sleep per send. Retries and next probes wait in a heap keyed by due time.
 */
final class Sweep {
  /**
   * How much lateness the schedule makes up for in a burst after a late wake-up: four sends' worth, at least 1 ms,
   * at most 100 ms. Enough that a loaded machine still keeps the average rate, never a long burst after a stall.
   */
  private final long maxBacklogNanos;
  private static final long PROGRESS_AFTER_NANOS = 1_000_000_000L;
  private static final long PROGRESS_EVERY_NANOS = 200_000_000L;

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
  private final Prober prober;
  private final PrintWriter out;
  private final PrintWriter err;
  private final int unknown;

  // per target
  private final int[] sent;
  private final int[] completed;
  private final int[] received;
  private final int[] dups;
  private final int[] errors;
  private final long[] rttMin;
  private final long[] rttMax;
  private final double[] rttMean;
  private final double[] rttM2;
  private final byte[] state;
  private final long[] due;
  private final IntHeap schedule;

  // totals
  private int finished, alive, cursor, inFlight;
  private long totalSent, totalReplies, totalTimeouts, totalOther;
  private final RttStats allRtt = new RttStats();

  private final Queue<Object> events = new ConcurrentLinkedQueue<>();
  private final Thread owner = Thread.currentThread();
  private static final long STRAGGLER_GRACE_NANOS = 10_000_000L;
  private final AtomicBoolean interrupted = new AtomicBoolean();
  private final boolean progress;
  private boolean progressShown;
  private Throwable fatal;

  /**
   * One echo's outcome, and the callback that delivers it: the object given to {@code whenComplete} is the event
   * itself, so an answer costs one object here, not a callback and an event.
   */
  private final class Done implements java.util.function.BiConsumer<EchoResult, Throwable> {
    final int target;
    final int probe;
    final long sentAt;
    EchoResult result; // written by the completing thread before offer(), read by the owner after poll()
    Throwable failure;

    Done(int target, int probe, long sentAt) {
      this.target = target;
      this.probe = probe;
      this.sentAt = sentAt;
    }

    @Override
    public void accept(EchoResult r, Throwable e) {
      result = r;
      failure = e;
      offer(this);
    }
  }

  private record Dup(int target, int probe, EchoResult.Reply reply) {}

  /**
   * @param unknown how many names did not resolve (for -s)
   * @param terminal whether stderr is a terminal (the live progress line)
   */
  Sweep(Config config, List<Targets.Target> targets, int unknown, Prober prober, PrintWriter out, PrintWriter err,
      boolean terminal) {
    this.c = config;
    this.unknown = unknown;
    this.maxBacklogNanos = Math.clamp(4 * config.stepNanos(), 1_000_000L, 100_000_000L);
    this.wakeBatch = Math.clamp(config.window() / 4, 1, 256);
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
    this.prober = prober;
    this.out = out;
    this.err = err;
    this.sent = new int[n];
    this.completed = new int[n];
    this.received = new int[n];
    this.dups = new int[n];
    this.errors = new int[n];
    this.rttMin = new long[n];
    this.rttMax = new long[n];
    this.rttMean = new double[n];
    this.rttM2 = new double[n];
    this.state = new byte[n];
    this.due = new long[n];
    this.schedule = new IntHeap(due, Math.min(n, 1024));
    this.progress = terminal;
    // The first template now, before the clock starts (it is reused for every target of its family).
    if (n > 0 && c.quiet() && !c.json()) template(address[0], c.timeoutNanos());
  }

  /** Runs the sweep to the end (or Ctrl-C) and prints the final output; returns how many targets are alive. */
  int run(Env.Signals signals) throws Exception {
    long start = System.nanoTime();
    nextSlot = start;
    long nextProgress = start + PROGRESS_AFTER_NANOS;
    Runnable restore = signals.onInterrupt(() -> {
      interrupted.set(true);
      LockSupport.unpark(owner);
    });
    try {
      while (finished < n && fatal == null && !interrupted.get()) {
        drain();
        long now = System.nanoTime();
        // Sends go in chunks, each a call: this method runs once, so a loop of its own over every send would run
        // interpreted until the JIT compiled it on the stack (OSR, near the end of a /16), while a method called
        // every 64 sends is compiled early (or taken compiled from the launcher's AOT cache).
        int chunks = 0;
        while (sendChunk(now)) {
          if ((++chunks & 3) == 0) { // keep answers flowing during long bursts
            drain();
            now = System.nanoTime();
          }
        }
        drain();
        if (finished >= n || fatal != null || interrupted.get()) break;
        now = System.nanoTime();
        long wake = Long.MAX_VALUE;
        if (inFlight < c.window()) {
          if (cursor < n) wake = nextSlot;
          else if (!schedule.isEmpty()) wake = Math.max(nextSlot, due[schedule.peek()]);
        }
        if (progress) {
          if (now >= nextProgress) {
            showProgress();
            nextProgress = now + PROGRESS_EVERY_NANOS;
          }
          wake = Math.min(wake, nextProgress);
        }
        if (events.isEmpty() && wake > now) {
          // Wake for a batch of answers, not for each: with the window full, waking per answer meant a futex wake
          // and two context switches every few echoes (measured: 7,000-12,000 parks and 37,000 unparks in a /16).
          // Never more than are in flight, so the last answers, and a lone echo's, still wake us at once.
          wakeAfter = inFlight > 0 ? Math.min(wakeBatch, inFlight) : 1;
          ownerParked = true;
          if (pending.get() < wakeAfter) {
            LockSupport.parkNanos(this, wake == Long.MAX_VALUE ? 1_000_000_000L : wake - now);
          }
          ownerParked = false;
        }
      }
      // A duplicate follows the answer it duplicates, so the last answers' duplicates may still be on their way:
      // give them a short grace before the summary (10 ms, bounded; nothing is sent meanwhile). Only where they
      // are reported: -q without --json prints no duplicate (and its template echoes listen for none).
      boolean reportsDuplicates = !c.quiet() || c.json();
      long graceEnd = System.nanoTime() + STRAGGLER_GRACE_NANOS;
      while (reportsDuplicates && fatal == null && !interrupted.get() && System.nanoTime() - graceEnd < 0) {
        drain();
        LockSupport.parkNanos(this, 1_000_000L);
      }
      drain();
    } finally {
      restore.run();
    }
    clearProgress();
    if (fatal != null) {
      throw fatal instanceof IcmpException ie ? new CliException(4, ie.getMessage(), false)
          : new CliException(4, "echo failed: " + fatal, fatal);
    }
    finish(System.nanoTime() - start);
    return alive;
  }

  /** When the next send is due (the absolute schedule); owner thread only. */
  private long nextSlot;

  private static final int SEND_CHUNK = 64;

  /** Sends up to {@link #SEND_CHUNK} echoes that are due and fit the window; true when it sent them all. */
  private boolean sendChunk(long now) {
    for (int i = 0; i < SEND_CHUNK; i++) {
      if (inFlight >= c.window() || nextSlot > now || fatal != null || !sendNext(now)) return false;
    }
    return true;
  }

  /** Sends to the next due target and advances the schedule; false when no target is due. */
  private boolean sendNext(long now) {
    int t = nextDue(now);
    if (t < 0) return false;
    send(t, now);
    nextSlot += c.stepNanos();
    if (nextSlot < now - maxBacklogNanos) nextSlot = now - maxBacklogNanos;
    return true;
  }

  /** The next target to send to: a scheduled retry or next probe that is due, else the next fresh target. */
  private int nextDue(long now) {
    if (!schedule.isEmpty() && due[schedule.peek()] <= now) return schedule.pop();
    if (cursor < n) return cursor++;
    return -1;
  }

  private void send(int t, long now) {
    int probe = sent[t]++;
    totalSent++;
    inFlight++;
    long timeout = c.count() > 0 ? c.timeoutNanos() : (long) (c.timeoutNanos() * Math.pow(c.backoff(), probe));
    CompletableFuture<EchoResult> f;
    try {
      if (c.json() || !c.quiet()) {
        EchoRequest r = EchoRequest.to(address[t]).payloadSize(c.payloadSize()).timeout(Duration.ofNanos(timeout))
            .build();
        f = prober.echo(r, dup -> offer(new Dup(t, probe, dup)));
      } else {
        // Quiet: duplicates are only counted, so one template per timeout serves every target.
        f = prober.echo(address[t], template(address[t], timeout));
      }
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    if (c.count() > 0 && sent[t] < c.count()) { // count mode: the next probe is due a period after this one
      due[t] = now + c.periodNanos();
      schedule.push(t);
    }
    var _ = f.whenComplete(new Done(t, probe, now)); // the callback only records the outcome
  }

  /** The last template made, per family; the timeout changes only with -B backoff between retries. */
  private final EchoRequest[] templates = new EchoRequest[2];

  private EchoRequest template(InetAddress target, long timeoutNanos) {
    int fam = target instanceof java.net.Inet6Address ? 1 : 0;
    EchoRequest t = templates[fam];
    if (t == null || t.timeout().toNanos() != timeoutNanos) {
      t = templates[fam] = EchoRequest.to(target).payloadSize(c.payloadSize()).timeout(Duration.ofNanos(timeoutNanos))
          .build();
    }
    return t;
  }

  private void offer(Object event) {
    events.add(event);
    // unpark costs a mutex and a condition signal even when the owner is running: only the event that completes
    // the batch a parked owner waits for wakes it, once (pending only grows while the owner is parked). The owner
    // re-checks the count after publishing "parked", so events counted before that write are never missed.
    if (pending.incrementAndGet() == wakeAfter && ownerParked) LockSupport.unpark(owner);
  }

  /** True while the owner thread is (about to be) parked waiting for events or its next send slot. */
  private volatile boolean ownerParked;
  /** Events offered and not yet drained. */
  private final AtomicInteger pending = new AtomicInteger();
  /** How many pending events wake the parked owner; written before {@link #ownerParked}. */
  private volatile int wakeAfter = 1;
  /** The batch a full window waits for: a quarter of the window, at most 256 (the window stays at least 3/4 full). */
  private final int wakeBatch;

  private void drain() {
    Object ev;
    int drained = 0;
    while ((ev = events.poll()) != null) {
      drained++;
      handle(ev);
    }
    if (drained == 0) return;
    pending.addAndGet(-drained);
    if (!c.json()) {
      out.flush();
      err.flush();
    }
  }

  private void handle(Object ev) {
    if (ev instanceof Dup d) {
      duplicate(d);
      return;
    }
    Done d = (Done) ev;
    inFlight--;
    if (d.failure != null) {
      Throwable t = d.failure instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : d.failure;
      if (!(t instanceof CancellationException) && fatal == null) fatal = t;
      return;
    }
    outcome(d.target, d.probe, d.sentAt, d.result);
  }

  private void outcome(int t, int probe, long sentAt, EchoResult result) {
    completed[t]++;
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
          line(err, IcmpText.fping(e) + " from " + Addr.text(e.from()) + " for ICMP Echo sent to " + label[t]);
        }
      }
      case EchoResult.TimedOut to -> {
        totalTimeouts++;
        event(t, probe, to, -1, -1, to.request().payloadSize() + 8, false);
      }
      case EchoResult.SendFailed f -> {
        errors[t]++;
        event(t, probe, f, -1, -1, f.request().payloadSize() + 8, false);
        if (!c.quiet() && !c.json()) line(err, label[t] + ": error while sending ping: " + f.message());
      }
      case EchoResult.Corrupted x -> {
        errors[t]++;
        event(t, probe, x, x.rtt().toNanos(), -1, x.request().payloadSize() + 8, false);
        if (!c.quiet() && !c.json()) line(err, label[t] + ": corrupted reply from " + Addr.text(x.from()) + ": " + x.reason());
      }
    }
    if (c.count() > 0) {
      if (!c.quiet() && !c.json()) countLine(t, probe, result);
      if (completed[t] == c.count()) finish(t, received[t] > 0 ? ALIVE : UNREACHABLE);
      return;
    }
    if (state[t] != PENDING) return;
    if (reply) {
      finish(t, ALIVE);
    } else if (probe < c.retries()) {
      long timeout = (long) (c.timeoutNanos() * Math.pow(c.backoff(), probe));
      due[t] = sentAt + timeout; // fping: the next try when this one's time is up, even if an error came early
      schedule.push(t);
    } else {
      finish(t, UNREACHABLE);
    }
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
      if (c.showAlive()) line(out, label[t] + (c.elapsed() ? " (" + Fmt.fpingMs(rttMax[t]) + " ms)" : ""));
      else if (!c.quiet() && !c.showUnreachable()) {
        line(out, label[t] + " is alive" + (c.elapsed() ? " (" + Fmt.fpingMs(rttMax[t]) + " ms)" : ""));
      }
    } else {
      if (c.showUnreachable()) line(out, label[t]);
      else if (!c.quiet() && !c.showAlive()) line(out, label[t] + " is unreachable");
    }
  }

  private void duplicate(Dup d) {
    int t = d.target();
    dups[t]++;
    if (c.json()) {
      if (!c.quiet()) {
        EchoResult.Reply r = d.reply();
        event(t, d.probe(), r, r.rtt().toNanos(), r.ttl(), r.bytes(), true);
      }
      return;
    }
    if (!c.quiet()) {
      line(err, pad(label[t]) + " : duplicate for [" + d.probe() + "], " + d.reply().bytes() + " bytes, "
          + Fmt.fpingMs(d.reply().rtt().toNanos()) + " ms");
    }
  }

  /** fping's count-mode line: {@code 127.0.0.1 : [0], 64 bytes, 0.046 ms (0.046 avg, 0% loss)}. */
  private void countLine(int t, int probe, EchoResult result) {
    String avg = received[t] > 0 ? Fmt.fpingMs(rttMean[t]) : "NaN";
    int loss = (int) ((completed[t] - received[t]) * 100L / completed[t]);
    String head = pad(label[t]) + " : [" + probe + "], ";
    if (result instanceof EchoResult.Reply r) {
      line(out, head + r.bytes() + " bytes, " + Fmt.fpingMs(r.rtt().toNanos()) + " ms (" + avg + " avg, " + loss + "% loss)");
    } else if (result instanceof EchoResult.TimedOut) {
      line(out, head + "timed out (" + avg + " avg, " + loss + "% loss)");
    }
  }

  private void event(int t, int probe, EchoResult r, long rttNanos, int ttl, int bytes, boolean duplicate) {
    if (!c.json() || c.quiet()) return;
    Json j = new Json().put("type", "reply").put("target", Addr.text(address[t]));
    InetAddress from = switch (r) {
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
    if (r instanceof EchoResult.IcmpError e) j.put("icmp_type", e.icmpType()).put("icmp_code", e.icmpCode());
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
        j.put("sent", sent[t]).put("received", received[t]).put("duplicates", dups[t]).put("errors", errors[t]);
        j.put("loss_pct", Fmt.pct(sent[t] - received[t], sent[t])).put("alive", state[t] == ALIVE);
        if (received[t] == 0) {
          j.putNull("rtt_min_ms").putNull("rtt_avg_ms").putNull("rtt_max_ms").putNull("rtt_mdev_ms");
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
        if ((c.showAlive() && state[t] == ALIVE) || (c.showUnreachable() && state[t] == UNREACHABLE)) out.println(label[t]);
      }
      out.flush();
      // One line per target (65,534 for a /16), written in large chunks: println per line costs more than the
      // formatting in a JVM that has not compiled this code yet. Each chunk goes through one reused char[]: a
      // String per chunk would be copied twice more (PrintWriter's write(String) makes a char[] of it), 5 MB of
      // text becoming ~20 MB of garbage, on fresh pages that the kernel first has to fault in.
      StringBuilder sb = new StringBuilder(1 << 16);
      char[] chunk = new char[1 << 16];
      String nl = System.lineSeparator();
      for (int t = 0; t < n; t++) {
        summaryLine(sb, t).append(nl);
        if (sb.length() > (1 << 16) - 256 || t == n - 1) {
          int len = sb.length();
          if (len > chunk.length) chunk = new char[len]; // a line longer than the chunk (a very long host name)
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
    sb.append(sent[t]).append('/').append(received[t]).append('/');
    sb.append(sent[t] == 0 ? 0 : (sent[t] - received[t]) * 100L / sent[t]).append('%');
    if (received[t] > 0) {
      Fmt.fpingMs(sb.append(", min/avg/max = "), rttMin[t]).append('/');
      Fmt.fpingMs(sb, rttMean[t]).append('/');
      Fmt.fpingMs(sb, rttMax[t]);
    }
    return sb;
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
    err.printf(" %7d ICMP Echos sent%n", totalSent);
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
    err.print("\r" + totalSent + " sent, " + finished + "/" + n + " done, " + alive + " alive, " + (finished - alive)
        + " unreachable, " + inFlight + " in flight\033[K");
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
