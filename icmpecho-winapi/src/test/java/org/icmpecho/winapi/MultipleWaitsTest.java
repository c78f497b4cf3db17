package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.icmpecho.leakguard.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code WaitForMultipleObjects(Ex)} and {@code RegisterWaitForSingleObject} / {@code
 * UnregisterWait(Ex)}, as API-CONTRACT §2.1 pins them (what multi-target Windows code and .NET's
 * {@code Ping} use).
 */
@Timeout(30)
@LeakGuard.Keeps(
    threads = "icmpecho-wait-callback",
    because =
        "RegisterWaitForSingleObject's callbacks run on a shared pool whose idle threads end after 60 s, as"
            + " Windows' thread pool keeps its workers")
class MultipleWaitsTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private Arena arena;
  private final List<MemorySegment> events = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() {
    arena = Arena.ofShared();
  }

  @AfterEach
  void tearDown() {
    events.forEach(Kernel32::CloseHandle);
    arena.close();
  }

  private MemorySegment event(boolean manual, boolean signaled) {
    MemorySegment e = Kernel32.CreateEventW(NULL, manual, signaled, NULL);
    events.add(e);
    return e;
  }

  private MemorySegment array(MemorySegment... handles) {
    MemorySegment a = arena.allocate(JAVA_LONG, handles.length);
    for (int i = 0; i < handles.length; i++) a.setAtIndex(JAVA_LONG, i, handles[i].address());
    return a;
  }

  @Test
  void waitAnyTakesTheLowestSignaledIndexAndOnlyThatEvent() {
    MemorySegment a = event(false, false);
    MemorySegment b = event(false, true);
    MemorySegment c = event(false, true);
    MemorySegment hs = array(a, b, c);
    assertEquals(Kernel32.WAIT_OBJECT_0 + 1, Kernel32.WaitForMultipleObjects(3, hs, false, 0));
    assertEquals(
        Kernel32.WAIT_OBJECT_0 + 2,
        Kernel32.WaitForMultipleObjects(3, hs, false, 0),
        "c was not consumed");
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForMultipleObjects(3, hs, false, 20));
    MemorySegment manual = event(true, true);
    MemorySegment hm = array(a, manual);
    assertEquals(Kernel32.WAIT_OBJECT_0 + 1, Kernel32.WaitForMultipleObjects(2, hm, false, 0));
    assertEquals(
        Kernel32.WAIT_OBJECT_0 + 1,
        Kernel32.WaitForMultipleObjects(2, hm, false, 0),
        "manual stays set");
  }

  @Test
  void waitAnyWakesOnASignalFromAnotherThread() throws Exception {
    MemorySegment a = event(false, false);
    MemorySegment b = event(false, false);
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                  Kernel32.SetEvent(b);
                });
    assertEquals(
        Kernel32.WAIT_OBJECT_0 + 1, Kernel32.WaitForMultipleObjects(2, array(a, b), false, 5000));
    t.join();
  }

  @Test
  void waitAllTakesAllOrNothing() {
    MemorySegment a = event(false, true);
    MemorySegment b = event(false, false);
    MemorySegment hs = array(a, b);
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForMultipleObjects(2, hs, true, 20));
    assertEquals(
        Kernel32.WAIT_OBJECT_0,
        Kernel32.WaitForSingleObject(a, 0),
        "a was not consumed by the failed wait");
    Kernel32.SetEvent(a);
    Kernel32.SetEvent(b);
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForMultipleObjects(2, hs, true, 0));
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(a, 0), "both consumed");
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(b, 0));
  }

  @Test
  void rejectedArguments() {
    MemorySegment a = event(false, true);
    Kernel32.SetLastError(0);
    assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForMultipleObjects(0, array(a), false, 0));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    MemorySegment[] many = new MemorySegment[65];
    java.util.Arrays.fill(many, a);
    assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForMultipleObjects(65, array(many), false, 0));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    assertEquals(
        Kernel32.WAIT_OBJECT_0,
        Kernel32.WaitForMultipleObjects(64, array(java.util.Arrays.copyOf(many, 64)), false, 0),
        "64 handles are fine, the same one repeated in a wait-any too");
    Kernel32.SetEvent(a);
    assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForMultipleObjects(2, array(a, a), true, 0));
    assertEquals(
        WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError(), "one event twice in a wait-all");
    assertEquals(
        Kernel32.WAIT_FAILED,
        Kernel32.WaitForMultipleObjects(2, array(a, MemorySegment.ofAddress(77)), false, 0));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForMultipleObjects(2, array(a), false, 0));
    assertEquals(
        WinError.ERROR_NOACCESS, Kernel32.GetLastError(), "the array is shorter than nCount");
    MemorySegment odd = arena.allocate(8 + 3).asSlice(3);
    odd.set(JAVA_LONG_UNALIGNED, 0, a.address());
    assertEquals(
        Kernel32.WAIT_OBJECT_0, Kernel32.WaitForMultipleObjects(1, odd, false, 0), "any alignment");
  }

  @Test
  void alertableWaitRunsApcs() {
    MemorySegment a = event(false, false);
    int[] ran = {0};
    MemorySegment apc = PIO_APC_ROUTINE.allocate((c, i, r) -> ran[0]++, arena);
    Apcs.current().add(new Apcs.Apc(apc, NULL, 0, 0));
    assertEquals(
        Kernel32.WAIT_TIMEOUT,
        Kernel32.WaitForMultipleObjects(1, array(a), false, 10),
        "not alertable");
    assertEquals(
        Kernel32.WAIT_IO_COMPLETION,
        Kernel32.WaitForMultipleObjectsEx(1, array(a), false, 1000, true));
    assertEquals(1, ran[0]);
  }

  // ------------------------------------------------------------------------------------------------- RegisterWait

  @Test
  void callbackRunsOnAPoolThreadOncePerSignal() throws Exception {
    MemorySegment e = event(false, false);
    List<String> calls = new CopyOnWriteArrayList<>();
    CountDownLatch two = new CountDownLatch(2);
    MemorySegment cb =
        WAITORTIMERCALLBACK.allocate(
            (ctx, fired) -> {
              calls.add(ctx.address() + " " + fired + " " + (Thread.currentThread() != MAIN));
              two.countDown();
            },
            arena);
    MemorySegment out = arena.allocate(8);
    assertTrue(
        Kernel32.RegisterWaitForSingleObject(
            out,
            e,
            cb,
            MemorySegment.ofAddress(42),
            Kernel32.INFINITE,
            Kernel32.WT_EXECUTEDEFAULT));
    MemorySegment wait = MemorySegment.ofAddress(out.get(JAVA_LONG, 0));
    assertNotEquals(0, wait.address());
    Kernel32.SetEvent(e);
    awaitSize(calls, 1);
    Kernel32.SetEvent(e);
    assertTrue(two.await(5, TimeUnit.SECONDS));
    assertTrue(Kernel32.UnregisterWaitEx(wait, Kernel32.INVALID_HANDLE_VALUE));
    Kernel32.SetEvent(e);
    Thread.sleep(50);
    assertEquals(List.of("42 false true", "42 false true"), calls);
    assertEquals(
        Kernel32.WAIT_OBJECT_0,
        Kernel32.WaitForSingleObject(e, 0),
        "no wait takes the signal any more");
    assertFalse(Kernel32.UnregisterWait(wait));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
  }

  private static final Thread MAIN = Thread.currentThread();

  private static void awaitSize(List<?> list, int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (list.size() < n && System.nanoTime() < end) Thread.sleep(5);
    assertEquals(n, list.size());
  }

  @Test
  void timeoutCallsBackWithTimerOrWaitFiredAndOnlyOnceEnds() throws Exception {
    MemorySegment e = event(false, false);
    List<Boolean> fired = new CopyOnWriteArrayList<>();
    MemorySegment cb = WAITORTIMERCALLBACK.allocate((ctx, f) -> fired.add(f), arena);
    MemorySegment out = arena.allocate(8);
    assertTrue(
        Kernel32.RegisterWaitForSingleObject(out, e, cb, NULL, 20, Kernel32.WT_EXECUTEONLYONCE));
    awaitSize(fired, 1);
    Thread.sleep(100);
    assertEquals(List.of(true), fired, "once only");
    assertTrue(Kernel32.UnregisterWait(MemorySegment.ofAddress(out.get(JAVA_LONG, 0))));
  }

  @Test
  void unregisterWithAnEventSignalsItWhenTheRunningCallbackReturns() throws Exception {
    MemorySegment e = event(false, true);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MemorySegment cb =
        WAITORTIMERCALLBACK.allocate(
            (ctx, f) -> {
              inside.countDown();
              try {
                release.await();
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            },
            arena);
    MemorySegment out = arena.allocate(8);
    assertTrue(Kernel32.RegisterWaitForSingleObject(out, e, cb, NULL, Kernel32.INFINITE, 0));
    assertTrue(inside.await(5, TimeUnit.SECONDS));
    MemorySegment done = event(true, false);
    assertFalse(Kernel32.UnregisterWaitEx(MemorySegment.ofAddress(out.get(JAVA_LONG, 0)), done));
    assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError(), "a callback is still running");
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(done, 20));
    release.countDown();
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(done, 5000));
  }

  @Test
  void aCallbackCanBeCalledThroughItsAddress() {
    List<String> calls = new CopyOnWriteArrayList<>();
    MemorySegment cb =
        WAITORTIMERCALLBACK.allocate((ctx, fired) -> calls.add(ctx.address() + " " + fired), arena);
    WAITORTIMERCALLBACK.invoke(cb, MemorySegment.ofAddress(9), true);
    assertEquals(List.of("9 true"), calls);
    assertEquals(WAITORTIMERCALLBACK.descriptor(), Native.WAIT_CALLBACK_SIGNATURE);
  }

  @Test
  void registerRejectsWhatCannotWork() {
    MemorySegment e = event(false, false);
    MemorySegment out = arena.allocate(8);
    MemorySegment cb = WAITORTIMERCALLBACK.allocate((c, f) -> {}, arena);
    assertFalse(
        Kernel32.RegisterWaitForSingleObject(
            out, e, MemorySegment.ofAddress(0x12345678L), NULL, 0, 0));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError(), "garbage callback");
    assertFalse(Kernel32.RegisterWaitForSingleObject(NULL, e, cb, NULL, 0, 0));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    assertFalse(
        Kernel32.RegisterWaitForSingleObject(out, MemorySegment.ofAddress(77), cb, NULL, 0, 0));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    assertFalse(Kernel32.RegisterWaitForSingleObject(arena.allocate(4), e, cb, NULL, 0, 0));
    assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError(), "no room for the handle");
  }
}
