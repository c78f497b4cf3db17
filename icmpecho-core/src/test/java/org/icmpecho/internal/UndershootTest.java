package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The I/O loop sleeps towards a deadline in steps the kernel's timer slack (0.1 % of a timed epoll
 * wait, at least 50 us, at most 100 ms) cannot carry past the deadline; the last step is short
 * enough that its slack is tens of us.
 */
class UndershootTest {
  private static long slack(long t) {
    return Math.max(50_000L, Math.min(t / 1000, 100_000_000L));
  }

  @Test
  void longWaitsEndBeforeTheDeadlineAndTheLastStepIsShort() {
    for (long t :
        new long[] {
          10_000_001L, 50_000_000L, 1_000_000_000L, 20_000_000_000L, 3_600_000_000_000L
        }) {
      long remaining = t;
      int steps = 0;
      long worstLate = 0;
      while (remaining > 0 && steps < 100) {
        long sleep = IoThread.undershoot(remaining);
        assertTrue(sleep > 0 && sleep <= remaining, "sleep " + sleep + " of " + remaining);
        long late =
            sleep
                + slack(sleep)
                - remaining; // the latest the kernel may wake us, against the deadline
        if (sleep == remaining) worstLate = Math.max(worstLate, late);
        else
          assertTrue(
              late < 0 || sleep == remaining, "step of " + sleep + " may overrun " + remaining);
        remaining -=
            sleep
                + (sleep == remaining
                    ? 0
                    : slack(sleep)); // assume the worst: the full slack is used
        steps++;
      }
      assertTrue(steps <= 20, steps + " wake-ups for " + t + " ns");
      assertTrue(
          worstLate <= 50_000L, "the last step of " + t + " ns may be " + worstLate + " ns late");
    }
  }

  @Test
  void shortWaitsAreSleptInOne() {
    assertEquals(10_000_000L, IoThread.undershoot(10_000_000L));
    assertEquals(1L, IoThread.undershoot(1L));
    assertEquals(0L, IoThread.undershoot(0L));
  }
}
