package org.icmpecho.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An unbounded multi-producer, single-consumer queue whose nodes are the probes themselves
 * (Vyukov's intrusive MPSC queue, in the variant that puts its stub node back rather than keep the
 * last probe taken as the stub): offering allocates nothing, and a probe taken off the queue is out
 * of it for good, so its link field is free for the engine ({@link Probe#link}: the socket it is in
 * flight on). Bounded in practice by the engine's in-flight limit.
 */
final class ProbeQueue {
  private static final VarHandle LINK;

  static {
    try {
      LINK = MethodHandles.lookup().findVarHandle(Probe.class, "link", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Probe stub = new Probe(null, false);

  /** The producers' end: the probe offered last. */
  private final AtomicReference<Probe> tail = new AtomicReference<>(stub);

  /** Consumer side only: the next probe to take, or the stub. */
  private Probe head = stub;

  /** Any thread. */
  void offer(Probe p) {
    LINK.set(p, null);
    Probe prev = tail.getAndSet(p);
    LINK.setRelease(prev, p);
  }

  private static Probe next(Probe p) {
    return (Probe) LINK.getAcquire(p);
  }

  /**
   * The I/O thread only; null when empty (or when a producer is between its two steps). The probe
   * returned is unlinked (its {@link Probe#link} null).
   */
  Probe poll() {
    Probe h = head;
    Probe n = next(h);
    if (h == stub) {
      if (n == null) return null;
      head = n;
      h = n;
      n = next(n);
    }
    if (n != null) {
      head = n;
      return unlinked(h);
    }
    // h is the last probe offered, unless a producer is between its two steps.
    if (h != tail.get()) return null;
    offer(stub); // so that h can leave: the stub takes its place at the end
    n = next(h);
    if (n != null) {
      head = n;
      return unlinked(h);
    }
    return null;
  }

  private static Probe unlinked(Probe p) {
    LINK.set(p, null);
    return p;
  }

  /** The I/O thread only. */
  boolean isEmpty() {
    return head == stub && next(stub) == null && tail.get() == stub;
  }
}
