package org.icmpecho.exporter;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a config file says: smokeping_prober's {@code targets:} and blackbox_exporter's {@code
 * modules:}, in one file or either alone. Values are checked when parsed ({@link ConfigParser});
 * hosts are expanded and resolved later ({@link TargetList}).
 *
 * @param targets smokeping_prober target groups, in file order
 * @param modules blackbox_exporter modules by name, of every prober (only {@code icmp} ones are
 *     served)
 */
record ExporterConfig(List<TargetGroup> targets, Map<String, ProbeModule> modules) {
  static final ExporterConfig EMPTY = new ExporterConfig(List.of(), Map.of());

  ExporterConfig {
    targets = List.copyOf(targets);
    modules = Map.copyOf(modules);
  }

  /** Address families a group's names resolve to, as smokeping_prober's {@code network}. */
  enum Network {
    /** IPv4 first, IPv6 when a name has no IPv4 address (Go's {@code ip}). */
    IP,
    IP4,
    IP6
  }

  /**
   * A host entry: a name, an address, or (icmpecho's extension) a CIDR block, with the line it came
   * from.
   */
  record Host(String spec, String file, int line) {}

  /**
   * One {@code targets:} entry.
   *
   * @param hosts names, addresses and CIDR blocks, including those read from {@code files}
   * @param interval the period of each host's echoes
   * @param network which family names resolve to
   * @param size ICMP payload bytes
   * @param source the source address, or null for the kernel's choice
   * @param timeout how long after its send a reply still counts (icmpecho's extension)
   */
  record TargetGroup(
      List<Host> hosts,
      Duration interval,
      Network network,
      int size,
      InetAddress source,
      Duration timeout) {
    TargetGroup {
      hosts = List.copyOf(hosts);
    }
  }

  /**
   * One blackbox_exporter module; for a prober other than {@code icmp} only its name and prober are
   * kept.
   *
   * @param timeout the module's timeout, zero for "the scrape's timeout less the offset"
   * @param preferIpv6 {@code preferred_ip_protocol: ip6} (blackbox's default)
   * @param fallback {@code ip_protocol_fallback} (default true)
   * @param payloadSize {@code payload_size}; 0 sends blackbox's 28-byte default payload
   * @param ttl the TTL / hop limit (blackbox's default 64)
   */
  record ProbeModule(
      String name,
      String prober,
      Duration timeout,
      boolean preferIpv6,
      boolean fallback,
      InetAddress source,
      int payloadSize,
      boolean dontFragment,
      int ttl) {
    /**
     * The module a {@code /probe} without {@code module=} uses when the config has no module named
     * {@code icmp}.
     */
    static final ProbeModule DEFAULT =
        new ProbeModule("icmp", "icmp", Duration.ZERO, true, true, null, 0, false, 64);
  }
}
