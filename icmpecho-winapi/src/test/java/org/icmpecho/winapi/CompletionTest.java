package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IpStatus;
import org.icmpecho.PathMtuDiscovery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The completion path with a fake completion source: how requests are built from the arguments, how
 * each {@link EchoResult} is written into the reply buffer, the last error of synchronous calls,
 * and events / APCs / IO status of asynchronous ones.
 */
@Timeout(30)
class CompletionTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private static final int S = 40;
  private static final int LO = Ws2_32.inet_addr("127.0.0.1");

  private FakeEchoService fake;
  private Arena arena;
  private MemorySegment h;
  private MemorySegment d32;
  private byte[] pattern;
  private final List<String> apcLog = new ArrayList<>();
  private MemorySegment apc;

  @BeforeEach
  void setUp() {
    fake = new FakeEchoService();
    arena = Arena.ofShared();
    h = IcmpApi.IcmpCreateFile();
    pattern = new byte[32];
    for (int i = 0; i < 32; i++) pattern[i] = (byte) i;
    d32 = arena.allocate(32);
    d32.copyFrom(MemorySegment.ofArray(pattern));
    apc =
        PIO_APC_ROUTINE.allocate(
            (ctx, iosb, reserved) ->
                apcLog.add(
                    Long.toHexString(ctx.address())
                        + " "
                        + Integer.toHexString(IO_STATUS_BLOCK.Status(iosb))
                        + " "
                        + IO_STATUS_BLOCK.Information(iosb)
                        + " "
                        + reserved),
            arena);
  }

  @AfterEach
  void tearDown() {
    IcmpApi.IcmpCloseHandle(h);
    arena.close();
    fake.close();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static EchoResult.Reply reply(
      EchoRequest r, String from, long rttMicros, int ttl, int tos) throws Exception {
    return new EchoResult.Reply(
        r, ip(from), Duration.ofNanos(rttMicros * 1000), ttl, tos, 8 + r.payloadSize(), 1);
  }

  private MemorySegment filled(long size) {
    return arena.allocate(size).fill((byte) 0xCC);
  }

  @Test
  void requestIsBuiltFromTheArguments() throws Exception {
    fake.autoReply = r -> new EchoResult.TimedOut(r, r.timeout(), 1);
    MemorySegment buf = filled(S + 32);
    MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
    IP_OPTION_INFORMATION.Ttl(opts, (byte) 200);
    IP_OPTION_INFORMATION.Tos(opts, (byte) 0xB8);
    IP_OPTION_INFORMATION.Flags(opts, (byte) IpExport.IP_FLAG_DF);
    IcmpApi.IcmpSendEcho2Ex(
        h,
        NULL,
        NULL,
        NULL,
        Ws2_32.inet_addr("127.0.0.1"),
        Ws2_32.inet_addr("127.0.0.2"),
        d32,
        32,
        opts,
        buf,
        S + 32,
        -1);
    EchoRequest r = fake.last().request();
    assertEquals(ip("127.0.0.2"), r.target());
    assertEquals(ip("127.0.0.1"), r.source());
    assertArrayEquals(pattern, r.payload());
    assertEquals(200, r.ttl());
    assertEquals(EchoRequest.SYSTEM_DEFAULT, r.tos(), "Tos is ignored, as Windows documents");
    assertEquals(PathMtuDiscovery.DO, r.pathMtuDiscovery());
    assertEquals(Duration.ofMillis(4294967295L), r.timeout(), "the timeout is unsigned");

    IP_OPTION_INFORMATION.Ttl(opts, (byte) 0);
    IP_OPTION_INFORMATION.Flags(opts, (byte) 0);
    IcmpApi.IcmpSendEcho(h, LO, NULL, 0, opts, buf, S + 32, 0);
    r = fake.last().request();
    assertEquals(EchoRequest.SYSTEM_DEFAULT, r.ttl(), "IPv4 Ttl 0 is the default (case 8)");
    assertEquals(PathMtuDiscovery.DONT, r.pathMtuDiscovery());
    assertEquals(0, r.payloadSize());
    assertNull(r.source());
    assertEquals(Duration.ZERO, r.timeout());
  }

  @Test
  void syncReplyIsWrittenAsWindowsDoes() throws Exception {
    fake.autoReply =
        r -> {
          try {
            return reply(r, "127.0.0.1", 2900, 64, 0);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    MemorySegment buf = filled(S + 32 + 8);
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 32, NULL, buf, S + 32, 1000));
    assertEquals(0, Kernel32.GetLastError());
    assertEquals(LO, ICMP_ECHO_REPLY.Address(buf));
    assertEquals(0, ICMP_ECHO_REPLY.Status(buf));
    assertEquals(2, ICMP_ECHO_REPLY.RoundTripTime(buf), "whole milliseconds, truncated");
    assertEquals(32, ICMP_ECHO_REPLY.DataSize(buf));
    assertEquals(0, ICMP_ECHO_REPLY.Reserved(buf), "a synchronous call has parsed the buffer");
    assertEquals(buf.address() + S, ICMP_ECHO_REPLY.Data(buf).address());
    MemorySegment o = ICMP_ECHO_REPLY.Options(buf);
    assertEquals(64, IP_OPTION_INFORMATION.Ttl(o));
    assertEquals(0, IP_OPTION_INFORMATION.OptionsSize(o));
    assertEquals(buf.address() + S, IP_OPTION_INFORMATION.OptionsData(o).address());
    assertArrayEquals(pattern, buf.asSlice(S, 32).toArray(JAVA_BYTE));
    assertEquals((byte) 0xCC, buf.get(JAVA_BYTE, S + 32), "nothing written past ReplySize");
  }

  @Test
  void replyThatDoesNotFitIsGeneralFailure() throws Exception {
    fake.autoReply =
        r -> {
          try {
            return reply(r, "127.0.0.1", 0, 64, 0);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    MemorySegment buf = filled(S + 32);
    for (int[] c : new int[][] {{32, S + 31}, {9, S + 8}, {8, S + 7}}) { // cases 12, 15, 16
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, d32, c[0], NULL, buf, c[1], 1000));
      assertEquals(IpExport.IP_GENERAL_FAILURE, Kernel32.GetLastError());
      assertEquals(IpExport.IP_GENERAL_FAILURE, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(0, ICMP_ECHO_REPLY.DataSize(buf));
      assertEquals(0, ICMP_ECHO_REPLY.Data(buf).address());
    }
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 8, NULL, buf, S + 8, 1000)); // case 14
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 0, NULL, buf, S, 1000)); // case 13
  }

  @Test
  void statusOnlyRepliesAreZeroFilledExceptStatus() throws Exception {
    EchoRequest dummy = EchoRequest.of(ip("127.0.0.1"));
    List<EchoResult> results =
        List.of(
            new EchoResult.TimedOut(dummy, Duration.ofSeconds(1), 1),
            new EchoResult.SendFailed(
                dummy, IpStatus.IP_DEST_HOST_UNREACHABLE, "EHOSTUNREACH", "No route to host", 1),
            new EchoResult.Corrupted(
                dummy, ip("127.0.0.1"), Duration.ofMillis(1), "payload byte 3 differs", 1));
    int[] expected = {11010, 11003, 11050};
    for (int i = 0; i < results.size(); i++) {
      EchoResult res = results.get(i);
      fake.autoReply = r -> res;
      MemorySegment buf = filled(S + 32);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, d32, 32, NULL, buf, S + 32, 1000));
      assertEquals(expected[i], Kernel32.GetLastError());
      assertEquals(expected[i], ICMP_ECHO_REPLY.Status(buf));
      byte[] head = buf.asSlice(0, S).toArray(JAVA_BYTE);
      for (int b = 0; b < S; b++) if (b < 4 || b >= 8) assertEquals(0, head[b], "byte " + b);
      assertEquals((byte) 0xCC, buf.get(JAVA_BYTE, S), "no data written");
    }
  }

  @Test
  void icmpErrorV4ReturnsOneWithTheReporter() throws Exception {
    fake.autoReply =
        r -> {
          try {
            return new EchoResult.IcmpError(
                r,
                IpStatus.IP_TTL_EXPIRED_TRANSIT,
                ip("10.9.8.7"),
                Duration.ofMillis(3),
                11,
                0,
                0,
                1);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    MemorySegment buf = filled(S + 32);
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, d32, 32, NULL, buf, S + 32, 1000));
    assertEquals(0, Kernel32.GetLastError());
    assertEquals(11013, ICMP_ECHO_REPLY.Status(buf));
    assertEquals("10.9.8.7", Ws2_32.inet_ntoa(ICMP_ECHO_REPLY.Address(buf)));
    assertEquals(3, ICMP_ECHO_REPLY.RoundTripTime(buf));
    assertEquals(0, ICMP_ECHO_REPLY.DataSize(buf));
  }

  @Test
  void asyncWithEventSignalsAfterFillingAndKeepsTheCount() throws Exception {
    MemorySegment event = Kernel32.CreateEventW(NULL, false, false, NULL);
    MemorySegment buf = filled(S + 32 + 16);
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(
        0, IcmpApi.IcmpSendEcho2(h, event, apc, NULL, LO, d32, 32, NULL, buf, S + 32 + 16, 1000));
    assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
    assertTrue(IcmpApi.IcmpCloseHandle(h), "closing does not cancel");
    h = IcmpApi.IcmpCreateFile();
    assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(event, 0));
    FakeEchoService.Submitted s = fake.last();
    Thread completer =
        new Thread(
            () -> {
              try {
                s.future().complete(reply(s.request(), "127.0.0.1", 0, 64, 0));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    completer.start();
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObjectEx(event, 2000, true));
    completer.join();
    assertEquals(0, ICMP_ECHO_REPLY.Status(buf));
    assertEquals(1, ICMP_ECHO_REPLY.Reserved(buf), "the count stays until IcmpParseReplies");
    assertArrayEquals(
        pattern, buf.asSlice(S, 32).toArray(JAVA_BYTE), "data right after the struct (reply + 1)");
    assertEquals(0, Kernel32.SleepEx(0, true), "the event wins: no APC");
    assertTrue(apcLog.isEmpty());
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32 + 16));
    assertEquals(0xdeadbeef, Kernel32.GetLastError());
    Kernel32.CloseHandle(event);
  }

  @Test
  void asyncWithApcRunsInTheIssuersAlertableWait() throws Exception {
    MemorySegment buf = filled(S + 32 + 16 + 10);
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(
        0,
        IcmpApi.IcmpSendEcho2(
            h,
            NULL,
            apc,
            MemorySegment.ofAddress(0xdeadc0deL),
            LO,
            d32,
            32,
            NULL,
            buf,
            S + 32 + 16 + 10,
            1000));
    assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
    FakeEchoService.Submitted s = fake.last();
    Thread completer =
        new Thread(
            () -> {
              try {
                s.future().complete(reply(s.request(), "127.0.0.1", 0, 64, 0));
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    completer.start();
    completer.join();
    assertTrue(apcLog.isEmpty(), "not before an alertable wait");
    assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(200, true));
    assertEquals(0, Kernel32.SleepEx(0, true));
    assertEquals(List.of("deadc0de 0 " + (S + 32) + " 0"), apcLog);
  }

  @Test
  void asyncTimeoutAndFailureCompletions() throws Exception {
    MemorySegment buf = filled(S + 32);
    IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 30);
    fake.last()
        .future()
        .complete(new EchoResult.TimedOut(fake.last().request(), Duration.ofMillis(30), 1));
    assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
    assertEquals(List.of("0 0 40 0"), apcLog, "a timeout completes with STATUS_SUCCESS");
    assertEquals(11010, ICMP_ECHO_REPLY.Status(buf));
    assertEquals(0, ICMP_ECHO_REPLY.Reserved(buf));
    Kernel32.SetLastError(0);
    assertEquals(0, IcmpApi.IcmpParseReplies(buf, S + 32));
    assertEquals(11010, Kernel32.GetLastError());

    apcLog.clear();
    IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 30);
    fake.last()
        .future()
        .completeExceptionally(new IcmpPermissionException("no", "socket", "EPERM"));
    assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(0, true));
    assertEquals(List.of("0 c0000022 40 0"), apcLog);
    assertEquals(11050, ICMP_ECHO_REPLY.Status(buf));
  }

  @Test
  void apcOfAnEndedThreadIsDroppedButEventStillFires() throws Exception {
    MemorySegment buf = filled(S + 32);
    MemorySegment event = Kernel32.CreateEventW(NULL, true, false, NULL);
    Thread t =
        new Thread(
            () -> {
              assertEquals(
                  0,
                  IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
              assertEquals(
                  0,
                  IcmpApi.IcmpSendEcho2(h, event, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
            });
    t.start();
    t.join();
    for (FakeEchoService.Submitted s : fake.submitted) {
      s.future().complete(new EchoResult.TimedOut(s.request(), Duration.ofMillis(1), 1));
    }
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(event, 1000), "case 36");
    assertEquals(0, Kernel32.SleepEx(0, true));
    assertTrue(apcLog.isEmpty());
    Kernel32.CloseHandle(event);
  }

  @Test
  void replyBufferClosedWhileInFlightIsNotWritten() throws Exception {
    Arena shortLived = Arena.ofShared();
    MemorySegment buf = shortLived.allocate(S + 32);
    MemorySegment event = Kernel32.CreateEventW(NULL, true, false, NULL);
    assertEquals(
        0, IcmpApi.IcmpSendEcho2(h, event, NULL, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
    shortLived.close();
    FakeEchoService.Submitted s = fake.last();
    s.future().complete(reply(s.request(), "127.0.0.1", 0, 64, 0));
    assertEquals(
        Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(event, 1000), "still signaled");
    Kernel32.CloseHandle(event);
  }

  @Test
  void ipv6SyncAndAsync() throws Exception {
    Inet6Address lo6 = (Inet6Address) ip("::1");
    MemorySegment src = sockaddr_in6.allocate(arena);
    MemorySegment dst = sockaddr_in6.of(arena, lo6);
    byte[] dd = new byte[32];
    java.util.Arrays.fill(dd, (byte) 0xDD);
    MemorySegment data = arena.allocate(32);
    data.copyFrom(MemorySegment.ofArray(dd));
    fake.autoReply =
        r -> {
          try {
            return reply(r, "::1", 0, -1, -1);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    MemorySegment buf = filled(36 + 32);
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(
        1,
        IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, src, dst, data, 32, NULL, buf, 68, 1000)); // 46
    assertEquals(0, Kernel32.GetLastError());
    assertEquals(0, ICMPV6_ECHO_REPLY.Status(buf));
    MemorySegment a = ICMPV6_ECHO_REPLY.Address(buf);
    assertArrayEquals(lo6.getAddress(), IPV6_ADDRESS_EX.sin6_addr(a).toArray(JAVA_BYTE));
    assertEquals(0, IPV6_ADDRESS_EX.sin6_port(a));
    assertEquals(0, IPV6_ADDRESS_EX.sin6_flowinfo(a));
    assertEquals(0, IPV6_ADDRESS_EX.sin6_scope_id(a));
    assertArrayEquals(dd, buf.asSlice(36, 32).toArray(JAVA_BYTE));
    assertEquals(lo6, fake.last().request().target());
    assertNull(fake.last().request().source());

    // case 47: hop limit 0, synchronous
    MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
    int before = fake.submitted.size();
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(
        0, IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, dst, dst, data, 32, opts, buf, 68, 1000));
    assertEquals(11050, Kernel32.GetLastError());
    assertEquals(11050, ICMPV6_ECHO_REPLY.Status(buf));
    assertEquals(before, fake.submitted.size(), "nothing sent");

    // case 52: hop limit 0, APC
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(
        0, IcmpApi.Icmp6SendEcho2(h, NULL, apc, NULL, src, dst, data, 32, opts, buf, 68, 1000));
    assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
    assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(Kernel32.INFINITE, true));
    assertEquals(List.of("0 c000000d 36 0"), apcLog);
    assertEquals(11050, ICMPV6_ECHO_REPLY.Status(buf));
    assertEquals(
        0, IPV6_ADDRESS_EX.sin6_addr(ICMPV6_ECHO_REPLY.Address(buf)).get(JAVA_BYTE, 15), "::");

    // case 48: hop limit 1
    IP_OPTION_INFORMATION.Ttl(opts, (byte) 1);
    assertEquals(
        1, IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, dst, dst, data, 32, opts, buf, 68, 1000));
    assertEquals(1, fake.last().request().ttl());
    assertEquals(lo6, fake.last().request().source());
  }

  @Test
  void ipv6IcmpErrorsFollowIcmp6ParseReplies() throws Exception {
    MemorySegment dst = sockaddr_in6.of(arena, (Inet6Address) ip("::1"));
    MemorySegment buf = filled(68);
    IpStatus[] statuses = {
      IpStatus.IP_TTL_EXPIRED_TRANSIT, IpStatus.IP_DEST_HOST_UNREACHABLE, IpStatus.IP_PACKET_TOO_BIG
    };
    for (IpStatus st : statuses) {
      fake.autoReply =
          r -> {
            try {
              return new EchoResult.IcmpError(
                  r, st, ip("2001:db8::7"), Duration.ofMillis(1), 3, 0, 0, 1);
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      Kernel32.SetLastError(0xdeadbeef);
      int n = IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, null, dst, d32, 32, NULL, buf, 68, 1000);
      if (st == IpStatus.IP_TTL_EXPIRED_TRANSIT) {
        assertEquals(1, n);
        assertEquals(0, Kernel32.GetLastError());
      } else {
        assertEquals(0, n);
        assertEquals(st.code(), Kernel32.GetLastError());
      }
      assertEquals(st.code(), ICMPV6_ECHO_REPLY.Status(buf));
      assertArrayEquals(
          ip("2001:db8::7").getAddress(),
          IPV6_ADDRESS_EX.sin6_addr(ICMPV6_ECHO_REPLY.Address(buf)).toArray(JAVA_BYTE));
    }
  }

  @Test
  void interruptedSyncCallIsAborted() throws Exception {
    MemorySegment buf = filled(S + 32);
    int[] result = new int[2];
    Thread t =
        new Thread(
            () -> {
              result[0] = IcmpApi.IcmpSendEcho(h, LO, d32, 32, NULL, buf, S + 32, -1);
              result[1] = Kernel32.GetLastError();
            });
    t.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (fake.submitted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
    t.interrupt();
    t.join(5000);
    assertEquals(0, result[0]);
    assertEquals(WinError.ERROR_OPERATION_ABORTED, result[1]);
    assertTrue(fake.last().future().isCancelled());
    assertEquals((byte) 0xCC, buf.get(JAVA_BYTE, 4), "buffer untouched");
  }
}
