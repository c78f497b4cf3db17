package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.net.StandardProtocolFamily.INET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.testkit.ClientAccess;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Topology;
import org.icmpecho.winapi.example.IcmpSendEchoSample;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IPv4 options through three routers with {@code IcmpSendEcho}, raw and ping sockets: record route
 * with the reply buffer checked byte for byte ({@code OptionsData} pointing inside it, the recorded
 * hops in order, the data after the padded options), the documentation's sample extended with
 * {@code -r} printing the route, an ICMP error's own TTL, and a loose source route given as Windows
 * programs give it.
 */
@NetNs
@Timeout(120)
class OptionsNamespaceTest {
  private static final MemorySegment NULL = MemorySegment.NULL;
  private static final int S = 40;

  /**
   * The hops of a round trip c → r1 → r2 → r3 → t and back, as record route holds them (9 slots).
   */
  private static List<InetAddress> route(Topology t) throws Exception {
    List<InetAddress> r = new ArrayList<>();
    for (int k = 0; k <= 3; k++) r.add(InetAddress.getByName("10.0." + k + ".1"));
    r.add(t.target(INET));
    r.add(t.target(INET));
    for (int k = 2; k >= 0; k--) r.add(InetAddress.getByName("10.0." + k + ".2"));
    return r;
  }

  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void recordRouteInTheReplyBuffer(ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(3);
    try (CountingService svc =
            new CountingService(new EchoService.ClientService(t.newClient(access)));
        Arena arena = Arena.ofShared()) {
      MemorySegment h = IcmpApi.IcmpCreateFile();
      int dst = Ws2_32.ipAddrOf(t.target(INET));
      MemorySegment data = arena.allocate(32);
      for (int i = 0; i < 32; i++) data.set(JAVA_BYTE, i, (byte) i);
      MemorySegment rr = arena.allocate(39); // what Windows ping -r 9 sends
      rr.set(JAVA_BYTE, 0, (byte) IpExport.IP_OPT_RR);
      rr.set(JAVA_BYTE, 1, (byte) 39);
      rr.set(JAVA_BYTE, 2, (byte) 4);
      MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
      IP_OPTION_INFORMATION.OptionsSize(opts, (byte) 39);
      IP_OPTION_INFORMATION.OptionsData(opts, rr);
      int size = S + 40 + 32;
      MemorySegment buf = arena.allocate(size).fill((byte) 0xCC);
      IcmpApi.IcmpSendEcho(
          h, dst, data, 32, NULL, buf, size, 5000); // neighbour discovery on the way

      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(1, IcmpApi.IcmpSendEcho(h, dst, data, 32, opts, buf, size, 5000));
      assertEquals(0, Kernel32.GetLastError());
      byte[] expected = new byte[S + 40 + 32];
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.wrap(expected).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      b.putInt(0, dst)
          .putInt(4, 0)
          .putInt(8, ICMP_ECHO_REPLY.RoundTripTime(buf))
          .putShort(12, (short) 32);
      b.putShort(14, (short) 0).putLong(16, buf.address() + S + 40);
      b.put(24, (byte) 61)
          .put(25, (byte) 0)
          .put(26, (byte) 0)
          .put(27, (byte) 40); // TTL 64 - 3, no DF, 40 bytes
      b.putLong(32, buf.address() + S);
      b.put(40, (byte) 7)
          .put(41, (byte) 39)
          .put(42, (byte) 40); // the option, full: pointer one past its end
      List<InetAddress> hops = route(t);
      for (int i = 0; i < 9; i++) b.put(43 + 4 * i, hops.get(i).getAddress());
      for (int i = 0; i < 32; i++) b.put(S + 40 + i, (byte) i);
      byte[] actual = buf.toArray(JAVA_BYTE);
      System.out.println(access + " reply buffer: " + java.util.HexFormat.of().formatHex(actual));
      assertArrayEquals(expected, actual, "struct (40), options (40: 39 + EOL), data (32)");

      // The sample of the IcmpSendEcho page, with -r: prints the route.
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(
          0,
          IcmpSendEchoSample.run(
              new String[] {"-r", t.target(INET).getHostAddress()},
              new PrintStream(out, true, StandardCharsets.UTF_8)));
      String text = out.toString(StandardCharsets.UTF_8);
      System.out.println(text);
      StringBuilder lines = new StringBuilder("\t  Route:\n");
      for (InetAddress a : hops) lines.append("\t    ").append(a.getHostAddress()).append('\n');
      assertTrue(text.endsWith(lines.toString()), text);

      // Timestamps with addresses (ping -s 4 on Windows): each hop stamps, with the address facing
      // the client.
      MemorySegment ts = arena.allocate(36);
      ts.set(JAVA_BYTE, 0, (byte) IpExport.IP_OPT_TS);
      ts.set(JAVA_BYTE, 1, (byte) 36);
      ts.set(JAVA_BYTE, 2, (byte) 5);
      ts.set(JAVA_BYTE, 3, (byte) 1); // address and timestamp
      IP_OPTION_INFORMATION.OptionsSize(opts, (byte) 36);
      IP_OPTION_INFORMATION.OptionsData(opts, ts);
      assertEquals(1, IcmpApi.IcmpSendEcho(h, dst, data, 32, opts, buf, size, 5000));
      assertEquals(36, IP_OPTION_INFORMATION.OptionsSize(ICMP_ECHO_REPLY.Options(buf)));
      assertEquals(buf.address() + S + 36, ICMP_ECHO_REPLY.Data(buf).address());
      MemorySegment got = buf.asSlice(S, 36);
      assertEquals((byte) IpExport.IP_OPT_TS, got.get(JAVA_BYTE, 0));
      assertEquals(37, got.get(JAVA_BYTE, 2), "all four slots filled");
      List<InetAddress> stampers =
          List.of(
              t.clientAddress(INET),
              t.routerAddress(1, INET),
              t.routerAddress(2, INET),
              t.routerAddress(3, INET));
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(
            stampers.get(i).getAddress(),
            got.asSlice(4 + 8 * i, 4).toArray(JAVA_BYTE),
            "stamp " + i);
      }

      // An ICMP error answer carries its own TTL: r2 sends with 64, r1 forwards it.
      MemorySegment ttl2 = IP_OPTION_INFORMATION.allocate(arena);
      IP_OPTION_INFORMATION.Ttl(ttl2, (byte) 2);
      assertEquals(1, IcmpApi.IcmpSendEcho(h, dst, data, 32, ttl2, buf, size, 5000));
      assertEquals(IpExport.IP_TTL_EXPIRED_TRANSIT, ICMP_ECHO_REPLY.Status(buf));
      assertEquals(63, IP_OPTION_INFORMATION.Ttl(ICMP_ECHO_REPLY.Options(buf)));
      IcmpApi.IcmpCloseHandle(h);
    }
  }

  /**
   * A loose source route as a Windows program gives it (the full route, first hop first): the
   * kernel sends the echo to that first hop (r2), which forwards it on to the target; with r2
   * refusing source routes the echo is lost. Every node accepts source routes for the test (Linux's
   * default is to drop them), the client too: the reply carries the reversed route.
   */
  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void looseSourceRouteGoesThroughItsFirstHop(ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(3);
    for (var n : List.of(t.clientNode(), t.router(1), t.router(2), t.router(3), t.targetNode())) {
      n.sysctl("net.ipv4.conf.all.accept_source_route=1");
    }
    try (CountingService svc =
            new CountingService(new EchoService.ClientService(t.newClient(access)));
        Arena arena = Arena.ofShared()) {
      MemorySegment h = IcmpApi.IcmpCreateFile();
      int dst = Ws2_32.ipAddrOf(t.target(INET));
      MemorySegment lsrr = arena.allocate(7);
      lsrr.set(JAVA_BYTE, 0, (byte) IpExport.IP_OPT_LSRR);
      lsrr.set(JAVA_BYTE, 1, (byte) 7);
      lsrr.set(JAVA_BYTE, 2, (byte) 4);
      MemorySegment.copy(t.routerAddress(2, INET).getAddress(), 0, lsrr, JAVA_BYTE, 3, 4);
      MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
      IP_OPTION_INFORMATION.OptionsSize(opts, (byte) 7);
      IP_OPTION_INFORMATION.OptionsData(opts, lsrr);
      int size = S + 40 + 8;
      MemorySegment buf = arena.allocate(size);
      MemorySegment data = arena.allocate(8);
      IcmpApi.IcmpSendEcho(h, dst, data, 8, NULL, buf, size, 5000); // neighbour discovery

      assertEquals(
          1,
          IcmpApi.IcmpSendEcho(h, dst, data, 8, opts, buf, size, 5000),
          () -> "last error " + Kernel32.GetLastError());
      assertEquals(dst, ICMP_ECHO_REPLY.Address(buf));
      MemorySegment o = ICMP_ECHO_REPLY.Options(buf);
      int n = IP_OPTION_INFORMATION.OptionsSize(o);
      System.out.println(
          access
              + " source-routed reply options: "
              + java.util.HexFormat.of().formatHex(buf.asSlice(S, n).toArray(JAVA_BYTE)));
      assertEquals(
          (byte) IpExport.IP_OPT_LSRR, buf.get(JAVA_BYTE, S), "the reply carries the route back");

      t.router(2).sysctl("net.ipv4.conf.all.accept_source_route=0");
      assertEquals(0, IcmpApi.IcmpSendEcho(h, dst, data, 8, opts, buf, size, 500));
      assertEquals(
          IpExport.IP_REQ_TIMED_OUT,
          Kernel32.GetLastError(),
          "r2 drops it: the route went through r2");
      assertEquals(
          1,
          IcmpApi.IcmpSendEcho(h, dst, data, 8, NULL, buf, size, 5000),
          "without the option: fine");
      IcmpApi.IcmpCloseHandle(h);
    }
  }

  /**
   * {@code Options.Flags} shows the reply's DF bit where the socket sees the IP header: raw sockets
   * only.
   */
  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void replyFlagsCarryDfWithRawSockets(ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    t.responder(); // answers with the request's DF bit
    try (CountingService svc =
            new CountingService(new EchoService.ClientService(t.newClient(access)));
        Arena arena = Arena.ofShared()) {
      MemorySegment h = IcmpApi.IcmpCreateFile();
      int dst = Ws2_32.ipAddrOf(t.responderAddress(INET, 5));
      MemorySegment buf = arena.allocate(S + 8);
      MemorySegment data = arena.allocate(8);
      MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
      IcmpApi.IcmpSendEcho(h, dst, data, 8, NULL, buf, S + 8, 5000);
      for (int flags : new int[] {IpExport.IP_FLAG_DF, 0}) {
        IP_OPTION_INFORMATION.Flags(opts, (byte) flags);
        assertEquals(1, IcmpApi.IcmpSendEcho(h, dst, data, 8, opts, buf, S + 8, 5000));
        int expected = access == ClientAccess.RAW ? flags : 0;
        assertEquals(
            expected,
            IP_OPTION_INFORMATION.Flags(ICMP_ECHO_REPLY.Options(buf)),
            "request flags " + flags);
      }
      IcmpApi.IcmpCloseHandle(h);
    }
  }
}
