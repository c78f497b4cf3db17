package org.icmpecho.cli;

import static org.icmpecho.cli.Harness.icmpError;
import static org.icmpecho.cli.Harness.reply;
import static org.icmpecho.cli.Harness.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;

/**
 * {@code icmpecho trace} with {@code traceroute -I}'s habits (issue 18 item 4): the header on
 * stdout, traceroute's annotations, and probing on past an unreachable answer that its hop's
 * silence marks as rate-limited. Exit statuses stay the contract's: 0 reached, 1 not reached.
 */
class TraceHabitsTest {

  @Test
  void oneUnreachableAmongSilentProbesIsNotTheEnd() {
    AtomicInteger hop2 = new AtomicInteger();
    Harness h =
        new Harness(
            (r, s) ->
                switch (r.ttl()) {
                  case 1 -> icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0.0.2", 11, 0, 0);
                  case 2 ->
                      hop2.getAndIncrement() == 0
                          ? icmpError(r, s, IpStatus.IP_DEST_HOST_UNREACHABLE, "10.0.1.2", 3, 1, 0)
                          : silence();
                  default -> reply(r, s, 1.5);
                });
    Harness.Result res = h.run("trace", "-n", "-w", "0.3", "10.0.9.2");
    assertEquals(0, res.status(), res::toString);
    assertEquals(
        List.of(
            "traceroute to 10.0.9.2 (10.0.9.2), 30 hops max, 60 byte packets",
            " 1  10.0.0.2  0.500 ms  0.500 ms  0.500 ms",
            " 2  10.0.1.2  0.500 ms !H * *",
            " 3  10.0.9.2  1.500 ms  1.500 ms  1.500 ms"),
        res.outLines(),
        res::toString);
    assertEquals("", res.err(), res::toString);
  }

  @Test
  void unreachableOnEveryProbeEndsTheTraceWithTracerouteMarks() {
    // traceroute's mark comes from the ICMP code (network, administratively prohibited, host)
    for (String[] c : new String[][] {{"0", "!N"}, {"13", "!X"}, {"1", "!H"}}) {
      Harness h =
          new Harness(
              (r, s) ->
                  r.ttl() < 2
                      ? icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0.0.2", 11, 0, 0)
                      : icmpError(
                          r,
                          s,
                          IpStatus.IP_DEST_HOST_UNREACHABLE,
                          "10.0.1.2",
                          3,
                          Integer.parseInt(c[0]),
                          0));
      Harness.Result res = h.run("trace", "-n", "-q", "2", "10.0.9.2");
      assertEquals(1, res.status(), res::toString);
      assertEquals(
          List.of(
              "traceroute to 10.0.9.2 (10.0.9.2), 30 hops max, 60 byte packets",
              " 1  10.0.0.2  0.500 ms  0.500 ms",
              " 2  10.0.1.2  0.500 ms " + c[1] + "  0.500 ms " + c[1]),
          res.outLines(),
          res::toString);
    }
  }
}
