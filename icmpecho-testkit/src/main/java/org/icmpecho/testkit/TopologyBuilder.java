package org.icmpecho.testkit;

import static org.icmpecho.testkit.AddressPlan.primary;
import static org.icmpecho.testkit.AddressPlan.rejectAddress;
import static org.icmpecho.testkit.AddressPlan.v4;
import static org.icmpecho.testkit.AddressPlan.v6;
import static org.icmpecho.testkit.AddressPlan.v6net;
import static org.icmpecho.testkit.Topology.REJECT_CODES_V4;
import static org.icmpecho.testkit.Topology.REJECT_CODES_V6;
import static org.icmpecho.testkit.Topology.SMALL_MTU;

import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.icmpecho.testkit.internal.Cmd;

/**
 * Makes a {@link Topology}: its namespaces and their sysctls, the veth pairs (one {@code ip
 * -batch}), addresses and routes per namespace, and r1's nftables reject rules. Runs once per lab,
 * as root.
 */
final class TopologyBuilder {
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

  private TopologyBuilder() {}

  /** Builds the chain of {@code n} routers in {@code lab} (see {@link Topology}). */
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
}
