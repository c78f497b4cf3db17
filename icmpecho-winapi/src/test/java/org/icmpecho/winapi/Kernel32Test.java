package org.icmpecho.winapi;

import static java.nio.charset.StandardCharsets.UTF_16LE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Last error, events, waits and the APC queue, with no network involved. */
@Timeout(30)
class Kernel32Test {
  private static final MemorySegment NULL = MemorySegment.NULL;

  @Test
  void lastErrorIsPerThread() throws Exception {
    Kernel32.SetLastError(1234);
    AtomicInteger other = new AtomicInteger(-1);
    Thread t =
        new Thread(
            () -> {
              other.set(Kernel32.GetLastError());
              Kernel32.SetLastError(99);
            });
    t.start();
    t.join();
    assertEquals(0, other.get(), "a new thread starts with 0");
    assertEquals(1234, Kernel32.GetLastError());
    Thread v = Thread.ofVirtual().start(() -> Kernel32.SetLastError(5));
    v.join();
    assertEquals(1234, Kernel32.GetLastError());
  }

  @Test
  void manualResetEvent() {
    MemorySegment e = Kernel32.CreateEventW(NULL, true, false, NULL);
    assertFalse(Native.isNull(e));
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(e, 0));
    assertTrue(Kernel32.SetEvent(e));
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(e, 0));
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(e, 0), "stays signaled");
    assertTrue(Kernel32.ResetEvent(e));
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(e, 10));
    assertTrue(Kernel32.CloseHandle(e));
  }

  @Test
  void autoResetEventReleasesOneWait() {
    MemorySegment e = Kernel32.CreateEventW(NULL, false, true, NULL);
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(e, 0));
    assertEquals(
        Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(e, 0), "reset by the released wait");
    Kernel32.CloseHandle(e);
  }

  @Test
  void setEventWakesAWaiterOnAnotherThread() throws Exception {
    MemorySegment e = Kernel32.CreateEventW(NULL, false, false, NULL);
    AtomicInteger r = new AtomicInteger(-2);
    Thread t = new Thread(() -> r.set(Kernel32.WaitForSingleObject(e, Kernel32.INFINITE)));
    t.start();
    Thread.sleep(50);
    Kernel32.SetEvent(e);
    t.join(5000);
    assertEquals(Kernel32.WAIT_OBJECT_0, r.get());
    Kernel32.CloseHandle(e);
  }

  @Test
  void waitTimesOut() {
    MemorySegment e = Kernel32.CreateEventW(NULL, true, false, NULL);
    long t0 = System.nanoTime();
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(e, 100));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(95));
    Kernel32.CloseHandle(e);
  }

  @Test
  void invalidHandles() {
    for (MemorySegment h :
        new MemorySegment[] {
          null,
          NULL,
          Kernel32.INVALID_HANDLE_VALUE,
          MemorySegment.ofAddress(0xdead0),
          MemorySegment.ofArray(new byte[8])
        }) {
      Kernel32.SetLastError(0);
      assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForSingleObject(h, 0));
      assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
      Kernel32.SetLastError(0);
      assertFalse(Kernel32.SetEvent(h));
      assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
      Kernel32.SetLastError(0);
      assertFalse(Kernel32.ResetEvent(h));
      assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
      Kernel32.SetLastError(0);
      assertFalse(Kernel32.CloseHandle(h));
      assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    }
  }

  @Test
  void closedHandleStaysInvalid() {
    MemorySegment e = Kernel32.CreateEventW(NULL, true, true, NULL);
    assertTrue(Kernel32.CloseHandle(e));
    assertFalse(Kernel32.CloseHandle(e));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    assertEquals(Kernel32.WAIT_FAILED, Kernel32.WaitForSingleObject(e, 0));
    MemorySegment again = Kernel32.CreateEventW(NULL, true, true, NULL);
    assertNotEquals(e.address(), again.address(), "handle values are not reused");
    Kernel32.CloseHandle(again);
  }

  @Test
  void icmpHandleClosesWithCloseHandleButEventNotWithIcmpCloseHandle() {
    MemorySegment h = IcmpApi.IcmpCreateFile();
    assertTrue(Kernel32.CloseHandle(h));
    MemorySegment e = Kernel32.CreateEventW(NULL, true, true, NULL);
    assertFalse(IcmpApi.IcmpCloseHandle(e));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    assertTrue(Kernel32.CloseHandle(e));
  }

  @Test
  void namedEventsAreShared() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom("icmpecho-test-event", UTF_16LE);
      MemorySegment a = Kernel32.CreateEventW(NULL, true, false, name);
      assertEquals(0, Kernel32.GetLastError());
      MemorySegment b = Kernel32.CreateEventW(NULL, true, false, name);
      assertEquals(WinError.ERROR_ALREADY_EXISTS, Kernel32.GetLastError());
      assertNotEquals(a.address(), b.address());
      Kernel32.SetEvent(a);
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(b, 0));
      Kernel32.CloseHandle(a);
      Kernel32.CloseHandle(b);
      MemorySegment c = Kernel32.CreateEventW(NULL, true, false, name);
      assertEquals(0, Kernel32.GetLastError(), "the last handle closed destroyed it");
      assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(c, 0));
      Kernel32.CloseHandle(c);
      MemorySegment unterminated = arena.allocate(4).fill((byte) 'x');
      assertTrue(Native.isNull(Kernel32.CreateEventW(NULL, true, false, unterminated)));
      assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());
    }
  }

  @Test
  void sleepExWithoutApcs() {
    long t0 = System.nanoTime();
    assertEquals(0, Kernel32.SleepEx(50, true));
    assertEquals(0, Kernel32.SleepEx(30, false));
    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(75));
    assertEquals(0, Kernel32.SleepEx(0, true));
    assertEquals(0, Kernel32.SleepEx(0, false));
  }

  @Test
  void interruptEndsAWait() throws Exception {
    MemorySegment e = Kernel32.CreateEventW(NULL, true, false, NULL);
    AtomicInteger r = new AtomicInteger();
    AtomicInteger le = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    Thread t =
        new Thread(
            () -> {
              r.set(Kernel32.WaitForSingleObjectEx(e, Kernel32.INFINITE, true));
              le.set(Kernel32.GetLastError());
              interrupted.set(Thread.currentThread().isInterrupted() ? 1 : 0);
            });
    t.start();
    Thread.sleep(50);
    t.interrupt();
    t.join(5000);
    assertEquals(Kernel32.WAIT_FAILED, r.get());
    assertEquals(WinError.ERROR_OPERATION_ABORTED, le.get());
    assertEquals(1, interrupted.get(), "the interrupt status stays set");
    Kernel32.CloseHandle(e);
  }

  // ------------------------------------------------------------------------------------------------- APCs

  /** Queues an APC to {@code q} as a completion would. */
  private static void queue(Apcs.Queue q, MemorySegment routine, long ctx, int status, long info) {
    q.add(new Apcs.Apc(routine, MemorySegment.ofAddress(ctx), status, info));
  }

  @Test
  void apcRunsOnlyInAnAlertableWaitOfItsThread() throws Exception {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    try (Arena arena = Arena.ofShared()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate(
              (ctx, iosb, reserved) ->
                  calls.add(
                      Thread.currentThread().getName()
                          + " ctx="
                          + Long.toHexString(ctx.address())
                          + " st="
                          + Integer.toHexString(IO_STATUS_BLOCK.Status(iosb))
                          + " info="
                          + IO_STATUS_BLOCK.Information(iosb)
                          + " r="
                          + reserved),
              arena);
      Apcs.Queue me = Apcs.current();
      Thread other = new Thread(() -> queue(me, apc, 0xdeadc0deL, 0, 72));
      other.start();
      other.join();
      MemorySegment e = Kernel32.CreateEventW(NULL, true, false, NULL);
      assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(e, 20), "not alertable");
      assertEquals(0, Kernel32.SleepEx(10, false), "not alertable");
      assertTrue(calls.isEmpty());
      assertEquals(
          Kernel32.WAIT_IO_COMPLETION, Kernel32.WaitForSingleObjectEx(e, Kernel32.INFINITE, true));
      assertEquals(
          List.of(Thread.currentThread().getName() + " ctx=deadc0de st=0 info=72 r=0"), calls);
      assertEquals(
          Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObjectEx(e, 0, true), "ran once only");
      Kernel32.CloseHandle(e);
    }
  }

  @Test
  void apcsRunInQueueOrderAndAllAtOnce() {
    List<Long> order = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> order.add(ctx.address()), arena);
      Apcs.Queue me = Apcs.current();
      for (long i = 1; i <= 5; i++) queue(me, apc, i, 0, 0);
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), order);
      assertEquals(0, Kernel32.SleepEx(0, true));
    }
  }

  @Test
  void aSignaledEventWinsOverQueuedApcs() {
    AtomicInteger ran = new AtomicInteger();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> ran.incrementAndGet(), arena);
      queue(Apcs.current(), apc, 0, 0, 0);
      MemorySegment e = Kernel32.CreateEventW(NULL, true, true, NULL);
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObjectEx(e, 1000, true));
      assertEquals(0, ran.get());
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
      assertEquals(1, ran.get());
      Kernel32.CloseHandle(e);
    }
  }

  @Test
  void apcQueuedWhileWaitingWakesTheWait() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> ran.incrementAndGet(), arena);
      Apcs.Queue me = Apcs.current();
      Thread t =
          new Thread(
              () -> {
                Kernel32.SleepEx(50, false);
                queue(me, apc, 0, 0, 0);
              });
      t.start();
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(Kernel32.INFINITE, true));
      assertEquals(1, ran.get());
      t.join();
    }
  }

  @Test
  void apcToAnEndedThreadIsDropped() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> ran.incrementAndGet(), arena);
      Apcs.Queue[] q = new Apcs.Queue[1];
      Thread t = new Thread(() -> q[0] = Apcs.current());
      t.start();
      t.join();
      queue(q[0], apc, 0, 0, 0);
      assertTrue(q[0].items.isEmpty());
      assertEquals(0, ran.get());
    }
  }

  @Test
  void apcWhoseArenaIsClosedIsDropped() {
    Arena arena = Arena.ofConfined();
    AtomicInteger ran = new AtomicInteger();
    MemorySegment apc =
        PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> ran.incrementAndGet(), arena);
    queue(Apcs.current(), apc, 0, 0, 0);
    arena.close();
    assertEquals(0, Kernel32.SleepEx(0, true));
    assertEquals(0, ran.get());
  }

  @Test
  void anExceptionInAnApcLeavesTheWaitAndKeepsTheRestQueued() {
    List<Long> order = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate(
              (ctx, iosb, reserved) -> {
                order.add(ctx.address());
                if (ctx.address() == 2) throw new IllegalStateException("boom");
              },
              arena);
      Apcs.Queue me = Apcs.current();
      for (long i = 1; i <= 3; i++) queue(me, apc, i, 0, 0);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> Kernel32.SleepEx(0, true));
      assertEquals("boom", e.getMessage());
      assertEquals(List.of(1L, 2L), order);
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
      assertEquals(List.of(1L, 2L, 3L), order);
    }
  }

  @Test
  void aBareNativePointerIsCalledThroughItsAddress() {
    AtomicLong seen = new AtomicLong();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment stub =
          PIO_APC_ROUTINE.allocate(
              (ctx, iosb, reserved) -> seen.set(IO_STATUS_BLOCK.Information(iosb)), arena);
      MemorySegment bare =
          MemorySegment.ofAddress(stub.address()); // as if it came from native code
      queue(Apcs.current(), bare, 0, 0, 1234);
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
      assertEquals(1234, seen.get());
      MemorySegment iosb = IO_STATUS_BLOCK.allocate(arena);
      IO_STATUS_BLOCK.Information(iosb, 9);
      PIO_APC_ROUTINE.invoke(bare, NULL, iosb, 0);
      assertEquals(9, seen.get());
    }
  }

  @Test
  void apcsOfOneThreadRunOneAtATime() throws Exception {
    int n = 200;
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlap = new AtomicInteger();
    AtomicInteger ran = new AtomicInteger();
    try (Arena arena = Arena.ofShared()) {
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate(
              (ctx, iosb, reserved) -> {
                if (inside.incrementAndGet() != 1) overlap.incrementAndGet();
                ran.incrementAndGet();
                inside.decrementAndGet();
              },
              arena);
      Apcs.Queue me = Apcs.current();
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> producers = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < n / 4; i++) queue(me, apc, i, 0, 0);
                });
        t.start();
        producers.add(t);
      }
      go.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ran.get() < n && System.nanoTime() < deadline) Kernel32.SleepEx(10, true);
      for (Thread t : producers) t.join();
      assertEquals(n, ran.get());
      assertEquals(0, overlap.get());
    }
  }
}
