package org.icmpecho.internal;

import java.util.Arrays;

/**
 * A schedule's echoes in flight, so that a close or a stopped target can withdraw them: an
 * unordered array in which each probe knows its own index ({@link Probe.Scheduled#liveIndex}), so
 * adding and removing cost O(1). Home loop only.
 */
final class LiveEchoes {
  private Probe.Scheduled[] live = new Probe.Scheduled[64];
  private int count;

  int size() {
    return count;
  }

  Probe.Scheduled get(int i) {
    return live[i];
  }

  void add(Probe.Scheduled p) {
    if (count == live.length) live = Arrays.copyOf(live, count * 2);
    p.liveIndex = count;
    live[count++] = p;
  }

  /** Takes {@code p} out; false when it was not in (withdrawn meanwhile). */
  boolean remove(Probe.Scheduled p) {
    int i = p.liveIndex;
    if (i < 0) return false;
    Probe.Scheduled last = live[--count];
    live[i] = last;
    last.liveIndex = i;
    live[count] = null;
    p.liveIndex = -1;
    return true;
  }
}
