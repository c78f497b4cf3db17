package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.internal.InternalAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Blocking {@code echo()} from a platform thread runs on a ping socket of that thread's own (the
 * engine's caller sockets: no hand-off to the I/O thread, two system calls per round trip on
 * loopback). The same rules hold there as on the shared sockets: answers that come after their echo
 * returned (late ones, duplicates) are read by a later echo and counted, never attributed;
 * interrupts and {@code close()} end a blocking echo at once; sockets of dead threads are reused;
 * raw sockets and virtual threads keep to the shared path.
 */
@NetNs
class CallerSocketTest {
  /**
   * For echoes that must be answered: they return at the answer, so this only bounds a failure (a
   * GC pause of this JVM, which also runs the responder, held answers 250 ms under load).
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static EchoRequest req(InetAddress a, Duration timeout) {
    return EchoRequest.to(a).timeout(timeout).build();
  }

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void eachPlatformThreadEchoesOnASocketOfItsOwn(StandardProtocolFamily f, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    assertEquals(0, InternalAccess.callerSockets(c), "no caller socket before a blocking echo");
    assertInstanceOf(EchoResult.Reply.class, c.echo(req(t.target(f), TIMEOUT)));
    assertEquals(1, InternalAccess.callerSockets(c), "the test thread's own socket");

    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch done = new CountDownLatch(3);
    CountDownLatch hold = new CountDownLatch(1);
    for (int i = 0; i < 3; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int k = 0; k < 50; k++) {
                        EchoResult r = c.echo(req(t.target(f), TIMEOUT));
                        if (!(r instanceof EchoResult.Reply reply)
                            || !reply.from().equals(t.target(f))) {
                          failures.add(new AssertionError("echo " + k + ": " + r));
                        }
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    } finally {
                      done.countDown();
                    }
                    try {
                      hold.await(); // stay alive until counted, so no socket is reclaimed meanwhile
                    } catch (InterruptedException ignored) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    assertEquals(List.of(), failures);
    assertEquals(4, InternalAccess.callerSockets(c), "one socket per platform thread");
    hold.countDown();
    for (Thread th : threads) th.join();

    // A virtual thread takes the shared path: no socket of its own.
    CompletableFuture<EchoResult> fromVirtual = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                fromVirtual.complete(c.echo(req(t.target(f), TIMEOUT)));
              } catch (Exception e) {
                fromVirtual.completeExceptionally(e);
              }
            })
        .join();
    assertInstanceOf(EchoResult.Reply.class, fromVirtual.get());
    assertEquals(4, InternalAccess.callerSockets(c), "a virtual thread opens no socket");

    ClientStats s = c.stats();
    assertEquals(152, s.sent(), s.toString());
    assertEquals(152, s.replies(), s.toString());
    assertEquals(0, s.inFlight(), s.toString());
    assertEquals(0, s.foreign() + s.late() + s.corrupted() + s.duplicates(), s.toString());
  }

  @Test
  void rawSocketsAreNotMultiplied(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.RAW);
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(
          EchoResult.Reply.class, c.echo(req(t.target(StandardProtocolFamily.INET), TIMEOUT)));
    }
    // A raw socket receives every ICMP message of the namespace: one per thread would see all the
    // others' answers.
    assertEquals(0, InternalAccess.callerSockets(c));
    assertEquals(0, c.stats().foreign(), c.stats().toString());
  }

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void lateAnswersAndDuplicatesAreCountedByTheNextEcho(StandardProtocolFamily f, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    ScriptedResponder r = t.responder();
    InetAddress late = t.responderAddress(f, 0);
    InetAddress dup = t.responderAddress(f, 1);
    InetAddress plain = t.responderAddress(f, 2);
    Duration shortTimeout = Duration.ofMillis(150);
    r.script(late, ResponderEffect.late(shortTimeout));
    r.script(dup, ResponderEffect.duplicate(3));
    assertInstanceOf(
        EchoResult.Reply.class, c.echo(req(plain, TIMEOUT))); // neighbour discovery, socket opened
    assertEquals(1, InternalAccess.callerSockets(c));

    EchoResult first = c.echo(req(late, shortTimeout));
    assertInstanceOf(
        EchoResult.TimedOut.class, first, "the late answer comes 100 ms after the timeout");
    EchoResult second = c.echo(req(dup, TIMEOUT));
    assertInstanceOf(EchoResult.Reply.class, second);
    assertEquals(dup, ((EchoResult.Reply) second).from());
    Thread.sleep(250); // the late answer and the duplicates are now queued on the thread's socket
    // ... once the responder has sent them: 1 + 1 + 4 replies (its own pauses may hold them)
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (r.stats().replies() < 6 && System.nanoTime() < until) Thread.sleep(5);
    assertEquals(6, r.stats().replies(), r.stats().toString());
    EchoResult third = c.echo(req(plain, TIMEOUT));
    assertInstanceOf(
        EchoResult.Reply.class, third, "read after the leftovers, not mistaken for one of them");
    assertEquals(plain, ((EchoResult.Reply) third).from());

    ClientStats s = c.stats();
    assertEquals(1, s.late(), s.toString());
    assertEquals(3, s.duplicates(), s.toString());
    assertEquals(1, s.timeouts(), s.toString());
    assertEquals(3, s.replies(), s.toString());
    assertEquals(0, s.foreign() + s.corrupted(), s.toString());
  }

  @ParameterizedTest
  @EnumSource(
      value = StandardProtocolFamily.class,
      names = {"INET", "INET6"})
  void interruptEndsABlockingEchoAndTheSocketStaysUsable(StandardProtocolFamily f, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    CompletableFuture<Long> interruptedAfter = new CompletableFuture<>();
    CompletableFuture<EchoResult> afterwards = new CompletableFuture<>();
    CountDownLatch sending = new CountDownLatch(1);
    Thread th =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    c.echo(
                        req(
                            t.target(f),
                            TIMEOUT)); // the thread's socket is open before the long echo
                    sending.countDown();
                    long t0 = System.nanoTime();
                    try {
                      EchoResult r = c.echo(req(t.blackholed(f), Duration.ofSeconds(20)));
                      interruptedAfter.completeExceptionally(
                          new AssertionError("not interrupted: " + r));
                    } catch (InterruptedException e) {
                      interruptedAfter.complete((System.nanoTime() - t0) / 1_000_000);
                    }
                    afterwards.complete(c.echo(req(t.target(f), TIMEOUT)));
                  } catch (Exception e) {
                    interruptedAfter.completeExceptionally(e);
                    afterwards.completeExceptionally(e);
                  }
                });
    assertTrue(sending.await(10, TimeUnit.SECONDS));
    Thread.sleep(200);
    th.interrupt();
    long ms = interruptedAfter.get(5, TimeUnit.SECONDS);
    assertTrue(ms < 2_000, "interrupted after " + ms + " ms of a 20 s echo");
    assertInstanceOf(EchoResult.Reply.class, afterwards.get(10, TimeUnit.SECONDS));
    th.join();
    assertEquals(1, InternalAccess.callerSockets(c), "the worker thread's socket");
    assertEquals(0, c.stats().inFlight(), "the interrupted echo was withdrawn");
  }

  @Test
  void closeEndsABlockingEcho(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(ClientAccess.DATAGRAM);
    StandardProtocolFamily f = StandardProtocolFamily.INET;
    assertInstanceOf(EchoResult.Reply.class, c.echo(req(t.target(f), TIMEOUT)));
    CompletableFuture<Long> endedAfter = new CompletableFuture<>();
    Thread th =
        Thread.ofPlatform()
            .start(
                () -> {
                  long t0 = System.nanoTime();
                  try {
                    c.echo(req(t.target(f), TIMEOUT));
                    EchoResult r = c.echo(req(t.blackholed(f), Duration.ofSeconds(20)));
                    endedAfter.completeExceptionally(
                        new AssertionError("not ended by close(): " + r));
                  } catch (IOException e) {
                    assertTrue(e.getMessage().contains("closed"), e.toString());
                    endedAfter.complete((System.nanoTime() - t0) / 1_000_000);
                  } catch (Exception e) {
                    endedAfter.completeExceptionally(e);
                  }
                });
    Thread.sleep(300);
    c.close();
    long ms = endedAfter.get(5, TimeUnit.SECONDS);
    assertTrue(ms < 2_000, "ended after " + ms + " ms of a 20 s echo");
    th.join();
    assertEquals(
        0, InternalAccess.callerSockets(c), "every caller socket is closed with the client");
  }

  @Test
  void socketsOfDeadThreadsAreReusedAndTheirCountsKept(NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient.Builder b = t.clientBuilder(ClientAccess.DATAGRAM);
    InternalAccess.configure(b, cfg -> cfg.withCallerSockets(2));
    IcmpClient c = lab.register(b.build());
    InetAddress target = t.target(StandardProtocolFamily.INET);

    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch ready = new CountDownLatch(2);
    List<Thread> first = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      first.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int k = 0; k < 10; k++) c.echo(req(target, TIMEOUT));
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                    ready.countDown();
                    try {
                      hold.await();
                    } catch (InterruptedException ignored) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    assertTrue(ready.await(20, TimeUnit.SECONDS));
    assertEquals(2, InternalAccess.callerSockets(c));
    // Both taken by live threads: a third thread takes the shared path and still gets its answers.
    CompletableFuture<EchoResult> third = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                third.complete(c.echo(req(target, TIMEOUT)));
              } catch (Exception e) {
                third.completeExceptionally(e);
              }
            })
        .join();
    assertInstanceOf(EchoResult.Reply.class, third.get());
    assertEquals(2, InternalAccess.callerSockets(c));

    hold.countDown();
    for (Thread th : first) th.join();
    CompletableFuture<EchoResult> fourth = new CompletableFuture<>();
    Thread.ofPlatform()
        .start(
            () -> {
              try {
                for (int k = 0; k < 9; k++) c.echo(req(target, TIMEOUT));
                fourth.complete(c.echo(req(target, TIMEOUT)));
              } catch (Exception e) {
                fourth.completeExceptionally(e);
              }
            })
        .join();
    assertInstanceOf(EchoResult.Reply.class, fourth.get());
    assertEquals(
        1,
        InternalAccess.callerSockets(c),
        "the dead threads' sockets closed, one opened for the new one");
    ClientStats s = c.stats();
    assertEquals(31, s.sent(), "counts of closed caller sockets are kept: " + s);
    assertEquals(31, s.replies(), s.toString());
  }
}
