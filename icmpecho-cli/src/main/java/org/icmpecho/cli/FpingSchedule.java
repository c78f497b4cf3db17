package org.icmpecho.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.icmpecho.EchoRequest;
import org.icmpecho.PathMtuDiscovery;
import org.icmpecho.PingSchedule;

/**
 * fping's modes as the engine's {@link PingSchedule}. The schedule sends, from the engine's I/O
 * thread, what fping's main loop sends: fping's default mode as {@code untilReply(-r, -B)} (each
 * retry when the previous try's timeout is over, the timeout grown by the backoff), count mode as
 * {@code count(-c)} every {@code -p}, loop mode without an end; at most one send per {@code -i} in
 * all; one template request for all targets where the options allow (the engine's allocation-free
 * path). {@link FpingLoop} listens to it.
 */
final class FpingSchedule {
  private FpingSchedule() {}

  /**
   * The schedule of a run, without its listener: one template request for all (or, where a source
   * address differs between the families of mixed targets, one request per target).
   */
  static PingSchedule.Builder of(FpingOptions o, FpingLoop.Host[] hosts) {
    byte[] randomPayload = null;
    if (o.random) {
      randomPayload = new byte[o.size];
      ThreadLocalRandom.current().nextBytes(randomPayload);
    }
    int n = hosts.length;
    boolean v4 = false, v6 = false;
    InetAddress[] targets = new InetAddress[n];
    for (int i = 0; i < n; i++) {
      targets[i] = hosts[i].address();
      if (targets[i] instanceof Inet4Address) v4 = true;
      else v6 = true;
    }
    PingSchedule.Builder b;
    if (!(v4 && v6) || (o.src4 == null && o.src6 == null)) {
      b = PingSchedule.to(Arrays.asList(targets), request(o, targets[0], randomPayload));
    } else {
      List<EchoRequest> requests = new ArrayList<>(n);
      for (InetAddress t : targets) requests.add(request(o, t, randomPayload));
      b = PingSchedule.of(requests);
    }
    b.interval(Duration.ofNanos(o.intervalNs))
        .period(Duration.ofNanos(o.periodNs))
        .maxInFlight(o.window);
    if (o.loop) b.count(0);
    else if (o.countMode) b.count(o.count);
    else b.untilReply(o.retry, o.backoffOn ? o.backoff : 1.0);
    return b;
  }

  private static EchoRequest request(FpingOptions o, InetAddress target, byte[] randomPayload) {
    EchoRequest.Builder b =
        EchoRequest.to(target).timeout(Duration.ofNanos(Math.max(o.timeoutNs, 1_000L)));
    if (randomPayload != null) b.payload(randomPayload);
    else b.payloadSize(o.size);
    if (o.ttl > 0) b.ttl(o.ttl);
    if (o.tos >= 0 && o.tos <= 255) b.tos(o.tos);
    if (o.dontFrag) b.pathMtuDiscovery(PathMtuDiscovery.DO);
    InetAddress src = target instanceof Inet4Address ? o.src4 : o.src6;
    if (src != null) b.source(src);
    if (o.iface != null) b.interfaceName(o.iface);
    return b.build();
  }

  /**
   * The timeout of try {@code index}: grown by the backoff between the default mode's tries, as the
   * schedule does.
   */
  static long tryTimeout(FpingOptions o, int index) {
    return o.loop || o.countMode || !o.backoffOn
        ? o.timeoutNs
        : (long) (o.timeoutNs * Math.pow(o.backoff, index));
  }
}
