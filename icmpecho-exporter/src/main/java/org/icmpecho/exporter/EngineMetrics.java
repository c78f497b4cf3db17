package org.icmpecho.exporter;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.IntSupplier;
import org.icmpecho.ClientStats;
import org.icmpecho.IcmpClient;

/**
 * The engine's counters ({@link ClientStats}, one snapshot per scrape) as {@code
 * icmpecho_engine_*}.
 */
record EngineMetrics(IcmpClient client, IntSupplier targets) implements MultiCollector {
  @Override
  public MetricSnapshots collect() {
    ClientStats s = client.stats();
    return MetricSnapshots.of(
        counter("icmpecho_engine_sent", "Echo requests handed to the kernel.", s.sent()),
        counter(
            "icmpecho_engine_replies",
            "Echo replies attributed to a request (duplicates not included).",
            s.replies()),
        counter(
            "icmpecho_engine_errors", "ICMP error answers attributed to a request.", s.errors()),
        counter("icmpecho_engine_timeouts", "Requests that timed out.", s.timeouts()),
        counter(
            "icmpecho_engine_send_failures",
            "Requests the kernel refused to send.",
            s.sendFailures()),
        counter(
            "icmpecho_engine_duplicates",
            "Further replies to an answered request.",
            s.duplicates()),
        counter(
            "icmpecho_engine_late", "Answers to requests that had already timed out.", s.late()),
        counter("icmpecho_engine_foreign", "Packets that matched no request.", s.foreign()),
        counter(
            "icmpecho_engine_corrupted",
            "Replies whose payload differed from what was sent.",
            s.corrupted()),
        counter(
            "icmpecho_engine_bad_checksum",
            "Packets dropped for a wrong ICMP checksum.",
            s.badChecksum()),
        counter(
            "icmpecho_engine_receive_drops",
            "Packets the kernel dropped for the client's sockets (receive buffer full).",
            s.receiveDrops()),
        gauge(
            "icmpecho_engine_in_flight", "Echo requests sent and not yet completed.", s.inFlight()),
        gauge(
            "icmpecho_targets",
            "Targets probed continuously by this exporter (its shard).",
            targets.getAsInt()));
  }

  private static CounterSnapshot counter(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static GaugeSnapshot gauge(String name, String help, long value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
