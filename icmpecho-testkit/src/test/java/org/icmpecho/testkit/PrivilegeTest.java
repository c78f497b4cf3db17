package org.icmpecho.testkit;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.SocketMode;
import org.junit.jupiter.api.Test;

/**
 * The unprivileged paths, as root: CAP_NET_RAW dropped on the client's I/O thread only (capset),
 * ping_group_range closed or open in the client namespace.
 */
@NetNs
class PrivilegeTest {

  @Test
  void noWayInNamesTheRangeTheGroupAndCapNetRaw(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.UNPRIVILEGED);
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> c.echoAsync(EchoRequest.of(t.target(INET))).get(10, TimeUnit.SECONDS));
    IcmpPermissionException p = assertInstanceOf(IcmpPermissionException.class, e.getCause());
    String m = p.getMessage();
    System.out.println("permission message: " + m);
    long gid = effectiveGid();
    assertTrue(m.contains("net.ipv4.ping_group_range"), m);
    assertTrue(
        m.matches("(?s).*\\bgroup " + gid + "\\b.*"),
        "message must name the group " + gid + ": " + m);
    assertTrue(
        m.matches("(?s).*\"1\\s+0\".*"), "message must show the current range \"1 0\": " + m);
    assertTrue(m.contains("CAP_NET_RAW"), m);
    // The rest of the process keeps its capabilities: the lab can still build namespaces.
    t.clientNode().sysctl("net.ipv4.ping_group_range=1 0");
  }

  @Test
  void droppedCapabilityWithOpenRangeUsesPingSockets(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient.Builder b = t.clientBuilder(ClientAccess.UNPRIVILEGED);
    t.clientNode().pingGroupRange(true);
    IcmpClient c = lab.register(b.build());
    assertEquals(SocketMode.DATAGRAM, c.socketMode(INET));
    assertEquals(SocketMode.DATAGRAM, c.socketMode(INET6));
    assertInstanceOf(EchoResult.Reply.class, c.echo(EchoRequest.of(t.target(INET))));
    assertInstanceOf(EchoResult.Reply.class, c.echo(EchoRequest.of(t.target(INET6))));

    IcmpClient raw =
        lab.register(t.clientBuilder(ClientAccess.UNPRIVILEGED).socketMode(SocketMode.RAW).build());
    IcmpPermissionException p =
        assertThrows(IcmpPermissionException.class, () -> raw.socketMode(INET6));
    assertTrue(p.getMessage().contains("CAP_NET_RAW"), p.getMessage());
  }

  private static long effectiveGid() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Gid:")) return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
    }
    throw new AssertionError("no Gid line");
  }
}
