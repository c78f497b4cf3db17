package org.icmpecho.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The default place where futures complete: one long-lived platform thread per I/O loop ({@code
 * icmpecho-callback}), fed batches of outcomes. Batches are recycled, so handing over costs no
 * garbage beyond a queue node, and the thread spins briefly before it parks, so a steady stream of
 * completions costs no wake-up per batch. This keeps user code (dependent stages, duplicate
 * listeners) off the I/O thread, which a virtual thread per batch also did, at a quarter of the
 * cost per echo.
 */
final class CompletionThread implements Runnable {
  /** A reusable batch of (target, value) pairs; see {@link OutcomeBatch#complete}. */
  static final class Batch {
    Object[] targets = new Object[256];
    Object[] values = new Object[256];
    int size;

    void add(Object target, Object value) {
      if (size == targets.length) {
        targets = java.util.Arrays.copyOf(targets, size * 2);
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      targets[size] = target;
      values[size++] = value;
    }

    void run() {
      OutcomeBatch.complete(targets, values, size);
      java.util.Arrays.fill(targets, 0, size, null);
      java.util.Arrays.fill(values, 0, size, null);
      size = 0;
    }
  }

  private final ConcurrentLinkedQueue<Batch> ready = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Batch> free = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean parked;
  private volatile boolean stopped;

  CompletionThread(String name) {
    thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this);
    thread.start();
  }

  /** A cleared batch to fill (from the free list when one has come back). */
  Batch take() {
    Batch b = free.poll();
    return b != null ? b : new Batch();
  }

  /** Hands a filled batch over; called by the I/O thread. */
  void publish(Batch b) {
    ready.add(b);
    if (parked) LockSupport.unpark(thread);
  }

  /** Stops after the batches already published have run. */
  void stop() {
    stopped = true;
    LockSupport.unpark(thread);
  }

  @Override
  public void run() {
    while (true) {
      Batch b = ready.poll();
      if (b != null) {
        b.run();
        free.add(b);
        continue;
      }
      if (stopped) return;
      long end = System.nanoTime() + IoThread.SPIN_NANOS;
      while (ready.isEmpty() && System.nanoTime() - end < 0) Thread.onSpinWait();
      if (!ready.isEmpty()) continue;
      parked = true;
      // Re-check after publishing "parked": a batch published before that write is seen here.
      if (ready.isEmpty() && !stopped) LockSupport.park(this);
      parked = false;
    }
  }
}
