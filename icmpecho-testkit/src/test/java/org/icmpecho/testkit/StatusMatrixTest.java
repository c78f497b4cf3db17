package org.icmpecho.testkit;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.icmpecho.IpStatus.IP_BAD_HEADER;
import static org.icmpecho.IpStatus.IP_BAD_ROUTE;
import static org.icmpecho.IpStatus.IP_DEST_ADDR_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_DEST_HOST_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_DEST_NET_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_DEST_NO_ROUTE;
import static org.icmpecho.IpStatus.IP_DEST_PORT_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_DEST_PROHIBITED;
import static org.icmpecho.IpStatus.IP_DEST_PROT_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_DEST_SCOPE_MISMATCH;
import static org.icmpecho.IpStatus.IP_DEST_UNREACHABLE;
import static org.icmpecho.IpStatus.IP_GENERAL_FAILURE;
import static org.icmpecho.IpStatus.IP_ICMP_ERROR;
import static org.icmpecho.IpStatus.IP_PACKET_TOO_BIG;
import static org.icmpecho.IpStatus.IP_PARAMETER_PROBLEM;
import static org.icmpecho.IpStatus.IP_PARAM_PROBLEM;
import static org.icmpecho.IpStatus.IP_REASSEMBLY_TIME_EXCEEDED;
import static org.icmpecho.IpStatus.IP_REQ_TIMED_OUT;
import static org.icmpecho.IpStatus.IP_SOURCE_QUENCH;
import static org.icmpecho.IpStatus.IP_SUCCESS;
import static org.icmpecho.IpStatus.IP_TIME_EXCEEDED;
import static org.icmpecho.IpStatus.IP_TTL_EXPIRED_REASSEM;
import static org.icmpecho.IpStatus.IP_TTL_EXPIRED_TRANSIT;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.icmpecho.PathMtuDiscovery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The status matrix: every {@code IP_STATUS} an echo can end in (ICMPAPI.md section 7, both tables,
 * Wine column), produced end to end through the engine in {IPv4, IPv6} x {ping socket, raw socket}.
 * The kernel makes what it can (router TTL expiry, unreachable/prohibit/blackhole routes, nftables
 * rejects, a 1280-MTU hop, local send failures); the scripted responder makes the rest. Each row
 * checks the status, the reporting address, the ICMP type/code, the MTU or pointer, and the RTT/TTL
 * where present. The whole matrix is printed at the end.
 */
@NetNs
class StatusMatrixTest {
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  /** label -> column -> cell, for the printout. */
  private static final Map<StandardProtocolFamily, Map<String, Map<ClientAccess, String>>> MATRIX =
      new ConcurrentHashMap<>();

  /**
   * One row of the matrix.
   *
   * @param expected the status per ICMPAPI.md section 7 (Wine column)
   * @param expectedDatagram what a ping socket can report when the kernel filters the message
   *     before it reaches the socket's error queue; null when the same as {@code expected}
   * @param type ICMP type/code the answer must carry, -1 when not checked (replies, timeouts, local
   *     failures)
   * @param info the MTU / pointer the answer must carry, or -1
   * @param reporter who must be named as the answer's source: "target", "r1", "responder",
   *     "reporter", or null
   * @param phase rows of phase 2 run after phase 1 completed (the learned path MTU)
   */
  record Row(
      String label,
      IpStatus expected,
      IpStatus expectedDatagram,
      int type,
      int code,
      int info,
      String reporter,
      int phase,
      BiFunction<Ctx, Integer, EchoRequest> request) {}

