package org.icmpecho.cli;

/**
 * Online round-trip statistics (Welford): count, min, max, mean and mdev in nanoseconds, with no
 * list of samples. {@link #mdev()} is the population standard deviation, which is what iputils
 * prints as {@code mdev}.
 */
final class RttStats {
  private long count;
  private double mean;
  private double m2;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;

  void add(long nanos) {
    count++;
    double d = nanos - mean;
    mean += d / count;
    m2 += d * (nanos - mean);
    if (nanos < min) min = nanos;
    if (nanos > max) max = nanos;
  }

  long count() {
    return count;
  }

  long min() {
    return count == 0 ? 0 : min;
  }

  long max() {
    return count == 0 ? 0 : max;
  }

  double mean() {
    return mean;
  }

  double mdev() {
    return count == 0 ? 0 : Math.sqrt(Math.max(0, m2 / count));
  }

  /** Adds the four rtt fields of a summary: numbers, or null when there was no sample. */
  Json putTo(Json j) {
    if (count == 0) {
      return j.putNull("rtt_min_ms")
          .putNull("rtt_avg_ms")
          .putNull("rtt_max_ms")
          .putNull("rtt_mdev_ms");
    }
    return j.putRaw("rtt_min_ms", Fmt.jsonMs(min))
        .putRaw("rtt_avg_ms", Fmt.jsonMs(mean))
        .putRaw("rtt_max_ms", Fmt.jsonMs(max))
        .putRaw("rtt_mdev_ms", Fmt.jsonMs(mdev()));
  }
}
