package org.icmpecho.winapi;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The few {@code kernel32} functions the ICMP API needs: the per-thread last error, events, and the (alertable)
 * waits in which APC routines run. "Per thread" means per Java thread, platform or virtual.
 *
 * <p>Handles are those of this layer's own table ({@link IcmpApi#IcmpCreateFile} and {@link #CreateEventW} make
 * them); any other value is an invalid handle. All functions are safe for concurrent use.
 *
 * <p><b>Interrupts.</b> Windows has none; here an interrupt of the waiting Java thread ends {@link
 * #WaitForSingleObject}/{@link #WaitForSingleObjectEx} with {@link #WAIT_FAILED} and last error {@link
 * WinError#ERROR_OPERATION_ABORTED}, and ends {@link #SleepEx} early; the thread's interrupt status stays set.
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
   * @param bManualReset true: stays signaled until {@link #ResetEvent}; false: released waits reset it
   * @param bInitialState true to start signaled
   * @param lpName NULL, or a NUL-terminated UTF-16LE name inside the segment; an event of an existing name is
   *     shared and the last error is {@link WinError#ERROR_ALREADY_EXISTS}
   * @return a handle, or NULL with the last error set ({@link WinError#ERROR_NOACCESS} when the name is not a
   *     terminated string inside its segment); on success the last error is 0 or {@code ERROR_ALREADY_EXISTS}
   */
  public static MemorySegment CreateEventW(
      MemorySegment lpEventAttributes, boolean bManualReset, boolean bInitialState, MemorySegment lpName) {
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

  /** Signals an event; FALSE with {@link WinError#ERROR_INVALID_HANDLE} if {@code hEvent} is not an event. */
  public static boolean SetEvent(MemorySegment hEvent) {
    if (!(Handles.get(hEvent) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    e.set();
    return true;
  }

  /** Resets an event; FALSE with {@link WinError#ERROR_INVALID_HANDLE} if {@code hEvent} is not an event. */
  public static boolean ResetEvent(MemorySegment hEvent) {
    if (!(Handles.get(hEvent) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return false;
    }
    e.reset();
    return true;
  }

  /**
   * Closes an event or an ICMP handle. Requests that reference the object (an event to signal) still complete.
   * FALSE with {@link WinError#ERROR_INVALID_HANDLE} for NULL, {@link #INVALID_HANDLE_VALUE}, a closed or unknown
   * handle.
   */
  public static boolean CloseHandle(MemorySegment hObject) {
    Object o = Handles.remove(hObject, Object.class);
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
   * Waits until the event is signaled, the timeout elapses, or (when {@code bAlertable}) APCs queued to this thread
   * have run. A signaled event wins over queued APCs.
   *
   * @param dwMilliseconds the timeout in milliseconds (unsigned), {@link #INFINITE} for none
   * @return {@link #WAIT_OBJECT_0}, {@link #WAIT_IO_COMPLETION} (APCs ran), {@link #WAIT_TIMEOUT}, or {@link
   *     #WAIT_FAILED} with {@link WinError#ERROR_INVALID_HANDLE} when {@code hHandle} is not an event
   */
  public static int WaitForSingleObjectEx(MemorySegment hHandle, int dwMilliseconds, boolean bAlertable) {
    if (!(Handles.get(hHandle) instanceof EventObject e)) {
      SetLastError(WinError.ERROR_INVALID_HANDLE);
      return WAIT_FAILED;
    }
    return await(e, dwMilliseconds, bAlertable);
  }

  /**
   * Sleeps for {@code dwMilliseconds} (unsigned; {@link #INFINITE} for ever), or, when {@code bAlertable}, until
   * APCs queued to this thread have run. {@code SleepEx(0, true)} runs the APCs already queued.
   *
   * @return {@link #WAIT_IO_COMPLETION} if APCs ran, else 0
   */
  public static int SleepEx(int dwMilliseconds, boolean bAlertable) {
    if (dwMilliseconds == 0 && !bAlertable) {
      Thread.yield();
      return 0;
    }
    int saved = GetLastError();
    int r = await(null, dwMilliseconds, bAlertable);
    if (r == WAIT_FAILED) SetLastError(saved); // interrupted: SleepEx has no failure to report
    return r == WAIT_IO_COMPLETION ? WAIT_IO_COMPLETION : 0;
  }

  private static int await(EventObject event, int dwMilliseconds, boolean alertable) {
    Thread me = Thread.currentThread();
    Apcs.Queue apcs = alertable ? Apcs.current() : null;
    boolean infinite = dwMilliseconds == INFINITE;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(dwMilliseconds));
    if (event != null) event.addWaiter(me);
    try {
      while (true) {
        if (event != null && event.tryAcquire()) return WAIT_OBJECT_0;
        if (apcs != null && Apcs.runPending(apcs)) return WAIT_IO_COMPLETION;
        long left = infinite ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (left <= 0) return WAIT_TIMEOUT;
        if (me.isInterrupted()) {
          SetLastError(WinError.ERROR_OPERATION_ABORTED);
          return WAIT_FAILED;
        }
        LockSupport.parkNanos(Kernel32.class, left);
      }
    } finally {
      if (event != null) event.removeWaiter(me);
    }
  }
}
