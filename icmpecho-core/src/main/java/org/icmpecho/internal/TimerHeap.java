package org.icmpecho.internal;

import java.util.Arrays;

/**
 * The one timeout structure of an I/O loop: a binary min-heap of probes by deadline, each probe knowing its own
 * index so an answered probe leaves the heap in O(log n). Used by the I/O thread only.
 */
final class TimerHeap {
  private Probe[] heap = new Probe[1024];
  private int size;

  int size() {
    return size;
  }

  Probe peek() {
    return size == 0 ? null : heap[0];
  }

  void add(Probe p) {
    if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
    heap[size] = p;
    p.heapIndex = size;
    siftUp(size++);
  }

  Probe poll() {
    if (size == 0) return null;
    Probe top = heap[0];
    removeAt(0);
    return top;
  }

  void remove(Probe p) {
    int i = p.heapIndex;
    if (i >= 0 && i < size && heap[i] == p) removeAt(i);
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
    Probe[] all = Arrays.copyOf(heap, size);
    for (Probe p : all) p.heapIndex = -1;
    Arrays.fill(heap, 0, size, null);
    size = 0;
    return all;
  }
}
