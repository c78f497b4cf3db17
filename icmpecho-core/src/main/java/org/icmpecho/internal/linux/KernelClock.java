package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One socket's two clocks made one: the kernel stamps packets ({@code SO_TIMESTAMPNS}) on
 * CLOCK_REALTIME, the engine keeps time (deadlines, send times) on the monotonic clock of {@code
 * System.nanoTime()}, the poller's. The two differ by a constant until the realtime clock is
 * stepped (NTP's slewing moves both alike), so the offset is read when the socket opens and checked
 * at most once a second from the send path: a step of more than {@link #STEP} replaces it, and so
 * does a reading tighter than the one in use (the two clocks read closer together), so the offset
 * settles within a second or two and then stays put. An echo in flight across a step keeps its true
 * RTT. The realtime clock's one reader. Used by the thread that owns the socket.
 */
final class KernelClock {
  private static final long CHECK_EVERY = 1_000_000_000L;
  private static final long STEP = 10_000L;
  private static final int SAMPLES = 8;

  private final MemorySegment timespec;

  /** CLOCK_REALTIME less {@code System.nanoTime()}. */
  private long offset;

  /** How far apart the two monotonic readings around {@link #offset}'s realtime reading were. */
  private long offsetGap = Long.MAX_VALUE;

  private long checkedAt;

  /** Written by {@link #sample()}: the gap of its best try. */
  private long sampleGap;

  KernelClock(Arena arena) {
    timespec = arena.allocate(Layouts.TIMESPEC);
    offset = sample();
    offsetGap = sampleGap;
    checkedAt = System.nanoTime();
  }

  /** The engine's clock now, read right before a send; checks the offset once a second. */
  long sendTime() {
    long now = System.nanoTime();
    if (now - checkedAt >= CHECK_EVERY) {
      checkedAt = now;
      long o = sample();
      // A step of the realtime clock, or a tighter reading than the one in use (the first is taken
      // by cold code, which can be a few hundred ns off).
      if (Math.abs(o - offset) > STEP || sampleGap < offsetGap) {
        offset = o;
        offsetGap = sampleGap;
      }
    }
    return now;
  }

  /** A kernel stamp (CLOCK_REALTIME ns) on the engine's clock. */
  long fromKernel(long realtime) {
    return realtime - offset;
  }

  /**
   * CLOCK_REALTIME less the monotonic clock, read now: the realtime reading between two monotonic
   * ones taken the same way (so the calls' own cost falls on both sides alike), the tightest of a
   * few tries. {@code System.nanoTime()} reads CLOCK_MONOTONIC on Linux.
   */
  private long sample() {
    long best = 0;
    long bestGap = Long.MAX_VALUE;
    for (int i = 0; i < SAMPLES; i++) {
      long before = read(Sys.CLOCK_MONOTONIC);
      long realtime = read(Sys.CLOCK_REALTIME);
      long after = read(Sys.CLOCK_MONOTONIC);
      if (after - before < bestGap) {
        bestGap = after - before;
        best = realtime - (before + (after - before) / 2);
      }
    }
    sampleGap = bestGap;
    return best;
  }

  private long read(int clockId) {
    LibC.clockGettime(clockId, timespec);
    return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
  }
}
