package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.icmpecho.exporter.ExporterConfig.Network;
import org.icmpecho.exporter.ExporterConfig.ProbeModule;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.Hashmod.Shard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
  /**
   * Debian's /etc/prometheus/smokeping_prober.yml of prometheus-smokeping-prober 0.6.1, unchanged.
   */
  static final String SMOKEPING_EXAMPLE =
      """
      ---
      targets:
      - hosts:
        - localhost
        interval: 1s # Duration, Default 1s.
        network: ip # One of ip, ip4, ip6. Default: ip (automatic IPv4/IPv6)
        protocol: icmp # One of icmp, udp. Default: icmp (Requires privileged operation)
        size: 56 # Packet data size in bytes. Default 56 (Range: 24 - 65535)
      """;

  /**
   * blackbox_exporter's example icmp modules, with an http module beside them as real files have.
   */
  static final String BLACKBOX_EXAMPLE =
      """
      modules:
        http_2xx:
          prober: http
          http:
            preferred_ip_protocol: "ip4"
        icmp:
          prober: icmp
        icmp_ttl5:
          prober: icmp
          timeout: 5s
          icmp:
            ttl: 5
            preferred_ip_protocol: ip4
            ip_protocol_fallback: false
            payload_size: 100
            dont_fragment: true
            source_ip_address: 127.0.0.1
      """;

  @Test
  void readsSmokepingProbersOwnExample() throws Exception {
    ExporterConfig c = ConfigParser.parse(SMOKEPING_EXAMPLE, "smokeping_prober.yml");
    assertEquals(1, c.targets().size());
    TargetGroup g = c.targets().get(0);
    assertEquals("localhost", g.hosts().get(0).spec());
    assertEquals(4, g.hosts().get(0).line());
    assertEquals(Duration.ofSeconds(1), g.interval());
    assertEquals(Network.IP, g.network());
    assertEquals(56, g.size());
    assertTrue(c.modules().isEmpty());
  }

  @Test
  void groupDefaultsAreSmokepingProbers() throws Exception {
    TargetGroup g = ConfigParser.parse("targets:\n- hosts: [127.0.0.1]\n", "f").targets().get(0);
    assertEquals(Duration.ofSeconds(1), g.interval());
    assertEquals(Network.IP, g.network());
    assertEquals(56, g.size());
    assertEquals(ConfigParser.DEFAULT_TIMEOUT, g.timeout());
  }

  @Test
  void readsBlackboxModulesWithBlackboxDefaults() throws Exception {
    ExporterConfig c = ConfigParser.parse(BLACKBOX_EXAMPLE, "blackbox.yml");
    assertEquals(3, c.modules().size());
    assertEquals("http", c.modules().get("http_2xx").prober());
    ProbeModule icmp = c.modules().get("icmp");
    assertTrue(icmp.preferIpv6()); // blackbox: preferred_ip_protocol defaults to ip6
    assertTrue(icmp.fallback());
    assertEquals(64, icmp.ttl());
    assertEquals(0, icmp.payloadSize());
    assertEquals(Duration.ZERO, icmp.timeout());
    ProbeModule t5 = c.modules().get("icmp_ttl5");
    assertEquals(5, t5.ttl());
    assertFalse(t5.preferIpv6());
    assertFalse(t5.fallback());
    assertEquals(100, t5.payloadSize());
    assertTrue(t5.dontFragment());
    assertEquals("127.0.0.1", t5.source().getHostAddress());
    assertEquals(Duration.ofSeconds(5), t5.timeout());
  }

  @Test
  void oneFileHoldsBoth() throws Exception {
    ExporterConfig c =
        ConfigParser.parse(SMOKEPING_EXAMPLE + BLACKBOX_EXAMPLE.replace("---", ""), "both.yml");
    assertEquals(1, c.targets().size());
    assertEquals(3, c.modules().size());
  }

  @Test
  void errorsNameFileLineAndField() {
    assertError(
        "f.yml:3: targets[0].interval: invalid duration '1x': unknown unit 'x'",
        "targets:\n- hosts: [a]\n  interval: 1x\n");
    assertError(
        "f.yml:3: targets[0].interal: unknown field", "targets:\n- hosts: [a]\n  interal: 1s\n");
    assertError(
        "f.yml:3: targets[0].size: 10 is out of range 24..65507",
        "targets:\n- hosts: [a]\n  size: 10\n");
    assertError(
        "f.yml:3: targets[0].network: must be ip, ip4 or ip6",
        "targets:\n- hosts: [a]\n  network: ipx\n");
    assertError(
        "f.yml:5: modules.m.icmp.ttl: \"ttl\" cannot exceed 255",
        "modules:\n  m:\n    prober: icmp\n    icmp:\n      ttl: 300\n");
    assertError("f.yml:3: modules.m.prober: missing", "modules:\n  m:\n    timeout: 1s\n");
    assertError("f.yml:1: targets: expected a list", "targets: 5\n");
    assertError("f.yml:3: not valid YAML", "targets:\n- hosts: [a\n  size: 5\n");
    assertError("f.yml:2: targets[0].size: 'big' is not a whole number", "targets:\n- size: big\n");
    assertError(
        "f.yml:2: targets[0].interval: invalid duration '5': missing unit",
        "targets:\n- interval: 5\n");
  }

  @Test
  void anEmptyFileIsAnEmptyConfig() throws Exception {
    assertEquals(ExporterConfig.EMPTY, ConfigParser.parse("", "f"));
    assertEquals(ExporterConfig.EMPTY, ConfigParser.parse("# nothing\n", "f"));
  }

  @Test
  void hostsComeFromCidrBlocksAndFiles(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("hosts.txt"), "# loopback targets\n127.0.0.5\n\n127.0.2.0/30  # a block\n");
    Path config = dir.resolve("c.yml");
    Files.writeString(
        config, "targets:\n- hosts: [127.0.1.0/30, 127.0.0.5]\n  files: [hosts.txt]\n");
    List<TargetList.Target> t =
        TargetList.build(ConfigParser.read(config), List.of(), cliGroup(), Shard.ALL);
    // /30 blocks leave out network and broadcast (as fping -g); 127.0.0.5 twice is probed once
    assertEquals(
        List.of("127.0.1.1", "127.0.1.2", "127.0.0.5", "127.0.2.1", "127.0.2.2"),
        t.stream().map(TargetList.Target::host).toList());
  }

  @Test
  void aBadHostNamesItsFileAndLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("hosts.txt"), "127.0.0.1\n127.0.0.0/40\n");
    Path config = dir.resolve("c.yml");
    Files.writeString(config, "targets:\n- files: [hosts.txt]\n");
    ExporterConfig c = ConfigParser.read(config);
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> TargetList.build(c, List.of(), cliGroup(), Shard.ALL));
    assertTrue(
        e.getMessage()
            .startsWith(dir.resolve("hosts.txt") + ":2: hosts: '127.0.0.0/40': prefix length"),
        e.getMessage());
    Files.writeString(config, "targets:\n- files: [missing.txt]\n");
    ConfigException missing = assertThrows(ConfigException.class, () -> ConfigParser.read(config));
    assertTrue(
        missing.getMessage().contains(":2: targets[0].files: cannot read host file"),
        missing.getMessage());
  }

  @Test
  void aShardKeepsItsHostsAndTheShardsCoverEveryHostOnce() throws Exception {
    ExporterConfig c = ConfigParser.parse("targets:\n- hosts: [127.3.0.0/24]\n", "f");
    List<TargetList.Target> all = TargetList.build(c, List.of(), cliGroup(), Shard.ALL);
    assertEquals(254, all.size());
    int total = 0;
    for (int k = 0; k < 3; k++) {
      List<TargetList.Target> part = TargetList.build(c, List.of(), cliGroup(), new Shard(k, 3));
      for (TargetList.Target t : part) assertEquals(k, Hashmod.of(t.host(), 3));
      assertTrue(part.size() > 50, "shard " + k + " has " + part.size());
      total += part.size();
    }
    assertEquals(254, total);
  }

  @Test
  void ipv6IsWrittenAsGoWritesIt() throws Exception {
    // smokeping_prober's ip label is Go's net.IP.String(): RFC 5952's short form, not Java's
    // 0:0:0:0:0:0:0:1
    assertEquals("::1", Addresses.text(Addresses.literal("0:0:0:0:0:0:0:1")));
    assertEquals("::", Addresses.text(Addresses.literal("::")));
    assertEquals("2001:db8::1:0:0:1", Addresses.text(Addresses.literal("2001:db8:0:0:1:0:0:1")));
    assertEquals("2001:db8:0:1:1:1:1:1", Addresses.text(Addresses.literal("2001:db8:0:1:1:1:1:1")));
    assertEquals("fd00:0:0:1::", Addresses.text(Addresses.literal("fd00:0:0:1:0:0:0:0")));
    assertEquals("127.0.0.1", Addresses.text(Addresses.literal("127.0.0.1")));
    ExporterConfig c = ConfigParser.parse("targets:\n- hosts: ['fd00::/126', '::1']\n", "f");
    assertEquals(
        List.of("fd00::", "fd00::1", "fd00::2", "fd00::3", "::1"),
        TargetList.build(c, List.of(), cliGroup(), Shard.ALL).stream()
            .map(TargetList.Target::ip)
            .toList());
  }

  @Test
  void shardSpecs() {
    assertEquals(new Shard(1, 4), Shard.parse("1/4"));
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("4/4"));
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("1"));
    assertThrows(IllegalArgumentException.class, () -> Shard.parse("a/2"));
  }

  @Test
  void goDurations() {
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofSeconds(90), GoDuration.parse("1m30s"));
    assertEquals(Duration.ofNanos(250_000), GoDuration.parse("250us"));
    assertEquals(Duration.ofDays(1), GoDuration.parse("1d"));
    assertEquals(Duration.ZERO, GoDuration.parse("0"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("1"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("s"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
    assertEquals("1m30s", GoDuration.format(Duration.ofSeconds(90)));
    assertEquals("250ms", GoDuration.format(Duration.ofMillis(250)));
    assertEquals("1.5s", GoDuration.format(Duration.ofMillis(1500)));
    // Found by ExporterConfigFuzzTest.goDuration: a negative duration lost its minutes ("-5s" for
    // -1m5s).
    assertEquals("-1m5s", GoDuration.format(Duration.ofSeconds(-65)));
    assertEquals(
        Duration.ofSeconds(-65), GoDuration.parse(GoDuration.format(Duration.ofSeconds(-65))));
    assertEquals("-250ms", GoDuration.format(Duration.ofMillis(-250)));
  }

  static TargetGroup cliGroup() {
    return new TargetGroup(
        List.of(), Duration.ofSeconds(1), Network.IP, 56, null, Duration.ofSeconds(1));
  }

  private static void assertError(String expectedStart, String yaml) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigParser.parse(yaml, "f.yml"));
    assertTrue(e.getMessage().startsWith(expectedStart), "got: " + e.getMessage());
  }
}
