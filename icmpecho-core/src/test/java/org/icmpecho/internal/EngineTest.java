package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IcmpSaturatedException;
import org.icmpecho.IpStatus;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.TransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine over {@link FakeTransport}: matching, timeouts, duplicates, wrap-around, failures,
 * shutdown.
 */
class EngineTest {
  static final InetAddress TARGET = addr("10.0.0.7");
  static final InetAddress TARGET6 = addr("fd00::7");
  static final InetAddress ROUTER = addr("10.0.0.1");
  static final Duration TIMEOUT = Duration.ofSeconds(1);

  final FakeTransport fake = new FakeTransport();
  IcmpClient client = client(Runnable::run, 1 << 20);

  IcmpClient client(java.util.concurrent.Executor executor, int maxInFlight) {
    IcmpClient.Builder b = IcmpClient.newBuilder().maxInFlight(maxInFlight);
    InternalAccess.configure(b, c -> c.withTransportFactory(fake).withCallbackExecutor(executor));
    return b.build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static EchoRequest request() {
    return EchoRequest.to(TARGET).timeout(TIMEOUT).build();
  }

  static EchoResult get(CompletableFuture<EchoResult> f) throws Exception {
    return f.get(5, TimeUnit.SECONDS);
  }

  /** Replaces the test's client with one of two sockets (two I/O threads) per family. */
  void useTwoSocketsPerFamily() {
    client.close();
    IcmpClient.Builder b = IcmpClient.newBuilder();
    InternalAccess.configure(
        b,
        c ->
            c.withTransportFactory(fake)
                .withCallbackExecutor(Runnable::run)
                .withSocketsPerFamily(2));
    client = b.build();
  }

  @Test
  void socketModeOpensTheSocketOfEveryIoThreadAndTargetsKeepTheirSocket() throws Exception {
    useTwoSocketsPerFamily();
    assertEquals(SocketMode.DATAGRAM, client.socketMode(StandardProtocolFamily.INET));
    // Both I/O threads have their socket before the first echo (a sweep's first echoes do not pay
    // for one).
    assertEquals(2, fake.channelCount());
    assertTrue(fake.allSent().isEmpty());
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 8; i++)
        client.echoAsync(EchoRequest.to(addr("10.0.0." + i)).timeout(TIMEOUT).build());
    }
    fake.awaitSent(16);
    Map<InetAddress, Set<FakeTransport.FakeChannel>> byTarget = new HashMap<>();
    for (FakeTransport.Sent s : fake.allSent()) {
      byTarget.computeIfAbsent(s.target(), k -> new HashSet<>()).add(s.channel());
    }
    Set<FakeTransport.FakeChannel> used = new HashSet<>();
    byTarget.values().forEach(used::addAll);
    assertEquals(2, used.size(), "echoes to 8 targets use both sockets");
    byTarget.forEach(
        (t, cs) -> assertEquals(1, cs.size(), t + " keeps one socket (one ICMP identifier)"));
    assertEquals(2, fake.channelCount(), "no socket opened at the first echo");
  }

  @Test
  void templateEchoesSpillToTheLessBusySocketButRequestsKeepTheirTargetsSocket() throws Exception {
    useTwoSocketsPerFamily();
    client.socketMode(StandardProtocolFamily.INET);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    fake.sendGate = gate; // both I/O threads stall in their first send while echoes queue up
    EchoRequest template = EchoRequest.to(TARGET).timeout(TIMEOUT).build();
    for (int i = 0; i < 300; i++) client.echoAsync(TARGET, template); // one target, from a template
    for (int i = 0; i < 300; i++) client.echoAsync(EchoRequest.to(ROUTER).timeout(TIMEOUT).build());
    gate.countDown();
    fake.awaitSent(600);
    Set<FakeTransport.FakeChannel> templateSockets = new HashSet<>();
    Set<FakeTransport.FakeChannel> requestSockets = new HashSet<>();
    for (FakeTransport.Sent s : fake.allSent()) {
      (s.target().equals(TARGET) ? templateSockets : requestSockets).add(s.channel());
    }
    assertEquals(
        2, templateSockets.size(), "a backed-up loop's template echoes went to the other loop too");
    assertEquals(
        1, requestSockets.size(), "echoes with their own request keep their target's socket");
  }

  @Test
  void aBusyLoopReadsItsSocketsOutsideThePollerAndWatchesThemAgainBeforeItSleeps()
      throws Exception {
    // One I/O thread, an IPv6 and an IPv4 socket. The loop stalls in the IPv6 echo's send while
    // 1,100 IPv4 echoes queue up; then it sends 1,024 in its first turn (more than
    // IoThread.DETACH_AFTER) and takes both sockets out of the poller, because more work is queued.
    // In the next turn, at its first send, the IPv6 answer arrives and the clock jumps past every
    // deadline: only a loop that reads its unwatched sockets itself, before it checks deadlines,
    // gets the answer; one that waits for the poller to report it times the echo out first.
    client.socketMode(StandardProtocolFamily.INET);
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    fake.sendGate = gate;
    CompletableFuture<EchoResult> v6 =
        client.echoAsync(EchoRequest.to(TARGET6).timeout(TIMEOUT).build());
    List<CompletableFuture<EchoResult>> v4 = new ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      v4.add(
          client.echoAsync(
              EchoRequest.to(addr("10.2." + (i >> 8) + "." + (i & 255))).timeout(TIMEOUT).build()));
    }
    fake.onSend =
        n -> {
          if (n == 1_025) {
            FakeTransport.Sent s6 = fake.allSent().get(0);
            assertTrue(s6.ipv6());
            fake.inject(s6.channel(), fake.replyTo(s6, 1_000));
            fake.advance(TimeUnit.SECONDS.toNanos(2));
          }
        };
    gate.countDown();
    assertInstanceOf(EchoResult.Reply.class, get(v6), "answered, not timed out");
    fake.awaitSent(1 + 1_100);
    fake.advance(TimeUnit.SECONDS.toNanos(2)); // the echoes sent after the jump time out too
    for (CompletableFuture<EchoResult> f : v4) assertInstanceOf(EchoResult.TimedOut.class, get(f));
    FakeTransport.FakeChannel ch6 = fake.allSent().get(0).channel();
    FakeTransport.FakeChannel ch4 = fake.allSent().get(1).channel();
    assertEquals(
        1,
        fake.watchState(ch6)[2],
        "the IPv6 answer was read while its socket was out of the poller");
    waitFor(
        () -> fake.watchState(ch4),
        w -> w[0] == 1 && fake.watchState(ch6)[0] == 1); // back before sleeping
    assertTrue(
        fake.watchState(ch4)[1] >= 1 && fake.watchState(ch6)[1] >= 1,
        "both left the poller while busy");
  }

  @Test
  void echoesRunByTheCallerChangeReadinessOnceAndTheLoopTurnsItBackOnBeforeItNeedsIt()
      throws Exception {
    // A blocking echo the caller runs itself turns input readiness off so that the sleeping loop
    // is not woken by the answer the caller reads. It stays off while nothing is in flight: 200
    // echoes one at a time cost one readiness change, not 400.
    client.socketMode(StandardProtocolFamily.INET);
    java.util.concurrent.atomic.AtomicInteger byCaller = answerAtOnceCountingCallerSends();
    for (int i = 0; i < 200; i++) assertInstanceOf(EchoResult.Reply.class, client.echo(request()));
    FakeTransport.FakeChannel ch = fake.allSent().get(0).channel();
    assertTrue(byCaller.get() >= 100, "most ran on the caller: " + byCaller.get());
    assertTrue(fake.armState(ch)[1] <= 4, "readiness changes: " + fake.armState(ch)[1]);
    // An echo the loop sends itself finds readiness back on before the loop sleeps: its answer,
    // arriving later, wakes it (with readiness left off it would wait forever on the fake clock).
    fake.answerAtOnce = false;
    fake.onSend = null;
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(201);
    waitFor(() -> fake.armState(ch), a -> a[0] == 1);
    Thread.sleep(20); // the loop is back asleep in the poller
    fake.inject(s.channel(), fake.replyTo(s, 1_000));
    assertInstanceOf(EchoResult.Reply.class, get(f));
    // An echo the caller runs but whose answer is not there at once leaves readiness on, so the
    // loop completes it.
    CompletableFuture<EchoResult> blocking =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client.echo(request());
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    FakeTransport.Sent s2 = fake.awaitSent(202);
    waitFor(() -> fake.armState(ch), a -> a[0] == 1);
    fake.inject(s2.channel(), fake.replyTo(s2, 1_000));
    assertInstanceOf(EchoResult.Reply.class, get(blocking));
  }

  @Test
  void aRawSocketIsWatchedAgainAfterEveryEchoTheCallerRuns() throws Exception {
    // A raw socket receives every ICMP message of the namespace (other programs' pings too): left
    // unwatched while idle it would fill and drop this client's own answers, so its readiness is
    // turned back on after each caller-run echo.
    client.close();
    IcmpClient.Builder b = IcmpClient.newBuilder().socketMode(SocketMode.RAW);
    InternalAccess.configure(
        b, c -> c.withTransportFactory(fake).withCallbackExecutor(Runnable::run));
    client = b.build();
    assertEquals(SocketMode.RAW, client.socketMode(StandardProtocolFamily.INET));
    java.util.concurrent.atomic.AtomicInteger byCaller = answerAtOnceCountingCallerSends();
    FakeTransport.FakeChannel ch = null;
    for (int i = 0; i < 50; i++) {
      assertInstanceOf(EchoResult.Reply.class, client.echo(request()));
      if (ch == null) ch = fake.allSent().get(0).channel();
      assertEquals(1, fake.armState(ch)[0], "watched after echo " + i);
    }
    assertTrue(byCaller.get() >= 25, "most ran on the caller: " + byCaller.get());
    assertTrue(fake.armState(ch)[1] >= 2 * byCaller.get(), "off and on around each");
  }

  @Test
  void busySpellsShorterThanTheThresholdNeverLeaveThePoller() throws Exception {
    // Two bursts of 40 echoes (80 in all, each burst under IoThread.DETACH_AFTER), the loop asleep
    // in between: a spell is counted from the loop's last sleep, so the sockets stay in the poller.
    int sent = 0;
    for (int burst = 0; burst < 2; burst++) {
      List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) fs.add(client.echoAsync(request()));
      fake.awaitSent(sent + 40);
      List<FakeTransport.Sent> all = fake.allSent();
      for (int i = sent; i < sent + 40; i++)
        fake.inject(all.get(i).channel(), fake.replyTo(all.get(i), 1_000));
      for (CompletableFuture<EchoResult> f : fs) assertInstanceOf(EchoResult.Reply.class, get(f));
      sent += 40;
      Thread.sleep(50); // nothing in flight, nothing queued: the loop sleeps in the poller
    }
    assertEquals(0, fake.watchState(fake.allSent().get(0).channel())[1], "never unregistered");
  }

  @Test
  void anIcmpErrorWhosePendingErrorASendConsumedIsReadBeforeDeadlinesPass() throws Exception {
    // The kernel reports a socket's pending error (an ICMP error arrived, IP_RECVERR) to whichever
    // call comes first. When that is the next echo's send, the error queue must be read in the same
    // turn: here the clock also jumps past the first echo's deadline during that send, so reading
    // it only at the next poll would time it out.
    CompletableFuture<EchoResult> first = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    java.util.concurrent.atomic.AtomicBoolean once =
        new java.util.concurrent.atomic.AtomicBoolean();
    fake.onSend =
        n -> {
          if (n == 2 && once.compareAndSet(false, true)) { // the retried send must go out
            fake.injectError(s.channel(), fake.errorAbout(s, ROUTER, 3, 1, 0));
            fake.advance(TimeUnit.SECONDS.toNanos(2));
          }
        };
    CompletableFuture<EchoResult> second = client.echoAsync(request());
    EchoResult.IcmpError e = assertInstanceOf(EchoResult.IcmpError.class, get(first));
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, e.status());
    assertEquals(ROUTER, e.from());
    fake.awaitSent(
        2); // the second echo's send was tried again after reporting the stale error, and went out
    // Its deadline counts from that send's own clock reading (after the jump): one more second.
    fake.advance(TimeUnit.SECONDS.toNanos(2));
    assertInstanceOf(EchoResult.TimedOut.class, get(second));
  }

  @Test
  void batchCompletionCompletesExactlyTheFirstNInChunks() {
    // OutcomeBatch.complete works in chunks of 32 (a per-chunk method, compiled early): check the
    // chunk edges.
    for (int n : new int[] {0, 1, 31, 32, 33, 64, 100}) {
      Object[] targets = new Object[100];
      Object[] values = new Object[100];
      for (int i = 0; i < 100; i++) {
        Probe p = new Probe(request(), false);
        targets[i] = p;
        values[i] = new EchoResult.TimedOut(p.request(), TIMEOUT, i);
      }
      OutcomeBatch.complete(targets, values, n);
      for (int i = 0; i < 100; i++) {
        Probe p = (Probe) targets[i];
        assertEquals(i < n, p.isDone(), "n=" + n + ", outcome " + i);
        if (i < n) assertSame(values[i], p.join());
      }
    }
  }

  @Test
  void everyQueuedEchoIsSentOnceAcrossSendChunks() throws Exception {
    // The I/O thread takes its queue in chunks of 32, at most 1,024 per turn: 2,100 echoes span
    // both limits.
    int n = 2_100;
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(
          client.echoAsync(
              EchoRequest.to(addr("10.1." + (i >> 8) + "." + (i & 255))).timeout(TIMEOUT).build()));
    }
    fake.awaitSent(n);
    Set<InetAddress> targets = new HashSet<>();
    for (FakeTransport.Sent s : fake.allSent()) assertTrue(targets.add(s.target()), "sent twice");
    assertEquals(n, targets.size());
    for (FakeTransport.Sent s : fake.allSent()) fake.inject(s.channel(), fake.replyTo(s, 1_000));
    for (CompletableFuture<EchoResult> f : fs) assertInstanceOf(EchoResult.Reply.class, get(f));
  }

  @Test
  void replyCompletesWithTheKernelRtt() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    assertEquals(EchoRequest.DEFAULT_PAYLOAD_SIZE, s.payload().length);
    fake.inject(s.channel(), fake.replyTo(s, 5_432));
    EchoResult.Reply r = assertInstanceOf(EchoResult.Reply.class, get(f));
    assertEquals(Duration.ofNanos(5_432), r.rtt());
    assertEquals(TARGET, r.from());
    assertEquals(64, r.ttl());
    assertEquals(64, r.bytes());
    assertEquals(s.sequence(), r.sequence());
    assertEquals(IpStatus.IP_SUCCESS, r.status());
  }

  @Test
  void aTemplateSendsToEachTargetWithItsSettingsAndResultsNameTheRealRequest() throws Exception {
    EchoRequest template = EchoRequest.to(ROUTER).payloadSize(20).ttl(7).timeout(TIMEOUT).build();
    InetAddress second = addr("10.0.0.8");
    CompletableFuture<EchoResult> f1 = client.echoAsync(TARGET, template);
    CompletableFuture<EchoResult> f2 = client.echoAsync(second, template);
    CompletableFuture<EchoResult> f6 =
        client.echoAsync(TARGET6, template); // the other family: applied via withTarget
    fake.awaitSent(3);
    List<FakeTransport.Sent> sent = fake.allSent();
    java.util.Map<InetAddress, FakeTransport.Sent> byTarget = new java.util.HashMap<>();
    for (FakeTransport.Sent s : sent) byTarget.put(s.target(), s);
    assertEquals(
        java.util.Set.of(TARGET, second, TARGET6),
        byTarget.keySet(),
        "sent to the targets, not the template's");
    for (FakeTransport.Sent s : sent) {
      assertEquals(20, s.payload().length);
      assertEquals(7, s.options().ttl());
    }
    fake.inject(byTarget.get(TARGET).channel(), fake.replyTo(byTarget.get(TARGET), 1_000));
    fake.inject(byTarget.get(second).channel(), fake.replyTo(byTarget.get(second), 2_000));
    EchoResult.Reply r1 = assertInstanceOf(EchoResult.Reply.class, get(f1));
    EchoResult.Reply r2 = assertInstanceOf(EchoResult.Reply.class, get(f2));
    assertEquals(template.withTarget(TARGET), r1.request());
    assertEquals(template.withTarget(second), r2.request());
    assertEquals(second, r2.from());
    fake.advance(TIMEOUT.toNanos());
    EchoResult.TimedOut t6 = assertInstanceOf(EchoResult.TimedOut.class, get(f6));
    assertEquals(TARGET6, t6.request().target());
    assertEquals(0, client.stats().foreign(), "no answer was taken for another target's");
  }

  @Test
  void aTemplateThatDoesNotFitTheTargetsFamilyIsRefusedAtOnce() {
    EchoRequest big = EchoRequest.to(TARGET6).payloadSize(EchoRequest.MAX_PAYLOAD_V6).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> client.echoAsync(TARGET, big));
    assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    EchoRequest fromV4 = EchoRequest.to(TARGET).source(ROUTER).build();
    assertThrows(IllegalArgumentException.class, () -> client.echoAsync(TARGET6, fromV4));
    assertThrows(NullPointerException.class, () -> client.echoAsync(null, request()));
    assertEquals(0, client.stats().sent());
  }

  @Test
  void timeoutCompletesWithTimedOutAtTheDeadlineNotBefore() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    fake.awaitSent(1);
    fake.advance(TIMEOUT.toNanos() - 1);
    Thread.sleep(50);
    assertFalse(f.isDone(), "completed before its deadline");
    fake.advance(1);
    EchoResult.TimedOut t = assertInstanceOf(EchoResult.TimedOut.class, get(f));
    assertEquals(IpStatus.IP_REQ_TIMED_OUT, t.status());
    assertEquals(TIMEOUT, t.waited());
    assertEquals(1, client.stats().timeouts());
  }

  @Test
  void duplicateReplyIsReportedOnceAsDuplicate() throws Exception {
    List<EchoResult.Reply> dups = new CopyOnWriteArrayList<>();
    CompletableFuture<EchoResult> f = client.echoAsync(request(), dups::add);
    FakeTransport.Sent s = fake.awaitSent(1);
    fake.inject(s.channel(), fake.replyTo(s, 1000));
    assertInstanceOf(EchoResult.Reply.class, get(f));
    fake.inject(s.channel(), fake.replyTo(s, 2000));
    fake.inject(s.channel(), fake.replyTo(s, 3000));
    waitFor(() -> dups.size(), n -> n == 2);
    ClientStats st = client.stats();
    assertEquals(2, st.duplicates());
    assertEquals(1, st.replies());
    assertEquals(Duration.ofNanos(2000), dups.get(0).rtt());
    assertEquals(s.sequence(), dups.get(1).sequence());
  }

  @Test
  void replyAfterTheTimeoutIsLateAndNeverAttributed() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    fake.advance(TIMEOUT.toNanos());
    assertInstanceOf(EchoResult.TimedOut.class, get(f));
    fake.inject(s.channel(), fake.replyTo(s, TIMEOUT.toNanos() + 1));
    ClientStats st = waitFor(() -> client.stats(), x -> x.late() == 1);
    assertEquals(0, st.replies());
  }

  @Test
  void replyWithAnotherClientsCookieIsForeign() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet foreign = fake.replyTo(s, 100);
    foreign.data[0] ^= 0x55;
    fake.inject(s.channel(), foreign);
    waitFor(() -> client.stats(), x -> x.foreign() == 1);
    assertFalse(f.isDone());
    fake.inject(s.channel(), fake.replyTo(s, 200));
    assertEquals(Duration.ofNanos(200), ((EchoResult.Reply) get(f)).rtt());
  }

  @Test
  void corruptedPayloadIsNeverASuccess() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet bad = fake.replyTo(s, 100);
    bad.data[20] ^= 0x41;
    fake.inject(s.channel(), bad);
    EchoResult.Corrupted c = assertInstanceOf(EchoResult.Corrupted.class, get(f));
    assertEquals(IpStatus.IP_GENERAL_FAILURE, c.status());
    assertTrue(c.reason().startsWith("payload byte 20 "), c.reason());
    assertEquals(1, client.stats().corrupted());
  }

  @Test
  void truncatedPayloadIsCorrupted() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet shortReply = fake.replyTo(s, 100);
    shortReply.dataLength = 30;
    fake.inject(s.channel(), shortReply);
    EchoResult.Corrupted c = assertInstanceOf(EchoResult.Corrupted.class, get(f));
    assertEquals("reply carries 30 payload bytes, sent 56", c.reason());
  }

  @Test
  void badChecksumIsNeverMatched() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet bad = fake.replyTo(s, 100);
    bad.checksumOk = false;
    fake.inject(s.channel(), bad);
    waitFor(() -> client.stats(), x -> x.badChecksum() == 1);
    fake.advance(TIMEOUT.toNanos());
    assertInstanceOf(EchoResult.TimedOut.class, get(f));
  }

  @Test
  void wrongSequenceOrIdentifierIsForeign() throws Exception {
    client.close();
    // A raw socket checks the identifier itself; a datagram socket's kernel does.
    client = rawClient();
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet wrongSeq = fake.replyTo(s, 100);
    wrongSeq.sequence = (s.sequence() + 1) & 0xffff;
    Packet wrongId = fake.replyTo(s, 100);
    wrongId.identifier = s.channel().identifier() + 1;
    fake.inject(s.channel(), wrongSeq);
    fake.inject(s.channel(), wrongId);
    waitFor(() -> client.stats(), x -> x.foreign() == 2);
    assertFalse(f.isDone());
  }

  IcmpClient rawClient() {
    IcmpClient.Builder b = IcmpClient.newBuilder().socketMode(org.icmpecho.SocketMode.RAW);
    InternalAccess.configure(
        b, c -> c.withTransportFactory(fake).withCallbackExecutor(Runnable::run));
    return b.build();
  }

  @Test
  void reorderedRepliesGoToTheirOwnProbes() throws Exception {
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 3; i++) fs.add(client.echoAsync(request()));
    FakeTransport.Sent[] s = {fake.awaitSent(1), fake.awaitSent(2), fake.awaitSent(3)};
    fake.inject(s[2].channel(), fake.replyTo(s[2], 300));
    fake.inject(s[0].channel(), fake.replyTo(s[0], 100));
    fake.inject(s[1].channel(), fake.replyTo(s[1], 200));
    for (int i = 0; i < 3; i++) {
      EchoResult.Reply r = (EchoResult.Reply) get(fs.get(i));
      assertEquals(s[i].sequence(), r.sequence());
      assertEquals(Duration.ofNanos(100L * (i + 1)), r.rtt());
    }
  }

  @Test
  void sequencesWrapAroundAndStayCorrect() throws Exception {
    int n = 70_000;
    int first = -1;
    for (int i = 0; i < n; i++) {
      CompletableFuture<EchoResult> f = client.echoAsync(request());
      FakeTransport.Sent s = fake.awaitSent(i + 1);
      if (i == 0) first = s.sequence();
      assertEquals((first + i) & 0xffff, s.sequence(), "sequence of echo " + i);
      fake.inject(s.channel(), fake.replyTo(s, 10));
      assertInstanceOf(EchoResult.Reply.class, get(f));
    }
    assertEquals(n, client.stats().replies());
    assertEquals(1, fake.channels.size(), "wrapping must reuse the socket");
  }

  @Test
  void staleReplyToAnEarlierUseOfTheSequenceIsLate() throws Exception {
    CompletableFuture<EchoResult> old = client.echoAsync(request());
    FakeTransport.Sent olds = fake.awaitSent(1);
    fake.advance(TIMEOUT.toNanos());
    assertInstanceOf(EchoResult.TimedOut.class, get(old));
    // Walk the sequence space round until the same sequence is used again.
    CompletableFuture<EchoResult> reuse = null;
    FakeTransport.Sent news = null;
    for (int i = 2; i <= 65_537; i++) {
      CompletableFuture<EchoResult> f = client.echoAsync(request());
      FakeTransport.Sent s = fake.awaitSent(i);
      if (s.sequence() == olds.sequence()) {
        reuse = f;
        news = s;
        break;
      }
      fake.inject(s.channel(), fake.replyTo(s, 10));
      get(f);
    }
    assertTrue(reuse != null, "sequence was never reused");
    fake.inject(olds.channel(), fake.replyTo(olds, 5));
    waitFor(() -> client.stats(), x -> x.late() == 1);
    assertFalse(reuse.isDone(), "a stale reply answered the new echo");
    fake.inject(news.channel(), fake.replyTo(news, 7));
    assertEquals(Duration.ofNanos(7), ((EchoResult.Reply) get(reuse)).rtt());
  }

  @Test
  void allSequencesInFlightOpensASecondSocket() throws Exception {
    int n = 65_536 + 10;
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) fs.add(client.echoAsync(request()));
    fake.awaitSent(n);
    assertEquals(2, fake.channels.size());
    assertEquals(n, client.stats().inFlight());
    fake.advance(TIMEOUT.toNanos());
    for (CompletableFuture<EchoResult> f : fs) assertInstanceOf(EchoResult.TimedOut.class, get(f));
    assertEquals(0, client.stats().inFlight());
  }

  @Test
  void icmpErrorIsMappedWithTheReportingRouter() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    fake.inject(s.channel(), fake.errorAbout(s, ROUTER, 11, 0, 0));
    EchoResult.IcmpError e = assertInstanceOf(EchoResult.IcmpError.class, get(f));
    assertEquals(IpStatus.IP_TTL_EXPIRED_TRANSIT, e.status());
    assertEquals(ROUTER, e.from());
    assertEquals(Duration.ofNanos(1000), e.rtt());

    CompletableFuture<EchoResult> f6 =
        client.echoAsync(EchoRequest.to(TARGET6).timeout(TIMEOUT).build());
    FakeTransport.Sent s6 = fake.awaitSent(2);
    fake.inject(s6.channel(), fake.errorAbout(s6, addr("fd00::1"), 2, 0, 1280));
    EchoResult.IcmpError e6 = assertInstanceOf(EchoResult.IcmpError.class, get(f6));
    assertEquals(IpStatus.IP_PACKET_TOO_BIG, e6.status());
    assertEquals(1280, e6.info());
  }

  @Test
  void errorQuotingAnotherDestinationIsForeign() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Packet e = fake.errorAbout(s, ROUTER, 3, 1, 0);
    e.quotedDst[3] = 99;
    fake.inject(s.channel(), e);
    waitFor(() -> client.stats(), x -> x.foreign() == 1);
    assertFalse(f.isDone());
  }

  @Test
  void refusedSendBecomesSendFailedWithItsStatus() throws Exception {
    fake.sendErrno = 90;
    EchoResult.SendFailed r =
        assertInstanceOf(EchoResult.SendFailed.class, get(client.echoAsync(request())));
    assertEquals(IpStatus.IP_PACKET_TOO_BIG, r.status());
    assertEquals("EMSGSIZE", r.errno());
    fake.sendErrno = 113;
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, get(client.echoAsync(request())).status());
    fake.sendErrno = 101;
    assertEquals(IpStatus.IP_DEST_NET_UNREACHABLE, get(client.echoAsync(request())).status());
    assertEquals(0, client.stats().inFlight());
  }

  @Test
  void permissionFailureFailsTheEchoWithTheTypedException() {
    fake.denyAll = true;
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> get(client.echoAsync(request())));
    assertInstanceOf(IcmpPermissionException.class, e.getCause());
    assertThrows(IcmpPermissionException.class, () -> client.echo(request()));
    assertThrows(
        IcmpPermissionException.class,
        () -> client.socketMode(java.net.StandardProtocolFamily.INET));
  }

  @Test
  void closeCompletesEveryPendingEcho() throws Exception {
    List<CompletableFuture<EchoResult>> fs = new ArrayList<>();
    for (int i = 0; i < 100; i++) fs.add(client.echoAsync(request()));
    fake.awaitSent(100);
    client.close();
    for (CompletableFuture<EchoResult> f : fs) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
      assertEquals("client closed", e.getCause().getMessage());
    }
    ExecutionException later =
        assertThrows(ExecutionException.class, () -> get(client.echoAsync(request())));
    assertInstanceOf(IcmpException.class, later.getCause());
    assertTrue(fake.channels.get(0).closed);
  }

  @Test
  void aTransportThatThrowsWhileSendingFailsTheEchoInsteadOfLosingIt() throws Exception {
    fake.onSend =
        n -> {
          throw new IllegalStateException("transport bug");
        };
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
    IcmpException cause = assertInstanceOf(IcmpException.class, e.getCause());
    assertTrue(cause.getMessage().contains("transport bug"), cause.getMessage());
    assertEquals(0, client.stats().inFlight());
  }

  @Test
  void fatalIoErrorFailsEveryPendingEchoWithTheCause() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    fake.awaitSent(1);
    fake.failPoller =
        new TransportException(
            TransportException.Kind.FAILED,
            "epoll_wait: Bad file descriptor",
            "epoll_wait",
            "EBADF");
    fake.advance(1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
    IcmpException boom = assertInstanceOf(IcmpException.class, e.getCause());
    assertEquals("epoll_wait: Bad file descriptor", boom.getMessage());
    assertEquals("epoll_wait", boom.syscall());
    assertEquals("EBADF", boom.errno());
    ExecutionException later =
        assertThrows(ExecutionException.class, () -> get(client.echoAsync(request())));
    assertSame(boom, later.getCause());
  }

  @Test
  void cancelWithdrawsTheEcho() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    assertTrue(f.cancel(true));
    waitFor(() -> client.stats(), x -> x.inFlight() == 0);
    fake.inject(s.channel(), fake.replyTo(s, 10));
    waitFor(() -> client.stats(), x -> x.late() == 1);
    assertEquals(0, client.stats().replies());
  }

  @Test
  void beyondMaxInFlightEchoesAreRejectedAtOnce() throws Exception {
    client.close();
    client = client(Runnable::run, 2);
    client.echoAsync(request());
    client.echoAsync(request());
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> get(client.echoAsync(request())));
    assertInstanceOf(IcmpSaturatedException.class, e.getCause());
    // A blocking echo on the saturated client: an IcmpException (its throws clause), not a
    // RuntimeException.
    IcmpSaturatedException blocking =
        assertThrows(IcmpSaturatedException.class, () -> client.echo(request()));
    assertTrue(
        blocking.getMessage().contains("more than 2 echoes in flight"), blocking.getMessage());
  }

  @Test
  void throwingDuplicateListenerDoesNotStopOtherCompletions() throws Exception {
    CompletableFuture<EchoResult> f1 =
        client.echoAsync(
            request(),
            d -> {
              throw new IllegalStateException("listener bug");
            });
    CompletableFuture<EchoResult> f2 = client.echoAsync(request());
    FakeTransport.Sent s1 = fake.awaitSent(1);
    FakeTransport.Sent s2 = fake.awaitSent(2);
    fake.inject(s1.channel(), fake.replyTo(s1, 1));
    get(f1);
    fake.inject(s1.channel(), fake.replyTo(s1, 2)); // duplicate: the listener throws
    fake.inject(s2.channel(), fake.replyTo(s2, 3));
    assertEquals(Duration.ofNanos(3), ((EchoResult.Reply) get(f2)).rtt());
  }

  @Test
  void dependentStagesNeverRunOnTheIoThread() throws Exception {
    client.close();
    client = IcmpClient.newBuilder().build();
    client.close();
    IcmpClient.Builder b = IcmpClient.newBuilder();
    InternalAccess.configure(b, c -> c.withTransportFactory(fake)); // default executor
    client = b.build();
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    Thread.sleep(20); // let the stage below attach before completion
    CompletableFuture<String> thread = f.thenApply(r -> Thread.currentThread().getName());
    fake.inject(s.channel(), fake.replyTo(s, 1));
    String name = thread.get(5, TimeUnit.SECONDS);
    assertNotEquals("icmpecho-io", name);
  }

  @Test
  void explicitPayloadIsSentAndVerifiedByteForByte() throws Exception {
    byte[] data = "Data Buffer 0123456789abcdefghi".getBytes();
    CompletableFuture<EchoResult> f =
        client.echoAsync(EchoRequest.to(TARGET).payload(data).build());
    FakeTransport.Sent s = fake.awaitSent(1);
    assertEquals(new String(data), new String(s.payload()));
    Packet bad = fake.replyTo(s, 1);
    bad.data[0] = 'X';
    fake.inject(s.channel(), bad);
    assertInstanceOf(EchoResult.Corrupted.class, get(f));
    CompletableFuture<EchoResult> g =
        client.echoAsync(EchoRequest.to(TARGET).payload(data).build());
    FakeTransport.Sent s2 = fake.awaitSent(2);
    fake.inject(s2.channel(), fake.replyTo(s2, 1));
    assertInstanceOf(EchoResult.Reply.class, get(g));
  }

  @Test
  void answeredEchoesAreForgottenAfterTheDuplicateWindow() throws Exception {
    CompletableFuture<EchoResult> f = client.echoAsync(request());
    FakeTransport.Sent s = fake.awaitSent(1);
    fake.inject(s.channel(), fake.replyTo(s, 1));
    get(f);
    fake.advance(Duration.ofSeconds(11).toNanos());
    fake.inject(s.channel(), fake.replyTo(s, 2));
    ClientStats st = waitFor(() -> client.stats(), x -> x.late() == 1);
    assertEquals(0, st.duplicates());
  }

  /**
   * Has every echo answered during its send (loopback) and counts the sends made on this thread:
   * the echoes the caller ran itself.
   */
  java.util.concurrent.atomic.AtomicInteger answerAtOnceCountingCallerSends() {
    fake.answerAtOnce = true;
    Thread me = Thread.currentThread();
    java.util.concurrent.atomic.AtomicInteger byCaller =
        new java.util.concurrent.atomic.AtomicInteger();
    fake.onSend =
        n -> {
          if (Thread.currentThread() == me) byCaller.incrementAndGet();
        };
    return byCaller;
  }

  static <T> T waitFor(java.util.function.Supplier<T> s, java.util.function.Predicate<T> ok)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    T v = s.get();
    while (!ok.test(v)) {
      if (System.nanoTime() > end) throw new AssertionError("condition not met: " + v);
      Thread.sleep(5);
      v = s.get();
    }
    return v;
  }
}
