package org.icmpecho.exporter;

import java.nio.file.Path;
import java.util.List;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.Hashmod.Shard;

/**
 * Everything the command line decides, checked by {@link ExporterCommand}.
 *
 * @param configFile the {@code targets:}/{@code modules:} file, or null
 * @param hosts hosts from the command line, probed with {@code cliGroup}'s settings
 * @param listen {@code --web.listen-address} values ({@code :9374}, {@code 127.0.0.1:0}, {@code
 *     [::1]:9374})
 * @param webConfigFile the exporter-toolkit file, or null
 * @param allowed {@code --probe.allowed-targets}; empty for any
 * @param probeRate {@code /probe} requests per second per client address; 0 for no limit
 */
record Settings(
    Path configFile,
    List<String> hosts,
    TargetGroup cliGroup,
    Shard shard,
    List<String> listen,
    String telemetryPath,
    List<Double> buckets,
    Path webConfigFile,
    List<Addresses.Block> allowed,
    double probeRate,
    double timeoutOffset) {
  Settings {
    hosts = List.copyOf(hosts);
    listen = List.copyOf(listen);
    allowed = List.copyOf(allowed);
    buckets = List.copyOf(buckets);
  }
}