  /** What a row needs to build its request. */
  record Ctx(
      Topology t, StandardProtocolFamily f, ScriptedResponder r, Map<String, InetAddress> shared) {
    InetAddress responderAddress(int i) {
      return t.responderAddress(f, i);
    }
  }

  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of(INET, ClientAccess.DATAGRAM),
        Arguments.of(INET, ClientAccess.RAW),
        Arguments.of(INET6, ClientAccess.DATAGRAM),
        Arguments.of(INET6, ClientAccess.RAW));
  }

  private static EchoRequest to(InetAddress a) {
    return EchoRequest.to(a).timeout(TIMEOUT).build();
  }

  /**
   * A row answered by the responder with ICMP error type/code (info) from a separate reporter
   * address.
   */
  private static Row responderError(
      String label, IpStatus expected, IpStatus datagram, int type, int code, int info) {
    return new Row(
        label,
        expected,
        datagram,
        expected == IP_REQ_TIMED_OUT ? -1 : type,
        code,
        info == 0 ? -1 : info,
        expected == IP_REQ_TIMED_OUT ? null : "reporter",
        1,
        (c, i) -> {
          InetAddress a = c.responderAddress(i);
          InetAddress reporter = c.responderAddress(1000 + i);
          c.shared.put("reporter" + i, reporter);
          c.r.script(a, new ResponderEffect.SendError(type, code, info, reporter));
          return to(a);
        });
  }

  static List<Row> rows(StandardProtocolFamily f) {
    List<Row> rows = new ArrayList<>();
    boolean v6 = f == INET6;
    rows.add(
        new Row(
            v6 ? "129 echo reply" : "0 echo reply",
            IP_SUCCESS,
            null,
            -1,
            -1,
            -1,
            "target",
            1,
            (c, i) -> to(c.t.target(c.f))));
    rows.add(
        new Row(
            v6 ? "3/0 hop limit (r1, TTL 1)" : "11/0 TTL in transit (r1, TTL 1)",
            IP_TTL_EXPIRED_TRANSIT,
            null,
            v6 ? 3 : 11,
            0,
            -1,
            "r1",
            1,
            (c, i) -> EchoRequest.to(c.t.target(c.f)).ttl(1).timeout(TIMEOUT).build()));
    rows.add(
        new Row(
            "blackhole route",
            IP_REQ_TIMED_OUT,
            null,
            -1,
            -1,
            -1,
            null,
            1,
            (c, i) -> to(c.t.blackholed(c.f))));
    rows.add(
        new Row(
            v6 ? "2 packet too big (1280 hop, DF)" : "3/4 frag needed (1280 hop, DF)",
            IP_PACKET_TOO_BIG,
            null,
            v6 ? 2 : 3,
            v6 ? 0 : 4,
            Topology.SMALL_MTU,
            "r1",
            1,
            (c, i) -> {
              InetAddress a = c.t.behindSmallMtu(c.f);
              c.shared.put("mtu", a);
              return EchoRequest.to(a)
                  .payloadSize(1400)
                  .pathMtuDiscovery(PathMtuDiscovery.DO)
                  .timeout(TIMEOUT)
                  .build();
            }));
    rows.add(
        new Row(
            "learned path MTU (local EMSGSIZE)",
            IP_PACKET_TOO_BIG,
            null,
            -1,
            -1,
            -1,
            null,
            2,
            (c, i) ->
                EchoRequest.to(c.shared.get("mtu"))
                    .payloadSize(1400)
                    .pathMtuDiscovery(PathMtuDiscovery.DO)
                    .timeout(TIMEOUT)
                    .build()));
    rows.add(
        new Row(
            "no route in client (local ENETUNREACH)",
            IP_DEST_NET_UNREACHABLE,
            null,
            -1,
            -1,
            -1,
            null,
            1,
            (c, i) -> to(c.t.unrouted(c.f))));
    rows.add(
        new Row(
            "payload byte corrupted (responder)",
            IP_GENERAL_FAILURE,
            null,
            -1,
            -1,
            -1,
            "responder",
            1,
            (c, i) -> {
              InetAddress a = c.responderAddress(i);
              c.r.script(a, new ResponderEffect.CorruptPayload(-1));
              return to(a);
            }));
    if (!v6) {
      rows.add(
          new Row(
              "3/1 host unreachable (unreachable route)",
              IP_DEST_HOST_UNREACHABLE,
              null,
              3,
              1,
              -1,
              "r1",
              1,
              (c, i) -> to(c.t.unreachable(c.f))));
      rows.add(
          new Row(
              "3/13 admin filtered (prohibit route)",
              IP_DEST_HOST_UNREACHABLE,
              null,
              3,
              13,
              -1,
              "r1",
              1,
              (c, i) -> to(c.t.prohibited(c.f))));
      IpStatus[] nft = new IpStatus[16];
      nft[0] = IP_DEST_NET_UNREACHABLE;
      nft[1] = IP_DEST_HOST_UNREACHABLE;
      nft[2] = IP_DEST_PROT_UNREACHABLE;
      nft[3] = IP_DEST_PORT_UNREACHABLE;
      nft[9] = IP_DEST_NET_UNREACHABLE;
      nft[10] = IP_DEST_HOST_UNREACHABLE;
      nft[13] = IP_DEST_HOST_UNREACHABLE;
      for (int code : Topology.REJECT_CODES_V4.stream().sorted().toList()) {
        rows.add(
            new Row(
                "3/" + code + " (nftables reject)",
                nft[code],
                null,
                3,
                code,
                -1,
                "r1",
                1,
                (c, i) -> to(c.t.rejected(c.f, code))));
      }
      rows.add(responderError("3/5 source route failed", IP_BAD_ROUTE, null, 3, 5, 0));
      rows.add(responderError("3/6 net unknown", IP_DEST_NET_UNREACHABLE, null, 3, 6, 0));
      rows.add(responderError("3/7 host unknown", IP_DEST_HOST_UNREACHABLE, null, 3, 7, 0));
      rows.add(responderError("3/8 isolated", IP_DEST_HOST_UNREACHABLE, null, 3, 8, 0));
      rows.add(responderError("3/11 net TOS", IP_DEST_NET_UNREACHABLE, null, 3, 11, 0));
      rows.add(responderError("3/12 host TOS", IP_DEST_HOST_UNREACHABLE, null, 3, 12, 0));
      rows.add(responderError("3/14 host precedence", IP_DEST_HOST_UNREACHABLE, null, 3, 14, 0));
      rows.add(responderError("3/15 precedence cutoff", IP_DEST_HOST_UNREACHABLE, null, 3, 15, 0));
      // icmp_unreach() drops codes > 15 before any socket's error queue: a ping socket never sees
      // them.
      rows.add(
          responderError("3/16 unassigned", IP_DEST_HOST_UNREACHABLE, IP_REQ_TIMED_OUT, 3, 16, 0));
      rows.add(responderError("4/0 source quench", IP_SOURCE_QUENCH, null, 4, 0, 0));
      // icmp_unreach() also drops 11/1 (ICMP_EXC_FRAGTIME) before any socket: only a raw socket
      // sees it.
      rows.add(
          responderError("11/1 reassembly", IP_TTL_EXPIRED_REASSEM, IP_REQ_TIMED_OUT, 11, 1, 0));
      rows.add(
          responderError("12/0 parameter problem, pointer 20", IP_PARAM_PROBLEM, null, 12, 0, 20));
      rows.add(responderError("12/1 missing option", IP_PARAM_PROBLEM, null, 12, 1, 0));
      rows.add(responderError("12/2 bad length", IP_PARAM_PROBLEM, null, 12, 2, 0));
      rows.add(responderError("5/1 redirect (ignored)", IP_REQ_TIMED_OUT, null, 5, 1, 0));
    } else {
      rows.add(
          new Row(
              "1/0 no route (unreachable route)",
              IP_DEST_NO_ROUTE,
              null,
              1,
              0,
              -1,
              "r1",
              1,
              (c, i) -> to(c.t.unreachable(c.f))));
      rows.add(
          new Row(
              "1/1 admin prohibited (prohibit route)",
              IP_DEST_PROHIBITED,
              null,
              1,
              1,
              -1,
              "r1",
              1,
              (c, i) -> to(c.t.prohibited(c.f))));
      IpStatus[] nft = new IpStatus[8];
      nft[0] = IP_DEST_NO_ROUTE;
      nft[1] = IP_DEST_PROHIBITED;
      nft[3] = IP_DEST_ADDR_UNREACHABLE;
      nft[4] = IP_DEST_PORT_UNREACHABLE;
      nft[5] = IP_ICMP_ERROR;
      nft[6] = IP_DEST_UNREACHABLE;
      for (int code : Topology.REJECT_CODES_V6.stream().sorted().toList()) {
        rows.add(
            new Row(
                "1/" + code + " (nftables reject)",
                nft[code],
                null,
                1,
                code,
                -1,
                "r1",
                1,
                (c, i) -> to(c.t.rejected(c.f, code))));
      }
      rows.add(responderError("1/2 beyond scope", IP_DEST_SCOPE_MISMATCH, null, 1, 2, 0));
      rows.add(responderError("1/7 source routing header", IP_BAD_HEADER, null, 1, 7, 0));
      rows.add(responderError("1/8 unassigned", IP_DEST_ADDR_UNREACHABLE, null, 1, 8, 0));
      rows.add(responderError("3/1 reassembly", IP_REASSEMBLY_TIME_EXCEEDED, null, 3, 1, 0));
      rows.add(responderError("3/2 other time exceeded", IP_TIME_EXCEEDED, null, 3, 2, 0));
      rows.add(
          responderError("4/0 erroneous header, pointer 6", IP_PARAMETER_PROBLEM, null, 4, 0, 6));
      rows.add(
          responderError("4/1 unrecognized next header", IP_PARAMETER_PROBLEM, null, 4, 1, 40));
      rows.add(responderError("4/2 unrecognized option", IP_PARAMETER_PROBLEM, null, 4, 2, 0));
      rows.add(
          responderError("100 unknown error type (ignored)", IP_REQ_TIMED_OUT, null, 100, 0, 0));
    }
    return rows;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("combinations")
  void everyStatusEndToEnd(StandardProtocolFamily f, ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient client = t.newClient(access);
    Ctx ctx = new Ctx(t, f, t.responder(), new ConcurrentHashMap<>());
    List<Row> rows = rows(f);
    List<String> failures = new ArrayList<>();
    Map<String, Map<ClientAccess, String>> table =
        MATRIX.computeIfAbsent(f, k -> new ConcurrentHashMap<>());
    for (int phase = 1; phase <= 2; phase++) {
      List<CompletableFuture<EchoResult>> futures = new ArrayList<>();
      List<Row> running = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        if (row.phase != phase) continue;
        EchoRequest req = row.request.apply(ctx, i);
        running.add(row);
        futures.add(client.echoAsync(req));
      }
      for (int k = 0; k < running.size(); k++) {
        Row row = running.get(k);
        int index = rows.indexOf(row);
        EchoResult res;
        try {
          res = futures.get(k).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          failures.add(row.label + ": " + e);
          table
              .computeIfAbsent(row.label, x -> new ConcurrentHashMap<>())
              .put(access, "EXCEPTION " + e);
          continue;
        }
        String problem = check(row, res, ctx, index, access);
        table
            .computeIfAbsent(row.label, x -> new ConcurrentHashMap<>())
            .put(access, (problem == null ? "ok   " : "FAIL ") + cell(res));
        if (problem != null) failures.add(row.label + ": " + problem + " -- " + res);
      }
    }
    System.out.println(
        "status matrix "
            + f
            + " "
            + access
            + ": "
            + (rows.size() - failures.size())
            + "/"
            + rows.size()
            + " rows right; client "
            + client.stats());
    if (!failures.isEmpty())
      fail(failures.size() + " row(s) wrong:\n  " + String.join("\n  ", failures));
  }

  private static String check(Row row, EchoResult res, Ctx c, int index, ClientAccess access) {
    IpStatus want =
        access == ClientAccess.DATAGRAM && row.expectedDatagram != null
            ? row.expectedDatagram
            : row.expected;
    if (res.status() != want) return "status " + res.status() + ", expected " + want;
    InetAddress reporter =
        row.reporter == null
            ? null
            : switch (row.reporter) {
              case "target" -> c.t.target(c.f);
              case "r1" -> c.t.routerAddress(1, c.f);
              case "responder" -> c.responderAddress(index);
              case "reporter" -> c.shared.get("reporter" + index);
              default -> throw new AssertionError(row.reporter);
            };
    switch (res) {
      case EchoResult.Reply r -> {
        if (!r.from().equals(reporter)) return "from " + r.from() + ", expected " + reporter;
        if (r.rtt().isNegative() || r.rtt().isZero() || r.rtt().compareTo(TIMEOUT) > 0)
          return "rtt " + r.rtt();
        int hops = 64 - c.t.routerCount();
        if (c.f == INET && r.ttl() != hops) return "ttl " + r.ttl() + ", expected " + hops;
        if (c.f == INET6 && r.ttl() != -1 && r.ttl() != hops)
          return "hop limit " + r.ttl() + ", expected " + hops;
      }
      case EchoResult.IcmpError e -> {
        if (reporter != null && !e.from().equals(reporter))
          return "from " + e.from() + ", expected " + reporter;
        if (row.type >= 0 && (e.icmpType() != row.type || e.icmpCode() != row.code)) {
          return "type/code "
              + e.icmpType()
              + "/"
              + e.icmpCode()
              + ", expected "
              + row.type
              + "/"
              + row.code;
        }
        if (row.info >= 0 && e.info() != row.info)
          return "info " + e.info() + ", expected " + row.info;
        if (e.rtt().isNegative() || e.rtt().compareTo(TIMEOUT) > 0) return "rtt " + e.rtt();
      }
      case EchoResult.Corrupted k -> {
        if (!k.from().equals(reporter)) return "from " + k.from() + ", expected " + reporter;
      }
      case EchoResult.TimedOut x -> {
        if (x.waited().compareTo(TIMEOUT) < 0) return "waited only " + x.waited();
      }
      case EchoResult.SendFailed s -> {}
    }
    return null;
  }

  private static String cell(EchoResult r) {
    String s = r.status().name() + "(" + r.status().code() + ")";
    return switch (r) {
      case EchoResult.Reply x ->
          s
              + " from "
              + x.from().getHostAddress()
              + String.format(" %.3fms", ms(x.rtt()))
              + " ttl "
              + x.ttl();
      case EchoResult.IcmpError x ->
          s
              + " "
              + x.icmpType()
              + "/"
              + x.icmpCode()
              + " from "
              + x.from().getHostAddress()
              + String.format(" %.3fms", ms(x.rtt()))
              + (x.info() != 0 ? " info " + x.info() : "");
      case EchoResult.Corrupted x -> s + " Corrupted from " + x.from().getHostAddress();
      case EchoResult.TimedOut x -> s;
      case EchoResult.SendFailed x -> s + " SendFailed " + x.errno();
    };
  }

  private static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }

  @AfterAll
  static void printMatrix() {
    for (StandardProtocolFamily f : List.of(INET, INET6)) {
      Map<String, Map<ClientAccess, String>> table = MATRIX.get(f);
      if (table == null) continue;
      StringBuilder sb =
          new StringBuilder(
              "\n=== STATUS MATRIX "
                  + (f == INET ? "IPv4" : "IPv6")
                  + " (row: what the lab produced; cells: ping socket | raw socket) ===\n");
      Map<String, String> ordered = new TreeMap<>();
      int n = 0;
      for (Row row : rows(f)) {
        Map<ClientAccess, String> cells = table.getOrDefault(row.label, Map.of());
        ordered.put(
            String.format("%02d", n++),
            String.format(
                "%-44s | %-62s | %s",
                row.label,
                cells.getOrDefault(ClientAccess.DATAGRAM, "-"),
                cells.getOrDefault(ClientAccess.RAW, "-")));
      }
      ordered.values().forEach(l -> sb.append(l).append('\n'));
      System.out.println(sb);
    }
    assertTrue(true);
  }
}
