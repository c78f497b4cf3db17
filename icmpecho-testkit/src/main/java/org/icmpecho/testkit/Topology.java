package org.icmpecho.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.InternalAccess;
import org.icmpecho.internal.linux.ThreadOps;
import org.icmpecho.testkit.internal.Cmd;

/**
 * The lab's standard topology, made by {@link NetLab#chain(int)}: a chain of namespaces joined by
 * veth pairs, with IPv4 and IPv6 everywhere and an address for every kernel-made ICMP answer.
 *
 * <pre>
 *   c ──link0── r1 ──link1── r2 ── ... ── rN ──linkN── t          (t: kernel answers echo)
 *               │ └──── 1280-MTU link ───────────────────┘
 *               └──link200── s                                     (s: the scripted responder's host)
 * </pre>
 *
 * <p>Address plan (all private, all inside the lab):
 *
 * <ul>
 *   <li>link k: left end {@code 10.0.k.1} / {@code fd00:0:0:k::1}, right end {@code .2} / {@code
 *       ::2}; the client is {@code 10.0.0.1}, router i faces the client with {@code 10.0.(i-1).2}
 *       ({@link #routerAddress}), the source of its ICMP errors;
 *   <li>t answers on {@code 10.0.N.2} ({@link #target}) and on all of {@code 10.1.0.0/16}, {@code
 *       fd00:1::/64} ({@link #freshTarget});
 *   <li>r1 holds the failure routes: {@code unreachable 10.9.1.0/24}, {@code prohibit 10.9.2.0/24},
 *       {@code blackhole 10.9.3.0/24} (and {@code fd00:9:1::/64} ...) and nftables rejects for
 *       {@code 10.9.4.(10+code)} / {@code fd00:9:4::(10+code)} ({@link #rejected});
 *   <li>{@code 10.3.0.0/16}, {@code fd00:3::/64} on t are reached only through r1's 1280-MTU link
 *       ({@link #behindSmallMtu}): fresh addresses, because the kernel caches a learned path MTU
 *       per destination;
 *   <li>{@code 10.2.0.0/16}, {@code fd00:2::/64} are local to s, where the kernel's echo answers
 *       are off and the {@link ScriptedResponder} answers ({@link #responderAddress}).
 * </ul>
 *
 * <p>Every namespace has ICMP rate limits off ({@code icmp_ratelimit=0}, {@code icmp_ratemask=0},
 * {@code ipv6.icmp.ratelimit=0}, high {@code icmp_msgs_per_sec}/{@code burst}), IPv6 DAD off and
 * {@code rp_filter} off; routers forward. No namespace has a default route: packets for anything
 * else fail locally.
 */
public final class Topology {
  /** The MTU of the small link. */
  public static final int SMALL_MTU = 1280;

  /** ICMP codes r1 rejects with for IPv4 (nftables {@code reject with icmp type ...}). */
  public static final Set<Integer> REJECT_CODES_V4 = Set.of(0, 1, 2, 3, 9, 10, 13);

  /** ICMPv6 codes r1 rejects with for IPv6 (nftables {@code reject with icmpv6 type ...}). */
  public static final Set<Integer> REJECT_CODES_V6 = Set.of(0, 1, 3, 4, 5, 6);

  private static final Map<Integer, String> NFT_V4 =
      Map.of(
          0,
          "net-unreachable",
          1,
          "host-unreachable",
          2,
          "prot-unreachable",
          3,
          "port-unreachable",
          9,
          "net-prohibited",
          10,
          "host-prohibited",
          13,
          "admin-prohibited");
  private static final Map<Integer, String> NFT_V6 =
      Map.of(
          0,
          "no-route",
          1,
          "admin-prohibited",
          3,
          "addr-unreachable",
          4,
          "port-unreachable",
          5,
          "policy-fail",
          6,
          "reject-route");

  private final NetLab lab;
  private final int routers;
  private final Node client;
  private final List<Node> routerNodes;
  private final Node target;
  private final Node responderHost;
  private final AtomicInteger fresh = new AtomicInteger();
  private final AtomicInteger freshMtu = new AtomicInteger();
  private ScriptedResponder responder;

