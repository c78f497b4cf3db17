package org.icmpecho.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * An unbounded multi-producer, single-consumer queue whose nodes are the probes themselves
 * (Vyukov's intrusive MPSC queue): offering allocates nothing. Bounded in practice by the engine's
 * in-flight limit.
 */
final class ProbeQueue {
  private final Probe stub = new Probe(null, false);
  private final AtomicReference<Probe> tail = new AtomicReference<>(stub);

  /** Consumer side only. */
  private Probe head = stub;

  /** Any thread. */
  void offer(Probe p) {
    p.next = null;
    Probe prev = tail.getAndSet(p);
    prev.next = p;
  }

  /** The I/O thread only; null when empty (or when a producer is between its two steps). */
  Probe poll() {
    Probe h = head;
    Probe n = h.next;
    if (n == null) return null;
    head = n;
    h.next = null;
    return n;
  }

  /** The I/O thread only. */
  boolean isEmpty() {
    return head.next == null && tail.get() == head;
  }
}
