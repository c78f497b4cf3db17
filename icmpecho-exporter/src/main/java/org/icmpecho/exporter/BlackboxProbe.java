package org.icmpecho.exporter;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.icmpecho.PathMtuDiscovery;
import org.icmpecho.exporter.ExporterConfig.ProbeModule;

/**
 * One blackbox_exporter 0.23 ICMP probe: resolve as blackbox does ({@code preferred_ip_protocol},
 * {@code ip_protocol_fallback}), one echo through the shared client, and the metrics blackbox
 * answers with, plus {@code icmpecho_probe_status_code}.
 */
final class BlackboxProbe {
  /** blackbox_exporter's payload when {@code payload_size} is 0, and the start of a longer one. */
  private static final byte[] PAYLOAD =
      "Prometheus Blackbox Exporter".getBytes(StandardCharsets.US_ASCII);

  private BlackboxProbe() {}

  /**
   * The resolve phase: the address picked (or null when the name did not resolve) and how long it
   * took.
   */
  record Resolved(InetAddress address, double lookupSeconds, String error) {
    int protocol() {
      return address == null ? 0 : address instanceof Inet4Address ? 4 : 6;
    }
  }

  /** Resolves {@code target} as blackbox's {@code chooseProtocol}. */
  static Resolved resolve(String target, ProbeModule module) {
    long start = System.nanoTime();
    String host =
        target.startsWith("[") && target.endsWith("]")
            ? target.substring(1, target.length() - 1)
            : target;
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return new Resolved(null, seconds(start), "cannot resolve " + host);
    }
    InetAddress preferred = null, other = null;
    for (InetAddress a : all) {
      boolean v6 = a instanceof Inet6Address;
      if (v6 == module.preferIpv6()) {
        if (preferred == null) preferred = a;
      } else {
        other = a; // blackbox keeps the last address of the other family as its fallback
      }
    }
    InetAddress pick = preferred != null ? preferred : module.fallback() ? other : null;
    String error =
        pick == null
            ? "no " + (module.preferIpv6() ? "IPv6" : "IPv4") + " address for " + host
            : null;
    return new Resolved(pick, seconds(start), error);
  }

  /**
   * What one probe found: the values of blackbox's answer. Written straight to text by {@link
   * ProbeExposition}; {@link #snapshots()} makes the client's metric objects (protobuf, tests).
   *
   * @param hopLimit the reply's TTL or hop limit, or -1 (no successful reply)
   * @param addressHash {@link #fnv32a} of the address, 0 when it did not resolve
   */
  record Outcome(
      double lookupSeconds,
      double durationSeconds,
      double resolveSeconds,
      double rttSeconds,
      double setupSeconds,
      int hopLimit,
      long addressHash,
      int protocol,
      boolean success,
      int statusCode) {
    /** The answer as the Prometheus client's snapshots, in blackbox's names, help and labels. */
    MetricSnapshots snapshots() {
      List<MetricSnapshot> out = new ArrayList<>();
      out.add(
          gauge(
              "probe_dns_lookup_time_seconds",
              "Returns the time taken for probe dns lookup in seconds",
              lookupSeconds));
      out.add(
          gauge(
              "probe_duration_seconds",
              "Returns how long the probe took to complete in seconds",
              durationSeconds));
      GaugeSnapshot.Builder phases =
          GaugeSnapshot.builder()
              .name("probe_icmp_duration_seconds")
              .help("Duration of icmp request by phase");
      phases.dataPoint(point(Labels.of("phase", "resolve"), resolveSeconds));
      phases.dataPoint(point(Labels.of("phase", "rtt"), rttSeconds));
      phases.dataPoint(point(Labels.of("phase", "setup"), setupSeconds));
      out.add(phases.build());
      if (hopLimit >= 0) {
        out.add(
            gauge(
                "probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)", hopLimit));
      }
      out.add(
          gauge(
              "probe_ip_addr_hash",
              "Specifies the hash of IP address. It's useful to detect if the IP address changes.",
              addressHash));
      out.add(
          gauge(
              "probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6", protocol));
      out.add(
          gauge(
              "probe_success", "Displays whether or not the probe was a success", success ? 1 : 0));
      out.add(gauge("icmpecho_probe_status_code", STATUS_HELP, statusCode));
      return new MetricSnapshots(out);
    }
  }

  static final String STATUS_HELP =
      "Windows IP_STATUS code of the echo (0 IP_SUCCESS, 11010 IP_REQ_TIMED_OUT, 11018"
          + " IP_BAD_DESTINATION when the name did not resolve)";

  /**
   * Probes {@code resolved} with {@code module}, waiting at most {@code timeout}; returns what the
   * answer reports.
   */
  static Outcome run(
      IcmpClient client, Resolved resolved, ProbeModule module, Duration timeout, long startNanos)
      throws InterruptedException {
    double setup = 0, rtt = 0;
    int hopLimit = -1;
    IpStatus status = IpStatus.IP_BAD_DESTINATION;
    if (resolved.address() != null) {
      long setupStart = System.nanoTime();
      EchoRequest request = request(resolved.address(), module, timeout);
      if (request != null) {
        setup = seconds(setupStart);
        EchoResult result = echo(client, request, timeout);
        status = result == null ? IpStatus.IP_GENERAL_FAILURE : result.status();
        if (result instanceof EchoResult.Reply r) {
          rtt = r.rtt().toNanos() / 1e9;
          hopLimit = r.ttl();
        }
      }
    }
    boolean success = status == IpStatus.IP_SUCCESS;
    return new Outcome(
        resolved.lookupSeconds(),
        seconds(startNanos),
        resolved.address() == null ? 0 : resolved.lookupSeconds(),
        rtt,
        setup,
        success ? hopLimit : -1, // blackbox answers the hop limit of a successful probe only
        resolved.address() == null ? 0 : fnv32a(resolved.address().getAddress()),
        resolved.protocol(),
        success,
        status.code());
  }

  private static EchoRequest request(InetAddress target, ProbeModule m, Duration timeout) {
    byte[] payload = PAYLOAD; // the request copies it
    if (m.payloadSize() != 0) {
      payload = new byte[m.payloadSize()];
      System.arraycopy(PAYLOAD, 0, payload, 0, Math.min(PAYLOAD.length, payload.length));
    }
    EchoRequest.Builder b = EchoRequest.to(target).payload(payload).ttl(m.ttl()).timeout(timeout);
    if (m.dontFragment()) b.pathMtuDiscovery(PathMtuDiscovery.DO);
    if (m.source() != null) {
      if ((m.source() instanceof Inet6Address) != (target instanceof Inet6Address))
        return null; // blackbox fails too
      b.source(m.source());
    }
    return b.build();
  }

  private static EchoResult echo(IcmpClient client, EchoRequest request, Duration timeout)
      throws InterruptedException {
    try {
      // the engine times the echo out itself; the extra second only guards against a lost
      // completion
      return client.echoAsync(request).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
  }

  /** FNV-1a (32 bit) of the address bytes, as blackbox's {@code ipHash}. */
  static long fnv32a(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Integer.toUnsignedLong(h);
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(point(Labels.EMPTY, value))
        .build();
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
