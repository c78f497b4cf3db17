package org.icmpecho.testkit;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.icmpecho.testkit.internal.Cmd;

/**
 * One network namespace of a lab topology: a client, a router, a target or the responder's host.
 * Commands run in it through {@code ip netns exec} (an argument vector, never a shell line), with
 * bounded waits; a failure throws a {@link NetLabException} that carries the command's standard
 * error.
 */
public final class Node {
  private final String name;
  private final String role;
  private final Map<StandardProtocolFamily, InetAddress> primary;

  Node(String name, String role, Map<StandardProtocolFamily, InetAddress> primary) {
    this.name = name;
    this.role = role;
    this.primary = primary;
  }

  /**
   * The namespace name ({@code /var/run/netns/NAME}), e.g. {@code ie-4711-3-r2}: pass it to {@code
   * networkNamespace}.
   */
  public String name() {
    return name;
  }

  /** The node's role in its topology: {@code c}, {@code r1}..{@code rN}, {@code t} or {@code s}. */
  public String role() {
    return role;
  }

  /** The node's main address of {@code family} (for a router: the address facing the client). */
  public InetAddress address(StandardProtocolFamily family) {
    return Objects.requireNonNull(
        primary.get(family), () -> role + " has no " + family + " address");
  }

  /** Runs {@code argv} inside this namespace and returns its standard output. */
  public String exec(String... argv) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(Arrays.asList(argv));
    return Cmd.run(cmd);
  }

  /**
   * Runs {@code ip -n NAME -batch -} with these commands, one per line (without the leading {@code
   * ip}).
   */
  public void ip(String... lines) {
    if (lines.length == 0) return;
    Cmd.run(List.of("ip", "-n", name, "-batch", "-"), String.join("\n", lines) + "\n");
  }

  /**
   * Sets sysctls ({@code "net.ipv4.ip_forward=1"} ...) in this namespace with one {@code sysctl
   * -w}.
   */
  public void sysctl(String... assignments) {
    if (assignments.length == 0) return;
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, "sysctl", "-q", "-w"));
    cmd.addAll(Arrays.asList(assignments));
    Cmd.run(cmd);
  }

  /** Reads one sysctl of this namespace. */
  public String sysctlValue(String key) {
    return exec("sysctl", "-n", key).strip();
  }

  /** Loads an nftables ruleset ({@code nft -f -}) in this namespace. */
  public void nft(String ruleset) {
    Cmd.run(List.of("ip", "netns", "exec", name, "nft", "-f", "-"), ruleset);
  }

  /**
   * Opens ({@code "0 2147483647"}) or closes ({@code "1 0"}, the kernel default) {@code
   * net.ipv4.ping_group_range} in this namespace: the switch for unprivileged ping sockets, for
   * both families. It is read when a socket is created; sockets already open keep working.
   */
  public void pingGroupRange(boolean open) {
    sysctl("net.ipv4.ping_group_range=" + (open ? "0 2147483647" : "1 0"));
  }

  @Override
  public String toString() {
    return role + "(" + name + ")";
  }
}
