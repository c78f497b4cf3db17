package org.icmpecho.cli;

/**
 * A binary min-heap of target indices keyed by a caller-owned {@code long[]} of due times: the sweep's schedule of
 * retries and next probes, with no object per entry.
 */
final class IntHeap {
  private final long[] key;
  private int[] heap;
  private int size;

  IntHeap(long[] key, int capacity) {
    this.key = key;
    this.heap = new int[Math.max(4, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** The index with the smallest key; the heap must not be empty. */
  int peek() {
    return heap[0];
  }

  void push(int index) {
    if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2);
    int i = size++;
    long k = key[index];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (key[heap[parent]] <= k) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = index;
  }

  int pop() {
    int top = heap[0];
    int last = heap[--size];
    if (size > 0) {
      int i = 0;
      long k = key[last];
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && key[heap[child + 1]] < key[heap[child]]) child++;
        if (key[heap[child]] >= k) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
