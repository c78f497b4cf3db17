package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One handle, many threads, thousands of requests in flight on 127.0.0.1: every reply buffer must
 * hold its own request's data, every APC must run on its own issuing thread, every event must fire
 * once.
 */
@Timeout(120)
class ConcurrencyTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private static final int S = 40;
  private static final int LO = Ws2_32.inet_addr("127.0.0.1");
  private static final int THREADS = 8;
  private static final int PER_THREAD = 500; // 4000 asynchronous requests in all
  private static final int SIZE = 24;

  /**
   * The payload of request {@code i} of thread {@code t}: unique, and different in every byte
   * position.
   */
  private static byte[] payload(int t, int i) {
    byte[] b = new byte[SIZE];
    for (int k = 0; k < SIZE; k++) b[k] = (byte) (t * 31 + i * 7 + k * 13);
    b[0] = (byte) t;
    b[1] = (byte) i;
    b[2] = (byte) (i >> 8);
    return b;
  }

  @Test
  void thousandsOfAsyncRequestsOnOneHandle() throws Exception {
    MemorySegment h = IcmpApi.IcmpCreateFile();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger apcsRun = new AtomicInteger();
    AtomicInteger eventsSeen = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    try (Arena arena = Arena.ofShared()) {
      for (int t = 0; t < THREADS; t++) {
        int tid = t;
        Thread th =
            new Thread(
                () -> {
                  try {
                    start.await();
                    Thread me = Thread.currentThread();
                    AtomicInteger mine = new AtomicInteger();
                    // APC context = index; the routine checks its thread and counts.
                    MemorySegment apc =
                        PIO_APC_ROUTINE.allocate(
                            (ctx, iosb, reserved) -> {
                              if (Thread.currentThread() != me)
                                failures.add("APC on a foreign thread");
                              if (IO_STATUS_BLOCK.Status(iosb) != 0
                                  || IO_STATUS_BLOCK.Information(iosb) != S + SIZE) {
                                failures.add(
                                    "iosb "
                                        + IO_STATUS_BLOCK.Status(iosb)
                                        + "/"
                                        + IO_STATUS_BLOCK.Information(iosb));
                              }
                              mine.incrementAndGet();
                              apcsRun.incrementAndGet();
                            },
                            arena);
                    MemorySegment[] bufs = new MemorySegment[PER_THREAD];
                    MemorySegment[] events = new MemorySegment[PER_THREAD];
                    for (int i = 0; i < PER_THREAD; i++) {
                      byte[] p = payload(tid, i);
                      MemorySegment data = arena.allocate(SIZE);
                      data.copyFrom(MemorySegment.ofArray(p));
                      bufs[i] = arena.allocate(S + SIZE).fill((byte) 0xCC);
                      boolean withEvent = i % 2 == 0;
                      if (withEvent) events[i] = Kernel32.CreateEventW(NULL, true, false, NULL);
                      int r =
                          IcmpApi.IcmpSendEcho2(
                              h,
                              withEvent ? events[i] : NULL,
                              withEvent ? NULL : apc,
                              MemorySegment.ofAddress(i + 1),
                              LO,
                              data,
                              SIZE,
                              NULL,
                              bufs[i],
                              S + SIZE,
                              10_000);
                      if (r != 0 || Kernel32.GetLastError() != WinError.ERROR_IO_PENDING) {
                        failures.add("submit " + r + "/" + Kernel32.GetLastError());
                      }
                    }
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (mine.get() < PER_THREAD / 2 && System.nanoTime() < deadline)
                      Kernel32.SleepEx(50, true);
                    for (int i = 0; i < PER_THREAD; i++) {
                      if (events[i] != null) {
                        if (Kernel32.WaitForSingleObject(events[i], 30_000)
                            == Kernel32.WAIT_OBJECT_0) eventsSeen.incrementAndGet();
                        Kernel32.CloseHandle(events[i]);
                      }
                      MemorySegment b = bufs[i];
                      int status = ICMP_ECHO_REPLY.Status(b);
                      byte[] got = b.asSlice(S, SIZE).toArray(JAVA_BYTE);
                      if (status != 0
                          || ICMP_ECHO_REPLY.DataSize(b) != SIZE
                          || ICMP_ECHO_REPLY.Reserved(b) != 1
                          || ICMP_ECHO_REPLY.Data(b).address() != b.address() + S
                          || !java.util.Arrays.equals(payload(tid, i), got)) {
                        failures.add("thread " + tid + " request " + i + ": status " + status);
                      }
                    }
                  } catch (Throwable e) {
                    failures.add(e.toString());
                  }
                },
                "winapi-load-" + t);
        th.start();
        threads.add(th);
      }
      start.countDown();
      for (Thread th : threads) th.join(TimeUnit.SECONDS.toMillis(100));
      assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
      assertEquals(THREADS * PER_THREAD / 2, apcsRun.get());
      assertEquals(THREADS * PER_THREAD / 2, eventsSeen.get());
    } finally {
      IcmpApi.IcmpCloseHandle(h);
    }
  }

  @Test
  void concurrentSynchronousCallsEachGetTheirOwnReply() throws Exception {
    MemorySegment h = IcmpApi.IcmpCreateFile();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int tid = t;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Arena arena =
                        Arena.ofConfined()) { // a confined buffer is fine for a synchronous call
                      MemorySegment data = arena.allocate(SIZE);
                      MemorySegment buf = arena.allocate(S + SIZE);
                      for (int i = 0; i < 100; i++) {
                        byte[] p = payload(tid, i);
                        data.copyFrom(MemorySegment.ofArray(p));
                        Kernel32.SetLastError(0xdeadbeef);
                        int n = IcmpApi.IcmpSendEcho(h, LO, data, SIZE, NULL, buf, S + SIZE, 5000);
                        if (n != 1
                            || Kernel32.GetLastError() != 0
                            || !java.util.Arrays.equals(
                                p, buf.asSlice(S, SIZE).toArray(JAVA_BYTE))) {
                          failures.add(
                              "thread "
                                  + tid
                                  + " call "
                                  + i
                                  + ": "
                                  + n
                                  + "/"
                                  + Kernel32.GetLastError()
                                  + " status "
                                  + buf.get(JAVA_INT, 4));
                        }
                      }
                    }
                  }));
    }
    for (Thread th : threads) th.join(TimeUnit.SECONDS.toMillis(60));
    IcmpApi.IcmpCloseHandle(h);
    assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
  }

  @Test
  void payloadHelperIsUnique() {
    assertArrayEquals(payload(1, 2), payload(1, 2));
    assertTrue(!java.util.Arrays.equals(payload(1, 2), payload(2, 1)));
  }
}
