package org.icmpecho.winapi;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One {@code RegisterWaitForSingleObject}: a waiting thread that takes each signal of the event (or
 * each timeout) and hands the callback to a pool thread, until the wait is unregistered or, with
 * {@code WT_EXECUTEONLYONCE}, after the first callback.
 */
final class RegisteredWait {
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "icmpecho-wait-callback");
            t.setDaemon(true);
            return t;
          });
  private static final ThreadLocal<RegisteredWait> RUNNING_CALLBACK = new ThreadLocal<>();

  private final EventObject event;
  private final MemorySegment callback;
  private final MemorySegment context;
  private final int milliseconds;
  private final boolean once;
  private final Thread waiter;
  private boolean cancelled; // guarded by this
  private int running; // callbacks under way, guarded by this
  private final List<EventObject> whenDone = new ArrayList<>(); // guarded by this

  RegisteredWait(
      EventObject event,
      MemorySegment callback,
      MemorySegment context,
      int milliseconds,
      boolean once) {
    this.event = event;
    this.callback = callback;
    this.context = context;
    this.milliseconds = milliseconds;
    this.once = once;
    this.waiter = Thread.ofVirtual().name("icmpecho-wait").unstarted(this::waitLoop);
  }

  void start() {
    waiter.start();
  }

  private void waitLoop() {
    EventObject[] one = {event};
    while (true) {
      int r = Kernel32.await(one, false, milliseconds, false);
      if (r == Kernel32.WAIT_FAILED) return;
      if (!dispatch(r == Kernel32.WAIT_TIMEOUT)) {
        // Unregistered meanwhile: the signal this thread took belongs to whoever waits next.
        if (r == Kernel32.WAIT_OBJECT_0 && !event.manualReset) event.set();
        return;
      }
      if (once) return;
    }
  }

  private synchronized boolean dispatch(boolean timedOut) {
    if (cancelled) return false;
    running++;
    POOL.execute(
        () -> {
          RUNNING_CALLBACK.set(this);
          try {
            Native.callWaitCallback(callback, context, timedOut);
          } catch (IllegalStateException closed) {
            // the callback's arena is gone: dropped, as a freed routine
          } finally {
            RUNNING_CALLBACK.remove();
            finished();
          }
        });
    return true;
  }

  private synchronized void finished() {
    if (--running == 0 && cancelled) {
      whenDone.forEach(EventObject::set);
      whenDone.clear();
      notifyAll();
    }
  }

  /**
   * Stops the wait. Returns true when no callback is under way (then {@code done}, if given, is set
   * now), else false and {@code done} is set when the last one returns.
   */
  boolean cancel(EventObject done) {
    boolean idle;
    synchronized (this) {
      cancelled = true;
      waiter.interrupt();
      idle = running == 0;
      if (!idle && done != null) whenDone.add(done);
    }
    boolean interrupted = false;
    while (waiter.isAlive()) { // it ends at once: interrupted, or refused by dispatch
      try {
        waiter.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    if (idle && done != null) done.set();
    return idle;
  }

  /**
   * Waits until no callback is under way; false, without waiting, when called from one of its own
   * callbacks.
   */
  synchronized boolean awaitCallbacks() {
    if (RUNNING_CALLBACK.get() == this) return false;
    boolean interrupted = false;
    while (running > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    return true;
  }
}
