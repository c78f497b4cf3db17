package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What porting real Windows clients onto this layer found (issue 14, item 3): struct arguments at
 * any address or on the heap, {@code IcmpParseReplies} on a heap buffer, a garbage {@code
 * ApcRoutine}, the event reset on submission, and the C-style port with everything in one confined
 * arena. Each test failed on the layer before the fix.
 */
@Timeout(30)
class PortingDefectsTest extends FakeServiceFixture {
  private MemorySegment d32;
  private final byte[] pattern = new byte[32];

  @BeforeEach
  void setUp() {
    for (int i = 0; i < 32; i++) pattern[i] = (byte) (i + 1);
    d32 = arena.allocate(32).copyFrom(MemorySegment.ofArray(pattern));
  }

  private static EchoResult reply(EchoRequest r) {
    return new EchoResult.Reply(r, r.target(), Duration.ofMillis(1), 64, 0, 8 + r.payloadSize(), 1);
  }

  /** A {@code sockaddr_in6} for ::1 in a {@code byte[]}, as C# or a byte-buffer port builds it. */
  private static byte[] loopback6() {
    byte[] sa = new byte[28];
    sa[0] = 23; // AF_INET6, little-endian
    sa[8 + 15] = 1;
    return sa;
  }

  @Test
  void structArgumentsAtAnyAddressOrOnTheHeapAreRead() throws Exception {
    fake.autoReply = PortingDefectsTest::reply;
    MemorySegment buf = arena.allocate(36 + 32);
    MemorySegment heap = MemorySegment.ofArray(loopback6());
    MemorySegment odd =
        arena.allocate(28 + 3).asSlice(3).copyFrom(heap); // address 3 past an aligned one
    for (MemorySegment dst : List.of(heap, odd)) {
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.Icmp6SendEcho2(
              h, NULL, NULL, NULL, NULL, dst, d32, 32, NULL, buf, 36 + 32, 1000));
      assertEquals(InetAddress.getByName("::1"), fake.last().request().target());
    }
    // IP_OPTION_INFORMATION from a byte[] and at an odd address: Ttl 9, IP_FLAG_DF
    byte[] opts = new byte[16];
    opts[0] = 9;
    opts[2] = IpExport.IP_FLAG_DF;
    MemorySegment oddOpts = arena.allocate(16 + 1).asSlice(1).copyFrom(MemorySegment.ofArray(opts));
    MemorySegment b4 = arena.allocate(S + 32);
    for (MemorySegment o : List.of(MemorySegment.ofArray(opts), oddOpts)) {
      assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 32, o, b4, S + 32, 1000));
      assertEquals(9, fake.last().request().ttl());
    }
  }

  @Test
  void replyBufferAtAnOddAddressIsWrittenAndParsed() {
    fake.autoReply = PortingDefectsTest::reply;
    MemorySegment buf = arena.allocate(S + 32 + 1).asSlice(1);
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 32, NULL, buf, S + 32, 1000));
    assertEquals(0, buf.get(JAVA_INT_UNALIGNED, 4), "Status");
    assertEquals(32, buf.get(JAVA_SHORT_UNALIGNED, 12), "DataSize");
    assertEquals(buf.address() + S, buf.get(ADDRESS_UNALIGNED, 16).address(), "Data");
    assertArrayEquals(pattern, buf.asSlice(S, 32).toArray(JAVA_BYTE));
    buf.set(JAVA_SHORT_UNALIGNED, 14, (short) 1);
    assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32));
    assertEquals(0, buf.get(JAVA_SHORT_UNALIGNED, 14), "Reserved cleared");
    MemorySegment buf6 = arena.allocate(36 + 32 + 1).asSlice(1);
    MemorySegment dst = MemorySegment.ofArray(loopback6());
    assertEquals(
        1,
        IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, NULL, dst, d32, 32, NULL, buf6, 36 + 32, 1000));
    assertEquals(1, IcmpApi.Icmp6ParseReplies(buf6, 36 + 32));
  }

  @Test
  void parseRepliesOnAHeapBufferFailsWithALastError() {
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(0, IcmpApi.IcmpParseReplies(MemorySegment.ofArray(new byte[S]), S));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(0, IcmpApi.Icmp6ParseReplies(MemorySegment.ofArray(new byte[36]), 36));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
  }

  @Test
  void garbageApcRoutineIsRefusedAndCallableOnesAccepted() throws Throwable {
    MemorySegment buf = arena.allocate(S + 32);
    Kernel32.SetLastError(0);
    assertEquals(
        0,
        IcmpApi.IcmpSendEcho2(
            h,
            NULL,
            MemorySegment.ofAddress(0x12345678L),
            NULL,
            LO,
            d32,
            32,
            NULL,
            buf,
            S + 32,
            1000));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    assertEquals(
        0,
        IcmpApi.IcmpSendEcho2(
            h, NULL, arena.allocate(16), NULL, LO, d32, 32, NULL, buf, S + 32, 1000),
        "data memory is not code");
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    assertTrue(fake.submitted.isEmpty());
    assertEquals(0, Kernel32.SleepEx(0, true), "nothing queued, nothing crashes");

    // An upcall stub made without PIO_APC_ROUTINE (it lives in an executable mapping) and a C
    // function.
    SEEN.clear();
    MemorySegment stub =
        Linker.nativeLinker()
            .upcallStub(
                MethodHandles.lookup()
                    .findStatic(
                        PortingDefectsTest.class,
                        "record",
                        MethodType.methodType(
                            void.class, MemorySegment.class, MemorySegment.class, int.class)),
                PIO_APC_ROUTINE.descriptor(),
                arena);
    MemorySegment getpid = Linker.nativeLinker().defaultLookup().find("getpid").orElseThrow();
    for (MemorySegment routine : List.of(stub, getpid)) {
      assertEquals(
          0,
          IcmpApi.IcmpSendEcho2(
              h, NULL, routine, MemorySegment.ofAddress(7), LO, d32, 32, NULL, buf, S + 32, 1000));
      assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
      fake.last().future().complete(reply(fake.last().request()));
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(1000, true));
    }
    assertEquals(List.of(7L), SEEN, "the stub ran once, with its context");
  }

  private static final List<Long> SEEN = new ArrayList<>();

  /** The Java side of a hand-made upcall stub. */
  static void record(MemorySegment ctx, MemorySegment iosb, int reserved) {
    SEEN.add(ctx.address());
  }

  @Test
  void theEventIsResetWhenTheRequestIsSubmitted() {
    MemorySegment buf = arena.allocate(S + 32);
    MemorySegment ev = Kernel32.CreateEventW(NULL, true, true, NULL); // manual reset, signaled
    try {
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
      assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
      assertEquals(
          Kernel32.WAIT_TIMEOUT,
          Kernel32.WaitForSingleObject(ev, 0),
          "not signaled before the reply");
      fake.last().future().complete(reply(fake.last().request()));
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(ev, 1000));
      assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32));
      // a call rejected before submission leaves the event alone
      Kernel32.SetEvent(ev);
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, 0, d32, 32, NULL, buf, S + 32, 1000));
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(ev, 0));
    } finally {
      Kernel32.CloseHandle(ev);
    }
  }

  /** Completes the last request from another thread, as the engine does. */
  private void completeElsewhere() throws InterruptedException {
    FakeEchoService.Submitted s = fake.last();
    Thread t = Thread.ofPlatform().start(() -> s.future().complete(reply(s.request())));
    t.join();
  }

  @Test
  void confinedArenaPortWithAnEvent() throws Exception {
    MemorySegment ev = Kernel32.CreateEventW(NULL, false, false, NULL);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(S + 32);
      MemorySegment data = a.allocate(32).copyFrom(d32);
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, LO, data, 32, NULL, buf, S + 32, 1000));
      assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
      completeElsewhere();
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(ev, 2000));
      assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32));
      assertEquals(0, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(32, ICMP_ECHO_REPLY.DataSize(buf));
      assertArrayEquals(pattern, ICMP_ECHO_REPLY.Data(buf).reinterpret(32).toArray(JAVA_BYTE));

      // IcmpParseReplies alone (no wait) also sees the reply written
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, LO, data, 32, NULL, buf, S + 32, 1000));
      completeElsewhere();
      assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32));

      // validation order as Windows: a bad destination is 1214 (it was 998 for a confined buffer)
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, 0, data, 32, NULL, buf, S + 32, 1000));
      assertEquals(WinError.ERROR_INVALID_NETNAME, Kernel32.GetLastError());
    } finally {
      Kernel32.CloseHandle(ev);
    }
  }

  @Test
  void confinedArenaPortWithAnApcSeesTheBufferWritten() throws Exception {
    List<String> log = new ArrayList<>();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(S + 32);
      MemorySegment apc =
          PIO_APC_ROUTINE.allocate(
              (ctx, iosb, reserved) ->
                  log.add(
                      IO_STATUS_BLOCK.Information(iosb)
                          + " "
                          + ICMP_ECHO_REPLY.DataSize(buf)
                          + " "
                          + Thread.currentThread().getName()),
              a);
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
      completeElsewhere();
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(2000, true));
      assertEquals(List.of((S + 32) + " 32 " + Thread.currentThread().getName()), log);
    }
  }

  @Test
  void confinedBufferClosedBeforeTheCompletionIsNotWritten() throws Exception {
    List<Long> info = new ArrayList<>();
    MemorySegment apc =
        PIO_APC_ROUTINE.allocate(
            (ctx, iosb, r) -> info.add(IO_STATUS_BLOCK.Information(iosb)), arena);
    MemorySegment ev = Kernel32.CreateEventW(NULL, false, false, NULL);
    try {
      Arena a = Arena.ofConfined();
      MemorySegment buf = a.allocate(S + 32);
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(h, ev, NULL, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
      a.close();
      for (FakeEchoService.Submitted s : fake.submitted) s.future().complete(reply(s.request()));
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(ev, 2000));
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(2000, true));
      assertEquals(List.of(0L), info, "the APC still runs, nothing was written");
    } finally {
      Kernel32.CloseHandle(ev);
    }
  }

  @Test
  void confinedCompletionsKeepTheirOrderWithSharedOnes() throws Exception {
    List<String> order = new ArrayList<>();
    MemorySegment shared = arena.allocate(S + 32);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment confined = a.allocate(S + 32);
      MemorySegment first = PIO_APC_ROUTINE.allocate((c, i, r) -> order.add("confined"), a);
      MemorySegment second = PIO_APC_ROUTINE.allocate((c, i, r) -> order.add("shared"), a);
      IcmpApi.IcmpSendEcho2(h, NULL, first, NULL, LO, d32, 32, NULL, confined, S + 32, 1000);
      IcmpApi.IcmpSendEcho2(h, NULL, second, NULL, LO, d32, 32, NULL, shared, S + 32, 1000);
      for (FakeEchoService.Submitted s : fake.submitted) s.future().complete(reply(s.request()));
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(2000, true));
      assertEquals(List.of("confined", "shared"), order, "completion order");
    }
  }

  @Test
  void aStubIsCallableUntilItsArenaCloses() {
    Arena a = Arena.ofConfined();
    MemorySegment stub = PIO_APC_ROUTINE.allocate((c, i, r) -> {}, a);
    assertTrue(Native.isCallable(stub));
    a.close();
    assertFalse(Native.isCallable(stub));
    assertFalse(Native.isCallable(MemorySegment.ofArray(new byte[8])));
  }
}
