package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.icmpecho.SocketMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loopback echoes, IPv4 and IPv6, in each socket mode, the mode chosen only by the namespace's
 * ping_group_range (AUTO) or asked for outright: a namespace of the test's own, with nothing but
 * {@code lo}.
 */
@NetNs
class LoopbackModesTest {
  @ParameterizedTest(name = "range {0}, asked {1} -> {2}")
  @CsvSource({
    "open, AUTO, DATAGRAM",
    "closed, AUTO, RAW",
    "open, DATAGRAM, DATAGRAM",
    "open, RAW, RAW",
    "closed, RAW, RAW",
  })
  void loopbackAnswersInEachMode(String range, SocketMode asked, SocketMode expected, NetLab lab)
      throws Exception {
    Node n = lab.namespace("lo");
    n.pingGroupRange(range.equals("open"));
    IcmpClient client =
        lab.register(IcmpClient.newBuilder().networkNamespace(n.name()).socketMode(asked).build());
    assertEquals(expected, client.socketMode(StandardProtocolFamily.INET));
    assertEquals(expected, client.socketMode(StandardProtocolFamily.INET6));

    for (String target : new String[] {"127.0.0.1", "::1"}) {
      InetAddress a = InetAddress.getByName(target);
      EchoResult.Reply r =
          assertInstanceOf(
              EchoResult.Reply.class,
              client.echo(
                  EchoRequest.to(a).ttl(7).tos(0x20).timeout(Duration.ofSeconds(2)).build()),
              target);
      assertEquals(a, r.from());
      assertEquals(64, r.ttl(), "the reply's own TTL / hop limit, " + target);
      assertTrue(r.rtt().toNanos() > 0 && r.rtt().toMillis() < 100, r.rtt().toString());
      assertEquals(64, r.bytes());
      // The largest payload of the family comes back intact (and is verified byte for byte).
      int max =
          a.getAddress().length == 4 ? EchoRequest.MAX_PAYLOAD_V4 : EchoRequest.MAX_PAYLOAD_V6;
      assertEquals(
          IpStatus.IP_SUCCESS,
          client.echo(EchoRequest.to(a).payloadSize(max).build()).status(),
          target);
    }

    // 2,000 at once over both families: every one answered, none attributed twice.
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      fs.add(
          client.echoAsync(
              EchoRequest.of(InetAddress.getByName(i % 2 == 0 ? "127.0.0.1" : "::1"))));
    }
    for (CompletableFuture<EchoResult> f : fs) assertTrue(f.get(10, TimeUnit.SECONDS).isSuccess());
    assertEquals(2004, client.stats().replies());
    assertEquals(
        0, client.stats().duplicates() + client.stats().late() + client.stats().corrupted());
  }
}
