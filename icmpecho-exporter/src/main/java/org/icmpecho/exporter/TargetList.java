package org.icmpecho.exporter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.icmpecho.exporter.ExporterConfig.Host;
import org.icmpecho.exporter.ExporterConfig.Network;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.Hashmod.Shard;

/**
 * The hosts one exporter probes continuously: the config's groups and the command line's hosts,
 * CIDR blocks expanded, names resolved, then kept by {@code --shard}. A host that appears twice
 * with the same address is probed once (its first group wins), so no two series share labels.
 */
final class TargetList {
  /** The most targets one exporter takes. */
  static final int MAX = 1 << 21;

  private TargetList() {}

  /**
   * One continuously probed host. {@code host} is the label as written (or the expanded address of
   * a block).
   */
  record Target(String host, InetAddress address, TargetGroup group) {
    String ip() {
      return Addresses.text(address);
    }

    /** The identity that keeps a target's counters across reloads. */
    String key() {
      return host + '\u0000' + ip();
    }
  }

  /**
   * Builds the list. {@code cliHosts} form one group with {@code cliGroup}'s settings (the {@code
   * -i} and {@code -s} flags); the shard test applies to the host string, as Prometheus' {@code
   * hashmod} applies to a label.
   *
   * @throws ConfigException naming the host's file and line when it cannot be expanded or resolved
   */
  static List<Target> build(
      ExporterConfig config, List<String> cliHosts, TargetGroup cliGroup, Shard shard)
      throws ConfigException {
    Map<String, Target> out = new LinkedHashMap<>();
    List<TargetGroup> groups = new ArrayList<>();
    if (!cliHosts.isEmpty()) {
      List<Host> hosts = cliHosts.stream().map(h -> new Host(h, null, 0)).toList();
      groups.add(
          new TargetGroup(
              hosts,
              cliGroup.interval(),
              cliGroup.network(),
              cliGroup.size(),
              cliGroup.source(),
              cliGroup.timeout()));
    }
    groups.addAll(config.targets());
    for (TargetGroup g : groups) {
      for (Host h : g.hosts()) add(h, g, shard, out);
    }
    return List.copyOf(out.values());
  }

  private static void add(Host h, TargetGroup g, Shard shard, Map<String, Target> out)
      throws ConfigException {
    String spec = h.spec().strip();
    if (spec.isEmpty()) throw where(h, "empty host");
    if (Addresses.isCidr(spec)) {
      List<InetAddress> block = new ArrayList<>();
      try {
        Addresses.expand(spec, block::add);
      } catch (IllegalArgumentException e) {
        throw where(h, e.getMessage());
      }
      for (InetAddress a : block) {
        String host = Addresses.text(a);
        if (!familyFits(a, g.network()))
          throw where(
              h,
              "'"
                  + spec
                  + "' is not of network "
                  + g.network().name().toLowerCase(java.util.Locale.ROOT));
        if (shard.keeps(host)) put(new Target(host, a, g), h, out);
      }
      return;
    }
    if (!shard.keeps(spec)) return; // not ours: not even resolved
    InetAddress a;
    try {
      a = Addresses.resolve(spec, g.network());
    } catch (UnknownHostException e) {
      throw where(h, "cannot resolve '" + spec + "': " + e.getMessage());
    }
    put(new Target(spec, a, g), h, out);
  }

  private static boolean familyFits(InetAddress a, Network n) {
    return switch (n) {
      case IP -> true;
      case IP4 -> a instanceof java.net.Inet4Address;
      case IP6 -> a instanceof java.net.Inet6Address;
    };
  }

  private static void put(Target t, Host h, Map<String, Target> out) throws ConfigException {
    InetAddress src = t.group().source();
    if (src != null
        && (src instanceof java.net.Inet6Address)
            != (t.address() instanceof java.net.Inet6Address)) {
      throw where(
          h,
          "'"
              + t.host()
              + "' ("
              + t.ip()
              + ") is not of the family of source "
              + Addresses.text(src));
    }
    out.putIfAbsent(t.key(), t);
    if (out.size() > MAX) throw where(h, "more than " + MAX + " targets");
  }

  private static ConfigException where(Host h, String message) {
    return ConfigException.at(h.file(), h.line(), h.file() == null ? "host" : "hosts", message);
  }

  /** The shortest interval among the targets (for logs), or null when there are none. */
  static Duration shortestInterval(List<Target> targets) {
    return targets.stream().map(t -> t.group().interval()).min(Duration::compareTo).orElse(null);
  }
}
