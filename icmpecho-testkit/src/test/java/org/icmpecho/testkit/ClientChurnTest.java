package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;
import org.junit.jupiter.api.Test;

/**
 * 10,000 clients, each created, used for one blocking {@code echo()} to 127.0.0.1 from one
 * long-lived thread (its caller socket path, ping sockets), and closed: heap, file descriptors and
 * threads stay flat. Before the caller slots stopped holding their engine, each closed client kept
 * about 1.7 MB reachable from the thread (issue 13).
 */
@NetNs
class ClientChurnTest {
  private static final int CLIENTS = 10_000;

  @Test
  void tenThousandClientsEachWithOneBlockingEchoLeaveNothing(NetLab lab) throws Exception {
    Node n = lab.namespace("churn");
    n.pingGroupRange(true);
    InetAddress lo = InetAddress.getLoopbackAddress();
    EchoRequest request = EchoRequest.to(lo).timeout(Duration.ofSeconds(2)).build();
    long[] at = new long[3]; // heap, fds, threads after the warm-up
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () -> {
          for (int i = 0; i < CLIENTS; i++) {
            try (IcmpClient c =
                IcmpClient.newBuilder()
                    .networkNamespace(n.name())
                    .socketMode(SocketMode.DATAGRAM)
                    .build()) {
              assertInstanceOf(EchoResult.Reply.class, c.echo(request), "client " + i);
            }
            if (i == 999) {
              at[0] = heapAfterGc();
              at[1] = fds();
              at[2] = threads();
            }
          }
        });
    long heap = heapAfterGc(), fds = fds(), threads = threads();
    System.out.printf(
        "%,d clients: heap after GC %,d -> %,d bytes, fds %d -> %d, threads %d -> %d%n",
        CLIENTS, at[0], heap, at[1], fds, at[2], threads);
    // 9,000 leaked engines would be 15 GB; 16 MB is the noise of a JVM that also compiles and loads
    // classes.
    assertTrue(
        heap - at[0] < 16 << 20, "heap grew by " + (heap - at[0]) + " bytes over 9,000 clients");
    assertEquals(at[1], fds, "file descriptors");
    assertTrue(threads <= at[2], "threads: " + at[2] + " -> " + threads);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long fds() throws java.io.IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  private static long threads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("icmpecho"))
        .count();
  }
}
