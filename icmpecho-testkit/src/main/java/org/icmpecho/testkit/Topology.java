package org.icmpecho.testkit;

import static org.icmpecho.testkit.AddressPlan.addr;
import static org.icmpecho.testkit.AddressPlan.inRange;
import static org.icmpecho.testkit.AddressPlan.rejectAddress;
import static org.icmpecho.testkit.AddressPlan.routeAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.InternalAccess;
import org.icmpecho.internal.linux.ThreadOps;

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

  private final NetLab lab;
  private final int routers;
  private final Node client;
  private final List<Node> routerNodes;
  private final Node target;
  private final Node responderHost;
  private final AtomicInteger fresh = new AtomicInteger();
  private final AtomicInteger freshMtu = new AtomicInteger();
  private ScriptedResponder responder;

  Topology(
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
