package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.icmpecho.testkit.ClientAccess;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ICMP error answers and timeouts through the faithful layer, inside network namespaces made by the
 * test lab (never to an outside address): TTL expired at a router, destination unreachable, and a
 * blackhole for the timeout of Wine's case 36 (192.18.1.1 there). Each runs with the raw and with
 * the unprivileged datagram socket, through {@code IcmpSendEcho2Ex} (IPv4) and {@code
 * Icmp6SendEcho2} (IPv6). The layer's echo service is pointed at the lab's client through the
 * package-private seam; everything above it is the production path.
 */
@NetNs
@Timeout(120)
class NamespaceStatusTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private static final int S = 40;

  /**
   * Runs {@code body} with the layer's echoes going through a client in the lab's client namespace.
   */
  private static void withLabClient(NetLab lab, ClientAccess access, LabBody body)
      throws Exception {
    Topology t = lab.chain(2);
    try (CountingService svc =
            new CountingService(new EchoService.ClientService(t.newClient(access)));
        Arena arena = Arena.ofShared()) {
      body.run(t, arena, svc);
    }
  }

  interface LabBody {
    void run(Topology t, Arena arena, CountingService svc) throws Exception;
  }

  private static int ip4(InetAddress a) {
    return Ws2_32.ipAddrOf(a);
  }

  private static void statusesV4(Topology t, Arena arena) throws Exception {
    MemorySegment h = IcmpApi.IcmpCreateFile();
    MemorySegment data = arena.allocate(32).fill((byte) 0x5A);
    MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
    MemorySegment event = Kernel32.CreateEventW(NULL, false, false, NULL);
    try {
      // The target answers: a plain reply through two routers.
      MemorySegment buf = arena.allocate(S + 32).fill((byte) 0xCC);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.IcmpSendEcho2Ex(
              h, NULL, NULL, NULL, 0, ip4(t.target(INET)), data, 32, NULL, buf, S + 32, 2000));
      assertEquals(0, Kernel32.GetLastError());
      assertEquals(ip4(t.target(INET)), ICMP_ECHO_REPLY.Address(buf));
      assertEquals(
          64 - 2, IP_OPTION_INFORMATION.Ttl(ICMP_ECHO_REPLY.Options(buf)), "TTL of the reply");

      // TTL 1 expires at router 1: synchronous, returns 1 with the status and the router.
      IP_OPTION_INFORMATION.Ttl(opts, (byte) 1);
      buf.fill((byte) 0xCC);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.IcmpSendEcho2Ex(
              h, NULL, NULL, NULL, 0, ip4(t.target(INET)), data, 32, opts, buf, S + 32, 2000));
      assertEquals(0, Kernel32.GetLastError());
      assertEquals(IpExport.IP_TTL_EXPIRED_TRANSIT, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(ip4(t.routerAddress(1, INET)), ICMP_ECHO_REPLY.Address(buf));
      assertEquals(0, ICMP_ECHO_REPLY.DataSize(buf));

      // TTL 2 expires at router 2, asynchronously with an event; the count stays in Reserved.
      IP_OPTION_INFORMATION.Ttl(opts, (byte) 2);
      buf.fill((byte) 0xCC);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          0,
          IcmpApi.IcmpSendEcho2Ex(
              h, event, NULL, NULL, 0, ip4(t.target(INET)), data, 32, opts, buf, S + 32, 2000));
      assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(event, 10_000));
      assertEquals(IpExport.IP_TTL_EXPIRED_TRANSIT, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(ip4(t.routerAddress(2, INET)), ICMP_ECHO_REPLY.Address(buf));
      assertEquals(1, IcmpApi.IcmpParseReplies(buf, S + 32));

      // Host unreachable (3/1) from router 1's reject rule.
      buf.fill((byte) 0xCC);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.IcmpSendEcho2Ex(
              h, NULL, NULL, NULL, 0, ip4(t.rejected(INET, 1)), data, 32, NULL, buf, S + 32, 2000));
      assertEquals(IpExport.IP_DEST_HOST_UNREACHABLE, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(ip4(t.routerAddress(1, INET)), ICMP_ECHO_REPLY.Address(buf));

      // Case 36: async + event + APC from a thread that ends, handle closed at once, timeout 30 ms,
      // blackhole.
      List<String> apcCalls = Collections.synchronizedList(new ArrayList<>());
      MemorySegment apc = PIO_APC_ROUTINE.allocate((c, i, r) -> apcCalls.add("called"), arena);
      MemorySegment buf36 = arena.allocate(S + 32 + 16).fill((byte) 0xCC);
      int[] r = new int[2];
      Thread worker =
          new Thread(
              () -> {
                Kernel32.SetLastError(0xdeadbeef);
                r[0] =
                    IcmpApi.IcmpSendEcho2(
                        h,
                        event,
                        apc,
                        MemorySegment.ofAddress(0xdeadbeefL),
                        ip4(t.blackholed(INET)),
                        data,
                        32,
                        NULL,
                        buf36,
                        S + 32 + 16,
                        30);
                r[1] = Kernel32.GetLastError();
              });
      worker.start();
      worker.join();
      assertEquals(0, r[0]);
      assertEquals(WinError.ERROR_IO_PENDING, r[1]);
      assertTrue(IcmpApi.IcmpCloseHandle(h));
      assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(event, Kernel32.INFINITE));
      assertEquals(IpExport.IP_REQ_TIMED_OUT, ICMP_ECHO_REPLY.Status(buf36));
      assertEquals(0, ICMP_ECHO_REPLY.DataSize(buf36));
      assertEquals(0, ICMP_ECHO_REPLY.Reserved(buf36));
      assertTrue(apcCalls.isEmpty());

      // The same timeout synchronously: 0 and IP_REQ_TIMED_OUT.
      MemorySegment h2 = IcmpApi.IcmpCreateFile();
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          0, IcmpApi.IcmpSendEcho(h2, ip4(t.blackholed(INET)), data, 32, NULL, buf, S + 32, 100));
      assertEquals(IpExport.IP_REQ_TIMED_OUT, Kernel32.GetLastError());
      assertEquals(IpExport.IP_REQ_TIMED_OUT, ICMP_ECHO_REPLY.Status(buf));
      IcmpApi.IcmpCloseHandle(h2);
    } finally {
      IcmpApi.IcmpCloseHandle(h);
      Kernel32.CloseHandle(event);
    }
  }

  private static void statusesV6(Topology t, Arena arena) throws Exception {
    MemorySegment h = IcmpApi.Icmp6CreateFile();
    MemorySegment data = arena.allocate(32).fill((byte) 0xDD);
    MemorySegment any = sockaddr_in6.allocate(arena);
    MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
    MemorySegment buf = arena.allocate(36 + 32);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    MemorySegment apc =
        PIO_APC_ROUTINE.allocate(
            (c, i, r) ->
                calls.add(
                    Integer.toHexString(IO_STATUS_BLOCK.Status(i))
                        + " "
                        + IO_STATUS_BLOCK.Information(i)),
            arena);
    try {
      MemorySegment target = sockaddr_in6.of(arena, (Inet6Address) t.target(INET6));
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, target, data, 32, NULL, buf, 68, 2000));
      assertEquals(0, Kernel32.GetLastError());
      assertAddress(t.target(INET6), buf);

      // Hop limit 1 expires at router 1: Icmp6ParseReplies counts it (1, last error 0).
      IP_OPTION_INFORMATION.Ttl(opts, (byte) 1);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          1,
          IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, target, data, 32, opts, buf, 68, 2000));
      assertEquals(0, Kernel32.GetLastError());
      assertEquals(IpExport.IP_HOP_LIMIT_EXCEEDED, ICMPV6_ECHO_REPLY.Status(buf));
      assertAddress(t.routerAddress(1, INET6), buf);

      // Address unreachable (1/3): 0 with the status as last error, the router in the buffer.
      MemorySegment rejected = sockaddr_in6.of(arena, (Inet6Address) t.rejected(INET6, 3));
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          0,
          IcmpApi.Icmp6SendEcho2(
              h, NULL, NULL, NULL, any, rejected, data, 32, NULL, buf, 68, 2000));
      assertEquals(IpExport.IP_DEST_ADDR_UNREACHABLE, Kernel32.GetLastError());
      assertEquals(IpExport.IP_DEST_ADDR_UNREACHABLE, ICMPV6_ECHO_REPLY.Status(buf));
      assertAddress(t.routerAddress(1, INET6), buf);

      // Hop limit 2 asynchronously with an APC: STATUS_SUCCESS, 36 bytes written.
      IP_OPTION_INFORMATION.Ttl(opts, (byte) 2);
      assertEquals(
          0,
          IcmpApi.Icmp6SendEcho2(h, NULL, apc, NULL, any, target, data, 32, opts, buf, 68, 2000));
      assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
      assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(10_000, true));
      assertEquals(List.of("0 36"), calls);
      assertEquals(IpExport.IP_HOP_LIMIT_EXCEEDED, ICMPV6_ECHO_REPLY.Status(buf));
      assertAddress(t.routerAddress(2, INET6), buf);

      // Blackhole: timeout.
      MemorySegment hole = sockaddr_in6.of(arena, (Inet6Address) t.blackholed(INET6));
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(
          0, IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, any, hole, data, 32, NULL, buf, 68, 100));
      assertEquals(IpExport.IP_REQ_TIMED_OUT, Kernel32.GetLastError());
      assertArrayEquals(
          new byte[16],
          IPV6_ADDRESS_EX.sin6_addr(ICMPV6_ECHO_REPLY.Address(buf)).toArray(JAVA_BYTE));
    } finally {
      IcmpApi.IcmpCloseHandle(h);
    }
  }

  private static void assertAddress(InetAddress expected, MemorySegment reply) {
    assertArrayEquals(
        expected.getAddress(),
        IPV6_ADDRESS_EX.sin6_addr(ICMPV6_ECHO_REPLY.Address(reply)).toArray(JAVA_BYTE),
        "reply address");
  }

  @Test
  void ipv4StatusesWithRawSocket(NetLab lab) throws Exception {
    withLabClient(lab, ClientAccess.RAW, (t, arena, svc) -> statusesV4(t, arena));
  }

  @Test
  void ipv4StatusesWithDatagramSocket(NetLab lab) throws Exception {
    withLabClient(lab, ClientAccess.DATAGRAM, (t, arena, svc) -> statusesV4(t, arena));
  }

  @Test
  void ipv6StatusesWithRawSocket(NetLab lab) throws Exception {
    withLabClient(lab, ClientAccess.RAW, (t, arena, svc) -> statusesV6(t, arena));
  }

  @Test
  void ipv6StatusesWithDatagramSocket(NetLab lab) throws Exception {
    withLabClient(lab, ClientAccess.DATAGRAM, (t, arena, svc) -> statusesV6(t, arena));
  }

  @Test
  void noPrivilegeGivesAccessDeniedButCreateFileSucceeds(NetLab lab) throws Exception {
    withLabClient(
        lab,
        ClientAccess.UNPRIVILEGED,
        (t, arena, svc) -> {
          MemorySegment h = IcmpApi.IcmpCreateFile();
          assertNotEquals(Kernel32.INVALID_HANDLE_VALUE.address(), h.address());
          MemorySegment buf = arena.allocate(S + 32);
          MemorySegment event = Kernel32.CreateEventW(NULL, true, false, NULL);
          Kernel32.SetLastError(0xdeadbeef);
          assertEquals(
              0, IcmpApi.IcmpSendEcho(h, ip4(t.target(INET)), NULL, 0, NULL, buf, S + 32, 1000));
          assertEquals(WinError.ERROR_ACCESS_DENIED, Kernel32.GetLastError());
          Kernel32.SetLastError(0xdeadbeef);
          assertEquals(
              0,
              IcmpApi.IcmpSendEcho2(
                  h, event, NULL, NULL, ip4(t.target(INET)), NULL, 0, NULL, buf, S + 32, 1000));
          assertEquals(
              WinError.ERROR_ACCESS_DENIED,
              Kernel32.GetLastError(),
              "synchronously, not as a completion");
          assertEquals(Kernel32.WAIT_TIMEOUT, Kernel32.WaitForSingleObject(event, 0));
          Kernel32.SetLastError(0xdeadbeef);
          assertEquals(
              0,
              IcmpApi.Icmp6SendEcho2(
                  h,
                  NULL,
                  NULL,
                  NULL,
                  NULL,
                  sockaddr_in6.of(arena, (Inet6Address) t.target(INET6)),
                  NULL,
                  0,
                  NULL,
                  buf,
                  36,
                  1000));
          assertEquals(WinError.ERROR_ACCESS_DENIED, Kernel32.GetLastError());
          assertEquals(0, svc.submitted.get(), "nothing was sent");
          IcmpApi.IcmpCloseHandle(h);
          Kernel32.CloseHandle(event);
        });
  }
}