  private Topology(
      NetLab lab,
      int routers,
      Node client,
      List<Node> routerNodes,
      Node target,
      Node responderHost) {
    this.lab = lab;
    this.routers = routers;
    this.client = client;
    this.routerNodes = routerNodes;
    this.target = target;
    this.responderHost = responderHost;
  }

  static Topology build(NetLab lab, int n) {
    if (n < 1 || n > 50) throw new IllegalArgumentException("routers " + n + " not in 1..50");
    String p = lab.prefix();
    Node c = new Node(p + "c", "c", primary(v4(0, 1), v6(0, 1)));
    List<Node> rs = new ArrayList<>();
    for (int i = 1; i <= n; i++)
      rs.add(new Node(p + "r" + i, "r" + i, primary(v4(i - 1, 2), v6(i - 1, 2))));
    Node t = new Node(p + "t", "t", primary(v4(n, 2), v6(n, 2)));
    Node s = new Node(p + "s", "s", primary(v4(200, 2), v6(200, 2)));
    List<Node> all = new ArrayList<>();
    all.add(c);
    all.addAll(rs);
    all.add(t);
    all.add(s);
    lab.addNamespaces(all);

    // Sysctls first: accept_dad=0 must be in place before the interfaces appear.
    for (Node node : all) {
      List<String> sys = new ArrayList<>(List.of(NetLab.BASE_SYSCTLS));
      if (node.role().startsWith("r")) {
        sys.add("net.ipv4.ip_forward=1");
        sys.add("net.ipv6.conf.all.forwarding=1");
      }
      if (node == s) {
        sys.add("net.ipv4.icmp_echo_ignore_all=1");
        sys.add("net.ipv6.icmp.echo_ignore_all=1");
      }
      node.sysctl(sys.toArray(String[]::new));
    }

    // All veth pairs with one command; each end is created inside its namespace.
    StringBuilder links = new StringBuilder();
    List<Node> chain = new ArrayList<>();
    chain.add(c);
    chain.addAll(rs);
    chain.add(t);
    for (int k = 0; k <= n; k++) {
      Node left = chain.get(k);
      Node right = chain.get(k + 1);
      links.append(veth(left, "v-" + right.role(), right, "v-" + left.role(), 1500));
    }
    Node r1 = rs.get(0);
    links.append(veth(r1, "v-s", s, "v-r1", 1500));
    links.append(veth(r1, "m-t", t, "m-r1", SMALL_MTU));
    Cmd.run(List.of("ip", "-batch", "-"), links.toString());

    Map<Node, List<String>> cmds = new java.util.LinkedHashMap<>();
    for (Node node : all) cmds.put(node, new ArrayList<>(List.of("link set lo up")));
    for (int k = 0; k <= n; k++) {
      Node left = chain.get(k);
      Node right = chain.get(k + 1);
      addLinkAddresses(cmds.get(left), "v-" + right.role(), k, 1);
      addLinkAddresses(cmds.get(right), "v-" + left.role(), k, 2);
    }
    addLinkAddresses(cmds.get(r1), "v-s", 200, 1);
    addLinkAddresses(cmds.get(s), "v-r1", 200, 2);
    addLinkAddresses(cmds.get(r1), "m-t", 201, 1);
    addLinkAddresses(cmds.get(t), "m-r1", 201, 2);

    // Client: everything of the lab through r1; nothing else (no default route).
    cmds.get(c).add("route add 10.0.0.0/8 via " + v4(0, 2).getHostAddress());
    cmds.get(c).add("route add fd00::/16 via " + v6(0, 2).getHostAddress());
    // Router i: back towards the client for the links behind it, forward for the rest.
    for (int i = 1; i <= n; i++) {
      List<String> rc = cmds.get(rs.get(i - 1));
      for (int j = 0; j <= i - 2; j++) {
        rc.add("route add 10.0." + j + ".0/24 via " + v4(i - 1, 1).getHostAddress());
        rc.add("route add " + v6net(j) + " via " + v6(i - 1, 1).getHostAddress());
      }
      rc.add("route add 10.0.0.0/8 via " + v4(i, 2).getHostAddress());
      rc.add("route add fd00::/16 via " + v6(i, 2).getHostAddress());
    }
    List<String> r1c = cmds.get(r1);
    r1c.add("route add 10.2.0.0/16 via " + v4(200, 2).getHostAddress());
    r1c.add("route add fd00:2::/64 via " + v6(200, 2).getHostAddress());
    r1c.add("route add 10.3.0.0/16 via " + v4(201, 2).getHostAddress());
    r1c.add("route add fd00:3::/64 via " + v6(201, 2).getHostAddress());
    r1c.add("route add unreachable 10.9.1.0/24");
    r1c.add("route add prohibit 10.9.2.0/24");
    r1c.add("route add blackhole 10.9.3.0/24");
    r1c.add("route add unreachable fd00:9:1::/64");
    r1c.add("route add prohibit fd00:9:2::/64");
    r1c.add("route add blackhole fd00:9:3::/64");
    List<String> tc = cmds.get(t);
    tc.add("route add 10.0.0.0/8 via " + v4(n, 1).getHostAddress());
    tc.add("route add fd00::/16 via " + v6(n, 1).getHostAddress());
    tc.add("route add local 10.1.0.0/16 dev lo");
    tc.add("route add local fd00:1::/64 dev lo");
    tc.add("route add local 10.3.0.0/16 dev lo");
    tc.add("route add local fd00:3::/64 dev lo");
    List<String> sc = cmds.get(s);
    sc.add("route add 10.0.0.0/8 via " + v4(200, 1).getHostAddress());
    sc.add("route add fd00::/16 via " + v6(200, 1).getHostAddress());
    sc.add("route add local 10.2.0.0/16 dev lo");
    sc.add("route add local fd00:2::/64 dev lo");
    for (Map.Entry<Node, List<String>> e : cmds.entrySet())
      e.getKey().ip(e.getValue().toArray(String[]::new));

    StringBuilder nft =
        new StringBuilder(
            """
        table inet icmpecho_lab {
          chain forward_rejects {
            type filter hook forward priority 0; policy accept;
        """);
    for (int code : REJECT_CODES_V4.stream().sorted().toList()) {
      nft.append("    ip daddr ")
          .append(rejectAddress(StandardProtocolFamily.INET, code).getHostAddress())
          .append(" reject with icmp type ")
          .append(NFT_V4.get(code))
          .append('\n');
    }
    for (int code : REJECT_CODES_V6.stream().sorted().toList()) {
      nft.append("    ip6 daddr ")
          .append(rejectAddress(StandardProtocolFamily.INET6, code).getHostAddress())
          .append(" reject with icmpv6 type ")
          .append(NFT_V6.get(code))
          .append('\n');
    }
    nft.append("  }\n}\n");
    r1.nft(nft.toString());
    return new Topology(lab, n, c, Collections.unmodifiableList(rs), t, s);
  }

