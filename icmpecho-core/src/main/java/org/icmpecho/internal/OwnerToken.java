package org.icmpecho.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may touch a loop's sockets, in-flight table, timer heap and counters. The rule is single
 * ownership: at any moment one thread owns them, or nobody does; each hand-over is a
 * compare-and-set, which orders every access made before it with every access made after it, so the
 * structures need no other synchronisation.
 *
 * <ul>
 *   <li>{@code IO}: the I/O thread, while it works. It gives the loop up ({@link #lendForPoll})
 *       only for the time it sleeps in the poller, and takes it back ({@link #reclaimAfterPoll}),
 *       waiting out a borrower.
 *   <li>{@code FREE}: nobody (an I/O thread asleep in the poller, or a caller loop between echoes).
 *   <li>{@code CALLER}: a thread running one blocking echo on it ({@link #tryTake}, then {@link
 *       #release}).
 *   <li>{@code CLOSED}: a caller loop whose sockets are closed: nobody takes it again.
 * </ul>
 */
final class OwnerToken {
  private static final int IO = 0;
  private static final int FREE = 1;
  private static final int CALLER = 2;
  private static final int CLOSED = 3;

  private final AtomicInteger state;

  private OwnerToken(int initial) {
    state = new AtomicInteger(initial);
  }

  /** The token of an I/O thread's loop, held by that thread from the start. */
  static OwnerToken heldByIoThread() {
    return new OwnerToken(IO);
  }

  /** The token of a caller loop: free until a blocking echo takes it. */
  static OwnerToken free() {
    return new OwnerToken(FREE);
  }

  /** The I/O thread lends the loop while it sleeps in the poller. */
  void lendForPoll() {
    state.set(FREE);
  }

  /**
   * The I/O thread takes the loop back after the poll; a borrower holds it for one send and
   * receive: microseconds.
   */
  void reclaimAfterPoll() {
    while (!state.compareAndSet(FREE, IO)) Thread.onSpinWait();
  }

  /** Takes a free loop for one echo; false when it is busy or closed. */
  boolean tryTake() {
    return state.compareAndSet(FREE, CALLER);
  }

  /**
   * Takes the loop for one echo, waiting up to {@code spinNanos} for it to become free: an I/O
   * thread woken only because the previous echo's answer made a socket readable goes back to sleep
   * within microseconds.
   */
  boolean tryTake(long spinNanos) {
    if (tryTake()) return true;
    long end = System.nanoTime() + spinNanos;
    do {
      if (System.nanoTime() - end > 0) return false;
      Thread.onSpinWait();
    } while (!tryTake());
    return true;
  }

  /** Gives the loop back after {@link #tryTake}. */
  void release() {
    state.set(FREE);
  }

  /** Closes a free loop; false when someone holds it (or it is closed already). */
  boolean closeIfFree() {
    return state.compareAndSet(FREE, CLOSED);
  }

  /**
   * Closes the loop whoever holds it (its owner died holding it); false when it was closed already.
   */
  boolean forceClose() {
    return state.getAndSet(CLOSED) != CLOSED;
  }

  /**
   * A volatile read: a thread that calls this sees every write made by owners before the loop was
   * last handed over (for counters read from other threads, exact up to the last finished echo).
   */
  void observe() {
    state.get();
  }
}
