package org.icmpecho.exporter;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.icmpecho.IcmpClient;
import org.icmpecho.exporter.ExporterConfig.Network;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.Hashmod.Shard;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code icmpecho exporter}: a Prometheus exporter that is a drop-in for smokeping_prober 0.6.1
 * (continuous probing, its flags, YAML and metrics) and for blackbox_exporter 0.23's ICMP prober
 * ({@code /probe}), on one shared engine. Runs until SIGTERM or SIGINT; SIGHUP reloads the config.
 */
@Command(
    name = "exporter",
    sortOptions = false,
    description = {
      "Prometheus ping exporter: smokeping_prober 0.6.1 compatible (continuous probing, /metrics) and",
      "blackbox_exporter 0.23 ICMP compatible (/probe?target=HOST&module=NAME), sharded with --shard K/M."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  icmpecho exporter 127.0.0.1 ::1",
      "  icmpecho exporter --config.file smokeping_prober.yml --shard 0/2",
      "  icmpecho exporter --config.file blackbox.yml --probe.allowed-targets 10.0.0.0/8"
    })
public final class ExporterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--config.file",
      paramLabel = "FILE",
      description = "smokeping_prober (targets:) and/or blackbox_exporter (modules:) YAML.")
  Path configFile;

  @Option(
      names = "--web.listen-address",
      paramLabel = "[HOST]:PORT",
      defaultValue = ":9374",
      description = "Address to listen on; repeatable. Default: ${DEFAULT-VALUE}.")
  List<String> listen;

  @Option(
      names = "--web.telemetry-path",
      paramLabel = "PATH",
      defaultValue = "/metrics",
      description = "Path of the metrics. Default: ${DEFAULT-VALUE}.")
  String telemetryPath;

  @Option(
      names = {"--web.config.file", "--web.config"},
      paramLabel = "FILE",
      description =
          "exporter-toolkit web config: TLS (cert, key, client CA) and basic_auth_users (bcrypt).")
  Path webConfigFile;

  @Option(
      names = "--buckets",
      paramLabel = "LIST",
      defaultValue = SmokepingMetrics.DEFAULT_BUCKETS,
      description =
          "Comma-separated histogram buckets in seconds. Default: smokeping_prober's 20 (50us .. 26.2s).")
  String buckets;

  @Option(
      names = {"-i", "--ping.interval"},
      paramLabel = "DURATION",
      defaultValue = "1s",
      description = "Interval of the command line's hosts. Default: ${DEFAULT-VALUE}.")
  String interval;

  @Option(
      names = {"-s", "--ping.size"},
      paramLabel = "BYTES",
      defaultValue = "56",
      description = "Payload of the command line's hosts (24..65507). Default: ${DEFAULT-VALUE}.")
  int size;

  @Option(
      names = "--ping.timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "How long after its send a reply still counts (smokeping_prober: forever). Default: ${DEFAULT-VALUE}.")
  String pingTimeout;

  @Option(
      names = "--privileged",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Accepted for smokeping_prober compatibility: ping sockets are used where allowed, raw sockets otherwise.")
  boolean privileged;

  @Option(
      names = "--shard",
      paramLabel = "K/M",
      description = "Probe only the hosts whose Prometheus hashmod (md5) modulo M is K.")
  String shard;

  @Option(
      names = "--probe.allowed-targets",
      paramLabel = "CIDR",
      split = ",",
      description =
          "/probe answers 403 (and sends nothing) for a target outside these networks. Default: any.")
  List<String> allowedTargets = new ArrayList<>();

  @Option(
      names = "--probe.rate-limit",
      paramLabel = "PER_SECOND",
      defaultValue = "1000",
      description =
          "/probe requests per second per client address, beyond which 429 (0: no limit). Default: ${DEFAULT-VALUE}.")
  double probeRate;

  @Option(
      names = "--timeout-offset",
      paramLabel = "SECONDS",
      defaultValue = "0.5",
      description =
          "Subtracted from Prometheus' scrape timeout for /probe (as blackbox_exporter). Default: ${DEFAULT-VALUE}.")
  double timeoutOffset;

  @Option(
      names = "--log.level",
      paramLabel = "LEVEL",
      defaultValue = "info",
      description = "debug, info, warn or error. Default: ${DEFAULT-VALUE}.")
  String logLevel;

  @Option(
      names = "--log.format",
      paramLabel = "FORMAT",
      defaultValue = "logfmt",
      description = "logfmt or json. Default: ${DEFAULT-VALUE}.")
  String logFormat;

  @Parameters(
      paramLabel = "HOST",
      arity = "0..*",
      description = "Hosts to probe continuously (names, addresses, CIDR blocks).")
  List<String> hosts = new ArrayList<>();

  /** A command with every option at its default, as picocli makes it. */
  public ExporterCommand() {}

  /** Runs the exporter on its own, without the rest of the {@code icmpecho} command line. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ExporterCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Log log;
    Settings settings;
    try {
      log =
          new Log(
              err,
              Log.Level.valueOf(logLevel.toUpperCase(java.util.Locale.ROOT)),
              logFormat.equals("json"));
      if (!logFormat.equals("json") && !logFormat.equals("logfmt"))
        throw new IllegalArgumentException("--log.format must be logfmt or json");
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("icmpecho exporter: " + e.getMessage());
      err.flush();
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (IcmpClient client = IcmpClient.newBuilder().maxInFlight(1 << 22).build();
        Exporter exporter = new Exporter(settings, log, client, new ScheduleProber(client))) {
      try {
        exporter.start();
      } catch (ConfigException e) {
        log.error("error loading config", "err", e.getMessage());
        return 1;
      }
      Hangup.onHangup(
          () -> {
            try {
              exporter.reload();
            } catch (ConfigException e) {
              // logged by reload; the running config stays
            }
          });
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "icmpecho-exporter-stop"));
      stop.await();
      log.info("Shutting down");
    }
    return 0;
  }

  /** The checked settings of the parsed options. */
  Settings settings() {
    Duration every = GoDuration.parse(interval);
    if (every.isNegative() || every.isZero())
      throw new IllegalArgumentException("--ping.interval must be positive");
    Duration timeout = GoDuration.parse(pingTimeout);
    if (timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("--ping.timeout must be positive");
    if (size < 24 || size > 65507)
      throw new IllegalArgumentException("Invalid packet size " + size + " (24-65507)");
    if (!telemetryPath.startsWith("/"))
      throw new IllegalArgumentException("--web.telemetry-path must start with /");
    for (String l : listen) Listen.parse(l);
    TargetGroup cli = new TargetGroup(List.of(), every, Network.IP, size, null, timeout);
    List<Addresses.Block> allowed =
        allowedTargets.stream().filter(s -> !s.isBlank()).map(Addresses.Block::parse).toList();
    return new Settings(
        configFile,
        hosts,
        cli,
        shard == null ? Shard.ALL : Shard.parse(shard),
        listen,
        telemetryPath,
        SmokepingMetrics.parseBuckets(buckets),
        webConfigFile,
        allowed,
        probeRate,
        timeoutOffset);
  }
}
