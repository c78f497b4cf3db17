package org.icmpecho.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The schedules an I/O loop runs ({@link ScheduleRun}): the loop's whole hook for them is {@link
 * #run} once a turn (before it sends what is queued), its result and {@link #poked} in the loop's
 * decision to sleep, and {@link #fail} at shutdown. Used by the loop's own thread only.
 */
final class Schedules {
  private final List<ScheduleRun> runs = new ArrayList<>();

  /** An outcome came back after this turn's {@link #run}: the loop turns again before it sleeps. */
  private boolean poked;

  void add(ScheduleRun run) {
    runs.add(run);
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  /**
   * Something may be due since the last {@link #run} (an echo came back: a retry, room in the
   * window).
   */
  void poke() {
    poked = true;
  }

  /** True (once) when {@link #poke} was called since the last {@link #run}. */
  boolean poked() {
    return poked && !runs.isEmpty();
  }

  /**
   * Lets every schedule send what is due; returns the earliest time one has more to do
   * (Long.MAX_VALUE: none).
   */
  long run(long now) {
    poked = false;
    long wake = Long.MAX_VALUE;
    for (int i = 0; i < runs.size(); i++) {
      ScheduleRun r = runs.get(i);
      long w = r.run(now);
      if (r.isClosed()) {
        runs.remove(i--);
      } else if (w != Long.MAX_VALUE && (wake == Long.MAX_VALUE || w - wake < 0)) {
        wake = w;
      }
    }
    return wake;
  }

  /** The loop is ending: every schedule fails with its cause. */
  void fail(Throwable cause) {
    for (ScheduleRun r : runs) r.fail(cause);
    runs.clear();
  }
}
