package org.icmpecho.cli;

import static java.net.StandardProtocolFamily.INET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Topology;
import org.junit.jupiter.api.Test;

/**
 * The fping personality with the real engine against the lab's silent and unreachable hosts (what
 * fping's own suite asks of 8.8.8.7 and 8.8.0.0): retries with backoff, count-mode timeouts with
 * the outage time, -s and -u.
 */
@NetNs
class FpingNamespaceTest {

  @Test
  void silentHostRetriesWithBackoffThenIsUnreachable(NetLab lab) {
    Topology t = NamespaceTest.chain(lab);
    String ns = t.clientNode().name(), silent = Addr.text(t.blackholed(INET));
    long start = System.nanoTime();
    Harness.Result r =
        Harness.real("fping", "--netns", ns, "-t", "100", "-r", "3", "-B", "2", silent);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, r.status(), r::toString);
    assertEquals(silent + " is unreachable\n", r.out(), r::toString);
    assertEquals("", r.err(), r::toString);
    assertTrue(
        ms >= 1_450,
        "four tries waited 100 + 200 + 400 + 800 ms, took " + ms); // a lower bound only

    r = Harness.real("fping", "--netns", ns, "-t100", "-p", "100", "-o", "-c", "3", silent);
    assertEquals(1, r.status(), r::toString);
    assertEquals(
        silent
            + " : [0], timed out (NaN avg, 100% loss)\n"
            + silent
            + " : [1], timed out (NaN avg, 100% loss)\n"
            + silent
            + " : [2], timed out (NaN avg, 100% loss)\n",
        r.out(),
        r::toString);
    assertEquals(
        "\n" + silent + " : xmt/rcv/%loss = 3/0/100%, outage(ms) = 300\n", r.err(), r::toString);

    String alive = Addr.text(t.target(INET));
    r = Harness.real("fping", "--netns", ns, "-r0", "-t100", "-u", silent, alive);
    assertEquals(1, r.status(), r::toString);
    assertEquals(silent + "\n", r.out(), r::toString);
    r = Harness.real("fping", "--netns", ns, "-r0", "-t100", "-s", silent);
    assertTrue(
        r.err().contains("       1 timeouts (waiting for response)\n       1 ICMP Echos sent\n"),
        r::toString);
    assertTrue(r.err().contains(" 0.000 ms (min round trip time)\n"), r::toString);
  }
}
