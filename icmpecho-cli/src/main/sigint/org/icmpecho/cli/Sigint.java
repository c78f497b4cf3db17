package org.icmpecho.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for the real process, through {@code sun.misc.Signal} (module {@code jdk.unsupported}): the JDK has no
 * supported API to handle SIGINT and go on running, which ping's and fping's summary on Ctrl-C needs.
 *
 * <p>With {@link FpingSignals}, the one place of the build compiled without {@code -Werror} ({@code src/main/sigint}):
 * javac reports every use of {@code sun.misc} as "internal proprietary API" and no lint option or
 * {@code @SuppressWarnings} turns that off. The CLI's POM compiles this folder alone, first, and the rest of the
 * module with {@code -Xlint:all -Werror} (README, "Contributing").
 */
final class Sigint {
  private Sigint() {}

  /**
   * SIGINT runs {@code action} (the command then prints its summary and exits with its own status); a second SIGINT
   * while the first is still being handled ends the process at once with 130, as a shell would.
   */
  static Runnable onInterrupt(Runnable action) {
    Signal sig = new Signal("INT");
    int[] count = {0};
    SignalHandler old;
    try {
      old = Signal.handle(sig, s -> {
        synchronized (count) {
          if (++count[0] > 1) Runtime.getRuntime().halt(130);
        }
        action.run();
      });
    } catch (IllegalArgumentException e) {
      return () -> {}; // SIGINT is not ours to handle (e.g. java -Xrs): the default applies
    }
    SignalHandler previous = old;
    return () -> Signal.handle(sig, previous);
  }
}
