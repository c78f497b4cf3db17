package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real echoes on this machine's loopback, in whichever socket mode the process may use here (raw as
 * root in the root namespace, whose ping_group_range is closed by default). Both modes, in
 * namespaces of their own, are covered by the test lab (icmpecho-testkit).
 */
class LoopbackTest {
  static IcmpClient client;
  static SocketMode mode;

  @BeforeAll
  static void open() throws Exception {
    client = IcmpClient.create();
    try {
      mode = client.socketMode(java.net.StandardProtocolFamily.INET);
    } catch (IcmpPermissionException e) {
      // Unprivileged, with ping sockets closed: then the message is what this machine can check.
      assertTrue(e.getMessage().contains("net.ipv4.ping_group_range"), e.getMessage());
      assertTrue(e.getMessage().contains("CAP_NET_RAW"), e.getMessage());
    }
    assumeTrue(
        mode != null || !isRoot(), "no ICMP socket may be opened here (see the message above)");
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @AfterAll
  static void close() {
    if (client != null) client.close();
  }

  @Test
  void ipv4LoopbackAnswersWithKernelRttAndTtl() throws Exception {
    EchoRequest r = EchoRequest.to(InetAddress.getByName("127.0.0.1")).ttl(42).tos(0x10).build();
    EchoResult.Reply reply = assertInstanceOf(EchoResult.Reply.class, client.echo(r));
    assertEquals(InetAddress.getByName("127.0.0.1"), reply.from());
    assertEquals(64, reply.bytes());
    assertEquals(64, reply.ttl(), "the reply's own TTL, not the request's");
    assertTrue(reply.rtt().compareTo(Duration.ofMillis(100)) < 0, reply.rtt().toString());
    assertTrue(reply.rtt().toNanos() > 0);
  }

  @Test
  void oneSocketMixesEchoesWithAndWithoutOptions() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    EchoRequest rr = EchoRequest.to(lo).ipOptions(IpOptions.recordRoute()).build();
    EchoRequest plain = EchoRequest.of(lo);
    EchoRequest ts = EchoRequest.to(lo).ipOptions(IpOptions.timestampsAndAddresses()).build();
    for (int round = 0; round < 2; round++) {
      EchoResult.Reply a = assertInstanceOf(EchoResult.Reply.class, client.echo(rr));
      // sender out, target in, target out, sender in: all 127.0.0.1
      assertEquals(
          List.of(lo, lo, lo, lo), a.ipOptions().recordedRoute(), a.ipOptions().toString());
      EchoResult.Reply b = assertInstanceOf(EchoResult.Reply.class, client.echo(plain));
      assertEquals(
          IpOptions.NONE, b.ipOptions(), "options are per message, not left on the socket");
      EchoResult.Reply c = assertInstanceOf(EchoResult.Reply.class, client.echo(ts));
      assertEquals(4, c.ipOptions().timestamps().size(), c.ipOptions().toString());
      assertEquals(lo, c.ipOptions().timestamps().get(0).address());
      assertTrue(
          c.ipOptions().timestamps().get(0).millis() < 86_400_000L,
          "milliseconds since midnight UT");
    }
  }

  @Test
  void ipv6LoopbackAnswersWithHopLimit() throws Exception {
    EchoResult r =
        client.echo(EchoRequest.to(InetAddress.getByName("::1")).ttl(5).payloadSize(1000).build());
    EchoResult.Reply reply = assertInstanceOf(EchoResult.Reply.class, r);
    assertEquals(InetAddress.getByName("::1"), reply.from());
    assertEquals(1008, reply.bytes());
    assertEquals(
        64, reply.ttl(), "the reply's own hop limit (from IPV6_HOPLIMIT), not the request's 5");
  }

  @Test
  void everyEchoGoesToItsOwnTargetWhicheverWayItsAddressCame() throws Exception {
    // A socket keeps the last destination written and skips rewriting it for the same address
    // object; an address given as an int (a template echo) or an equal but distinct object must
    // still be written.
    InetAddress a = InetAddress.getByName("127.0.0.1");
    InetAddress b = InetAddress.getByName("127.0.0.2");
    InetAddress c = InetAddress.getByName("127.0.0.3");
    InetAddress aAgain = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    EchoRequest template = EchoRequest.of(a);
    InetAddress[] order = {a, b, a, c, a, aAgain, b, b};
    boolean[] viaTemplate = {false, false, false, true, false, false, true, false};
    for (int i = 0; i < order.length; i++) {
      EchoResult r =
          viaTemplate[i]
              ? client.echoAsync(order[i], template).get(5, java.util.concurrent.TimeUnit.SECONDS)
              : client
                  .echoAsync(EchoRequest.of(order[i]))
                  .get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(order[i], assertInstanceOf(EchoResult.Reply.class, r).from(), "echo " + i);
    }
    for (InetAddress t : new InetAddress[] {a, b, a, aAgain, c, c}) { // the caller's own socket
      assertEquals(
          t, assertInstanceOf(EchoResult.Reply.class, client.echo(EchoRequest.of(t))).from());
    }
  }

  @Test
  void largestPayloadsComeBackIntact() throws Exception {
    assertInstanceOf(
        EchoResult.Reply.class,
        client.echo(EchoRequest.to(InetAddress.getByName("127.0.0.1")).payloadSize(65507).build()));
    assertInstanceOf(
        EchoResult.Reply.class,
        client.echo(EchoRequest.to(InetAddress.getByName("::1")).payloadSize(65527).build()));
  }

  @Test
  void manyConcurrentEchoesAllAnswered() throws Exception {
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      fs.add(
          client.echoAsync(
              EchoRequest.of(InetAddress.getByName(i % 2 == 0 ? "127.0.0.1" : "::1"))));
    }
    for (CompletableFuture<EchoResult> f : fs) {
      assertEquals(IpStatus.IP_SUCCESS, f.get(10, TimeUnit.SECONDS).status());
    }
  }

  @Test
  void unassignedSourceAddressFailsWithEaddrnotavail() throws Exception {
    EchoRequest r =
        EchoRequest.to(InetAddress.getByName("127.0.0.1"))
            .source(InetAddress.getByName("10.255.255.254"))
            .build();
    IcmpException e =
        org.junit.jupiter.api.Assertions.assertThrows(IcmpException.class, () -> client.echo(r));
    assertEquals("EADDRNOTAVAIL", e.errno());
  }

  @Test
  void sourceAddressOfThisHostIsUsed() throws Exception {
    EchoRequest r =
        EchoRequest.to(InetAddress.getByName("127.0.0.1"))
            .source(InetAddress.getByName("127.0.0.1"))
            .build();
    assertEquals(IpStatus.IP_SUCCESS, client.echo(r).status());
  }
}
