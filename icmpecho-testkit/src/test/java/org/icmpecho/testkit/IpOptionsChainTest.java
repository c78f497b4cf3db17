package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpOptions;
import org.icmpecho.IpStatus;
import org.icmpecho.PathMtuDiscovery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IPv4 options through a chain of three routers, with ping sockets and with raw sockets: record
 * route lists each hop in order (the same list iputils' {@code ping -R} prints in the same
 * namespace), timestamps come from each hop, and an ICMP error reports its own TTL.
 */
@NetNs
class IpOptionsChainTest {
  private static final StandardProtocolFamily V4 = StandardProtocolFamily.INET;

  /** Timeouts for a loaded machine: nothing here measures time. */
  private static final Duration PATIENT = Duration.ofSeconds(3);

  /**
   * One echo so that neighbour discovery is done on every link before the echoes that are checked.
   */
  static void warmUp(IcmpClient c, InetAddress target) throws Exception {
    c.echo(EchoRequest.to(target).timeout(PATIENT).build());
  }

  /**
   * What record route holds after a round trip c → r1 → r2 → r3 → t → ... → c (9 slots, the
   * client's own is lost).
   */
  static List<InetAddress> expectedRoute(Topology t) throws Exception {
    List<InetAddress> route = new ArrayList<>();
    for (int k = 0; k <= 3; k++)
      route.add(InetAddress.getByName("10.0." + k + ".1")); // each node's way out
    route.add(t.target(V4)); // the target records itself on arrival and on departure
    route.add(t.target(V4));
    for (int k = 2; k >= 0; k--)
      route.add(InetAddress.getByName("10.0." + k + ".2")); // routers on the way back
    return route;
  }

