package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.StandardProtocolFamily;
import java.time.Duration;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A ping socket keeps the errno of the last ICMP error in {@code sk_err} (ping_err() sets it with
 * IP_RECVERR too) until a receive or a send consumes it. An echo sent while such an error is
 * pending must still go out: the error belongs to an earlier echo, which gets its answer from the
 * error queue. One at a time the engine's receive clears it first; with echoes in flight a {@code
 * sendmsg} can meet it.
 */
@NetNs
class PingSocketErrorTest {

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void anEchoAfterAnIcmpErrorIsSent(StandardProtocolFamily f, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    Duration timeout = Duration.ofSeconds(5); // every echo is answered: bounds a failure only
    int code = f == StandardProtocolFamily.INET ? 1 : 3;
    EchoResult error = c.echo(EchoRequest.to(t.rejected(f, code)).timeout(timeout).build());
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, error.status(), error.toString());
    EchoResult next = c.echo(EchoRequest.to(t.target(f)).timeout(timeout).build());
    assertEquals(IpStatus.IP_SUCCESS, next.status(), "the echo after an ICMP error: " + next);

    java.util.List<java.util.concurrent.CompletableFuture<EchoResult>> errors =
        new java.util.ArrayList<>();
    java.util.List<java.util.concurrent.CompletableFuture<EchoResult>> replies =
        new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      errors.add(c.echoAsync(EchoRequest.to(t.rejected(f, code)).timeout(timeout).build()));
      replies.add(c.echoAsync(EchoRequest.to(t.target(f)).timeout(timeout).build()));
    }
    java.util.Map<String, Integer> seen = new java.util.TreeMap<>();
    for (var r : replies)
      seen.merge(r.get().status() + " " + r.get().getClass().getSimpleName(), 1, Integer::sum);
    java.util.Map<String, Integer> seenErrors = new java.util.TreeMap<>();
    for (var r : errors)
      seenErrors.merge(
          r.get().status() + " " + r.get().getClass().getSimpleName(), 1, Integer::sum);
    System.out.println(
        "ping socket, 200 errors interleaved with 200 echoes to a live target ("
            + f
            + "): errors "
            + seenErrors
            + ", echoes "
            + seen);
    assertEquals(
        java.util.Map.of("IP_SUCCESS Reply", 200),
        seen,
        "echoes to a live target next to ICMP errors");
    assertEquals(java.util.Map.of("IP_DEST_HOST_UNREACHABLE IcmpError", 200), seenErrors);
  }
}
