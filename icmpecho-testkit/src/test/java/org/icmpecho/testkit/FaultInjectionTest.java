package org.icmpecho.testkit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpUnsupportedException;
import org.icmpecho.SocketMode;
import org.icmpecho.testkit.internal.Cmd;
import org.junit.jupiter.api.Test;

/**
 * Faults injected under running echoes, each ending in results, never in a hang (every test is
 * bounded): the client's namespace deleted with echoes in flight, its interface taken down and up,
 * a blackhole route added and removed, a one-packet queue that refuses sends ({@code ENOBUFS}), a
 * tiny receive buffer (drops counted in {@link org.icmpecho.ClientStats#receiveDrops()}), and the
 * process's descriptor limit reached.
 */
@NetNs
class FaultInjectionTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @Test
  void theClientsNamespaceDeletedWithEchoesInFlight(NetLab lab) throws Exception {
    Node n = lab.namespace("gone");
    n.pingGroupRange(true);
    // out through lo and dropped there: 10.77.0.2 never answers
    n.ip("route add 10.77.0.0/24 dev lo");
    IcmpClient c =
        lab.register(
            IcmpClient.newBuilder()
                .networkNamespace(n.name())
                .socketMode(SocketMode.DATAGRAM)
                .build());
    InetAddress silent = InetAddress.ofLiteral("10.77.0.2"),
        lo = InetAddress.ofLiteral("127.0.0.1");
    assertInstanceOf(EchoResult.Reply.class, c.echo(EchoRequest.of(lo)));
    List<CompletableFuture<EchoResult>> inFlight = new ArrayList<>();
    for (int i = 0; i < 100; i++)
      inFlight.add(c.echoAsync(EchoRequest.to(silent).timeout(Duration.ofSeconds(1)).build()));
    try {
      Cmd.run(
          List.of(
              "ip", "netns", "delete",
              n.name())); // the name goes; the namespace lives on in the sockets
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            for (CompletableFuture<EchoResult> f : inFlight)
              assertInstanceOf(EchoResult.TimedOut.class, f.get());
            // The client goes on in its namespace; a new client for the name cannot enter it.
            assertInstanceOf(EchoResult.Reply.class, c.echo(EchoRequest.of(lo)));
            try (IcmpClient late = IcmpClient.newBuilder().networkNamespace(n.name()).build()) {
              IcmpException e =
                  assertThrows(IcmpUnsupportedException.class, () -> late.echo(EchoRequest.of(lo)));
              assertTrue(e.getMessage().contains("cannot open network namespace"), e.getMessage());
            }
          });
    } finally {
      Cmd.tryRun(
          List.of("ip", "netns", "add", n.name()),
          "",
          Cmd.TIMEOUT); // for the lab to delete at its close
    }
  }

  @Test
  void theInterfaceTakenDownAndUpMidRun(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    String dev = "v-" + t.router(1).role();
    Map<String, Integer> outcomes =
        run(
            t,
            i -> {
              if (i == 100) t.clientNode().ip("link set " + dev + " down");
              if (i == 200) t.clientNode().ip("link set " + dev + " up");
            });
    assertTrue(
        outcomes.getOrDefault("late Reply", 0) > 0,
        "answers again once the link is up: " + outcomes);
    assertTrue(
        outcomes.keySet().stream().anyMatch(k -> k.startsWith("down") && !k.endsWith("Reply")),
        "something failed while it was down: " + outcomes);
  }

  @Test
  void aBlackholeRouteAddedAndRemovedMidRun(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    String target = t.routerAddress(1, StandardProtocolFamily.INET).getHostAddress();
    Map<String, Integer> outcomes =
        run(
            t,
            i -> {
              if (i == 100) t.clientNode().ip("route add blackhole " + target + "/32");
              if (i == 200) t.clientNode().ip("route del blackhole " + target + "/32");
            });
    assertTrue(
        outcomes.getOrDefault("down SendFailed", 0) > 0,
        "the kernel refuses sends into a blackhole: " + outcomes);
    assertTrue(
        outcomes.getOrDefault("late Reply", 0) > 0,
        "answers again once the route is gone: " + outcomes);
  }

  @Test
  void aOnePacketQueueThatRefusesSends(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    // The engine waits for room as for a full send buffer, but not beyond the echo's timeout.
    Map<String, Integer> outcomes =
        run(
            t,
            i -> {
              if (i == 100) onePacketQueue(t, true);
            });
    assertTrue(
        outcomes.keySet().stream().noneMatch(k -> k.startsWith("late") && k.endsWith("Reply")),
        outcomes::toString);
  }

  /**
   * The same queue under blocking echoes, which run on the calling thread's own socket: a send the
   * kernel refuses (ENOBUFS) is retried until the echo's timeout, never thrown, and the socket
   * works again once the queue is gone.
   */
  @Test
  void aOnePacketQueueUnderBlockingEchoes(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    InetAddress target = t.routerAddress(1, StandardProtocolFamily.INET);
    answers(c, target);
    onePacketQueue(t, true);
    Map<String, Integer> outcomes = new TreeMap<>();
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 20; i++) {
            // an exception fails the test: a refused send ends in a result
            EchoResult r = c.echo(EchoRequest.to(target).timeout(TIMEOUT).build());
            outcomes.merge(r.getClass().getSimpleName(), 1, Integer::sum);
          }
        });
    // A caller waiting for room is interrupted: it gives up at once, and nothing stays counted.
    Thread self = Thread.currentThread();
    Thread interrupter =
        Thread.ofPlatform()
            .start(
                () -> {
                  LockSupport.parkNanos(200_000_000L);
                  self.interrupt();
                });
    long t0 = System.nanoTime();
    assertThrows(
        InterruptedException.class,
        () -> c.echo(EchoRequest.to(target).timeout(Duration.ofSeconds(30)).build()));
    interrupter.join();
    assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "gave up long before its timeout");
    assertEquals(0, c.stats().inFlight());
    onePacketQueue(t, false);
    System.out.println(outcomes);
    assertTrue(
        outcomes.getOrDefault("SendFailed", 0) + outcomes.getOrDefault("TimedOut", 0) > 0,
        outcomes::toString);
    answers(c, target);
    assertEquals(0, c.stats().inFlight());
  }

  @Test
  void aOnePacketQueueForAWhile(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    Map<String, Integer> outcomes =
        run(
            t,
            i -> {
              if (i == 100 || i == 200) onePacketQueue(t, i == 100);
            });
    assertTrue(
        outcomes.getOrDefault("late Reply", 0) > 0, "answers again without the queue: " + outcomes);
  }

  @Test
  void aTinyReceiveBufferDropsAnswersAndSaysSo(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c =
        lab.register(t.clientBuilder(ClientAccess.DATAGRAM).receiveBufferSize(4096).build());
    InetAddress flood = t.responderAddress(StandardProtocolFamily.INET, 1);
    t.responder()
        .script(flood, ResponderEffect.duplicate(200)); // 201 answers per echo, back to back
    answers(c, t.target(StandardProtocolFamily.INET));
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 20; i++)
      fs.add(c.echoAsync(EchoRequest.to(flood).timeout(TIMEOUT).build(), d -> {}));
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (CompletableFuture<EchoResult> f : fs)
            f.get(); // each ends (a reply, or a timeout if its answers drowned)
        });
    var stats = c.stats();
    System.out.println("tiny receive buffer: " + stats);
    // Some 4,000 answers into a queue of a few packets: the kernel drops most, and the count says
    // so.
    assertTrue(stats.receiveDrops() > 0, stats::toString);
    assertTrue(
        stats.duplicates() + stats.replies() + stats.receiveDrops() <= 20 * 201 + 1,
        stats::toString);
  }

  /**
   * A token bucket of 8 kbit/s holding one byte on the client's link (on), or none (off): the
   * kernel drops nearly every packet, and with IP_RECVERR sendmsg says so (ENOBUFS).
   */
  private static void onePacketQueue(Topology t, boolean on) {
    String dev = "v-" + t.router(1).role();
    if (on)
      t.clientNode()
          .exec(
              "tc", "qdisc", "add", "dev", dev, "root", "tbf", "rate", "8kbit", "burst", "1540",
              "limit", "1");
    else t.clientNode().exec("tc", "qdisc", "del", "dev", dev, "root");
  }

  /**
   * 300 echoes to r1's near address, one every 4 ms, with {@code fault} called before each send
   * (0-based index); every one ends within its timeout plus a bound. Outcomes by phase: before 100,
   * "down" (100-199), "late" (from 250, time to recover).
   */
  private static Map<String, Integer> run(Topology t, IntConsumer fault) throws Exception {
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    InetAddress target = t.routerAddress(1, StandardProtocolFamily.INET);
    answers(c, target);
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      fault.accept(i);
      fs.add(c.echoAsync(EchoRequest.to(target).timeout(TIMEOUT).build()));
      TimeUnit.MILLISECONDS.sleep(4);
    }
    Map<String, Integer> outcomes = new TreeMap<>();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 0; i < fs.size(); i++) {
            EchoResult r = fs.get(i).get(); // an exception fails the test: faults end in results
            String phase = i < 100 ? "before" : i < 200 ? "down" : i >= 250 ? "late" : "recovering";
            outcomes.merge(phase + " " + r.getClass().getSimpleName(), 1, Integer::sum);
          }
        });
    System.out.println(outcomes);
    assertEquals(100, outcomes.getOrDefault("before Reply", 0), outcomes::toString);
    assertEquals(0, c.stats().inFlight());
    return outcomes;
  }

  /**
   * Waits for a first answer from {@code target} (neighbour resolution; patient, for a loaded
   * machine).
   */
  private static void answers(IcmpClient c, InetAddress target) throws Exception {
    EchoResult first = null;
    for (int i = 0; i < 3 && !(first instanceof EchoResult.Reply); i++) {
      first = c.echo(EchoRequest.to(target).timeout(Duration.ofSeconds(2)).build());
    }
    assertInstanceOf(EchoResult.Reply.class, first);
  }

  /** RLIMIT_NOFILE on Linux. */
  private static final int RLIMIT_NOFILE = 7;

  @Test
  void theDescriptorLimitReachedWhenOpeningASocket(NetLab lab) throws Throwable {
    Node n = lab.namespace("fdlim");
    n.pingGroupRange(true);
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor rl = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    MethodHandle getrlimit =
        linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(), rl);
    MethodHandle setrlimit =
        linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(), rl);
    IcmpClient c =
        lab.register(
            IcmpClient.newBuilder()
                .networkNamespace(n.name())
                .socketMode(SocketMode.DATAGRAM)
                .build());
    c.echo(
        EchoRequest.of(
            InetAddress.ofLiteral("127.0.0.1"))); // the I/O thread is in the namespace already
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment limit = arena.allocate(16, 8);
      assertEquals(0, (int) getrlimit.invokeExact(RLIMIT_NOFILE, limit));
      long soft = limit.get(JAVA_LONG, 0);
      IcmpException e;
      limit.set(
          JAVA_LONG, 0,
          0); // no new descriptor at all (a limit counts descriptor numbers, not descriptors)
      assertEquals(0, (int) setrlimit.invokeExact(RLIMIT_NOFILE, limit));
      try {
        // The first IPv6 echo opens the IPv6 socket: it cannot.
        e =
            assertTimeoutPreemptively(
                Duration.ofSeconds(10),
                () ->
                    assertThrows(
                        IcmpException.class, () -> c.socketMode(StandardProtocolFamily.INET6)));
      } finally {
        limit.set(JAVA_LONG, 0, soft);
        assertEquals(0, (int) setrlimit.invokeExact(RLIMIT_NOFILE, limit));
      }
      assertEquals("EMFILE", e.errno(), e.toString());
      assertTrue(e.getMessage().contains("Too many open files"), e.getMessage());
      // With descriptors again, the same client opens it and answers.
      assertEquals(SocketMode.DATAGRAM, c.socketMode(StandardProtocolFamily.INET6));
      assertInstanceOf(
          EchoResult.Reply.class, c.echo(EchoRequest.of(InetAddress.ofLiteral("::1"))));
    }
  }
}
