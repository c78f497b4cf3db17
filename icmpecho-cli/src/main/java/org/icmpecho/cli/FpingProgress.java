package org.icmpecho.cli;

import java.io.PrintWriter;

/**
 * icmpecho sweep's progress line (fping has none): on a terminal, a sweep that runs for more than a
 * second shows {@code N sent, D/T done, A alive, U unreachable, F in flight} on stderr, rewritten
 * five times a second and cleared before any other line. Off under fping's name, with {@code -l} or
 * {@code --json}, and when stderr is not a terminal: then every call returns at once.
 *
 * <p>Threads: {@link FpingLoop} calls it under its own lock, from the engine's callback thread (an
 * outcome, a target settled, a line about to be printed) and from the command's thread (the line).
 */
final class FpingProgress {
  /** The first line after a second, then one every 200 ms. */
  private static final long AFTER_NANOS = 1_000_000_000L, EVERY_NANOS = 200_000_000L;

  private final FpingOptions o;
  private final FpingLoop loop;
  private final PrintWriter out, err;

  /** Per target, whether its verdict is in; null when the line is off. */
  private final boolean[] settled;

  private int finished, finishedDead;
  private long outcomes, next;
  private boolean shown;

  FpingProgress(FpingOptions o, FpingLoop loop, int n, Env env, PrintWriter out, PrintWriter err) {
    this.o = o;
    this.loop = loop;
    this.out = out;
    this.err = err;
    boolean on = o.icmpechoName && !o.loop && !o.json && env.stderrIsTerminal().getAsBoolean();
    settled = on ? new boolean[n] : null;
  }

  /** The run started at {@code now}: the first line is due a second later. */
  void start(long now) {
    next = now + AFTER_NANOS;
  }

  /** An outcome came (an echo that is no longer in flight). */
  void outcome() {
    outcomes++;
  }

  /** Counts target {@code h} as done once its verdict is in; after each change of its counts. */
  void settle(int h) {
    if (settled == null || settled[h]) return;
    int sent = loop.sent[h], recv = loop.recv[h];
    if (o.countMode ? sent >= o.count : recv > 0 || sent > o.retry) {
      settled[h] = true;
      finished++;
      if (recv == 0) finishedDead++;
    }
  }

  /** Shows the line when it is due; when the next one is due ({@code Long.MAX_VALUE}: never). */
  long tick(long now) {
    if (settled == null) return Long.MAX_VALUE;
    if (now - next >= 0) {
      show();
      next = now + EVERY_NANOS;
    }
    return next;
  }

  private void show() {
    out.flush();
    long sentNow = loop.schedule.sent();
    err.print(
        "\r"
            + sentNow
            + " sent, "
            + finished
            + "/"
            + settled.length
            + " done, "
            + (finished - finishedDead)
            + " alive, "
            + finishedDead
            + " unreachable, "
            + Math.max(0, sentNow - outcomes)
            + " in flight\033[K");
    err.flush();
    shown = true;
  }

  /** Clears the line, if shown, before another line is printed. */
  void clear() {
    if (!shown) return;
    err.print("\r\033[K");
    err.flush();
    shown = false;
  }
}
