package org.icmpecho.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code icmpecho sweep TARGET...}: fping on the icmpecho engine. Many targets through one client:
 * a single thread paces the sends on an absolute schedule ({@code -i}/{@code --rate}), keeps at
 * most {@code --max-in-flight} echoes outstanding, and handles the answers as they come back; no
 * thread, timer or sleep per target.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    versionProvider = VersionProvider.class,
    description = {
      "Probe many targets with ICMP echo, like fping: which are alive, and (-c) their loss and round trips.",
      "Targets come from the arguments, -g (CIDR block, or START END) and -f (file, - for stdin)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  icmpecho sweep 127.0.0.1 ::1",
      "  icmpecho sweep -a -g 127.0.0.0/28              # the alive ones, one address a line",
      "  icmpecho sweep -g 127.0.0.1 127.0.0.9 -c 3 -q  # per-target statistics only",
      "  icmpecho sweep -u -f hosts.txt -s --rate 500",
      "  icmpecho sweep --json -c 2 127.0.0.1",
      "",
      "Default pacing is fping's: one echo every 10 ms (-i) in all; -i below 1 ms or --rate above 1000",
      "needs CAP_NET_RAW. Without -c, a target gets 1 + RETRIES tries with timeouts TIMEOUT, TIMEOUT*B, ..."
    },
    exitCodeListHeading = "%nExit status (as fping):%n",
    exitCodeList = {
      "0:all targets alive",
      "1:some targets unreachable, or invalid arguments (as fping really exits)",
      "2:a name did not resolve",
      "4:system failure (no privilege, socket error)"
    })
final class SweepCommand implements Callable<Integer>, Errors.Statuses {
  private final Env env;

  @Spec CommandSpec spec;

  @Mixin Options.Common common;

  @Mixin Options.Engine engine;

