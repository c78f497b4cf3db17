package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Traceroute over a chain of 5 routers: TTL i expires at router i, TTL 6 reaches the target. */
@NetNs
class TracerouteTest {
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("org.icmpecho.testkit.Matrix#familiesAndModes")
  void eachHopReportsItself(StandardProtocolFamily f, ClientAccess access, NetLab lab)
      throws Exception {
    int routers = 5;
    Topology t = lab.chain(routers);
    IcmpClient c = t.newClient(access);
    InetAddress target = t.target(f);
    List<CompletableFuture<EchoResult>> hops = new ArrayList<>();
    for (int ttl = 1; ttl <= routers + 1; ttl++) {
      // every hop answers: the timeout only bounds a failure
      hops.add(c.echoAsync(EchoRequest.to(target).ttl(ttl).timeout(Duration.ofSeconds(5)).build()));
    }
    StringBuilder trace = new StringBuilder("traceroute " + f + " " + access + ":\n");
    for (int ttl = 1; ttl <= routers + 1; ttl++) {
      EchoResult r = hops.get(ttl - 1).get();
      trace.append(String.format("  %d  %s%n", ttl, r));
      if (ttl <= routers) {
        assertEquals(IpStatus.IP_TTL_EXPIRED_TRANSIT, r.status(), "hop " + ttl + ": " + r);
        assertEquals(t.routerAddress(ttl, f), ((EchoResult.IcmpError) r).from(), "hop " + ttl);
      } else {
        assertEquals(IpStatus.IP_SUCCESS, r.status(), r.toString());
        assertEquals(target, ((EchoResult.Reply) r).from());
      }
    }
    System.out.print(trace);
  }
}
