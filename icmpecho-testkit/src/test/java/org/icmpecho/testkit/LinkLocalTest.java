package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IPv6 link-local targets carry their scope (the interface index): the echo leaves through that
 * interface and the reply keeps the scope. The router's fe80:: address is only reachable with it.
 */
@NetNs
class LinkLocalTest {
  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void linkLocalRouterAnswersThroughTheScopedInterface(ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient client = t.newClient(access);
    Node c = t.clientNode();
    Node r1 = t.router(1);
    String clientIf = "v-" + r1.role(); // the client's end of the link to r1
    String routerIf = "v-" + c.role();

    Matcher a =
        Pattern.compile("inet6 (fe80::[0-9a-f:]+)/64")
            .matcher(r1.exec("ip", "-6", "-o", "addr", "show", "dev", routerIf, "scope", "link"));
    assertTrue(a.find(), "r1 has a link-local address on " + routerIf);
    Matcher idx =
        Pattern.compile("^(\\d+): ").matcher(c.exec("ip", "-o", "link", "show", "dev", clientIf));
    assertTrue(idx.find(), "the client's interface index");
    int scope = Integer.parseInt(idx.group(1));
    Inet6Address target =
        Inet6Address.getByAddress(null, InetAddress.getByName(a.group(1)).getAddress(), scope);

    EchoResult.Reply r =
        assertInstanceOf(
            EchoResult.Reply.class, client.echo(EchoRequest.of(target)), target.toString());
    Inet6Address from = assertInstanceOf(Inet6Address.class, r.from());
    assertEquals(target, from);
    assertEquals(scope, from.getScopeId());
    assertEquals(64, r.ttl(), "a neighbour's reply arrives with its full hop limit");
  }
}
