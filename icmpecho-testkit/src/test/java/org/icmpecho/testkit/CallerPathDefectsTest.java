package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.internal.InternalAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three defects a hostile run found in the blocking {@code echo()} path on a thread's own
 * socket (issue 13, item 4): an interrupted echo that left its socket in the thread's epoll, closed
 * clients kept alive by a long-lived thread's caller slot, and sockets orphaned when the thread
 * asking for one was interrupted.
 */
@NetNs
class CallerPathDefectsTest {
  private static EchoRequest req(InetAddress a, Duration timeout) {
    return EchoRequest.to(a).timeout(timeout).build();
  }

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void anInterruptedEchoLeavesNothingInTheThreadsPoller(StandardProtocolFamily f, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    InetAddress slow = t.responderAddress(f, 0);
    // Answered 60 ms later: the echo cannot be served by the read right after the send, so it waits
    // in the poller.
    t.responder().script(slow, ResponderEffect.delay(Duration.ofMillis(60)));
    List<Object> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch waiting = new CountDownLatch(1);
    Thread th =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    outcomes.add(
                        c.echo(
                            req(
                                slow,
                                Duration.ofSeconds(
                                    2)))); // opens the thread's socket, waits in its poller
                    for (int round = 0; round < 3; round++) {
                      try {
                        waiting.countDown();
                        outcomes.add(c.echo(req(t.blackholed(f), Duration.ofSeconds(20))));
                      } catch (InterruptedException e) {
                        outcomes.add("interrupted");
                      }
                      // The next echo again waits in the poller: the interrupted one's registration
                      // must be gone.
                      outcomes.add(c.echo(req(slow, Duration.ofSeconds(2))));
                    }
                  } catch (Exception e) {
                    outcomes.add(e);
                  }
                });
    assertTrue(waiting.await(10, TimeUnit.SECONDS));
    for (int round = 0; round < 3 && th.isAlive(); round++) {
      Thread.sleep(150); // the 20 s echo sits in the poller by now
      th.interrupt();
      Thread.sleep(300); // the follow-up echo (60 ms) is done
    }
    th.join(10_000);
    assertEquals(7, outcomes.size(), outcomes.toString());
    for (int i = 0; i < 7; i++) {
      if (i % 2 == 1) assertEquals("interrupted", outcomes.get(i), outcomes.toString());
      else assertInstanceOf(EchoResult.Reply.class, outcomes.get(i), outcomes.toString());
    }
    assertEquals(0, c.stats().inFlight(), c.stats().toString());
  }

  @Test
  void aPendingInterruptIsAnsweredBeforeAnythingIsSent(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    InetAddress target = t.target(StandardProtocolFamily.INET);
    try (IcmpClient c = t.newClient(ClientAccess.DATAGRAM)) {
      // The thread's own socket is open and ready: before the fix, nothing on this path looked
      // at the interrupt, so the echo went out and answered.
      assertInstanceOf(EchoResult.Reply.class, c.echo(req(target, Duration.ofSeconds(2))));
      long sent = c.stats().sent();
      Thread.currentThread().interrupt();
      assertThrows(InterruptedException.class, () -> c.echo(req(target, Duration.ofSeconds(2))));
      assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed, as by sleep");
      assertEquals(sent, c.stats().sent(), "nothing sent for the interrupted call");
      assertInstanceOf(EchoResult.Reply.class, c.echo(req(target, Duration.ofSeconds(2))));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void closedClientsAreNotKeptAliveByAThreadThatEchoedThroughThem(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    InetAddress target = t.target(StandardProtocolFamily.INET);
    // This (long-lived) thread echoes once through each client, on a socket of its own, then closes
    // the client.
    List<WeakReference<Object>> engines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      IcmpClient c = t.clientBuilder(ClientAccess.DATAGRAM).build();
      try {
        assertInstanceOf(EchoResult.Reply.class, c.echo(req(target, Duration.ofSeconds(2))));
        assertEquals(1, InternalAccess.callerSockets(c), "the echo ran on the thread's own socket");
        engines.add(new WeakReference<>(InternalAccess.engine(c)));
      } finally {
        c.close();
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (engines.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < end) {
      System.gc();
      Thread.sleep(50);
    }
    long alive = engines.stream().filter(r -> r.get() != null).count();
    assertEquals(
        0,
        alive,
        "closed engines still reachable (each holds its I/O loops' slot tables, ~1.7 MB)");
  }

  @Test
  void aThreadInterruptedWhileItsSocketOpensLeavesNoSocketBehind(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    InetAddress target = t.target(StandardProtocolFamily.INET);
    interruptedFirstEchoes(t, target, 1); // loads what the path loads, so the baseline is steady
    long baseline = openFds();
    int interrupted = interruptedFirstEchoes(t, target, 20);
    // A thread whose socket was opened before it began to wait is not interrupted (echo() only
    // notices an interrupt while it waits); most are, and each of those left a socket opening
    // behind it.
    assertTrue(interrupted >= 10, interrupted + " of 20 threads were interrupted");
    assertEquals(
        baseline, openFds(), "descriptors left after the client closed: sockets nobody closes");
  }

  /**
   * A client, and {@code n} threads one after the other, each interrupted before its first blocking
   * echo: the thread asks the I/O thread for a socket of its own and gives up waiting at once (the
   * interrupt is pending), while the I/O thread opens it all the same. One at a time, so that none
   * finds every caller socket taken by live threads. Then the client closes (every socket it knows
   * of with it). Returns how many were interrupted.
   */
  private static int interruptedFirstEchoes(Topology t, InetAddress target, int n)
      throws Exception {
    IcmpClient c = t.clientBuilder(ClientAccess.DATAGRAM).build();
    int interrupted = 0;
    try {
      assertInstanceOf(EchoResult.Reply.class, c.echo(req(target, Duration.ofSeconds(2))));
      for (int i = 0; i < n; i++) {
        CompletableFuture<Object> o = new CompletableFuture<>();
        Thread.ofPlatform()
            .start(
                () -> {
                  Thread.currentThread().interrupt();
                  try {
                    o.complete(c.echo(req(target, Duration.ofSeconds(2))));
                  } catch (InterruptedException e) {
                    o.complete("interrupted");
                  } catch (IOException | RuntimeException e) {
                    o.complete(e);
                  }
                })
            .join(10_000);
        Object outcome = o.get(1, TimeUnit.SECONDS);
        if ("interrupted".equals(outcome)) interrupted++;
        else assertInstanceOf(EchoResult.Reply.class, outcome);
      }
      c.stats(); // runs on the I/O thread after the socket openings it was asked for
    } finally {
      c.close();
    }
    return interrupted;
  }

  private static long openFds() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }
}
