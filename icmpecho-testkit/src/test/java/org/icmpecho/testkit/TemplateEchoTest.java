package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code echoAsync(target, template)} over real sockets: the engine holds an IPv4 target as an int
 * and an IPv6 one as the caller's address, so matching answers, ICMP errors (by the quoted
 * destination) and timeouts must work from those, and every result must name the real target.
 */
@NetNs
class TemplateEchoTest {
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("org.icmpecho.testkit.Matrix#familiesAndModes")
  void repliesErrorsAndTimeoutsNameTheirTargets(
      StandardProtocolFamily f, ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(access);
    t.responder(); // answers for the responder addresses
    // The template's own target is another host of the other family: only its settings count.
    InetAddress elsewhere =
        t.target(
            f == StandardProtocolFamily.INET
                ? StandardProtocolFamily.INET6
                : StandardProtocolFamily.INET);
    // Answered echoes return at the answer: their timeout only bounds a failure. The silent
    // target's echo must time out, after a short one of its own.
    EchoRequest template =
        EchoRequest.to(elsewhere).payloadSize(100).timeout(Duration.ofSeconds(5)).build();
    EchoRequest silentTemplate =
        EchoRequest.to(elsewhere).payloadSize(100).timeout(Duration.ofMillis(400)).build();
    assertInstanceOf(
        EchoResult.Reply.class, c.echo(template.withTarget(t.target(f)))); // neighbour discovery

    List<InetAddress> live = new ArrayList<>();
    for (int i = 0; i < 20; i++) live.add(t.responderAddress(f, i));
    InetAddress rejected = t.rejected(f, f == StandardProtocolFamily.INET ? 1 : 3);
    InetAddress silent = t.blackholed(f);
    List<CompletableFuture<EchoResult>> replies = new ArrayList<>();
    for (InetAddress a : live)
      replies.add(c.echoAsync(InetAddress.getByAddress(a.getAddress()), template));
    CompletableFuture<EchoResult> error = c.echoAsync(rejected, template);
    CompletableFuture<EchoResult> timeout = c.echoAsync(silent, silentTemplate);

    for (int i = 0; i < live.size(); i++) {
      EchoResult.Reply r =
          assertInstanceOf(EchoResult.Reply.class, replies.get(i).get(10, TimeUnit.SECONDS));
      assertEquals(live.get(i), r.from());
      assertEquals(live.get(i), r.request().target());
      assertEquals(template.withTarget(live.get(i)), r.request());
      assertEquals(100 + 8, r.bytes());
    }
    EchoResult e = error.get(10, TimeUnit.SECONDS);
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, e.status(), e.toString());
    assertEquals(rejected, e.request().target());
    EchoResult.TimedOut to =
        assertInstanceOf(EchoResult.TimedOut.class, timeout.get(10, TimeUnit.SECONDS));
    assertEquals(silent, to.request().target());
    ClientStats s = c.stats();
    assertEquals(0, s.foreign() + s.late() + s.corrupted(), s.toString());
  }
}
