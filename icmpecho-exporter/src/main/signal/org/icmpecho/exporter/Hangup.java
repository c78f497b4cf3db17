package org.icmpecho.exporter;

import sun.misc.Signal;

/**
 * SIGHUP reloads the config, as it does for the Go exporters: the module's only use of {@code sun.misc.Signal}, kept
 * in {@code src/main/signal} and compiled apart (see the pom), since javac warns on every use and the module is
 * compiled with {@code -Werror}.
 */
final class Hangup {
  private Hangup() {}

  /** Runs {@code action} on a virtual thread at each SIGHUP, so the signal thread is never held. */
  static void onHangup(Runnable action) {
    Signal.handle(new Signal("HUP"), s -> Thread.ofVirtual().name("icmpecho-exporter-reload").start(action));
  }
}
