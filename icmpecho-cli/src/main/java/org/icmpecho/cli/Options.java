package org.icmpecho.cli;

import org.icmpecho.SocketMode;
import picocli.CommandLine.Option;

/** Option groups shared by the commands (picocli mixins). */
final class Options {
  private Options() {}

  /** {@code --stacktrace}: a failure prints its stack trace after the one-line message. */
  static final class Common {
    @Option(names = "--stacktrace", description = "On a failure, print the stack trace too.")
    boolean stacktrace;
  }

  /** {@code -n}: no reverse lookups ({@code ping} and {@code trace}). */
  static final class Numeric {
    @Option(names = "-n", description = "Numeric output: no reverse lookups.")
    boolean numeric;
  }

  /** Where and how the echoes go out: {@code -4}/{@code -6}, a network namespace, raw sockets. */
  static final class Engine {
    @Option(names = "-4", description = "Use IPv4 only.")
    boolean ipv4;

    @Option(names = "-6", description = "Use IPv6 only.")
    boolean ipv6;

    @Option(
        names = "--netns",
        paramLabel = "NAME",
        description =
            "Send from inside network namespace NAME (/var/run/netns/NAME; needs CAP_SYS_ADMIN).")
    String netns;

    @Option(
        names = "--raw",
        description = "Use raw sockets (CAP_NET_RAW) instead of unprivileged ping sockets.")
    boolean raw;

    Resolver.Family family(picocli.CommandLine.Model.CommandSpec spec) {
      if (ipv4 && ipv6)
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "-4 and -6 exclude each other");
      return ipv4 ? Resolver.Family.V4 : ipv6 ? Resolver.Family.V6 : Resolver.Family.ANY;
    }

    Prober.Options prober(int maxInFlight) {
      return prober(maxInFlight, 1);
    }

    Prober.Options prober(int maxInFlight, int socketsPerFamily) {
      return new Prober.Options(
          netns, raw ? SocketMode.RAW : SocketMode.AUTO, maxInFlight, socketsPerFamily);
    }
  }
}
