package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IcmpUnsupportedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of ICMPAPI.md section 5 and API-CONTRACT.md section 2.3 that rejects a call before
 * anything is sent: return 0, the last error, nothing submitted, no event signaled, no APC queued.
 */
class ValidationTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private static final int S = 40;
  private static final int LO = Ws2_32.inet_addr("127.0.0.1");

  private FakeEchoService fake;
  private Arena arena;
  private MemorySegment h;
  private MemorySegment d32;
  private MemorySegment buf;
  private MemorySegment event;
  private MemorySegment apc;
  private int apcCalls;

  @BeforeEach
  void setUp() {
    fake = new FakeEchoService();
    arena = Arena.ofShared();
    h = IcmpApi.IcmpCreateFile();
    d32 = arena.allocate(32);
    buf = arena.allocate(S + 32 + 16 + 64);
    event = Kernel32.CreateEventW(NULL, true, false, NULL);
    apc = PIO_APC_ROUTINE.allocate((c, i, r) -> apcCalls++, arena);
  }

  @AfterEach
  void tearDown() {
    IcmpApi.IcmpCloseHandle(h);
    Kernel32.CloseHandle(event);
    arena.close();
    fake.close();
  }

  /** Asserts the call returned 0 with {@code error}, and nothing happened. */
  private void rejected(int error, int result) {
    assertEquals(0, result);
    assertEquals(error, Kernel32.GetLastError());
    assertTrue(fake.submitted.isEmpty(), "nothing was sent");
    assertEquals(
        Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(event, 0), "event not signaled");
    assertEquals(0, Kernel32.SleepEx(0, true), "no APC queued");
    assertEquals(0, apcCalls);
  }

  private int echo(
      MemorySegment handle,
      int dst,
      MemorySegment data,
      int size,
      MemorySegment opts,
      MemorySegment reply,
      int replySize) {
    Kernel32.SetLastError(0xdeadbeef);
    return IcmpApi.IcmpSendEcho(handle, dst, data, size, opts, reply, replySize, 1000);
  }

  private int echo2(
      MemorySegment ev,
      MemorySegment routine,
      int dst,
      MemorySegment data,
      int size,
      MemorySegment reply,
      int replySize) {
    Kernel32.SetLastError(0xdeadbeef);
    return IcmpApi.IcmpSendEcho2(
        h, ev, routine, NULL, dst, data, size, NULL, reply, replySize, 1000);
  }

  @Test
  void badHandles() {
    MemorySegment closed = IcmpApi.IcmpCreateFile();
    IcmpApi.IcmpCloseHandle(closed);
    for (MemorySegment bad :
        new MemorySegment[] {
          Kernel32.INVALID_HANDLE_VALUE,
          NULL,
          null,
          closed,
          MemorySegment.ofAddress(0x12345678),
          event,
          MemorySegment.ofArray(new byte[4])
        }) {
      rejected(WinError.ERROR_INVALID_PARAMETER, echo(bad, LO, d32, 32, NULL, buf, S + 32));
      Kernel32.SetLastError(0);
      assertEquals(
          0, IcmpApi.IcmpSendEcho2(bad, event, apc, NULL, LO, d32, 32, NULL, buf, S + 32, 1000));
      rejected(WinError.ERROR_INVALID_PARAMETER, 0);
      assertEquals(
          0,
          IcmpApi.Icmp6SendEcho2(
              bad,
              event,
              apc,
              NULL,
              NULL,
              sockaddr_in6.allocate(arena),
              d32,
              32,
              NULL,
              buf,
              36 + 32,
              1000));
      rejected(WinError.ERROR_INVALID_PARAMETER, 0);
    }
  }

  @Test
  void closeHandleErrors() {
    Kernel32.SetLastError(0);
    assertEquals(false, IcmpApi.IcmpCloseHandle(Kernel32.INVALID_HANDLE_VALUE));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    Kernel32.SetLastError(0);
    assertEquals(false, IcmpApi.IcmpCloseHandle(NULL));
    assertEquals(WinError.ERROR_INVALID_HANDLE, Kernel32.GetLastError());
    MemorySegment x = IcmpApi.Icmp6CreateFile();
    assertTrue(IcmpApi.IcmpCloseHandle(x));
    assertEquals(false, IcmpApi.IcmpCloseHandle(x));
  }

  @Test
  void replyBufferRules() {
    rejected(WinError.ERROR_INVALID_PARAMETER, echo(h, LO, d32, 32, NULL, NULL, S + 32)); // case 9
    rejected(WinError.ERROR_INVALID_PARAMETER, echo(h, LO, d32, 32, NULL, buf, 0)); // case 10
    rejected(WinError.ERROR_INVALID_PARAMETER, echo(h, LO, d32, 32, NULL, NULL, 0)); // case 11
    rejected(WinError.ERROR_INVALID_PARAMETER, echo(h, LO, d32, 32, NULL, buf, S - 1));
    rejected(
        WinError.ERROR_INVALID_PARAMETER,
        echo(h, LO, d32, 32, NULL, MemorySegment.ofArray(new byte[100]), 100));
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, d32, 32, NULL, arena.allocate(S + 31), S + 32));
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, d32, 32, NULL, buf, -1)); // 4294967295 bytes
    Arena gone = Arena.ofConfined();
    MemorySegment closed = gone.allocate(100);
    gone.close();
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, d32, 32, NULL, closed, 100));
  }

  @Test
  void echo2ReplyBufferRulesSignalNothing() {
    for (MemorySegment ev : new MemorySegment[] {NULL, event}) {
      rejected(
          WinError.ERROR_INVALID_PARAMETER,
          echo2(ev, NULL, LO, d32, 32, NULL, S + 32 + 16)); // 23, 24
      rejected(WinError.ERROR_INVALID_PARAMETER, echo2(ev, NULL, LO, d32, 32, buf, 0)); // 25, 26
      rejected(WinError.ERROR_INVALID_PARAMETER, echo2(ev, NULL, LO, d32, 32, NULL, 0)); // 27, 28
    }
    rejected(WinError.ERROR_INVALID_PARAMETER, echo2(NULL, apc, LO, d32, 32, NULL, 0));
  }

  @Test
  void requestDataRules() {
    rejected(
        WinError.ERROR_NOACCESS, echo(h, LO, NULL, 32, NULL, buf, S + 32)); // case 5: crashes XP
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, arena.allocate(8), 9, NULL, buf, S + 32));
    rejected(
        WinError.ERROR_INVALID_PARAMETER,
        echo(h, LO, arena.allocate(65501), 65501, NULL, arena.allocate(S + 65501), S + 65501));
    rejected(WinError.ERROR_INVALID_PARAMETER, echo(h, LO, d32, -1, NULL, buf, S + 32));
    Arena gone = Arena.ofConfined();
    MemorySegment closed = gone.allocate(32);
    gone.close();
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, closed, 32, NULL, buf, S + 32));
  }

  @Test
  void requestDataConfinedToAnotherThread() throws Exception {
    MemorySegment[] foreign = new MemorySegment[1];
    Arena[] a = new Arena[1];
    Thread t =
        new Thread(
            () -> {
              a[0] = Arena.ofConfined();
              foreign[0] = a[0].allocate(32);
            });
    t.start();
    t.join();
    rejected(WinError.ERROR_NOACCESS, echo(h, LO, foreign[0], 32, NULL, buf, S + 32));
  }

  @Test
  void optionsTooShort() {
    rejected(
        WinError.ERROR_NOACCESS,
        echo(h, LO, d32, 32, IP_OPTION_INFORMATION32.allocate(arena), buf, S + 32));
  }

  @Test
  void unspecifiedDestinationAndNonLocalSource() {
    rejected(WinError.ERROR_INVALID_NETNAME, echo(h, 0, d32, 32, NULL, buf, S + 32)); // case 4
    rejected(
        WinError.ERROR_INVALID_NETNAME, echo2(NULL, NULL, 0, d32, 32, buf, S + 32 + 16)); // case 21
    rejected(
        WinError.ERROR_INVALID_NETNAME,
        echo2(event, NULL, 0, d32, 32, buf, S + 32 + 16)); // case 22
    Kernel32.SetLastError(0xdeadbeef);
    int r =
        IcmpApi.IcmpSendEcho2Ex(
            h,
            NULL,
            NULL,
            NULL,
            Ws2_32.inet_addr("192.0.2.1"),
            LO,
            d32,
            8,
            NULL,
            buf,
            S + 16 + 8,
            1000); // case 33, with a documentation address that is not local
    rejected(WinError.ERROR_INVALID_NETNAME, r);
  }

  @Test
  void badEventOrApcArguments() {
    MemorySegment closedEvent = Kernel32.CreateEventW(NULL, true, false, NULL);
    Kernel32.CloseHandle(closedEvent);
    rejected(WinError.ERROR_INVALID_PARAMETER, echo2(closedEvent, NULL, LO, d32, 32, buf, S + 32));
    rejected(
        WinError.ERROR_INVALID_PARAMETER,
        echo2(h, NULL, LO, d32, 32, buf, S + 32)); // an ICMP handle as event
    rejected(
        WinError.ERROR_INVALID_PARAMETER,
        echo2(NULL, MemorySegment.ofArray(new byte[8]), LO, d32, 32, buf, S + 32));
    Arena gone = Arena.ofConfined();
    MemorySegment deadApc = PIO_APC_ROUTINE.allocate((c, i, r) -> {}, gone);
    gone.close();
    rejected(WinError.ERROR_NOACCESS, echo2(NULL, deadApc, LO, d32, 32, buf, S + 32));
  }

  @Test
  void privilegeAndSystemFailuresBeforeSending() {
    fake.socketFailure = new IcmpPermissionException("no", "socket", "EACCES");
    rejected(WinError.ERROR_ACCESS_DENIED, echo(h, LO, d32, 32, NULL, buf, S + 32));
    rejected(WinError.ERROR_ACCESS_DENIED, echo2(event, NULL, LO, d32, 32, buf, S + 32));
    fake.socketFailure = new IcmpUnsupportedException("no v6", "socket", "EAFNOSUPPORT");
    rejected(WinError.ERROR_NOT_SUPPORTED, echo(h, LO, d32, 32, NULL, buf, S + 32));
    fake.socketFailure = new IcmpException("bind", "bind", "EADDRNOTAVAIL");
    rejected(WinError.ERROR_INVALID_NETNAME, echo(h, LO, d32, 32, NULL, buf, S + 32));
    fake.socketFailure = null;
    fake.submitFailure = new java.util.concurrent.RejectedExecutionException("full");
    rejected(WinError.ERROR_NOT_ENOUGH_MEMORY, echo2(event, NULL, LO, d32, 32, buf, S + 32));
  }

  @Test
  void ipv6Rules() throws Exception {
    MemorySegment any = sockaddr_in6.allocate(arena);
    MemorySegment lo6 =
        sockaddr_in6.of(arena, (java.net.Inet6Address) InetAddress.getByName("::1"));
    int size = 36 + 32;
    Kernel32.SetLastError(0);
    // case 49: src ::, dst ::, APC given
    assertEquals(
        0, IcmpApi.Icmp6SendEcho2(h, NULL, apc, NULL, any, any, d32, 32, NULL, buf, size, 1000));
    rejected(WinError.ERROR_INVALID_NETNAME, 0);
    // case 53: src ::ffff (not local)
    MemorySegment notLocal = sockaddr_in6.allocate(arena);
    sockaddr_in6.sin6_family(notLocal, (short) 23);
    notLocal.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 8 + 14, (byte) 0xff);
    notLocal.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 8 + 15, (byte) 0xff);
    assertEquals(
        0,
        IcmpApi.Icmp6SendEcho2(
            h, event, NULL, NULL, notLocal, lo6, d32, 32, NULL, buf, size, 1000));
    rejected(WinError.ERROR_INVALID_NETNAME, 0);
    // reply size below the struct, NULL destination, bad family, short sockaddr
    assertEquals(
        0, IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, lo6, d32, 32, NULL, buf, 35, 1000));
    rejected(WinError.ERROR_INVALID_PARAMETER, 0);
    assertEquals(
        0, IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, NULL, d32, 32, NULL, buf, size, 1000));
    rejected(WinError.ERROR_INVALID_PARAMETER, 0);
    MemorySegment v4family =
        sockaddr_in6.of(arena, (java.net.Inet6Address) InetAddress.getByName("::1"));
    sockaddr_in6.sin6_family(v4family, (short) 2);
    assertEquals(
        0,
        IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, v4family, d32, 32, NULL, buf, size, 1000));
    rejected(WinError.ERROR_INVALID_PARAMETER, 0);
    assertEquals(
        0,
        IcmpApi.Icmp6SendEcho2(
            h, NULL, NULL, NULL, any, arena.allocate(27), d32, 32, NULL, buf, size, 1000));
    rejected(WinError.ERROR_NOACCESS, 0);
  }
}