  private static String veth(Node a, String ifA, Node b, String ifB, int mtu) {
    return "link add name "
        + ifA
        + " netns "
        + a.name()
        + " mtu "
        + mtu
        + " type veth peer name "
        + ifB
        + " netns "
        + b.name()
        + " mtu "
        + mtu
        + "\n";
  }

  private static void addLinkAddresses(List<String> cmds, String dev, int link, int host) {
    cmds.add("link set " + dev + " up");
    cmds.add("addr add " + v4(link, host).getHostAddress() + "/24 dev " + dev);
    cmds.add("addr add " + v6(link, host).getHostAddress() + "/64 dev " + dev + " nodad");
  }

  private static Map<StandardProtocolFamily, InetAddress> primary(InetAddress a4, InetAddress a6) {
    Map<StandardProtocolFamily, InetAddress> m = new EnumMap<>(StandardProtocolFamily.class);
    m.put(StandardProtocolFamily.INET, a4);
    m.put(StandardProtocolFamily.INET6, a6);
    return m;
  }

  static InetAddress v4(int link, int host) {
    return addr(new byte[] {10, 0, (byte) link, (byte) host});
  }

  static InetAddress v6(int link, int host) {
    byte[] b = new byte[16];
    b[0] = (byte) 0xfd;
    b[6] = (byte) (link >> 8);
    b[7] = (byte) link;
    b[14] = (byte) (host >> 8);
    b[15] = (byte) host;
    return addr(b);
  }

