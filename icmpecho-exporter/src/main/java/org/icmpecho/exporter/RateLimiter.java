package org.icmpecho.exporter;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /probe} requests per second per client address, as a token bucket (burst = one second's
 * worth), so that no client can turn the exporter into a ping cannon. Buckets of quiet clients are
 * dropped when the table grows.
 */
final class RateLimiter {
  private static final int MAX_CLIENTS = 10_000;

  private final double perSecond;
  private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code perSecond <= 0}: no limit. */
  RateLimiter(double perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes one token of {@code client}'s bucket; false when it is empty. */
  boolean tryAcquire(InetAddress client) {
    if (perSecond <= 0) return true;
    long now = System.nanoTime();
    if (buckets.size() > MAX_CLIENTS) buckets.values().removeIf(b -> b.full(now));
    return buckets.computeIfAbsent(client, c -> new Bucket(now)).take(now);
  }

  private double burst() {
    return Math.max(1, perSecond);
  }

  private final class Bucket {
    private double tokens;
    private long last;

    Bucket(long now) {
      tokens = burst();
      last = now;
    }

    synchronized boolean take(long now) {
      tokens = Math.min(burst(), tokens + (now - last) / 1e9 * perSecond);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }

    synchronized boolean full(long now) {
      return tokens + (now - last) / 1e9 * perSecond >= burst();
    }
  }
}
