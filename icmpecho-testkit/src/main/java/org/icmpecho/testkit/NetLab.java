package org.icmpecho.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.icmpecho.testkit.internal.Cmd;

/**
 * One test's network lab: the namespaces it creates, joined by veth pairs, and everything that must
 * be closed with them (clients, responders). {@link #close()} deletes it all; the {@link NetNs}
 * extension does that after every test, also a failing one. Needs root ({@code CAP_SYS_ADMIN} and
 * {@code CAP_NET_ADMIN}) and the {@code ip} and {@code nft} commands.
 *
 * <p>Namespace names are {@code ie-<pid>-<lab>-<role>}; namespaces left by a killed run are found
 * by their pid and deleted when the next lab starts ({@link #deleteStale()}). Packets never leave
 * the lab: its namespaces have no link to the host's network and no default route.
 *
 * <p>Not thread-safe: build a lab from the test's thread. The clients and responders it hands out
 * are thread-safe.
 */
public final class NetLab implements AutoCloseable {
  /** Prefix of every namespace the lab makes. */
  public static final String PREFIX = "ie-";

  private static final Path NETNS_DIR = Path.of("/var/run/netns");
  private static final Pattern OURS = Pattern.compile("ie-(\\d+)-\\d+-.*");
  private static final AtomicInteger LABS = new AtomicInteger();
  private static volatile boolean staleChecked;

  private final String prefix;
  private final List<Node> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private boolean closed;

  private NetLab() {
    this.prefix = PREFIX + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet() + "-";
  }

  /**
   * A new, empty lab. The first lab of the process also deletes stale namespaces of dead processes.
   *
   * @throws NetLabException if the namespace commands cannot run
   */
  public static NetLab create() {
    if (!staleChecked) {
      staleChecked = true;
      int n = deleteStale();
      if (n > 0)
        System.out.println(
            "icmpecho-testkit: deleted " + n + " stale namespace(s) of dead test runs");
    }
    return new NetLab();
  }

  /** The name prefix of this lab's namespaces, {@code ie-<pid>-<n>-}. */
  public String prefix() {
    return prefix;
  }

  /**
   * The standard chain: client {@code c} — routers {@code r1..rN} — target {@code t}, plus the
   * responder's host {@code s} and a 1280-MTU link, both hanging off {@code r1}. See {@link
   * Topology} for the address plan.
   *
   * @param routers 1..50
   */
  public Topology chain(int routers) {
    return TopologyBuilder.build(this, routers);
  }

  /**
   * A bare namespace for a topology of your own: loopback up, IPv6 DAD off, rp_filter off, ICMP
   * rate limits off.
   *
   * @param role a short name, [a-z0-9]{1,8}, unique in this lab
   */
  public Node namespace(String role) {
    return namespace(role, Map.of());
  }

  Node namespace(String role, Map<StandardProtocolFamily, InetAddress> primary) {
    if (!role.matches("[a-z0-9]{1,8}"))
      throw new IllegalArgumentException("bad role '" + role + "'");
    Node n = new Node(prefix + role, role, primary);
    Cmd.run(List.of("ip", "netns", "add", n.name()));
    nodes.add(n);
    n.sysctl(BASE_SYSCTLS);
    n.ip("link set lo up");
    return n;
  }

  /** Creates many namespaces with one {@code ip -batch} (faster than one by one). */
  void addNamespaces(List<Node> batch) {
    StringBuilder sb = new StringBuilder();
    for (Node n : batch) sb.append("netns add ").append(n.name()).append('\n');
    nodes.addAll(batch); // before running, so that close() deletes what a half-failed batch made
    Cmd.run(List.of("ip", "-batch", "-"), sb.toString());
  }

