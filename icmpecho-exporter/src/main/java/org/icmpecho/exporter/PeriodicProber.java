package org.icmpecho.exporter;

import java.time.Duration;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;

/**
 * Periodic echoes to many targets, each target once per period, the targets spread evenly over the period. The seam
 * between the exporter's bookkeeping and whatever sends on schedule.
 */
interface PeriodicProber extends AutoCloseable {
  /**
   * What happens to target {@code i} of a run: {@code sent} on the sending thread, the rest on the engine's callback
   * thread; implementations must be thread-safe.
   */
  interface Listener {
    void sent(int target);

    void outcome(int target, EchoResult result);

    void duplicate(int target, EchoResult.Reply reply);

    /** The echo could not be made at all (no permission, client closed): counted as a general failure. */
    void failed(int target, Throwable cause);
  }

  /** A running set of periodic echoes. */
  interface Run {
    /** Stops sending; echoes in flight still report their outcome. */
    void stop();
  }

  /** Starts echoing every request of {@code requests} once per {@code period}, until {@link Run#stop()}. */
  Run start(List<EchoRequest> requests, Duration period, Listener listener);

  @Override
  void close();
}
