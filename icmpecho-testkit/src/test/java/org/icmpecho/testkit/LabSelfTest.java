package org.icmpecho.testkit;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import org.icmpecho.testkit.LabProbe.Answer;
import org.icmpecho.testkit.internal.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lab tests itself, without the engine: every kernel-made answer of the standard chain is
 * checked with a minimal raw-socket prober ({@link LabProbe}), and the namespaces' lifecycle
 * (deletion, stale cleanup).
 */
@NetNs
class LabSelfTest {
  private static final Duration WAIT = Duration.ofMillis(300);

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void chainProducesEveryKernelAnswer(StandardProtocolFamily f, NetLab lab) throws Exception {
    long t0 = System.nanoTime();
    Topology t = lab.chain(4);
    long built = System.nanoTime() - t0;
    String c = t.clientNode().name();
    InetAddress src = t.clientAddress(f);
    boolean v6 = f == INET6;
    int reply = v6 ? 129 : 0;
    int unreach = v6 ? 1 : 3;

    Answer a = LabProbe.probe(c, src, t.target(f), 64, 56, false, WAIT).first();
    assertNotNull(a, "no echo reply from the target");
    assertEquals(reply, a.type());
    assertEquals(t.target(f), a.from());

    for (int hop = 1; hop <= 4; hop++) {
      Answer e = LabProbe.probe(c, src, t.target(f), hop, 56, false, WAIT).first();
      assertNotNull(e, "no time exceeded from router " + hop);
      assertEquals(v6 ? 3 : 11, e.type(), e.toString());
      assertEquals(0, e.code());
      assertEquals(
          t.routerAddress(hop, f), e.from(), "TTL " + hop + " must expire at router " + hop);
    }
    Answer fresh = LabProbe.probe(c, src, t.freshTarget(f), 64, 56, false, WAIT).first();
    assertNotNull(fresh);
    assertEquals(reply, fresh.type());

    Answer u = LabProbe.probe(c, src, t.unreachable(f), 64, 56, false, WAIT).first();
    assertEquals(List.of(unreach, v6 ? 0 : 1), List.of(u.type(), u.code()), u.toString());
    assertEquals(t.routerAddress(1, f), u.from());
    Answer p = LabProbe.probe(c, src, t.prohibited(f), 64, 56, false, WAIT).first();
    assertEquals(List.of(unreach, v6 ? 1 : 13), List.of(p.type(), p.code()), p.toString());
    assertNull(
        LabProbe.probe(c, src, t.blackholed(f), 64, 56, false, WAIT).first(), "blackhole answered");

    for (int code : v6 ? Topology.REJECT_CODES_V6 : Topology.REJECT_CODES_V4) {
      // Three at once: rejects are not rate limited.
      LabProbe.Result r =
          LabProbe.probeMany(c, src, t.rejected(f, code), 64, 56, false, 3, 3, WAIT);
      assertEquals(3, r.answers().size(), "reject code " + code + ": " + r.answers());
      for (Answer x : r.answers()) {
        assertEquals(List.of(unreach, code), List.of(x.type(), x.code()), x.toString());
        assertEquals(t.routerAddress(1, f), x.from());
      }
    }

    InetAddress big = t.behindSmallMtu(f);
    Answer small = LabProbe.probe(c, src, big, 64, 100, true, WAIT).first();
    assertEquals(reply, small.type(), "a small echo passes the 1280 link");
    Answer ptb = LabProbe.probe(c, src, big, 64, 1400, true, WAIT).first();
    assertNotNull(ptb, "no packet-too-big");
    assertEquals(
        v6 ? List.of(2, 0) : List.of(3, 4), List.of(ptb.type(), ptb.code()), ptb.toString());
    assertEquals(Topology.SMALL_MTU, ptb.info());
    assertEquals(t.routerAddress(1, f), ptb.from());

    String route = t.clientNode().exec("ip", "route", "get", t.target(INET).getHostAddress());
    assertTrue(route.contains("via " + t.routerAddress(1, INET).getHostAddress()), route);
    System.out.printf(
        "lab: chain of 4 routers built in %.0f ms (%d namespaces)%n",
        built / 1e6, lab.nodes().size());
  }

  @Test
  void namespacesAreDeletedAndStaleOnesCleaned(NetLab lab) {
    Topology t = lab.chain(1);
    assertEquals(4, NetLab.namespacesWithPrefix(lab.prefix()).size());
    assertTrue(t.clientNode().name().startsWith("ie-" + ProcessHandle.current().pid() + "-"));
    lab.close();
    assertEquals(List.of(), NetLab.namespacesWithPrefix(lab.prefix()));

    // A namespace left by a dead process (pid beyond pid_max) is removed; ours are not touched.
    String stale = "ie-999999999-1-x";
    Cmd.run(List.of("ip", "netns", "add", stale));
    try (NetLab other = NetLab.create()) {
      other.namespace("keep");
      assertTrue(NetLab.deleteStale() >= 1);
      assertFalse(NetLab.namespacesWithPrefix("ie-999999999-").contains(stale));
      assertEquals(
          1,
          NetLab.namespacesWithPrefix(other.prefix()).size(),
          "a live lab's namespace was deleted");
    } finally {
      Cmd.tryRun(List.of("ip", "netns", "del", stale), null, Duration.ofSeconds(5));
    }
  }

  @Test
  void pingGroupRangeIsPerNamespace(NetLab lab) {
    Node a = lab.namespace("a");
    Node b = lab.namespace("b");
    a.pingGroupRange(true);
    b.pingGroupRange(false);
    assertEquals("0\t2147483647", a.sysctlValue("net.ipv4.ping_group_range"));
    assertEquals("1\t0", b.sysctlValue("net.ipv4.ping_group_range"));
    assertEquals(INET, INET); // the range covers both families (one sysctl)
  }
}
