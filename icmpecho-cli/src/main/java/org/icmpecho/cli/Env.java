package org.icmpecho.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the commands take from the process: the engine, name resolution, stdin, Ctrl-C, the terminal
 * and the privilege. {@link #system()} is the real process; tests build their own.
 *
 * @param probers makes the engine of one command run
 * @param resolver forward and reverse name lookups
 * @param stdin the stream {@code sweep -f -} reads
 * @param signals where Ctrl-C (SIGINT) is heard
 * @param stderrIsTerminal whether stderr is a terminal (the live progress line of {@code sweep})
 * @param netRaw whether the process has {@code CAP_NET_RAW} (intervals below the unprivileged
 *     floor)
 */
record Env(
    Prober.Factory probers,
    Resolver resolver,
    Supplier<InputStream> stdin,
    Signals signals,
    BooleanSupplier stderrIsTerminal,
    BooleanSupplier netRaw) {

  /** Installs a Ctrl-C action for the duration of a command. */
  @FunctionalInterface
  interface Signals {
    /**
     * Runs {@code action} (on a signal thread) at each Ctrl-C until the returned restore action
     * runs.
     */
    Runnable onInterrupt(Runnable action);
  }

  static Env system() {
    return new Env(
        Prober::icmp,
        Resolver.system(),
        () -> System.in,
        Sigint::onInterrupt,
        Env::stderrTty,
        Env::hasNetRaw);
  }

  /**
   * Whether file descriptor 2 is a terminal: its /proc link names a tty ({@code System.console()}
   * looks at 0 and 1).
   */
  @SuppressWarnings("SystemConsoleNull") // null still with -Djdk.console=java.base and no terminal
  private static boolean stderrTty() {
    try {
      String t = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") || t.equals("/dev/console");
    } catch (Exception e) {
      return System.console() != null && System.console().isTerminal();
    }
  }

  /** Whether the effective capabilities hold CAP_NET_RAW (bit 13), read from /proc/self/status. */
  static boolean hasNetRaw() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 13)) != 0;
        }
      }
    } catch (Exception e) {
      // not Linux or no /proc: assume unprivileged
    }
    return false;
  }
}
