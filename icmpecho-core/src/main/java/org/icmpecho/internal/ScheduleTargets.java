package org.icmpecho.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import org.icmpecho.EchoRequest;

/**
 * What a schedule sends to each of its targets: the address (IPv4 template targets also as an int,
 * the engine's allocation-free path) and the request of each try (the target's own, or the
 * template, with its timeout backed off for a retry). Fixed at the start but for the retry
 * requests, made once each on the home loop.
 */
final class ScheduleTargets {
  private final InetAddress[] targets;
  private final EchoRequest template;
  private final EchoRequest[] requests;
  private final int retries;
  private final double backoff;

  /** Per target sent with the template: its IPv4 address as an int; unused otherwise. */
  private final int[] v4;

  private final boolean[] useV4;

  /** Per try k (until-reply mode, template targets): the template with timeout * backoff^k. */
  private final EchoRequest[] tries;

  ScheduleTargets(ScheduleRun.Spec spec) {
    this.targets = spec.targets();
    this.template = spec.template();
    this.requests = spec.requests();
    this.retries = spec.retries();
    this.backoff = spec.backoff();
    int n = targets.length;
    this.v4 = new int[template != null ? n : 0];
    this.useV4 = new boolean[v4.length];
    for (int i = 0; i < v4.length; i++) {
      if (targets[i] instanceof Inet4Address a && (requests == null || requests[i] == null)) {
        v4[i] = a.hashCode(); // the four bytes, as Inet4Address defines its hash
        useV4[i] = true;
      }
    }
    this.tries = new EchoRequest[template != null && retries > 0 ? retries + 1 : 0];
  }

  int size() {
    return targets.length;
  }

  InetAddress target(int t) {
    return targets[t];
  }

  /** True when target {@code t} is sent through the IPv4 int path ({@link #address4}). */
  boolean isV4(int t) {
    return v4.length > 0 && useV4[t];
  }

  int address4(int t) {
    return isV4(t) ? v4[t] : 0;
  }

  /** The request of try {@code k} (0: the first) to target {@code t}. Home loop only. */
  EchoRequest request(int t, long k) {
    EchoRequest own = requests == null ? null : requests[t];
    if (retries <= 0 || k == 0) return own != null ? own : template;
    if (own != null) return own.toBuilder().timeout(backedOff(own.timeout(), k)).build();
    int i = (int) k;
    if (tries[i] == null)
      tries[i] = template.toBuilder().timeout(backedOff(template.timeout(), k)).build();
    return tries[i];
  }

  private Duration backedOff(Duration timeout, long k) {
    return Duration.ofNanos((long) (nanos(timeout) * Math.pow(backoff, k)));
  }

  /** A timeout in ns, saturated far below overflow so that {@code now + nanos} stays ordered. */
  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }
}
