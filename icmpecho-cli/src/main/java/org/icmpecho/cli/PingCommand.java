package org.icmpecho.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Enumeration;
import java.util.concurrent.Callable;
import org.icmpecho.EchoRequest;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.IpOptions;
import org.icmpecho.PathMtuDiscovery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code icmpecho ping HOST}: iputils' {@code ping} on the icmpecho engine. Sends on an absolute
 * schedule (probe {@code k} is due at {@code start + k * interval}, so slow answers or printing
 * never make the interval drift), prints each answer as iputils does, and the statistics block at
 * the end, at the deadline or on Ctrl-C.
 */
@Command(
    name = "ping",
    sortOptions = false,
    versionProvider = PingCommand.IputilsVersion.class,
    description = {
      "Send ICMP echo requests to HOST and print the answers and statistics, like iputils ping.",
      "Runs until -c replies, the -w deadline, or Ctrl-C (which prints the statistics)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  icmpecho ping 127.0.0.1                 # until Ctrl-C",
      "  icmpecho ping -c 3 -i 0.2 ::1",
      "  icmpecho ping -c 1 -s 1400 -M do -W 2 10.0.0.1",
      "  icmpecho ping -q -w 5 --json localhost",
      "",
      "Intervals below 2 ms (-i 0.002) need CAP_NET_RAW, as with iputils; -i 0 then sends",
      "the next echo as soon as the previous is answered, or after 10 ms."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:at least one echo reply came",
      "1:no echo reply came",
      "2:any other error (bad option or value, unknown host, no privilege, -I address not ours)"
    })
final class PingCommand implements Callable<Integer>, Errors.Statuses {
  /** Below this interval iputils wants privilege ("cannot flood"); so do we. */
  static final Duration MIN_USER_INTERVAL = Duration.ofMillis(2);

  static final int MAX_PENDING = 65_536;

  private final Env env;

  @Spec CommandSpec spec;

  @Mixin Options.Common common;

  @Mixin Options.Engine engine;

