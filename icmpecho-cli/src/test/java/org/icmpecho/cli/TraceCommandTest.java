package org.icmpecho.cli;

import static org.icmpecho.cli.Harness.icmpError;
import static org.icmpecho.cli.Harness.reply;
import static org.icmpecho.cli.Harness.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.icmpecho.EchoRequest;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;

/** {@code icmpecho trace} against a scripted path of routers. */
class TraceCommandTest {

  /** The hop lines of a trace's stdout: without traceroute's header line (JSON output has none). */
  static List<String> hops(Harness.Result r) {
    List<String> l = r.outLines();
    return !l.isEmpty() && l.get(0).startsWith("traceroute to ") ? l.subList(1, l.size()) : l;
  }

  /**
   * Router i (TTL i) is 10.0.(i-1).2; the target answers from TTL {@code hops}; TTLs in {@code
   * silent} never answer.
   */
  static Harness path(int hops, int... silent) {
    return new Harness(
        (r, s) -> {
          for (int q : silent) if (r.ttl() == q) return silence();
          if (r.ttl() >= hops) return reply(r, s, 1.5);
          return icmpError(
              r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0." + (r.ttl() - 1) + ".2", 11, 0, 0);
        },
        Map.of("target.test", "10.0.9.2", "r1.test", "10.0.0.2"));
  }

  @Test
  void hopLinesLikeTraceroute() {
    Harness h = path(4);
    Harness.Result res = h.run("trace", "target.test");
    assertEquals(0, res.status(), res::toString);
    assertEquals("", res.err());
    assertEquals(
        "traceroute to target.test (10.0.9.2), 30 hops max, 60 byte packets",
        res.outLines().get(0)); // stdout, as traceroute
    assertEquals(
        List.of(
            " 1  r1.test (10.0.0.2)  0.500 ms  0.500 ms  0.500 ms",
            " 2  10.0.1.2 (10.0.1.2)  0.500 ms  0.500 ms  0.500 ms",
            " 3  10.0.2.2 (10.0.2.2)  0.500 ms  0.500 ms  0.500 ms",
            " 4  target.test (10.0.9.2)  1.500 ms  1.500 ms  1.500 ms"),
        hops(res));
    res = h.run("trace", "-n", "-q", "1", "-f", "3", "target.test");
    assertEquals(List.of(" 3  10.0.2.2  0.500 ms", " 4  10.0.9.2  1.500 ms"), hops(res));
    for (EchoRequest r : h.prober.requests) assertEquals(32, r.payloadSize());
  }

  @Test
  void silentHopsCostOneWaitNotOneEach() {
    Harness h = path(6, 2, 3);
    long start = System.nanoTime();
    Harness.Result res = h.run("trace", "-n", "-w", "5", "10.0.9.2");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, res.status(), res::toString);
    assertEquals(" 2  * * *", hops(res).get(1));
    assertEquals(" 3  * * *", hops(res).get(2));
    assertEquals(6, hops(res).size());
    assertTrue(ms < 2500, "silent hops before an answered one are given up early: " + ms + " ms");

    Harness dark = path(99);
    dark = new Harness((r, s) -> silence());
    start = System.nanoTime();
    res = dark.run("trace", "-n", "-m", "8", "-w", "0.4", "10.0.9.2");
    ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, res.status(), res::toString);
    assertEquals(8, hops(res).size());
    assertEquals(" 8  * * *", hops(res).get(7));
    assertTrue(ms < 2000, "8 silent hops in parallel took " + ms + " ms");
    assertEquals(24, dark.prober.maxInFlight.get(), "all probes in flight at once");
  }

  @Test
  void unreachableStopsWithItsMark() {
    Harness h =
        new Harness(
            (r, s) ->
                r.ttl() < 3
                    ? icmpError(
                        r,
                        s,
                        IpStatus.IP_TTL_EXPIRED_TRANSIT,
                        "10.0." + (r.ttl() - 1) + ".2",
                        11,
                        0,
                        0)
                    : icmpError(r, s, IpStatus.IP_DEST_HOST_UNREACHABLE, "10.0.2.2", 3, 1, 0));
    Harness.Result res = h.run("trace", "-n", "-q", "2", "10.9.1.1");
    assertEquals(1, res.status(), res::toString);
    assertEquals(" 3  10.0.2.2  0.500 ms !H  0.500 ms !H", hops(res).get(2));
    assertEquals(3, hops(res).size());
  }

  @Test
  void jsonHopsAndSummary() {
    Harness h = path(2, 1);
    Harness.Result res = h.run("trace", "--json", "-n", "-q", "1", "-w", "0.3", "10.0.9.2");
    assertEquals(0, res.status(), res::toString);
    assertEquals(
        List.of(
            "{\"type\":\"hop\",\"target\":\"10.0.9.2\",\"ttl\":1,\"probe\":1,\"from\":null,\"status\":\"IP_REQ_TIMED_OUT\","
                + "\"status_code\":11010,\"rtt_ms\":null}",
            "{\"type\":\"hop\",\"target\":\"10.0.9.2\",\"ttl\":2,\"probe\":1,\"from\":\"10.0.9.2\",\"status\":\"IP_SUCCESS\","
                + "\"status_code\":0,\"rtt_ms\":1.5}",
            "{\"type\":\"summary\",\"target\":\"10.0.9.2\",\"host\":\"10.0.9.2\",\"reached\":true,\"hops\":2}"),
        hops(res));
    assertEquals("", res.err());
    h = path(3);
    res = h.run("trace", "--json", "-q", "1", "10.0.9.2");
    assertTrue(
        res.out()
            .contains(
                "\"from\":\"10.0.0.2\",\"name\":\"r1.test\",\"status\":\"IP_TTL_EXPIRED_TRANSIT\","
                    + "\"status_code\":11013,\"rtt_ms\":0.5,\"icmp_type\":11,\"icmp_code\":0}"),
        res::toString);
  }

  @Test
  void badInputIsStatusTwo() {
    Harness h = path(2);
    String[][] cases = {
      {"trace"},
      {"trace", "-m", "0", "10.0.9.2"},
      {"trace", "-m", "256", "10.0.9.2"},
      {"trace", "-q", "0", "10.0.9.2"},
      {"trace", "-q", "11", "10.0.9.2"},
      {"trace", "-f", "31", "10.0.9.2"},
      {"trace", "-w", "0", "10.0.9.2"},
      {"trace", "-w", "x", "10.0.9.2"},
      {"trace", "--bogus", "10.0.9.2"},
      {"trace", "nosuch.invalid"},
      {"trace", "-6", "10.0.9.2"},
      {"trace", "-N", "0", "10.0.9.2"},
    };
    for (String[] args : cases) {
      Harness.Result res = h.run(args);
      String what = String.join(" ", args) + " -> " + res;
      assertEquals(2, res.status(), what);
      String[] err = res.err().split("\n");
      assertEquals(2, err.length, what);
      assertTrue(err[0].startsWith("icmpecho trace: "), what);
      assertEquals("Try 'icmpecho trace --help' for more information.", err[1], what);
    }
    h.prober.openFailure = Harness.noPermission();
    assertEquals(2, h.run("trace", "10.0.9.2").status());
    String help = path(2).run("trace", "--help").out();
    for (String s :
        new String[] {
          "-m=MAXHOPS",
          "-q=PROBES",
          "-w=SEC",
          "-f=FIRSTTTL",
          "-n",
          "--json",
          "0   the destination answered",
          "1   the destination was not reached",
          "2   usage or system error"
        }) {
      assertTrue(help.contains(s), s + " in\n" + help);
    }
  }

  @Test
  void topLevelUsageAndCompletion() {
    Harness h = path(2);
    Harness.Result res = h.run();
    assertEquals(2, res.status());
    assertTrue(res.err().contains("Usage: icmpecho"), res::toString);
    res = h.run("generate-completion");
    assertEquals(0, res.status(), res::toString);
    assertTrue(res.out().contains("complete -F") && res.out().contains("sweep"), res.out());
    res = h.run("help", "sweep");
    assertEquals(0, res.status());
    assertTrue(res.out().contains("Usage: icmpecho sweep"));
    res = h.run("bogus");
    assertEquals(2, res.status());
    assertTrue(res.err().startsWith("icmpecho: Unmatched argument"), res::toString);
  }
}
