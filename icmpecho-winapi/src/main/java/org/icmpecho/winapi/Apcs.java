package org.icmpecho.winapi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * User-mode APCs: one queue per Java thread, filled by completions on any thread and run only by the owning thread
 * inside its alertable waits, one at a time, in the order they were queued.
 */
final class Apcs {
  private Apcs() {}

  /** One queued call: the routine, its context, and the {@code IO_STATUS_BLOCK} values it will see. */
  record Apc(MemorySegment routine, MemorySegment context, int status, long information) {}

  /** The APC queue of one thread. */
  static final class Queue {
    final Thread thread;
    final ConcurrentLinkedQueue<Apc> items = new ConcurrentLinkedQueue<>();

    Queue(Thread thread) {
      this.thread = thread;
    }

    /** Queues {@code apc} and wakes the thread; drops it if the thread has ended. */
    void add(Apc apc) {
      if (!thread.isAlive()) return;
      items.add(apc);
      LockSupport.unpark(thread);
    }
  }

  private static final ThreadLocal<Queue> CURRENT = ThreadLocal.withInitial(() -> new Queue(Thread.currentThread()));
  private static final ThreadLocal<int[]> CALL_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<Throwable[]> THROWN = ThreadLocal.withInitial(() -> new Throwable[1]);

  /** The calling thread's queue. */
  static Queue current() {
    return CURRENT.get();
  }

  /**
   * Runs every APC queued to the calling thread (including ones queued while running). Returns true if at least one
   * routine was called. An APC whose routine's arena is closed is dropped. An exception thrown by a routine is thrown
   * from here, leaving the rest queued.
   */
  static boolean runPending(Queue q) {
    boolean ran = false;
    Apc apc;
    while ((apc = q.items.poll()) != null) {
      if (call(apc)) ran = true;
    }
    return ran;
  }

  private static boolean call(Apc apc) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment iosb = IO_STATUS_BLOCK.allocate(arena);
      IO_STATUS_BLOCK.Status(iosb, apc.status());
      IO_STATUS_BLOCK.Information(iosb, apc.information());
      callThrowing(apc.routine(), apc.context(), iosb, 0);
      return true;
    } catch (IllegalStateException closed) {
      if (!apc.routine().scope().isAlive()) return false; // the stub's arena is gone: drop, as a freed routine
      throw closed;
    }
  }

  /** Calls a routine through its address; an exception raised in a Java upcall is thrown again here. */
  static void callThrowing(MemorySegment routine, MemorySegment context, MemorySegment iosb, int reserved) {
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

  /** Called by a {@link PIO_APC_ROUTINE} stub whose Java function threw (it must not cross the native frame). */
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
