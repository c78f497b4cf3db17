package org.icmpecho.exporter;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.icmpecho.exporter.ExporterConfig.Host;
import org.icmpecho.exporter.ExporterConfig.Network;
import org.icmpecho.exporter.ExporterConfig.ProbeModule;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a config file of smokeping_prober 0.6.1 ({@code targets:}), blackbox_exporter 0.23 ({@code
 * modules:}) or both, with the defaults of those tools. Unlike them it refuses unknown keys (a
 * misspelt {@code interal:} would otherwise silently probe every second), and every error names the
 * file, line and field.
 *
 * <p>icmpecho's extensions in a target group: a host may be a CIDR block; {@code files: [PATH,
 * ...]} lists files of hosts (one per line, {@code #} comments; relative to the config file);
 * {@code timeout:} bounds how long a reply still counts.
 */
final class ConfigParser {
  private static final Set<String> TOP = Set.of("targets", "modules");
  private static final Set<String> GROUP =
      Set.of("hosts", "files", "interval", "network", "protocol", "size", "source", "timeout");
  private static final Set<String> MODULE =
      Set.of("prober", "timeout", "http", "tcp", "icmp", "dns", "grpc");
  private static final Set<String> ICMP =
      Set.of(
          "preferred_ip_protocol",
          "ip_protocol_fallback",
          "source_ip_address",
          "payload_size",
          "dont_fragment",
          "ttl");

  /**
   * smokeping_prober's default reply window is unbounded; icmpecho's default (see the module
   * README).
   */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final String file;
  private final Path dir;
  private final YamlReader y;

  private ConfigParser(String file, Path dir) {
    this.file = file;
    this.dir = dir;
    this.y = new YamlReader(file);
  }

  /** Reads and checks {@code path}. */
  static ExporterConfig read(Path path) throws ConfigException {
    String text = YamlReader.readFile(path);
    Path parent = path.toAbsolutePath().getParent();
    return new ConfigParser(path.toString(), parent).parse(text);
  }

  /**
   * Parses {@code text} as if read from {@code file} (for messages; relative {@code files:} resolve
   * against cwd).
   */
  static ExporterConfig parse(String text, String file) throws ConfigException {
    return new ConfigParser(file, Path.of("")).parse(text);
  }

  private ExporterConfig parse(String text) throws ConfigException {
    Optional<Node> root = y.root(text);
    if (root.isEmpty()) return ExporterConfig.EMPTY;
    Map<String, Node> top = y.mapping(root.get(), "");
    y.known(top, TOP, "");
    List<TargetGroup> groups = new ArrayList<>();
    Node t = top.get("targets");
    if (t != null && !y.isNull(t)) {
      List<Node> items = y.sequence(t, "targets");
      for (int i = 0; i < items.size(); i++) groups.add(group(items.get(i), "targets[" + i + "]"));
    }
    Map<String, ProbeModule> modules = new LinkedHashMap<>();
    Node m = top.get("modules");
    if (m != null && !y.isNull(m)) {
      for (Map.Entry<String, Node> e : y.mapping(m, "modules").entrySet()) {
        modules.put(e.getKey(), module(e.getKey(), e.getValue(), "modules." + e.getKey()));
      }
    }
    return new ExporterConfig(groups, modules);
  }

  private TargetGroup group(Node node, String where) throws ConfigException {
    Map<String, Node> g = y.mapping(node, where);
    y.known(g, GROUP, where);
    List<Host> hosts = new ArrayList<>();
    Node h = g.get("hosts");
    if (h != null && !y.isNull(h)) {
      for (Node n : y.sequence(h, where + ".hosts"))
        hosts.add(new Host(y.scalar(n, where + ".hosts"), file, y.line(n)));
    }
    Node f = g.get("files");
    if (f != null && !y.isNull(f)) {
      for (Node n : y.sequence(f, where + ".files"))
        readHostFile(y.scalar(n, where + ".files"), n, where + ".files", hosts);
    }
    Duration interval = y.duration(g.get("interval"), where + ".interval", Duration.ofSeconds(1));
    if (interval.isZero() || interval.isNegative())
      throw y.error(g.get("interval"), where + ".interval", "must be positive");
    Network network =
        switch (y.text(g.get("network"), where + ".network", "ip")) {
          case "ip" -> Network.IP;
          case "ip4" -> Network.IP4;
          case "ip6" -> Network.IP6;
          default -> throw y.error(g.get("network"), where + ".network", "must be ip, ip4 or ip6");
        };
    String protocol = y.text(g.get("protocol"), where + ".protocol", "icmp");
    if (!protocol.equals("icmp") && !protocol.equals("udp")) {
      throw y.error(
          g.get("protocol"),
          where + ".protocol",
          "must be icmp or udp (both send ICMP echo; udp is Go's name for ping sockets)");
    }
    int size = y.integer(g.get("size"), where + ".size", 56);
    if (size < 24 || size > 65507)
      throw y.error(g.get("size"), where + ".size", size + " is out of range 24..65507");
    InetAddress source = y.address(g.get("source"), where + ".source");
    Duration timeout = y.duration(g.get("timeout"), where + ".timeout", DEFAULT_TIMEOUT);
    if (timeout.isZero() || timeout.isNegative())
      throw y.error(g.get("timeout"), where + ".timeout", "must be positive");
    return new TargetGroup(hosts, interval, network, size, source, timeout);
  }

  private void readHostFile(String name, Node node, String where, List<Host> hosts)
      throws ConfigException {
    Path p = dir.resolve(name);
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw y.error(
          node,
          where,
          "cannot read host file "
              + p
              + ": "
              + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int hash = l.indexOf('#');
      String host = (hash >= 0 ? l.substring(0, hash) : l).strip();
      if (!host.isEmpty()) hosts.add(new Host(host, p.toString(), i + 1));
    }
  }

  private ProbeModule module(String name, Node node, String where) throws ConfigException {
    Map<String, Node> m = y.mapping(node, where);
    y.known(m, MODULE, where);
    String prober = y.text(m.get("prober"), where + ".prober", "");
    if (prober.isEmpty())
      throw y.error(node, where + ".prober", "missing (icmp, http, tcp, dns or grpc)");
    Duration timeout = y.duration(m.get("timeout"), where + ".timeout", Duration.ZERO);
    if (timeout.isNegative())
      throw y.error(m.get("timeout"), where + ".timeout", "must not be negative");
    ProbeModule d = ProbeModule.DEFAULT;
    Node icmpNode = m.get("icmp");
    if (!prober.equals("icmp") || icmpNode == null || y.isNull(icmpNode)) {
      return new ProbeModule(
          name, prober, timeout, d.preferIpv6(), d.fallback(), null, 0, false, d.ttl());
    }
    String w = where + ".icmp";
    Map<String, Node> icmp = y.mapping(icmpNode, w);
    y.known(icmp, ICMP, w);
    String proto = y.text(icmp.get("preferred_ip_protocol"), w + ".preferred_ip_protocol", "ip6");
    if (!Set.of("ip4", "ip6", "").contains(proto))
      throw y.error(
          icmp.get("preferred_ip_protocol"), w + ".preferred_ip_protocol", "must be ip4 or ip6");
    boolean fallback = y.bool(icmp.get("ip_protocol_fallback"), w + ".ip_protocol_fallback", true);
    InetAddress source = y.address(icmp.get("source_ip_address"), w + ".source_ip_address");
    int payload = y.integer(icmp.get("payload_size"), w + ".payload_size", 0);
    if (payload < 0 || payload > 65507)
      throw y.error(
          icmp.get("payload_size"), w + ".payload_size", payload + " is out of range 0..65507");
    boolean df = y.bool(icmp.get("dont_fragment"), w + ".dont_fragment", false);
    int ttl = y.integer(icmp.get("ttl"), w + ".ttl", 64);
    if (ttl < 0) throw y.error(icmp.get("ttl"), w + ".ttl", "\"ttl\" cannot be negative");
    if (ttl > 255) throw y.error(icmp.get("ttl"), w + ".ttl", "\"ttl\" cannot exceed 255");
    return new ProbeModule(
        name,
        prober,
        timeout,
        !proto.equals("ip4"),
        fallback,
        source,
        payload,
        df,
        ttl == 0 ? 64 : ttl);
  }
}