  /** The addresses of iputils' {@code ping -R} output ("RR:" block). */
  static List<InetAddress> iputilsRoute(Node client, InetAddress target) throws Exception {
    String out = client.exec("ping", "-n", "-R", "-c", "1", "-W", "2", target.getHostAddress());
    System.out.println("iputils ping -R in " + client.name() + ":\n" + out);
    List<InetAddress> route = new ArrayList<>();
    boolean in = false;
    for (String line : out.split("\n")) {
      if (line.startsWith("RR:")) in = true;
      else if (!line.startsWith("\t")) in = false;
      if (in) route.add(InetAddress.getByName(line.substring(line.indexOf('\t') + 1).trim()));
    }
    return route;
  }

  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void recordRouteAndTimestampsThroughThreeRouters(ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(3);
    IcmpClient c = t.newClient(access);
    InetAddress target = t.target(V4);
    warmUp(c, target);

    EchoRequest rr =
        EchoRequest.to(target).ipOptions(IpOptions.recordRoute()).timeout(PATIENT).build();
    EchoResult.Reply r = assertInstanceOf(EchoResult.Reply.class, c.echo(rr));
    List<InetAddress> route = List.copyOf(r.ipOptions().recordedRoute());
    System.out.println(access + " echo() RR: " + route);
    assertEquals(expectedRoute(t), route);
    assertEquals(
        iputilsRoute(t.clientNode(), target), route, "iputils ping -R in the same namespace");
    if (access == ClientAccess.RAW) {
      assertEquals(0, r.ipFlags(), "Linux sends echo replies without DF");
    } else {
      assertEquals(-1, r.ipFlags(), "a ping socket does not see the IP header");
    }

    long now = LocalTime.now(ZoneOffset.UTC).toNanoOfDay() / 1_000_000;
    EchoRequest ts =
        EchoRequest.to(target)
            .ipOptions(IpOptions.timestampsAndAddresses())
            .timeout(PATIENT)
            .build();
    IpOptions got = assertInstanceOf(EchoResult.Reply.class, c.echo(ts)).ipOptions();
    List<InetAddress> stampedBy =
        got.timestamps().stream().map(x -> (InetAddress) x.address()).toList();
    // each router stamps with the address it would answer from: the one facing the client
    assertEquals(
        List.of(
            t.clientAddress(V4),
            t.routerAddress(1, V4),
            t.routerAddress(2, V4),
            t.routerAddress(3, V4)),
        stampedBy,
        got.toString());
    String iputils =
        t.clientNode()
            .exec("ping", "-n", "-T", "tsandaddr", "-c", "1", "-W", "2", target.getHostAddress());
    System.out.println("iputils ping -T tsandaddr:\n" + iputils);
    assertTrue(
        got.timestampOverflow() > 0
            && iputils.contains("Unrecorded hops: " + got.timestampOverflow() + "\n"),
        got.timestampOverflow() + " hops found no room, as iputils says");
    for (IpOptions.Timestamp x : got.timestamps()) {
      assertTrue(x.standard() && Math.abs(x.millis() - now) < 60_000, x + " vs now " + now);
    }
    IpOptions only =
        assertInstanceOf(
                EchoResult.Reply.class,
                c.echo(
                    EchoRequest.to(target)
                        .ipOptions(IpOptions.timestampsOnly())
                        .timeout(PATIENT)
                        .build()))
            .ipOptions();
    assertEquals(9, only.timestamps().size(), "one per hop: c, r1, r2, r3, t, t, r3, r2, r1");
    assertEquals(1, only.timestampOverflow());

    // The same socket, right after: no options, none reported.
    assertEquals(
        IpOptions.NONE,
        assertInstanceOf(
                EchoResult.Reply.class, c.echo(EchoRequest.to(target).timeout(PATIENT).build()))
            .ipOptions());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("org.icmpecho.testkit.Matrix#familiesAndModes")
  void anIcmpErrorReportsItsOwnTtl(StandardProtocolFamily f, ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(3);
    IcmpClient c = t.newClient(access);
    InetAddress target = t.target(f);
    warmUp(c, target);
    EchoResult e = c.echo(EchoRequest.to(target).ttl(2).timeout(PATIENT).build());
    EchoResult.IcmpError err = assertInstanceOf(EchoResult.IcmpError.class, e);
    assertEquals(IpStatus.IP_TTL_EXPIRED_TRANSIT, err.status());
    assertEquals(t.routerAddress(2, f), err.from());
    assertEquals(63, err.ttl(), "r2 sends with 64, r1 forwards it: " + err);
  }

  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void replyFlagsShowDfOnlyToRawSockets(ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    t.responder(); // answers with the request's DF bit
    IcmpClient c = t.newClient(access);
    InetAddress host = t.responderAddress(V4, 3);
    warmUp(c, host);
    for (PathMtuDiscovery pmtu : List.of(PathMtuDiscovery.DO, PathMtuDiscovery.DONT)) {
      EchoResult.Reply r =
          assertInstanceOf(
              EchoResult.Reply.class,
              c.echo(EchoRequest.to(host).pathMtuDiscovery(pmtu).timeout(PATIENT).build()));
      int expected =
          access == ClientAccess.RAW
              ? (pmtu == PathMtuDiscovery.DO ? EchoResult.Reply.IP_FLAG_DF : 0)
              : -1;
      assertEquals(expected, r.ipFlags(), pmtu + ": " + r);
    }
  }

  /**
   * A send refused for a learned path MTU reports that MTU as a number (it was text in the message
   * before), where the socket learns it: ping sockets.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("org.icmpecho.testkit.Matrix#familiesAndModes")
  void aLocalMessageTooLongCarriesTheMtu(StandardProtocolFamily f, ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(access);
    InetAddress a = t.behindSmallMtu(f);
    EchoRequest big =
        EchoRequest.to(a)
            .payloadSize(1400)
            .pathMtuDiscovery(PathMtuDiscovery.DO)
            .timeout(PATIENT)
            .build();
    EchoResult first = c.echo(big); // the router's answer teaches the kernel the path MTU
    assertEquals(IpStatus.IP_PACKET_TOO_BIG, first.status(), first.toString());
    EchoResult.SendFailed second = assertInstanceOf(EchoResult.SendFailed.class, c.echo(big));
    System.out.println(f + " " + access + ": " + second);
    assertEquals("EMSGSIZE", second.errno());
    // Ping sockets read it from the local error the kernel queues (IP_RECVERR); raw sockets do not
    // ask for those.
    assertEquals(
        access == ClientAccess.DATAGRAM ? Topology.SMALL_MTU : 0, second.mtu(), second.toString());
    assertTrue(!second.message().contains("mtu"), second.message());
  }
}