  private static String v6net(int link) {
    return "fd00:0:0:" + Integer.toHexString(link) + "::/64";
  }

  private static InetAddress addr(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code prefix} ({@code 10.x.0.0/16} or {@code fd00:x::/64}) plus host number {@code i}. */
  private static InetAddress inRange(StandardProtocolFamily f, int second, int i) {
    if (f == StandardProtocolFamily.INET) {
      if (i < 0 || i >= 250 * 250)
        throw new IllegalArgumentException("host index " + i + " not in 0..62499");
      return addr(new byte[] {10, (byte) second, (byte) (1 + i / 250), (byte) (1 + i % 250)});
    }
    if (i < 0 || i >= 62_500)
      throw new IllegalArgumentException("host index " + i + " not in 0..62499");
    byte[] b = new byte[16];
    b[0] = (byte) 0xfd;
    b[3] = (byte) second;
    b[14] = (byte) ((i + 1) >> 8);
    b[15] = (byte) (i + 1);
    return addr(b);
  }

  private static InetAddress rejectAddress(StandardProtocolFamily f, int code) {
    return f == StandardProtocolFamily.INET
        ? addr(new byte[] {10, 9, 4, (byte) (10 + code)})
        : addr(
            new byte[] {(byte) 0xfd, 0, 0, 9, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (10 + code)});
  }

