package org.icmpecho.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.icmpecho.IcmpException;

/**
 * What an engine and its loops share, and nothing else: how many echoes the engine holds (bounded
 * by {@code maxInFlight}), and why it takes no more. The loops count echoes out and record their
 * end here; the engine reads both, so neither calls the other back.
 */
final class Admission {
  /** Echoes submitted and not yet completed, failed or withdrawn. */
  final AtomicLong outstanding = new AtomicLong();

  private volatile IcmpException failure;

  /** Why submissions fail at once (a loop ended), or null. */
  IcmpException failure() {
    return failure;
  }

  /**
   * A loop has ended: from now on submissions fail with {@code cause} (the first cause recorded
   * stays).
   */
  void fail(IcmpException cause) {
    if (failure == null) failure = cause;
  }
}
