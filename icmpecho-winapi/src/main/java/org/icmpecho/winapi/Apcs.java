package org.icmpecho.winapi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * User-mode APCs: one queue per Java thread, filled by completions on any thread and run only by
 * the owning thread inside its alertable waits, one at a time, in the order they were queued. The
 * queue also carries the reply-buffer writes that only this thread may do (a buffer of its confined
 * arena): they are done before any of the layer's waits or {@code IcmpParseReplies} returns on this
 * thread, and before an APC runs.
 */
final class Apcs {
  private Apcs() {}

  /**
   * One queued call: the routine, its context, and the {@code IO_STATUS_BLOCK} values it will see;
   * {@code write} (or null) is the owner-thread write whose byte count is the {@code Information}.
   */
  record Apc(
      MemorySegment routine,
      MemorySegment context,
      int status,
      long information,
      OwnerWrite write) {
    Apc(MemorySegment routine, MemorySegment context, int status, long information) {
      this(routine, context, status, information, null);
    }

    long bytes() {
      return write != null ? write.run() : information;
    }
  }

  /**
   * A reply-buffer write that only the buffer's owner thread can do; it is done once, returning the
   * bytes written.
   */
  static final class OwnerWrite {
    private final LongSupplier write;
    private boolean done;
    private long written;

    OwnerWrite(LongSupplier write) {
      this.write = write;
    }

    long run() {
      if (!done) {
        done = true;
        written = write.getAsLong();
      }
      return written;
    }
  }

  /** The APC queue of one thread. */
  static final class Queue {
    final Thread thread;
    final ConcurrentLinkedQueue<Apc> items = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<OwnerWrite> writes = new ConcurrentLinkedQueue<>();

    Queue(Thread thread) {
      this.thread = thread;
    }

    /** Queues {@code apc} and wakes the thread; drops it if the thread has ended. */
    void add(Apc apc) {
      if (!thread.isAlive()) return;
      items.add(apc);
      LockSupport.unpark(thread);
    }

    /** Queues a write for this thread to do; drops it if the thread has ended. */
    void addWrite(OwnerWrite w) {
      if (!thread.isAlive()) return;
      writes.add(w);
      LockSupport.unpark(thread);
    }
  }

  private static final ThreadLocal<Queue> CURRENT =
      ThreadLocal.withInitial(() -> new Queue(Thread.currentThread()));
  private static final ThreadLocal<int[]> CALL_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<Throwable[]> THROWN =
      ThreadLocal.withInitial(() -> new Throwable[1]);

  /** The calling thread's queue. */
  static Queue current() {
    return CURRENT.get();
  }

  /**
   * Runs every APC queued to the calling thread (including ones queued while running). Returns true
   * if at least one routine was called. An APC whose routine's arena is closed is dropped. An
   * exception thrown by a routine is thrown from here, leaving the rest queued.
   */
  static boolean runPending(Queue q) {
    boolean ran = false;
    Apc apc;
    flushWrites(q);
    while ((apc = q.items.poll()) != null) {
      if (call(apc)) ran = true;
      flushWrites(q);
    }
    return ran;
  }

  /** Does the reply-buffer writes queued to the calling thread (its own queue {@code q}). */
  static void flushWrites(Queue q) {
    OwnerWrite w;
    while ((w = q.writes.poll()) != null) w.run();
  }

  private static boolean call(Apc apc) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment iosb = IO_STATUS_BLOCK.allocate(arena);
      IO_STATUS_BLOCK.Status(iosb, apc.status());
      IO_STATUS_BLOCK.Information(iosb, apc.bytes());
      callThrowing(apc.routine(), apc.context(), iosb, 0);
      return true;
    } catch (IllegalStateException closed) {
      if (!apc.routine().scope().isAlive())
        return false; // the stub's arena is gone: drop, as a freed routine
      throw closed;
    }
  }

  /**
   * Calls a routine through its address; an exception raised in a Java upcall is thrown again here.
   */
  static void callThrowing(
      MemorySegment routine, MemorySegment context, MemorySegment iosb, int reserved) {
    int[] depth = CALL_DEPTH.get();
    Throwable[] thrown = THROWN.get();
    depth[0]++;
    try {
      Native.callApc(routine, context, iosb, reserved);
    } finally {
      depth[0]--;
    }
    Throwable t = thrown[0];
    if (t != null) {
      thrown[0] = null;
      if (t instanceof RuntimeException re) throw re;
      if (t instanceof Error err) throw err;
      throw new IllegalStateException("APC routine threw " + t, t);
    }
  }

  /**
   * Called by a {@link PIO_APC_ROUTINE} stub whose Java function threw (it must not cross the
   * native frame).
   */
  static void upcallThrew(Throwable t) {
    if (CALL_DEPTH.get()[0] > 0) {
      Throwable[] thrown = THROWN.get();
      if (thrown[0] == null) thrown[0] = t;
      else thrown[0].addSuppressed(t);
    } else {
      Thread me = Thread.currentThread();
      me.getUncaughtExceptionHandler().uncaughtException(me, t);
    }
  }
}