  @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Names or addresses to probe.")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "-g",
      arity = "1..2",
      paramLabel = "CIDR|START END",
      description =
          "Generate targets: a CIDR block (network and broadcast left out for IPv4), or a START END range.")
  List<String> generate = new ArrayList<>();

  @Option(
      names = "-f",
      paramLabel = "FILE",
      description = "Read targets from FILE, one a line (- for stdin).")
  String file;

  @Option(
      names = "-c",
      paramLabel = "COUNT",
      description = "Count mode: send COUNT echoes to each target, print each.")
  Integer count;

  @Option(
      names = "-p",
      paramLabel = "MS",
      converter = Converters.Millis.class,
      description = "Period between echoes to one target in count mode (default 1000 ms).")
  Duration period = Duration.ofSeconds(1);

  @Option(
      names = "-i",
      paramLabel = "MS",
      converter = Converters.Millis.class,
      description = "Gap between any two sends (default 10 ms).")
  Duration interval;

  @Option(
      names = "--rate",
      paramLabel = "PPS",
      description = "Send at most PPS echoes per second (instead of -i).")
  Double rate;

  @Option(
      names = "-t",
      paramLabel = "MS",
      converter = Converters.Millis.class,
      description = "Timeout of the first try (default 500 ms; with -c the period, up to 2000 ms).")
  Duration timeout;

  @Option(names = "-r", paramLabel = "N", description = "Retries without -c (default 3).")
  int retries = 3;

  @Option(
      names = "-B",
      paramLabel = "FACTOR",
      description = "Backoff: each retry waits FACTOR times longer (default 1.5).")
  double backoff = 1.5;

  @Option(names = "-b", paramLabel = "BYTES", description = "Payload bytes (default 56).")
  int size = 56;

  @Option(names = "-a", description = "Show the alive targets (one a line).")
  boolean showAlive;

  @Option(names = "-u", description = "Show the unreachable targets (one a line).")
  boolean showUnreachable;

  @Option(names = "-s", description = "Print the final statistics on stderr.")
  boolean stats;

  @Option(
      names = "-q",
      description = "Quiet: no per-probe or per-target lines (exit status, -c summaries, -s).")
  boolean quiet;

  @Option(names = "-e", description = "Show the round trip with 'is alive'.")
  boolean elapsed;

  @Option(
      names = "--json",
      description = "JSON Lines on stdout: each answer or timeout, then a summary per target.")
  boolean json;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      description = "At most N echoes outstanding at once (default 16384).")
  int window = 16_384;

  @Option(
      names = "--sockets",
      paramLabel = "N",
      description =
          "Sockets (and I/O threads) per address family, 1..8. Default: 2 for more than 1024 targets on"
              + " a machine with 2 or more cores, else 1.")
  Integer sockets;

  SweepCommand(Env env) {
    this.env = env;
  }

  /**
   * fping exits 1 on an invalid argument (its man page says 3); API-CONTRACT §3 pins 1 since
   * 2026-12-07.
   */
  @Override
  public int usageStatus() {
    return 1;
  }

  @Override
  public int failureStatus() {
    return 4;
  }

  @Override
  public Integer call() throws Exception {
    Resolver.Family family = engine.family(spec);
    validate();
    long step = pacing();
    long firstTimeout =
        timeout != null
            ? timeout.toNanos()
            : count != null ? Math.min(period.toNanos(), 2_000_000_000L) : 500_000_000L;

    PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
    List<String> named = new ArrayList<>(targets);
    if (file != null) {
      try {
        named.addAll(Targets.read(file, env.stdin().get()));
      } catch (IOException e) {
        throw new CliException(4, "-f " + file + ": " + e.getMessage(), false);
      }
    }
    List<Targets.Target> list = new ArrayList<>();
    int unknown = resolve(named, family, list, out, err);
    try {
      Targets.generate(
          generate,
          family,
          a -> {
            if (list.size() >= Targets.MAX)
              throw new IllegalArgumentException("more than " + Targets.MAX + " targets");
            list.add(new Targets.Target(Addr.text(a), a));
          });
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (list.isEmpty() && unknown == 0) throw usage("no targets: give TARGET..., -g or -f");
    if (list.isEmpty()) return 2;

    boolean v4 = false, v6 = false;
    for (Targets.Target t : list) {
      if (t.address() instanceof Inet4Address) v4 = true;
      else v6 = true;
    }
    Sweep.Config config =
        new Sweep.Config(
            count == null ? 0 : count,
            retries,
            backoff,
            step,
            period.toNanos(),
            firstTimeout,
            size,
            window,
            json,
            quiet,
            showAlive,
            showUnreachable,
            elapsed,
            stats);
    // A large sweep keeps the kernel busy enough for a second socket, driven by a second I/O
    // thread, to pay on a
    // machine with two or more cores (measured: +40-55 % answers/s on 2 cores). Small ones stay on
    // one socket.
    int sockets =
        this.sockets != null
            ? this.sockets
            : list.size() > 1024 && Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
    try (IcmpClient client = env.probers().open(engine.prober(window + 64, sockets))) {
      try {
        if (v4) client.socketMode(StandardProtocolFamily.INET);
        if (v6) client.socketMode(StandardProtocolFamily.INET6);
      } catch (IcmpException e) {
        throw new CliException(4, e.getMessage(), false);
      }
      Sweep sweep =
          new Sweep(config, list, unknown, out, err, env.stderrIsTerminal().getAsBoolean());
      int alive = sweep.run(client, env.signals());
      if (unknown > 0) return 2;
      return alive == list.size() ? 0 : 1;
    }
  }

  private void validate() {
    if (count != null && count < 1) throw usage("-c " + count + ": the count must be 1 or more");
    if (retries < 0 || retries > 100) throw usage("-r " + retries + ": retries must be 0..100");
    if (!(backoff >= 1.0 && backoff <= 5.0))
      throw usage("-B " + backoff + ": the backoff factor must be 1.0..5.0");
    if (period.isZero()) throw usage("-p 0: the period must be more than 0");
    if (timeout != null && timeout.isZero()) throw usage("-t 0: the timeout must be more than 0");
    if (size < 0 || size > 65_507)
      throw usage("-b " + size + ": the payload must be 0..65507 bytes");
    if (window < 1 || window > 1_000_000)
      throw usage("--max-in-flight " + window + ": must be 1..1000000");
    if (sockets != null && (sockets < 1 || sockets > 8))
      throw usage("--sockets " + sockets + ": must be 1..8");
    if (file != null && file.isEmpty()) throw usage("-f: the file name is empty");
  }

  /**
   * Nanoseconds between two sends, from -i or --rate; below 1 ms only with CAP_NET_RAW (fping's
   * rule).
   */
  private long pacing() {
    if (interval != null && rate != null) throw usage("-i and --rate exclude each other");
    long step;
    String what;
    if (rate != null) {
      if (!(rate > 0) || rate.isInfinite()) throw usage("--rate " + rate + ": must be more than 0");
      step = (long) Math.floor(1e9 / rate);
      what = "--rate " + rate;
    } else {
      step = interval == null ? 10_000_000L : interval.toNanos();
      what = "-i " + java.math.BigDecimal.valueOf(step, 6).stripTrailingZeros().toPlainString();
    }
    if (step < 1_000_000L && !env.netRaw().getAsBoolean()) {
      throw usage(what + ": sending more often than every 1 ms needs CAP_NET_RAW (as with fping)");
    }
    return step;
  }

  /** Resolves the named targets (a few lookups at a time); prints and counts the ones that fail. */
  private int resolve(
      List<String> names,
      Resolver.Family family,
      List<Targets.Target> sink,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    Resolver resolver = env.resolver();
    List<Object> results = new ArrayList<>(names.size());
    ExecutorService pool = null;
    try {
      for (String n : names) {
        if (Resolver.isLiteral(n)) {
          results.add(lookup(resolver, n, family));
        } else {
          if (pool == null)
            pool =
                Executors.newFixedThreadPool(
                    8, Thread.ofPlatform().daemon().name("icmpecho-resolve-", 0).factory());
          results.add(pool.submit(() -> lookup(resolver, n, family)));
        }
      }
      int unknown = 0;
      for (int i = 0; i < names.size(); i++) {
        Object r = results.get(i);
        if (r instanceof Future<?> f) {
          try {
            r = f.get();
          } catch (java.util.concurrent.ExecutionException e) {
            r = new UnknownHostException(names.get(i) + ": " + e.getCause());
          }
        }
        if (r instanceof InetAddress a) {
          sink.add(new Targets.Target(names.get(i), a));
          if (sink.size() > Targets.MAX) throw usage("more than " + Targets.MAX + " targets");
        } else {
          unknown++;
          String message = ((Exception) r).getMessage();
          if (json) {
            out.println(
                new Json()
                    .put("type", "error")
                    .put("target", names.get(i))
                    .put("message", message));
            out.flush();
          }
          err.println(message);
          err.flush();
        }
      }
      return unknown;
    } finally {
      if (pool != null) pool.shutdownNow();
    }
  }

  private static Object lookup(Resolver r, String name, Resolver.Family family) {
    try {
      return r.resolve(name, family);
    } catch (UnknownHostException e) {
      return e;
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
