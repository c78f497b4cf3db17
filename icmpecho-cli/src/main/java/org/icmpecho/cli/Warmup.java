package org.icmpecho.cli;

import java.net.StandardProtocolFamily;
import org.icmpecho.IcmpClient;

/**
 * Readies the engine on a thread of its own while the command line is still being parsed: the
 * engine's first socket costs a fresh JVM tens of milliseconds of class initialisation and native
 * linking (the FFM stubs), and picocli's model of a command as much again, one after the other on
 * one thread (for a sweep: reading and resolving its targets). On two or more cores the two now
 * overlap (ENGINE-NOTES §12). The thread opens one socket and closes it, sending nothing; whatever
 * fails there fails again, and is reported, when the command opens its own.
 */
final class Warmup {
  /** The commands that open the engine. */
  static final java.util.Set<String> PROBING = java.util.Set.of("ping", "trace", "sweep", "fping");

  private Warmup() {}

  /** Starts the warm-up when the machine has a second core to run it on. */
  static void start() {
    if (Runtime.getRuntime().availableProcessors() < 2) return;
    Thread.ofPlatform().daemon().name("icmpecho-warmup").start(Warmup::run);
  }

  private static void run() {
    try (IcmpClient client = IcmpClient.create()) {
      client.socketMode(StandardProtocolFamily.INET);
    } catch (Exception | LinkageError e) {
      // no socket here (no privilege, no IPv4): the command meets the same and says so
    }
    Timeline.mark("engine warmed up");
  }
}
