package org.icmpecho.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * Where one command's time goes, phase by phase, from the process's start to its exit: printed on
 * stderr at exit when {@code ICMPECHO_TIMELINE=1} is in the environment (or {@code
 * -Dicmpecho.timeline=true} is given). Off, a mark is one test of a constant.
 *
 * <p>The launcher notes when its first line ran and when it started Java ({@code ICMPECHO_T0},
 * {@code ICMPECHO_T_EXEC}, epoch seconds with microseconds); without it the start is the kernel's
 * start time of the process, in the 10 ms steps of {@code /proc/self/stat}.
 */
final class Timeline {
  static final boolean ON = enabled();

  private static final int MAX = 32;
  private static final String[] names = new String[MAX];
  private static final long[] nanos = new long[MAX];
  private static final long[] cpu = new long[MAX];
  private static int count;

  private Timeline() {}

  private static boolean enabled() {
    String v = System.getenv("ICMPECHO_TIMELINE");
    return Boolean.getBoolean("icmpecho.timeline") || (v != null && !v.isEmpty() && !v.equals("0"));
  }

  /** Notes that {@code phase} ended now (a phase noted again keeps its first time). */
  static void mark(String phase) {
    if (ON) note(phase, false, cpuNanos());
  }

  /**
   * Notes that {@code phase} ended now, replacing an earlier time of it ("last answer"); without
   * the CPU time, which would cost more than such a mark's place in a loop allows.
   */
  static void markLast(String phase) {
    if (ON) note(phase, true, -1);
  }

  private static synchronized void note(String phase, boolean replace, long cpuNanos) {
    long now = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (names[i].equals(phase)) {
        if (replace) {
          nanos[i] = now;
          cpu[i] = cpuNanos;
        }
        return;
      }
    }
    if (count < MAX) {
      names[count] = phase;
      cpu[count] = cpuNanos;
      nanos[count++] = now;
    }
  }

  /**
   * The CPU time of all the process's threads so far, in ns (the first field of each thread's
   * schedstat), or -1: on a machine shared with other work, steadier than the wall clock.
   */
  private static long cpuNanos() {
    long sum = 0;
    try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        String s = Files.readString(t.resolve("schedstat"));
        sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
      }
      return sum;
    } catch (Exception e) {
      return -1; // a thread ended while being read, or no /proc
    }
  }

  /** Prints the phases in the order of their times, each with its time and the step before it. */
  static synchronized void print(PrintWriter err) {
    if (!ON) return;
    mark("exit");
    // System.nanoTime() and the epoch clock read at one moment relate the launcher's epoch times to
    // the marks
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    double nowEpoch = now.getEpochSecond() + now.getNano() / 1e9;
    double t0 = epoch("ICMPECHO_T0");
    String origin = "the launcher's first line";
    if (Double.isNaN(t0)) {
      t0 = processStartEpoch(nowEpoch);
      origin = "the process's start, /proc/self/stat, in 10 ms steps";
    }
    int n = count;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    java.util.Arrays.sort(order, (a, b) -> Long.compare(nanos[a], nanos[b]));
    err.printf(
        Locale.ROOT,
        "icmpecho timeline: ms since %s (+ the step to it); CPU ms of its live threads so far%n",
        origin);
    double exec = epoch("ICMPECHO_T_EXEC");
    double before = 0;
    if (!Double.isNaN(exec)) {
      before = (exec - t0) * 1e3;
      err.printf(
          Locale.ROOT,
          "timeline %8.1f %+7.1f %8s  java started (launcher's exec)%n",
          before,
          before,
          "-");
    }
    for (int i : order) {
      double at = (nowEpoch - t0) * 1e3 - (nowNanos - nanos[i]) / 1e6;
      String c = cpu[i] < 0 ? "-" : String.format(Locale.ROOT, "%.1f", cpu[i] / 1e6);
      err.printf(Locale.ROOT, "timeline %8.1f %+7.1f %8s  %s%n", at, at - before, c, names[i]);
      before = at;
    }
    err.flush();
  }

  /** An epoch time in seconds from the environment (bash's EPOCHREALTIME), or NaN. */
  private static double epoch(String variable) {
    String v = System.getenv(variable);
    if (v == null) return Double.NaN;
    try {
      return Double.parseDouble(v.replace(',', '.')); // EPOCHREALTIME follows the locale's point
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The process's start as epoch seconds: its start in clock ticks after boot (field 22 of
   * /proc/self/stat, 100 a second on Linux) against the time since boot now.
   */
  private static double processStartEpoch(double nowEpoch) {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      int from =
          stat.lastIndexOf(')') + 2; // field 3, after the command name (which may hold spaces)
      for (int field = 3; field < 22; field++) from = stat.indexOf(' ', from) + 1;
      double startSinceBoot = Long.parseLong(stat.substring(from, stat.indexOf(' ', from))) / 100.0;
      String up = Files.readString(Path.of("/proc/uptime"));
      double uptime = Double.parseDouble(up.substring(0, up.indexOf(' ')));
      return nowEpoch - (uptime - startSinceBoot);
    } catch (Exception e) {
      return nowEpoch;
    }
  }
}