  private static InetAddress routeAddress(StandardProtocolFamily f, int third) {
    return f == StandardProtocolFamily.INET
        ? addr(new byte[] {10, 9, (byte) third, 1})
        : addr(new byte[] {(byte) 0xfd, 0, 0, 9, 0, (byte) third, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** The lab this topology lives in. */
  public NetLab lab() {
    return lab;
  }

  /** The client's namespace. */
  public Node clientNode() {
    return client;
  }

  /** Router {@code i}, 1-based: router 1 is next to the client. */
  public Node router(int i) {
    return routerNodes.get(i - 1);
  }

  public List<Node> routers() {
    return routerNodes;
  }

  public int routerCount() {
    return routers;
  }

  /** The target's namespace (the kernel answers echo there). */
  public Node targetNode() {
    return target;
  }

  /** The responder's namespace (kernel echo answers off). */
  public Node responderNode() {
    return responderHost;
  }

  /** The client's address: the source of its echoes. */
  public InetAddress clientAddress(StandardProtocolFamily f) {
    return client.address(f);
  }

  /** The target's main address, {@code routerCount()} hops away; the kernel answers with TTL 64. */
  public InetAddress target(StandardProtocolFamily f) {
    return target.address(f);
  }

  /** A target address never handed out before by this topology (the kernel of t answers it). */
  public InetAddress freshTarget(StandardProtocolFamily f) {
    return inRange(f, 1, fresh.getAndIncrement());
  }

  /**
   * Router {@code i}'s address facing the client: the source of its TTL-expired and unreachable
   * answers.
   */
  public InetAddress routerAddress(int i, StandardProtocolFamily f) {
    return router(i).address(f);
  }

  /**
   * An address r1 has an {@code unreachable} route for (IPv4: host unreachable 3/1; IPv6: no route
   * 1/0).
   */
  public InetAddress unreachable(StandardProtocolFamily f) {
    return routeAddress(f, 1);
  }

  /**
   * An address r1 has a {@code prohibit} route for (IPv4: 3/13 admin filtered; IPv6: 1/1 admin
   * prohibited).
   */
  public InetAddress prohibited(StandardProtocolFamily f) {
    return routeAddress(f, 2);
  }

  /** An address r1 silently drops ({@code blackhole} route): echoes to it time out. */
  public InetAddress blackholed(StandardProtocolFamily f) {
    return routeAddress(f, 3);
  }

  /**
   * An address whose echoes r1 rejects with ICMP destination unreachable {@code code} (nftables):
   * IPv4 codes {@link #REJECT_CODES_V4}, IPv6 codes {@link #REJECT_CODES_V6}. Unlike routes, these
   * are not rate limited.
   */
  public InetAddress rejected(StandardProtocolFamily f, int code) {
    Set<Integer> codes = f == StandardProtocolFamily.INET ? REJECT_CODES_V4 : REJECT_CODES_V6;
    if (!codes.contains(code))
      throw new IllegalArgumentException("no nftables reject for " + f + " code " + code);
    return rejectAddress(f, code);
  }

  /**
   * A fresh address of t reached through r1's {@value #SMALL_MTU}-MTU link: a larger echo with DF
   * set gets "fragmentation needed" (3/4) / "packet too big" (2) from r1 with MTU 1280; the next
   * one to the same address fails locally (the kernel learned the path MTU).
   */
  public InetAddress behindSmallMtu(StandardProtocolFamily f) {
    return inRange(f, 3, freshMtu.getAndIncrement());
  }

  /**
   * An address with no route in the client namespace (a send to it fails locally with ENETUNREACH).
   */
  public InetAddress unrouted(StandardProtocolFamily f) {
    return f == StandardProtocolFamily.INET
        ? addr(new byte[] {(byte) 172, 31, (byte) 255, 1})
        : addr(new byte[] {(byte) 0xfd, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }

  /**
   * Responder address {@code i} (0..62499): {@code 10.2.0.0/16} / {@code fd00:2::/64}, all local to
   * s.
   */
  public InetAddress responderAddress(StandardProtocolFamily f, int i) {
    return inRange(f, 2, i);
  }

  /** The scripted responder in s, started on first use and closed with the lab. */
  public synchronized ScriptedResponder responder() {
    if (responder == null) responder = lab.register(ScriptedResponder.start(responderHost.name()));
    return responder;
  }

  /**
   * A client builder for the client namespace with {@code access}: sets {@code ping_group_range}
   * there (open for {@link ClientAccess#DATAGRAM}, closed otherwise) and, for {@link
   * ClientAccess#UNPRIVILEGED}, drops {@code CAP_NET_RAW} on the client's I/O thread. The range is
   * read when a socket opens (lazily, at the first echo of a family), so build and use the client
   * before changing the range for another client.
   */
  public IcmpClient.Builder clientBuilder(ClientAccess access) {
    client.pingGroupRange(access == ClientAccess.DATAGRAM);
    IcmpClient.Builder b =
        IcmpClient.newBuilder().networkNamespace(client.name()).socketMode(access.socketMode());
    if (access == ClientAccess.UNPRIVILEGED) {
      InternalAccess.configure(b, cfg -> cfg.withIoThreadSetup(Topology::dropNetRaw));
    }
    return b;
  }

  /**
   * A client in the client namespace with {@code access}, closed with the lab. For DATAGRAM and RAW
   * both sockets are opened at once (and checked to be of that kind), so a later change of the
   * range does not matter.
   */
  public IcmpClient newClient(ClientAccess access) {
    IcmpClient c = lab.register(clientBuilder(access).build());
    if (access != ClientAccess.UNPRIVILEGED) {
      for (StandardProtocolFamily f : StandardProtocolFamily.values()) {
        if (f == StandardProtocolFamily.UNIX) continue;
        SocketMode m;
        try {
          m = c.socketMode(f);
        } catch (IOException e) {
          throw new NetLabException(
              "cannot open the "
                  + access
                  + " "
                  + f
                  + " socket in "
                  + client.name()
                  + ": "
                  + e.getMessage(),
              e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new NetLabException("interrupted", e);
        }
        if (m != access.socketMode()) {
          throw new NetLabException(
              "asked for a " + access.socketMode() + " " + f + " socket, got " + m);
        }
      }
    }
    return c;
  }

  /**
   * The I/O-thread setup of {@link ClientAccess#UNPRIVILEGED}: drops CAP_NET_RAW from the calling
   * thread only, through core's {@code capset} wrapper.
   */
  static void dropNetRaw() {
    try {
      ThreadOps.dropCapability(org.icmpecho.internal.linux.Sys.CAP_NET_RAW);
    } catch (IOException e) {
      throw new NetLabException("cannot drop CAP_NET_RAW on the I/O thread: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Topology[" + lab.prefix() + "*, c - " + routers + " routers - t, s at r1]";
  }
}