  // iputils' -h and -V; --help is icmpecho's (picocli's help, status 0)
  @Option(names = "-h", description = "iputils' usage on stderr (status 2).")
  boolean iputilsHelp;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print iputils' version lines and exit.")
  boolean version;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "HOST",
      description = "Name or address to ping.")
  String host;

  @Option(
      names = "-c",
      paramLabel = "COUNT",
      description = "Stop after COUNT echo requests (with -w: after COUNT replies).")
  Long count;

  @Option(
      names = "-i",
      paramLabel = "SEC",
      converter = Converters.Seconds.class,
      description = "Seconds between echo requests (default 1; below 0.002 needs CAP_NET_RAW).")
  Duration interval = Duration.ofSeconds(1);

  @Option(
      names = "-s",
      paramLabel = "BYTES",
      description = "Payload bytes after the ICMP header (default 56).")
  int size = EchoRequest.DEFAULT_PAYLOAD_SIZE;

  @Option(names = "-t", paramLabel = "TTL", description = "IP time to live / hop limit, 1..255.")
  Integer ttl;

  @Option(
      names = "-W",
      paramLabel = "SEC",
      converter = Converters.Seconds.class,
      description = "Seconds to wait for each answer (default 10).")
  Duration timeout = Duration.ofSeconds(10);

  @Option(
      names = "-w",
      paramLabel = "SEC",
      converter = Converters.Seconds.class,
      description = "Deadline: stop after SEC seconds, whatever was sent or received.")
  Duration deadline;

  @Option(
      names = "-I",
      paramLabel = "ADDR|IFACE",
      description = "Send from this local address, or through this interface.")
  String sourceOrInterface;

  @Option(
      names = "-M",
      paramLabel = "do|dont|want",
      converter = Converters.Pmtu.class,
      description =
          "Path MTU discovery: do (set DF, never fragment), dont (no DF), want (DF, fragment locally).")
  PathMtuDiscovery pmtu = PathMtuDiscovery.DEFAULT;

  @Option(
      names = "-Q",
      paramLabel = "TOS",
      converter = Converters.Tos.class,
      description = "IP TOS / traffic class, 0..255 or 0x..")
  Integer tos;

  @Option(
      names = "-p",
      paramLabel = "HEXPATTERN",
      description = "Fill the payload with this pattern of up to 16 bytes (hex).")
  String pattern;

  @Option(names = "-q", description = "Quiet: only the header and the statistics.")
  boolean quiet;

  @Mixin Options.Numeric numeric;

  @Option(names = "-D", description = "Print [epoch.micros] before each line.")
  boolean timestamps;

  @Option(names = "-O", description = "Report each echo that timed out (\"no answer yet\").")
  boolean outstanding;

  @Option(
      names = "--json",
      description = "JSON Lines on stdout: one object per answer or timeout, then a summary.")
  boolean json;

  @Option(
      names = "-R",
      description = "Record route (IPv4 option): print the route each reply brings back.")
  boolean recordRoute;

  @Option(
      names = "-T",
      paramLabel = "tsonly|tsandaddr",
      description = "IPv4 timestamp option: print the hops' times.")
  String timestampOption;

  PingCommand(Env env) {
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
    // iputils' own words for what its users meet most (the ping personality, API-CONTRACT §3.1)
    if (iputilsHelp) return PingUsage.print(spec.commandLine().getErr());
    if (host == null) throw new CliException(2, "usage error: Destination address required", false);
    if (count != null && count < 1) {
      throw new CliException(
          2,
          "invalid argument: '" + count + "': out of range: 1 <= value <= 9223372036854775807",
          false);
    }
    if (deadline != null && deadline.compareTo(interval) < 0 && deadline.toNanosPart() != 0) {
      // iputils 20221126 takes whole seconds only; a fraction of a second is refused where it would
      // end the run before the second echo (below the interval); longer fractions are icmpecho's
      // extension
      throw new CliException(2, "invalid argument: '" + seconds(deadline) + "'", false);
    }
    int max = EchoRequest.MAX_PAYLOAD_V4;
    if (size > max)
      throw new CliException(2, "packet size " + size + " is too large. Maximum is " + max, false);
    if (ttl != null && ttl > 255)
      throw new CliException(
          2, "invalid argument: '" + ttl + "': out of range: 0 <= value <= 255", false);
    if (ttl != null && ttl < 1)
      throw new CliException(2, "cannot set unicast time-to-live: Invalid argument", false);
    if (timeout.isZero()) throw usage("-W 0: the wait for an answer must be more than 0");
    if (deadline != null && deadline.isZero())
      throw usage("-w 0: the deadline must be more than 0");
    if (interval.compareTo(MIN_USER_INTERVAL) < 0 && !env.netRaw().getAsBoolean()) {
      throw new CliException(
          2,
          "cannot flood, minimal interval for user must be >= 2 ms, use -i 0.002 (or higher)",
          false);
    }
    byte[] payload = null;
    if (pattern != null) {
      try {
        byte[] p = new Converters.HexPattern().convert(pattern);
        payload = new byte[Math.max(0, size)];
        for (int i = 0; i < payload.length; i++) payload[i] = p[i % p.length];
      } catch (RuntimeException e) {
        throw usage("-p " + e.getMessage());
      }
    }

    InetAddress target;
    try {
      target = env.resolver().resolve(host, family);
    } catch (UnknownHostException e) {
      throw new CliException(2, e.getMessage(), true);
    }
    boolean v6 = target instanceof Inet6Address;
    Timeline.mark("target resolved");

    EchoRequest.Builder rb = EchoRequest.to(target).timeout(timeout).pathMtuDiscovery(pmtu);
    String from = source(rb, target);
    EchoRequest request;
    try {
      if (payload != null) rb.payload(payload);
      else rb.payloadSize(size);
      if (ttl != null) rb.ttl(ttl);
      if (tos != null) rb.tos(tos);
      rb.ipOptions(ipOptions(v6));
      request = rb.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }

    boolean names = !numeric.numeric && !Resolver.isLiteral(host);
    PingReport report =
        new PingReport(
            spec.commandLine().getOut(),
            spec.commandLine().getErr(),
            json,
            quiet,
            timestamps,
            outstanding,
            host,
            target,
            names ? env.resolver()::reverse : null);

    try (IcmpClient client = env.probers().open(engine.prober(MAX_PENDING + 16))) {
      try {
        client.socketMode(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      } catch (IcmpException e) {
        throw new CliException(2, e.getMessage(), false);
      }
      Timeline.mark("socket open");
      report.header(
          request.payloadSize(),
          request.ipOptions().length(),
          payload == null ? null : new Converters.HexPattern().convert(pattern),
          from);
      return new PingRun(
              client,
              request,
              report,
              new PingRun.Settings(interval, count, deadline, timeout, sourceOrInterface),
              env)
          .loop();
    }
  }

  /** Applies -I to the request; returns the header's "from ..." part, or null. */
  private String source(EchoRequest.Builder rb, InetAddress target) {
    if (sourceOrInterface == null) return null;
    String s = sourceOrInterface;
    boolean checkLocal =
        engine.netns == null; // inside another namespace this process cannot see its interfaces
    if (Resolver.isLiteral(s)) {
      InetAddress src;
      try {
        src = env.resolver().resolve(s, Resolver.Family.ANY);
      } catch (UnknownHostException e) {
        throw usage("-I " + s + ": " + e.getMessage());
      }
      if ((src instanceof Inet6Address) != (target instanceof Inet6Address)) {
        throw usage("-I " + s + ": not of the target's address family");
      }
      try {
        if (checkLocal
            && NetworkInterface.getByInetAddress(src) == null
            && !src.isLoopbackAddress()) {
          throw new CliException(
              2,
              "-I " + s + ": Cannot assign requested address (not an address of this host)",
              true);
        }
      } catch (SocketException e) {
        // cannot tell: let the engine decide
      }
      rb.source(src);
      return Addr.text(src) + " ";
    }
    if (s.isEmpty() || s.length() > 15)
      throw usage("-I " + s + ": not an address, and too long for an interface name");
    String first = null;
    if (checkLocal) {
      try {
        NetworkInterface ni = NetworkInterface.getByName(s);
        if (ni == null) throw new CliException(2, "unknown iface: " + s, true);
        for (Enumeration<InetAddress> e = ni.getInetAddresses(); e.hasMoreElements(); ) {
          InetAddress a = e.nextElement();
          if ((a instanceof Inet6Address) == (target instanceof Inet6Address) && first == null)
            first = Addr.text(a);
        }
      } catch (SocketException e) {
        // cannot tell: let the engine decide
      }
    }
    rb.interfaceName(s);
    return (first == null ? "" : first.replaceFirst("%.*$", "") + " ") + s;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /**
   * {@code ping -V}: iputils' two lines (its suite reads them), naming icmpecho as what answers.
   */
  static final class IputilsVersion implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "ping from iputils 20221126 (icmpecho " + VersionProvider.version() + ")",
        "libcap: no, IDN: no, NLS: no, error.h: no, getrandom(): no, __fpending(): no"
      };
    }
  }

  static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
  }

  /** The options of {@code -R} / {@code -T}, with iputils' refusals. */
  private IpOptions ipOptions(boolean v6) {
    if (!recordRoute && timestampOption == null) return IpOptions.NONE;
    if (recordRoute && timestampOption != null) throw usage("only one of -T or -R may be used");
    if (v6) throw usage((recordRoute ? "-R" : "-T") + ": IPv4 options, not for an IPv6 target");
    if (recordRoute) return IpOptions.recordRoute();
    return switch (timestampOption) {
      case "tsonly" -> IpOptions.timestampsOnly();
      case "tsandaddr" -> IpOptions.timestampsAndAddresses();
      default ->
          throw usage("-T " + timestampOption + ": invalid timestamp type (tsonly or tsandaddr)");
    };
  }
}