  /**
   * Sysctls of every lab namespace: usable IPv6 at once, no source filtering, no ICMP error rate
   * limits.
   */
  static final String[] BASE_SYSCTLS = {
    "net.ipv6.conf.all.accept_dad=0",
    "net.ipv6.conf.default.accept_dad=0",
    "net.ipv6.conf.all.accept_ra=0",
    "net.ipv6.conf.default.accept_ra=0",
    "net.ipv4.conf.all.rp_filter=0",
    "net.ipv4.conf.default.rp_filter=0",
    "net.ipv4.icmp_ratelimit=0",
    "net.ipv4.icmp_ratemask=0",
    "net.ipv6.icmp.ratelimit=0",
    "net.ipv4.icmp_msgs_per_sec=1000000",
    "net.ipv4.icmp_msgs_burst=1000000",
  };

  /**
   * Joins {@code a} and {@code b} with a veth pair named {@code ifA} in {@code a} and {@code ifB}
   * in {@code b} (created directly inside the namespaces, never in the host's) and sets both ends
   * up.
   */
  public void link(Node a, String ifA, Node b, String ifB, int mtu) {
    Cmd.run(
        List.of(
            "ip",
            "link",
            "add",
            "name",
            ifA,
            "netns",
            a.name(),
            "mtu",
            Integer.toString(mtu),
            "type",
            "veth",
            "peer",
            "name",
            ifB,
            "netns",
            b.name(),
            "mtu",
            Integer.toString(mtu)));
    a.ip("link set " + ifA + " up");
    b.ip("link set " + ifB + " up");
  }

  /**
   * Closes {@code closeable} (a client, a responder) when the lab closes, before the namespaces go.
   */
  public <T extends AutoCloseable> T register(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** The namespaces of this lab, in creation order. */
  public List<Node> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /**
   * Closes what was registered (newest first), then deletes every namespace of this lab and checks
   * that none is left. Idempotent.
   *
   * @throws NetLabException listing what could not be closed or deleted
   */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    List<String> problems = new ArrayList<>();
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        problems.add("closing " + closeables.get(i) + ": " + e);
      }
    }
    if (!nodes.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (Node n : nodes) sb.append("netns del ").append(n.name()).append('\n');
      Cmd.Result r =
          Cmd.tryRun(List.of("ip", "-force", "-batch", "-"), sb.toString(), Duration.ofSeconds(30));
      if (r.exitCode() != 0) problems.add("ip netns del: " + r.stderr().strip());
    }
    List<String> left = namespacesWithPrefix(prefix);
    if (!left.isEmpty()) problems.add("namespaces left behind: " + left);
    if (!problems.isEmpty())
      throw new NetLabException("lab " + prefix + " did not close cleanly: " + problems);
  }

  /** Names under {@code /var/run/netns} starting with {@code prefix}. */
  public static List<String> namespacesWithPrefix(String prefix) {
    if (!Files.isDirectory(NETNS_DIR)) return List.of();
    try (Stream<Path> s = Files.list(NETNS_DIR)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The namespaces this process's labs still hold (after every lab closed: none). */
  public static List<String> namespacesOfThisProcess() {
    return namespacesWithPrefix(PREFIX + ProcessHandle.current().pid() + "-");
  }

  /**
   * Deletes lab namespaces ({@code ie-<pid>-...}) whose process is gone: what a killed test run
   * left. Namespaces of live processes (other test runs on the machine) are left alone.
   *
   * @return how many were deleted
   */
  public static int deleteStale() {
    List<String> stale = new ArrayList<>();
    for (String n : namespacesWithPrefix(PREFIX)) {
      Matcher m = OURS.matcher(n);
      if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) stale.add(n);
    }
    if (stale.isEmpty()) return 0;
    StringBuilder sb = new StringBuilder();
    for (String n : stale) sb.append("netns del ").append(n).append('\n');
    Cmd.tryRun(List.of("ip", "-force", "-batch", "-"), sb.toString(), Duration.ofSeconds(30));
    return stale.size()
        - (int) stale.stream().filter(n -> Files.exists(NETNS_DIR.resolve(n))).count();
  }

  @Override
  public String toString() {
    return "NetLab[" + prefix + "*, " + nodes.size() + " namespaces]";
  }
}
