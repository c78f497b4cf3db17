package org.icmpecho.cli;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Node;
import org.icmpecho.testkit.Topology;
import org.junit.jupiter.api.Test;

/**
 * The commands against the test lab's routers ({@code icmpecho-testkit}): TTL exceeded,
 * unreachable, packet too big, traceroute through a chain, sweeps with blackholed targets and a
 * 65,534-address block. The commands run in-process with {@code --netns}, so their sockets live in
 * the lab's client namespace; ping sockets (unprivileged) are used.
 */
@NetNs
class NamespaceTest {

  static Topology chain(NetLab lab) {
    Topology t = lab.chain(3);
    t.clientNode().pingGroupRange(true);
    return t;
  }

  static String a(java.net.InetAddress x) {
    return Addr.text(x);
  }

  @Test
  void pingReportsRoutersInIputilsWords(NetLab lab) {
    Topology t = chain(lab);
    String ns = t.clientNode().name();
    Harness.Result r = Harness.real("ping", "--netns", ns, "-c", "1", "-t", "2", a(t.target(INET)));
    assertEquals(1, r.status(), r::toString);
    System.out.print(r.out());
    assertEquals(
        "From " + a(t.routerAddress(2, INET)) + " icmp_seq=1 Time to live exceeded",
        r.outLines().get(1),
        r::toString);
    assertTrue(
        r.out().contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss"),
        r::toString);

    r = Harness.real("ping", "--netns", ns, "-c", "1", a(t.unreachable(INET)));
    assertEquals(1, r.status(), r::toString);
    assertTrue(
        r.outLines().get(1).matches("From \\S+ icmp_seq=1 Destination Host Unreachable"),
        r::toString);
    System.out.print(r.out());

    r = Harness.real("ping", "--netns", ns, "-c", "1", a(t.prohibited(INET)));
    System.out.print(r.out());
    assertTrue(r.outLines().get(1).matches("From \\S+ icmp_seq=1 Packet filtered"), r::toString);

    r =
        Harness.real(
            "ping", "--netns", ns, "-c", "1", "-s", "1400", "-M", "do", a(t.behindSmallMtu(INET)));
    System.out.print(r.out());
    assertEquals(1, r.status(), r::toString);
    assertTrue(r.out().contains("Frag needed and DF set (mtu = 1280)"), r::toString);

    r = Harness.real("ping", "--netns", ns, "-c", "1", "-t", "1", "-n", a(t.target(INET6)));
    System.out.print(r.out());
    assertEquals(
        "From " + a(t.routerAddress(1, INET6)) + " icmp_seq=1 Time exceeded: Hop limit",
        r.outLines().get(1),
        r::toString);

    r = Harness.real("ping", "--netns", ns, "--json", "-c", "1", "-t", "2", a(t.target(INET)));
    assertTrue(
        r.out()
            .startsWith(
                "{\"type\":\"reply\",\"target\":\""
                    + a(t.target(INET))
                    + "\",\"from\":\""
                    + a(t.routerAddress(2, INET))
                    + "\",\"seq\":1,\"status\":\"IP_TTL_EXPIRED_TRANSIT\",\"status_code\":11013,\"rtt_ms\":"),
        r::toString);

    System.out.print("lab ping errors:\n" + r.out());
    r = Harness.real("ping", "--netns", ns, "-c", "2", "-i", "0.05", a(t.target(INET)));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.outLines()
            .get(1)
            .matches(
                "64 bytes from "
                    + a(t.target(INET)).replace(".", "\\.")
                    + ": icmp_seq=1 ttl=61 time=[\\d.]+ ms"),
        r::toString);
  }

  @Test
  void traceThroughTheChain(NetLab lab) {
    Topology t = chain(lab);
    String ns = t.clientNode().name();
    for (var f : List.of(INET, INET6)) {
      long start = System.nanoTime();
      Harness.Result r = Harness.real("trace", "--netns", ns, "-n", "-w", "3", a(t.target(f)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(0, r.status(), r::toString);
      List<String> l = TraceCommandTest.hops(r);
      assertEquals(4, l.size(), r::toString);
      for (int i = 1; i <= 3; i++) {
        assertTrue(
            l.get(i - 1)
                .matches(
                    " "
                        + i
                        + "  "
                        + a(t.routerAddress(i, f))
                        + "  [\\d.]+ ms  [\\d.]+ ms  [\\d.]+ ms"),
            r::toString);
      }
      assertTrue(
          l.get(3).matches(" 4  " + a(t.target(f)) + "  [\\d.]+ ms  [\\d.]+ ms  [\\d.]+ ms"),
          r::toString);
      assertTrue(ms < 2500, "trace took " + ms + " ms");
      System.out.print("lab trace " + f + ":\n" + r.out());
    }
    Harness.Result r =
        Harness.real("trace", "--netns", ns, "-n", "-m", "2", "-q", "1", a(t.target(INET)));
    assertEquals(1, r.status(), r::toString);
    assertEquals(2, TraceCommandTest.hops(r).size(), r::toString);

    r = Harness.real("trace", "--netns", ns, "-n", "-q", "1", a(t.unreachable(INET)));
    assertEquals(1, r.status(), r::toString);
    assertTrue(
        TraceCommandTest.hops(r).get(TraceCommandTest.hops(r).size() - 1).endsWith(" !H"),
        r::toString);

    r = Harness.real("trace", "--netns", ns, "--json", "-n", "-q", "1", a(t.target(INET)));
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .contains(
                "{\"type\":\"hop\",\"target\":\""
                    + a(t.target(INET))
                    + "\",\"ttl\":1,\"probe\":1,\"from\":\""
                    + a(t.routerAddress(1, INET))
                    + "\",\"status\":\"IP_TTL_EXPIRED_TRANSIT\",\"status_code\":11013,\"rtt_ms\":"),
        r::toString);
    assertTrue(r.out().endsWith("\"reached\":true,\"hops\":4}\n"), r::toString);

    // a silent router (its ICMP errors dropped): its hop is "*" and the trace still ends soon after
    // the target answers
    t.router(2)
        .nft(
            "table inet quiet {\n  chain out {\n    type filter hook output priority 0;\n"
                + "    icmp type time-exceeded drop\n    icmpv6 type time-exceeded drop\n  }\n}\n");
    long start = System.nanoTime();
    r = Harness.real("trace", "--netns", ns, "-n", "-q", "1", "-w", "5", a(t.target(INET)));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, r.status(), r::toString);
    assertEquals(" 2  *", TraceCommandTest.hops(r).get(1), r::toString);
    assertEquals(4, TraceCommandTest.hops(r).size(), r::toString);
    assertTrue(ms < 2000, "a silent hop before the answered target cost " + ms + " ms (-w 5)");

    // nothing answers beyond a blackhole: 10 silent hops take about one wait, not ten
    start = System.nanoTime();
    r =
        Harness.real(
            "trace", "--netns", ns, "-n", "-q", "1", "-w", "1", "-m", "10", a(t.blackholed(INET)));
    ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, r.status(), r::toString);
    assertEquals(10, TraceCommandTest.hops(r).size(), r::toString);
    assertEquals("10  *", TraceCommandTest.hops(r).get(9), r::toString);
    assertTrue(ms < 2500, "10 silent hops took " + ms + " ms");
  }

  @Test
  void sweepFindsTheBlackholedTargets(NetLab lab) {
    Topology t = chain(lab);
    String ns = t.clientNode().name();
    Harness.Result r =
        Harness.real(
            "sweep",
            "--netns",
            ns,
            "-u",
            "-t",
            "100",
            "-r",
            "1",
            a(t.target(INET)),
            a(t.blackholed(INET)),
            a(t.target(INET6)),
            a(t.blackholed(INET6)));
    assertEquals(1, r.status(), r::toString);
    assertEquals(
        List.of(a(t.blackholed(INET)), a(t.blackholed(INET6))),
        r.outLines().stream().sorted((x, y) -> x.contains(":") ? 1 : -1).toList());
    r = Harness.real("sweep", "--netns", ns, "-c", "1", "-t", "200", a(t.unreachable(INET)));
    assertEquals(1, r.status(), r::toString);
    assertTrue(
        r.err()
            .contains(
                "ICMP Host Unreachable from "
                    + a(t.routerAddress(1, INET))
                    + " for ICMP Echo sent to "
                    + a(t.unreachable(INET))),
        r::toString);
  }

  @Test
  void sweepOfA16InsideANamespace(NetLab lab) {
    Node n = lab.namespace("big");
    n.ip("route add local 198.18.0.0/15 dev lo");
    n.pingGroupRange(true);
    long start = System.nanoTime();
    Harness.Result r =
        Harness.real("sweep", "--netns", n.name(), "-q", "-s", "-i", "0", "-g", "198.18.0.0/16");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().contains("   65534 alive\n"), r::toString);
    assertTrue(r.err().contains("   65534 ICMP Echos sent\n"), r::toString);
    assertTrue(ms < 60_000, "65,534 targets took " + ms + " ms");
    System.out.println("sweep -g 198.18.0.0/16 -i 0 in a namespace: " + ms + " ms");
  }
}
