package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The few {@code kernel32} functions the ICMP API needs: the per-thread last error, events, and the
 * (alertable) waits in which APC routines run. "Per thread" means per Java thread, platform or
 * virtual.
 *
 * <p>Handles are those of this layer's own table ({@link IcmpApi#IcmpCreateFile} and {@link
 * #CreateEventW} make them); any other value is an invalid handle. All functions are safe for
 * concurrent use.
 *
 * <p><b>Interrupts.</b> Windows has none; here an interrupt of the waiting Java thread ends {@link
 * #WaitForSingleObject}/{@link #WaitForSingleObjectEx} with {@link #WAIT_FAILED} and last error
 * {@link WinError#ERROR_OPERATION_ABORTED}, and ends {@link #SleepEx} early; the thread's interrupt
 * status stays set.
 *
 * <pre>{@code
 * MemorySegment event = Kernel32.CreateEventW(MemorySegment.NULL, false, false, MemorySegment.NULL);
 * IcmpApi.IcmpSendEcho2(h, event, MemorySegment.NULL, MemorySegment.NULL, dst, data, 32, MemorySegment.NULL,
 *     reply, replySize, 1000);                    // 0, GetLastError() == ERROR_IO_PENDING
 * Kernel32.WaitForSingleObject(event, Kernel32.INFINITE);
 * Kernel32.CloseHandle(event);
 * }</pre>
 */
public final class Kernel32 {
  private Kernel32() {}

  /** An infinite timeout. */
  public static final int INFINITE = -1;

  /** The object was signaled. */
  public static final int WAIT_OBJECT_0 = 0;

  /** An alertable wait ended because APCs ran. */
  public static final int WAIT_IO_COMPLETION = 0xC0;

  /** The timeout elapsed. */
  public static final int WAIT_TIMEOUT = 0x102;

  /** The wait failed; see {@link #GetLastError()}. */
  public static final int WAIT_FAILED = -1;

  /** {@code INVALID_HANDLE_VALUE}: the handle whose value is -1. */
  public static final MemorySegment INVALID_HANDLE_VALUE = Native.INVALID_HANDLE_VALUE;

  /** The most handles {@link #WaitForMultipleObjects} waits on. */
  public static final int MAXIMUM_WAIT_OBJECTS = 64;

  /**
   * {@link #RegisterWaitForSingleObject} flags: the default (callback on a pool thread, every
   * signal).
   */
  public static final int WT_EXECUTEDEFAULT = 0;

  /** {@link #RegisterWaitForSingleObject} flags: call back once, then the wait ends. */
  public static final int WT_EXECUTEONLYONCE = 0x8;

  private static final ThreadLocal<int[]> LAST_ERROR = ThreadLocal.withInitial(() -> new int[1]);
  private static final ConcurrentHashMap<String, EventObject> NAMED = new ConcurrentHashMap<>();

  /** The calling thread's last-error code (0 in a new thread). */
  public static int GetLastError() {
    return LAST_ERROR.get()[0];
  }

  /** Sets the calling thread's last-error code. */
  public static void SetLastError(int dwErrCode) {
    LAST_ERROR.get()[0] = dwErrCode;
  }

  /**
   * Creates an event, or opens the existing event of that name.
   *
   * @param lpEventAttributes ignored (security attributes)
   * @param bManualReset true: stays signaled until {@link #ResetEvent}; false: released waits reset
   *     it
   * @param bInitialState true to start signaled
   * @param lpName NULL, or a NUL-terminated UTF-16LE name inside the segment; an event of an
   *     existing name is shared and the last error is {@link WinError#ERROR_ALREADY_EXISTS}
   * @return a handle, or NULL with the last error set ({@link WinError#ERROR_NOACCESS} when the
   *     name is not a terminated string inside its segment); on success the last error is 0 or
   *     {@code ERROR_ALREADY_EXISTS}
   */
  public static MemorySegment CreateEventW(
      MemorySegment lpEventAttributes,
      boolean bManualReset,
      boolean bInitialState,
      MemorySegment lpName) {
    if (Native.isNull(lpName)) {
      SetLastError(WinError.NO_ERROR);
      return Handles.add(new EventObject(bManualReset, bInitialState, null));
    }
    String name;
    try {
      name = lpName.getString(0, StandardCharsets.UTF_16LE);
    } catch (RuntimeException e) { // out of bounds (no terminator), closed arena, wrong thread
      SetLastError(WinError.ERROR_NOACCESS);
      return MemorySegment.NULL;
    }
    while (true) {
      EventObject fresh = new EventObject(bManualReset, bInitialState, name);
      EventObject existing = NAMED.putIfAbsent(name, fresh);
      if (existing == null) {
        SetLastError(WinError.NO_ERROR);
        return Handles.add(fresh);
      }
      int n = existing.handles.get();
      if (n > 0 && existing.handles.compareAndSet(n, n + 1)) {
        SetLastError(WinError.ERROR_ALREADY_EXISTS);
        return Handles.add(existing);
      }
      NAMED.remove(name, existing); // being destroyed: make a new one
    }
  }

  /**
   * Signals an event; FALSE with {@link WinError#ERROR_INVALID_HANDLE} if {@code hEvent} is not an
   * event.
   */
  public static boolean SetEvent(MemorySegment hEvent) {
    if (!(Handles.get(hEvent) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    e.set();
    return true;
  }

  /**
   * Resets an event; FALSE with {@link WinError#ERROR_INVALID_HANDLE} if {@code hEvent} is not an
   * event.
   */
  public static boolean ResetEvent(MemorySegment hEvent) {
    if (!(Handles.get(hEvent) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    e.reset();
    return true;
  }

  /**
   * Closes an event or an ICMP handle (a registered wait is ended by {@link #UnregisterWait}, not
   * here). Requests that reference the object (an event to signal) still complete. FALSE with
   * {@link WinError#ERROR_INVALID_HANDLE} for NULL, {@link #INVALID_HANDLE_VALUE}, a closed or
   * unknown handle.
   */
  public static boolean CloseHandle(MemorySegment hObject) {
    Object o =
        Handles.get(hObject) instanceof RegisteredWait
            ? null
            : Handles.remove(hObject, Object.class);
    if (o == null) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    if (o instanceof EventObject e && e.handles.decrementAndGet() == 0 && e.name != null) {
      NAMED.remove(e.name, e);
    }
    return true;
  }

  /**
   * Waits until the event is signaled or the timeout elapses (not alertable: APCs stay queued).
   *
   * @param dwMilliseconds the timeout in milliseconds (unsigned), {@link #INFINITE} for none
   * @return {@link #WAIT_OBJECT_0}, {@link #WAIT_TIMEOUT}, or {@link #WAIT_FAILED} with {@link
   *     WinError#ERROR_INVALID_HANDLE} when {@code hHandle} is not an event
   */
  public static int WaitForSingleObject(MemorySegment hHandle, int dwMilliseconds) {
    return WaitForSingleObjectEx(hHandle, dwMilliseconds, false);
  }

  /**
   * Waits until the event is signaled, the timeout elapses, or (when {@code bAlertable}) APCs
   * queued to this thread have run. A signaled event wins over queued APCs.
   *
   * @param dwMilliseconds the timeout in milliseconds (unsigned), {@link #INFINITE} for none
   * @return {@link #WAIT_OBJECT_0}, {@link #WAIT_IO_COMPLETION} (APCs ran), {@link #WAIT_TIMEOUT},
   *     or {@link #WAIT_FAILED} with {@link WinError#ERROR_INVALID_HANDLE} when {@code hHandle} is
   *     not an event
   */
  public static int WaitForSingleObjectEx(
      MemorySegment hHandle, int dwMilliseconds, boolean bAlertable) {
    if (!(Handles.get(hHandle) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return WAIT_FAILED;
    }
    return await(new EventObject[] {e}, false, dwMilliseconds, bAlertable);
  }

  /** {@link #WaitForMultipleObjectsEx} without alerts (APCs stay queued). */
  public static int WaitForMultipleObjects(
      int nCount, MemorySegment lpHandles, boolean bWaitAll, int dwMilliseconds) {
    return WaitForMultipleObjectsEx(nCount, lpHandles, bWaitAll, dwMilliseconds, false);
  }

  /**
   * Waits until one of the events (wait-any) or all of them at once (wait-all) are signaled, the
   * timeout elapses, or (when {@code bAlertable}) APCs queued to this thread have run. Wait-any
   * takes the lowest signaled index and resets only that event if it is auto-reset; wait-all resets
   * the auto-reset ones only when all are signaled.
   *
   * @param nCount 1..{@link #MAXIMUM_WAIT_OBJECTS}
   * @param lpHandles {@code HANDLE[nCount]} (any alignment)
   * @return {@code WAIT_OBJECT_0 + i} (wait-any: the index; wait-all: {@link #WAIT_OBJECT_0}),
   *     {@link #WAIT_IO_COMPLETION}, {@link #WAIT_TIMEOUT}, or {@link #WAIT_FAILED} with {@link
   *     WinError#ERROR_INVALID_PARAMETER} (bad count, one event twice in a wait-all), {@link
   *     WinError#ERROR_NOACCESS} (the array is not readable) or {@link
   *     WinError#ERROR_INVALID_HANDLE} (a handle that is not an event)
   */
  public static int WaitForMultipleObjectsEx(
      int nCount,
      MemorySegment lpHandles,
      boolean bWaitAll,
      int dwMilliseconds,
      boolean bAlertable) {
    if (nCount <= 0 || nCount > MAXIMUM_WAIT_OBJECTS) {
      SetLastError(WinError.ERROR_INVALID_PARAMETER);
      return WAIT_FAILED;
    }
    EventObject[] events = new EventObject[nCount];
    for (int i = 0; i < nCount; i++) {
      long value;
      try {
        value = lpHandles.get(JAVA_LONG_UNALIGNED, 8L * i);
      } catch (RuntimeException e) { // NULL, too short, closed, another thread's
        SetLastError(WinError.ERROR_NOACCESS);
        return WAIT_FAILED;
      }
      if (!(Handles.get(Native.handle(value)) instanceof EventObject e)) {
        SetLastError(WinError.ERROR_INVALID_HANDLE);
        return WAIT_FAILED;
      }
      for (int j = 0; j < i && bWaitAll; j++) {
        if (events[j] == e) { // STATUS_INVALID_PARAMETER_MIX on Windows
          SetLastError(WinError.ERROR_INVALID_PARAMETER);
          return WAIT_FAILED;
        }
      }
      events[i] = e;
    }
    return await(events, bWaitAll, dwMilliseconds, bAlertable);
  }

  /**
   * Calls {@code Callback(Context, TimerOrWaitFired)} on a pool thread each time the event is
   * signaled (taking the signal of an auto-reset event), or each time {@code dwMilliseconds} pass
   * without a signal ({@code TimerOrWaitFired} true), until {@link #UnregisterWait}; once only with
   * {@link #WT_EXECUTEONLYONCE}. Other flags are accepted and do not change where callbacks run.
   *
   * @param phNewWaitObject receives the wait handle (8 bytes, any alignment)
   * @param Callback a {@link WAITORTIMERCALLBACK}, or any function the process can call
   * @return TRUE; FALSE with {@link WinError#ERROR_INVALID_HANDLE} when {@code hObject} is not an
   *     event, {@link WinError#ERROR_INVALID_PARAMETER} for a NULL out pointer or a callback that
   *     cannot be called, {@link WinError#ERROR_NOACCESS} when the out pointer cannot be written
   */
  public static boolean RegisterWaitForSingleObject(
      MemorySegment phNewWaitObject,
      MemorySegment hObject,
      MemorySegment Callback,
      MemorySegment Context,
      int dwMilliseconds,
      int dwFlags) {
    if (Native.isNull(phNewWaitObject)
        || Native.isNull(Callback)
        || !Native.isCallable(Callback)
        || (Context != null && !Context.isNative())) {
      SetLastError(WinError.ERROR_INVALID_PARAMETER);
      return false;
    }
    if (!(Handles.get(hObject) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    RegisteredWait wait =
        new RegisteredWait(
            e,
            Callback,
            Native.opaque(Context),
            dwMilliseconds,
            (dwFlags & WT_EXECUTEONLYONCE) != 0);
    MemorySegment handle = Handles.add(wait);
    try {
      Native.storeHandle(phNewWaitObject, handle);
    } catch (RuntimeException ex) {
      Handles.remove(handle, RegisteredWait.class);
      SetLastError(WinError.ERROR_NOACCESS);
      return false;
    }
    wait.start();
    return true;
  }

  /** {@link #UnregisterWaitEx} with no completion event. */
  public static boolean UnregisterWait(MemorySegment WaitHandle) {
    return UnregisterWaitEx(WaitHandle, MemorySegment.NULL);
  }

  /**
   * Ends a registered wait: no callback starts after this returns. {@code CompletionEvent} NULL:
   * return at once; {@link #INVALID_HANDLE_VALUE}: first wait for the callbacks under way to return
   * (not when called from one of them); an event: it is set once they have returned.
   *
   * @return TRUE; FALSE with {@link WinError#ERROR_IO_PENDING} when callbacks were still running
   *     (the wait is unregistered all the same), with {@link WinError#ERROR_INVALID_HANDLE} for a
   *     handle that is not a registered wait or a {@code CompletionEvent} that is not an event
   */
  public static boolean UnregisterWaitEx(MemorySegment WaitHandle, MemorySegment CompletionEvent) {
    boolean block = CompletionEvent != null && CompletionEvent.equals(INVALID_HANDLE_VALUE);
    EventObject done = null;
    if (!Native.isNull(CompletionEvent) && !block) {
      if (!(Handles.get(CompletionEvent) instanceof EventObject e)) {
        SetLastError(WinError.ERROR_INVALID_HANDLE);
        return false;
      }
      done = e;
    }
    if (!(Handles.remove(WaitHandle, RegisteredWait.class) instanceof RegisteredWait wait)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    boolean idle = wait.cancel(done); // no callback starts after this: the waiting thread has ended
    if (idle || (block && wait.awaitCallbacks())) return true;
    SetLastError(WinError.ERROR_IO_PENDING);
    return false;
  }

  /**
   * Sleeps for {@code dwMilliseconds} (unsigned; {@link #INFINITE} for ever), or, when {@code
   * bAlertable}, until APCs queued to this thread have run. {@code SleepEx(0, true)} runs the APCs
   * already queued.
   *
   * @return {@link #WAIT_IO_COMPLETION} if APCs ran, else 0
   */
  @SuppressWarnings(
      "ThreadPriorityCheck") // SleepEx(0, FALSE) gives up the rest of the time slice, as yield does
  public static int SleepEx(int dwMilliseconds, boolean bAlertable) {
    if (dwMilliseconds == 0 && !bAlertable) {
      Apcs.flushWrites(Apcs.current());
      Thread.yield();
      return 0;
    }
    int saved = GetLastError();
    int r = await(new EventObject[0], false, dwMilliseconds, bAlertable);
    if (r == WAIT_FAILED) SetLastError(saved); // interrupted: SleepEx has no failure to report
    return r == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
  }

  /**
   * The wait of every function here: for one of {@code events} (or all), APCs when {@code
   * alertable}, or the timeout. This thread's confined reply buffers are written before it returns,
   * whatever it returns.
   */
  static int await(EventObject[] events, boolean all, int dwMilliseconds, boolean alertable) {
    Thread me = Thread.currentThread();
    Apcs.Queue own = Apcs.current();
    boolean infinite = dwMilliseconds == INFINITE;
    long deadline =
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(dwMilliseconds));
    for (EventObject e : events) e.addWaiter(me);
    try {
      while (true) {
        int index = events.length == 0 ? -1 : EventObject.tryAcquire(events, all);
        if (index >= 0) return WAIT_OBJECT_0 + index;
        if (alertable && Apcs.runPending(own)) return WAIT_IO_COMPLETION;
        long left = infinite ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) return WAIT_TIMEOUT;
        if (me.isInterrupted()) {
          SetLastError(WinError.ERROR_OPERATION_ABORTED);
          return WAIT_FAILED;
        }
        LockSupport.parkNanos(Kernel32.class, left);
      }
    } finally {
      for (EventObject e : events) e.removeWaiter(me);
      Apcs.flushWrites(own);
    }
  }
}
