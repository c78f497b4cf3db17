package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code icmpecho trace HOST}: traceroute with ICMP echo, without root where ping sockets are
 * allowed (the engine reads the routers' "time exceeded" from the socket's error queue).
 *
 * <p>All probes of all hops go out at once (up to {@code -N}), so silent hops cost one wait in all,
 * not one each. Hops print in order as soon as they are complete. Once a later hop has answered, an
 * earlier probe still waiting is given up {@value #NEAR_FACTOR} times that answer's round trip
 * later (at least {@value #NEAR_FLOOR_MS} ms), as traceroute's {@code -w MAX,HERE,NEAR} does with
 * its NEAR factor. Reverse lookups run beside the probes on a few threads of their own.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = VersionProvider.class,
    description = {
      "Print the route to HOST, hop by hop, like traceroute -I (ICMP echo probes with growing TTL).",
      "The header goes to stderr, as traceroute's does."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  icmpecho trace 127.0.0.1",
      "  icmpecho trace -n -q 1 -w 2 ::1",
      "  icmpecho trace --json -m 16 10.0.0.1"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the destination answered",
      "1:the destination was not reached (-m hops, or an unreachable answer)",
      "2:usage or system error"
    })
final class TraceCommand implements Callable<Integer>, Errors.Statuses {
  static final int NEAR_FACTOR = 10;
  static final long NEAR_FLOOR_MS = 100;

  /** traceroute -I's default: 60-byte IPv4 packets (20 IP + 8 ICMP + 32 data). */
  static final int PAYLOAD = 32;

  private final Env env;

  @Spec CommandSpec spec;

  @Mixin Options.Common common;

  @Mixin Options.Engine engine;

  @Parameters(index = "0", paramLabel = "HOST", description = "Name or address to trace.")
  String host;

  @Option(
      names = "-m",
      paramLabel = "MAXHOPS",
      description = "The largest TTL to probe (default 30).")
  int maxHops = 30;

  @Option(names = "-q", paramLabel = "PROBES", description = "Probes per hop (default 3).")
  int probes = 3;

  @Option(
      names = "-w",
      paramLabel = "SEC",
      converter = Converters.Seconds.class,
      description = "Seconds to wait for each probe (default 5).")
  Duration wait = Duration.ofSeconds(5);

  @Option(names = "-f", paramLabel = "FIRSTTTL", description = "The TTL to start with (default 1).")
  int firstTtl = 1;

  @Mixin Options.Numeric numeric;

  @Option(
      names = "-N",
      paramLabel = "PROBES",
      description = "At most PROBES probes in flight (default: all of them).")
  Integer simultaneous;

  @Option(
      names = "--json",
      description = "JSON Lines on stdout: one object per probe, then a summary.")
  boolean json;

  TraceCommand(Env env) {
    this.env = env;
  }

  @Override
  public int usageStatus() {
    return 2;
  }

  @Override
  public int failureStatus() {
    return 2;
  }

  @Override
  public Integer call() throws Exception {
    Resolver.Family family = engine.family(spec);
    if (maxHops < 1 || maxHops > 255) throw usage("-m " + maxHops + ": max hops must be 1..255");
    if (firstTtl < 1 || firstTtl > maxHops)
      throw usage("-f " + firstTtl + ": first hop out of range 1.." + maxHops);
    if (probes < 1 || probes > 10) throw usage("-q " + probes + ": probes per hop must be 1..10");
    if (wait.isZero()) throw usage("-w 0: the wait must be more than 0");
    if (simultaneous != null && simultaneous < 1)
      throw usage("-N " + simultaneous + ": must be 1 or more");
    InetAddress target;
    try {
      target = env.resolver().resolve(host, family);
    } catch (UnknownHostException e) {
      throw new CliException(2, e.getMessage(), true);
    }
    boolean v6 = target instanceof Inet6Address;
    int hops = maxHops - firstTtl + 1;
    int window = simultaneous == null ? hops * probes : simultaneous;
    try (IcmpClient client = env.probers().open(engine.prober(window + 16))) {
      try {
        client.socketMode(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      } catch (IcmpException e) {
        throw new CliException(2, e.getMessage(), false);
      }
      if (!json) {
        // on stdout, where traceroute writes it: a script reading the hops reads the header first
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "traceroute to "
                + host
                + " ("
                + Addr.text(target)
                + "), "
                + maxHops
                + " hops max, "
                + (PAYLOAD + 8 + (v6 ? 40 : 20))
                + " byte packets");
        out.flush();
      }
      ExecutorService lookups =
          numeric.numeric
              ? null
              : Executors.newFixedThreadPool(
                  4, Thread.ofPlatform().daemon().name("icmpecho-rdns-", 0).factory());
      try {
        TraceRun.Settings s =
            new TraceRun.Settings(host, firstTtl, probes, wait, json, spec.commandLine().getOut());
        return new TraceRun(client, target, hops, window, lookups, s, env).run();
      } finally {
        if (lookups != null) lookups.shutdownNow();
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
