package org.icmpecho.winapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** A Win32 event: manual- or auto-reset, with the threads waiting on it (woken by {@link #set}). */
final class EventObject {
  final boolean manualReset;
  final String name;
  final AtomicInteger handles = new AtomicInteger(1);
  private final AtomicBoolean signaled;
  private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();

  EventObject(boolean manualReset, boolean initialState, String name) {
    this.manualReset = manualReset;
    this.signaled = new AtomicBoolean(initialState);
    this.name = name;
  }

  void set() {
    signaled.set(true);
    for (Thread t : waiters) LockSupport.unpark(t);
  }

  void reset() {
    signaled.set(false);
  }

  /** True when the event is signaled; an auto-reset event is reset by the one waiter it releases. */
  boolean tryAcquire() {
    return manualReset ? signaled.get() : signaled.compareAndSet(true, false);
  }

  boolean isSignaled() {
    return signaled.get();
  }

  void addWaiter(Thread t) {
    waiters.add(t);
  }

  void removeWaiter(Thread t) {
    waiters.remove(t);
  }
}
