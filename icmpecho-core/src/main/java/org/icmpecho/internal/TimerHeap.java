package org.icmpecho.internal;

import java.util.Arrays;

/**
 * The one timeout structure of an I/O loop. Used by the I/O thread only.
 *
 * <p>Two parts. A <em>lane</em>: a ring of probes whose deadlines come in order, which is every
 * probe when the echoes share one timeout (a sweep, a template, a monitoring round): adding,
 * removing an answered probe and taking the earliest are O(1); an answered probe leaves a hole,
 * skipped when it reaches the front. And a binary min-heap by deadline for the rest (a shorter
 * timeout after longer ones), O(log n). Each probe knows where it is ({@link Probe#heapIndex}: a
 * heap index, or {@code -2 - slot} in the lane, or -1), so removal needs no search. Measured: the
 * heap alone cost a sift through 14 levels of cache-missing probes per answer with 16,384 in
 * flight.
 */
final class TimerHeap {
  private Probe[] heap = new Probe[1024];
  private int size;

  private Probe[] lane = new Probe[1024]; // a power of two
  private int laneHead; // ring positions, counting up; the slot is position & (lane.length - 1)
  private int laneTail;
  private int laneLive;
  private long laneLastDeadline;

  int size() {
    return size + laneLive;
  }

  Probe peek() {
    Probe l = laneFront();
    if (size == 0) return l;
    Probe h = heap[0];
    return l == null || h.deadline - l.deadline < 0 ? h : l;
  }

  void add(Probe p) {
    if (laneLive == 0 || p.deadline - laneLastDeadline >= 0) {
      laneAdd(p);
      return;
    }
    if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
    heap[size] = p;
    p.heapIndex = size;
    siftUp(size++);
  }

  Probe poll() {
    Probe top = peek();
    if (top != null) remove(top);
    return top;
  }

  void remove(Probe p) {
    int i = p.heapIndex;
    if (i >= 0) {
      if (i < size && heap[i] == p) removeAt(i);
    } else if (i <= -2) {
      int slot = -2 - i;
      if (slot < lane.length && lane[slot] == p) {
        lane[slot] = null;
        p.heapIndex = -1;
        laneLive--;
      }
    }
  }

  // ---------------------------------------------------------------- the lane

  private void laneAdd(Probe p) {
    if (laneLive == 0) laneHead = laneTail = 0; // empty: start over at slot 0
    if (laneTail - laneHead == lane.length) relayLane();
    int slot = laneTail++ & (lane.length - 1);
    lane[slot] = p;
    p.heapIndex = -2 - slot;
    laneLive++;
    laneLastDeadline = p.deadline;
  }

  /**
   * The earliest probe of the lane, after skipping the holes answered probes left at its front;
   * null when empty.
   */
  private Probe laneFront() {
    if (laneLive == 0) return null;
    int mask = lane.length - 1;
    Probe p;
    while ((p = lane[laneHead & mask]) == null) laneHead++;
    return p;
  }

  /**
   * The ring is full from head to tail: moves its live probes, in order, to slot 0 of a ring of the
   * same size when at most half of it is live, else of twice the size. Holes behind an unanswered
   * front thus never grow the ring past twice the most probes it held.
   */
  private void relayLane() {
    int cap = lane.length;
    int newCap = laneLive > cap / 2 ? cap * 2 : cap;
    Probe[] fresh = new Probe[newCap];
    int n = 0;
    for (int pos = laneHead; pos != laneTail; pos++) {
      Probe p = lane[pos & (cap - 1)];
      if (p == null) continue;
      fresh[n] = p;
      p.heapIndex = -2 - n;
      n++;
    }
    lane = fresh;
    laneHead = 0;
    laneTail = n;
  }

  private void removeAt(int i) {
    Probe removed = heap[i];
    removed.heapIndex = -1;
    int last = --size;
    if (i != last) {
      Probe moved = heap[last];
      heap[i] = moved;
      moved.heapIndex = i;
      heap[last] = null;
      siftDown(i);
      if (heap[i] == moved) siftUp(i);
    } else {
      heap[last] = null;
    }
    if (heap.length > 4096 && size < heap.length / 4) heap = Arrays.copyOf(heap, heap.length / 2);
  }

  private void siftUp(int i) {
    Probe p = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Probe q = heap[parent];
      if (q.deadline - p.deadline <= 0) break;
      heap[i] = q;
      q.heapIndex = i;
      i = parent;
    }
    heap[i] = p;
    p.heapIndex = i;
  }

  private void siftDown(int i) {
    Probe p = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].deadline - heap[child].deadline < 0) child = right;
      Probe c = heap[child];
      if (p.deadline - c.deadline <= 0) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = p;
    p.heapIndex = i;
  }

  /** Removes and returns every probe (for shutdown). */
  Probe[] drain() {
    Probe[] all = Arrays.copyOf(heap, size + laneLive);
    int n = size;
    for (int pos = laneHead; laneLive > 0 && pos != laneTail; pos++) {
      Probe p = lane[pos & (lane.length - 1)];
      if (p != null) all[n++] = p;
    }
    for (Probe p : all) p.heapIndex = -1;
    Arrays.fill(heap, 0, size, null);
    Arrays.fill(lane, null);
    size = 0;
    laneLive = laneHead = laneTail = 0;
    return all;
  }
}
