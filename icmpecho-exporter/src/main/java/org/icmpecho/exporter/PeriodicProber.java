package org.icmpecho.exporter;

import java.time.Duration;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;

/**
 * Periodic echoes to many targets, each target once per period, the targets spread evenly over the
 * period. The seam between the exporter's bookkeeping and whatever sends on schedule.
 */
interface PeriodicProber {
  /** What happens to target {@code i} of a run, reported on the engine's callback thread. */
  interface Listener {
    void outcome(int target, EchoResult result);

    void duplicate(int target, EchoResult.Reply reply);

    /**
     * An echo of the run went to the kernel {@code nanos} after it was due. Called on the sending
     * I/O thread, not the callback thread: quick, thread-safe, never blocking.
     */
    default void late(long nanos) {}
  }

  /** A running set of periodic echoes. */
  interface Run {
    /** Echoes sent to target {@code i} so far; final once stopped. Any thread. */
    long sent(int target);

    /** Stops sending. */
    void stop();
  }

  /**
   * Starts echoing every request of {@code requests} once per {@code period}, until {@link
   * Run#stop()}.
   */
  Run start(List<EchoRequest> requests, Duration period, Listener listener);
}
