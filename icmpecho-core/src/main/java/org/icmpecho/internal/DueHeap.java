package org.icmpecho.internal;

import java.util.Arrays;

/**
 * A binary min-heap of a schedule's target numbers by their due time ({@link ScheduleRun}), with
 * each target's position for removal: per target two ints besides its due time.
 */
final class DueHeap {
  private final long[] key;
  private int[] heap = new int[16];
  private int[] pos; // 1 + position, 0 when not in the heap
  private int size;

  DueHeap(long[] key) {
    this.key = key;
    this.pos = new int[key.length];
  }

  boolean isEmpty() {
    return size == 0;
  }

  int peek() {
    return heap[0];
  }

  int pop() {
    int t = heap[0];
    remove(t);
    return t;
  }

  void push(int t) {
    if (pos[t] != 0) remove(t);
    if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
    heap[size] = t;
    pos[t] = size + 1;
    up(size++);
  }

  void remove(int t) {
    int i = pos[t] - 1;
    if (i < 0) return;
    pos[t] = 0;
    int last = heap[--size];
    if (i == size) return;
    heap[i] = last;
    pos[last] = i + 1;
    down(i);
    up(pos[last] - 1);
  }

  /** Earlier due first; equal dues by target number, so a round keeps the targets' order. */
  private boolean before(int a, int b) {
    long d = key[a] - key[b];
    return d < 0 || (d == 0 && a < b);
  }

  private void up(int i) {
    int t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int q = heap[parent];
      if (!before(t, q)) break;
      heap[i] = q;
      pos[q] = i + 1;
      i = parent;
    }
    heap[i] = t;
    pos[t] = i + 1;
  }

  private void down(int i) {
    int t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int c = 2 * i + 1;
      if (c + 1 < size && before(heap[c + 1], heap[c])) c++;
      if (!before(heap[c], t)) break;
      heap[i] = heap[c];
      pos[heap[i]] = i + 1;
      i = c;
    }
    heap[i] = t;
    pos[t] = i + 1;
  }
}
