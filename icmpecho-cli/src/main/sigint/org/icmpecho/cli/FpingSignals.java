package org.icmpecho.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGQUIT for the fping personality: fping prints its interval counts on it ({@code kill -QUIT}) and goes on.
 *
 * <p>HotSpot keeps SIGQUIT for its thread dump, so the launcher, run as {@code fping}, stays the JVM's parent and
 * turns a SIGQUIT into a SIGHUP for it (see the launcher); SIGHUP is heard here. Run without the launcher, SIGQUIT
 * remains the JVM's.
 */
final class FpingSignals {
  private FpingSignals() {}

  /** Runs {@code action} at each snapshot signal until the returned restore action runs. */
  static Runnable onQuit(Runnable action) {
    if (System.getenv("ICMPECHO_QUIT_AS_HUP") == null) return () -> {};
    Signal sig = new Signal("HUP");
    SignalHandler old;
    try {
      old = Signal.handle(sig, s -> action.run());
    } catch (IllegalArgumentException e) {
      return () -> {};
    }
    return () -> Signal.handle(sig, old);
  }
}
