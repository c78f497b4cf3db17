package org.icmpecho.winapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A Win32 event: manual- or auto-reset, with the threads waiting on it (woken by {@link #set}). The
 * states of all events change under one lock, so a wait-all can take several auto-reset events at
 * once or none of them.
 */
final class EventObject {
  private static final Object LOCK = new Object();

  final boolean manualReset;
  final String name;
  final AtomicInteger handles = new AtomicInteger(1);
  private boolean signaled; // guarded by LOCK
  private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();

  EventObject(boolean manualReset, boolean initialState, String name) {
    this.manualReset = manualReset;
    this.signaled = initialState;
    this.name = name;
  }

  void set() {
    synchronized (LOCK) {
      signaled = true;
    }
    for (Thread t : waiters) LockSupport.unpark(t);
  }

  void reset() {
    synchronized (LOCK) {
      signaled = false;
    }
  }

  /**
   * Wait-any: the index of the first signaled event (an auto-reset one is reset), or -1. Wait-all:
   * 0 when every event is signaled (the auto-reset ones are all reset), else -1 and nothing
   * changes.
   */
  static int tryAcquire(EventObject[] events, boolean all) {
    synchronized (LOCK) {
      for (int i = 0; i < events.length; i++) {
        if (events[i].signaled && !all) {
          if (!events[i].manualReset) events[i].signaled = false;
          return i;
        }
        if (!events[i].signaled && all) return -1;
      }
      if (!all) return -1;
      for (EventObject e : events) {
        if (!e.manualReset) e.signaled = false;
      }
      return 0;
    }
  }

  void addWaiter(Thread t) {
    waiters.add(t);
  }

  void removeWaiter(Thread t) {
    waiters.remove(t);
  }
}
