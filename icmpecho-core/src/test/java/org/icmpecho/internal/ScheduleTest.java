package org.icmpecho.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.PingSchedule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PingSchedule} over {@link FakeTransport}: the engine's real I/O thread runs the schedule
 * on the fake's manual clock, so every send time is exact and nothing waits for real time but the
 * hand-over between threads.
 */
class ScheduleTest {
  static final long MS = 1_000_000L;
  static final long S = 1_000 * MS;

  final FakeTransport fake = new FakeTransport();
  IcmpClient client = client(1);
  final Recorder rec = new Recorder();

  IcmpClient client(int sockets) {
    IcmpClient.Builder b = IcmpClient.newBuilder();
    // The default callback executor: listener calls happen on icmpecho-callback threads, as in
    // production.
    InternalAccess.configure(b, c -> c.withTransportFactory(fake).withSocketsPerFamily(sockets));
    return b.build();
  }

  @AfterEach
  void close() {
    client.close();
  }

  /** One listener call: target, probe and outcome (or duplicate), with the thread it ran on. */
  record Call(int target, long probe, EchoResult result, boolean duplicate, String thread) {}

  /** Records listener calls; fails a test if two ever overlap. */
  static final class Recorder implements PingSchedule.Listener {
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;

    @Override
    public void onResult(int target, long probe, EchoResult result) {
      record(new Call(target, probe, result, false, Thread.currentThread().getName()));
    }

    @Override
    public void onDuplicate(int target, long probe, EchoResult.Reply reply) {
      record(new Call(target, probe, reply, true, Thread.currentThread().getName()));
    }

    private void record(Call c) {
      if (inside.incrementAndGet() != 1) overlapped = true;
      calls.add(c);
      inside.decrementAndGet();
    }

    Call next() throws InterruptedException {
      Call c = calls.poll(5, TimeUnit.SECONDS);
      if (c == null) throw new AssertionError("no listener call within 5 s");
      assertFalse(
          c.thread().startsWith("icmpecho-io"), "listener ran on the I/O thread " + c.thread());
      return c;
    }
  }

  static InetAddress addr(String s) {
    return InetAddress.ofLiteral(s);
  }

  static List<InetAddress> targets(int n) {
    List<InetAddress> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(addr("10.0." + (i >> 8) + "." + (i & 0xff)));
    return l;
  }

  static EchoRequest template(long timeoutMs) {
    return EchoRequest.to(addr("10.0.0.0")).timeout(Duration.ofMillis(timeoutMs)).build();
  }

  /**
   * Real time for the I/O thread to act on a clock move; used only to check that nothing more is
   * sent.
   */
  static void settle() throws InterruptedException {
    Thread.sleep(60);
  }

  void replyAll(List<FakeTransport.Sent> sent) {
    for (FakeTransport.Sent s : sent) fake.inject(s.channel(), fake.replyTo(s, 50_000));
  }

  @Test
  void countAndPeriodSendEachTargetsEchoesOnAnAbsoluteSchedule() throws Exception {
    List<InetAddress> t = targets(3);
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(t, template(500)).count(2).period(Duration.ofSeconds(1)).listener(rec));
    fake.awaitSent(3);
    settle();
    assertEquals(3, fake.allSent().size(), "the second round waits for its period");
    assertFalse(s.allSent().isDone());
    replyAll(fake.allSent());
    for (int i = 0; i < 3; i++) {
      Call c = rec.next();
      assertInstanceOf(EchoResult.Reply.class, c.result());
      assertEquals(0, c.probe());
      assertEquals(t.get(c.target()), c.result().request().target());
    }
    fake.advance(S);
    fake.awaitSent(6);
    List<FakeTransport.Sent> all = fake.allSent();
    for (int i = 0; i < 6; i++) {
      assertEquals(start + (i / 3) * S, all.get(i).sentAt(), "send " + i);
      assertEquals(t.get(i % 3), all.get(i).target(), "targets keep their order in each round");
    }
    s.allSent().get(5, TimeUnit.SECONDS); // the last echoes are out, not yet answered
    assertFalse(s.done().isDone());
    replyAll(all.subList(3, 6));
    for (int i = 0; i < 3; i++) assertEquals(1, rec.next().probe());
    s.done().get(5, TimeUnit.SECONDS);
    assertEquals(2, s.sent(0));
    assertEquals(6, s.sent());
    assertFalse(rec.overlapped);
  }

  @Test
  void theLatenessObserverHearsHowLongAfterItsDueTimeEachEchoLeft() throws Exception {
    java.util.Queue<Long> lateness = new java.util.concurrent.ConcurrentLinkedQueue<>();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(3), template(500))
                .count(2)
                .period(Duration.ofSeconds(1))
                .lateness(lateness::add)
                .listener(rec));
    fake.awaitSent(3);
    // the second round is due 1 s after the first; the I/O thread only sees the clock 7 ms later
    fake.advance(S + 7 * MS);
    fake.awaitSent(6);
    s.allSent().get(5, TimeUnit.SECONDS);
    waitFor(() -> lateness.size() == 6);
    assertEquals(List.of(0L, 0L, 0L, 7 * MS, 7 * MS, 7 * MS), List.copyOf(lateness));
    s.close();
  }

  @Test
  void anAnchoredScheduleKeepsItsDueTimesWhenItsFirstSendIsLate() throws Exception {
    java.util.Queue<Long> lateness = new java.util.concurrent.ConcurrentLinkedQueue<>();
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(2), template(100))
                .count(2)
                .period(Duration.ofSeconds(1))
                .delay(Duration.ofMillis(500))
                .lateness(lateness::add)
                .listener(rec));
    settle();
    assertEquals(0, fake.allSent().size(), "nothing before the delay");
    // the I/O thread only sees the clock 200 ms after the first echoes were due
    fake.advance(700 * MS);
    fake.awaitSent(2);
    fake.advance(800 * MS); // start + 1.5 s: the second echoes are due, not at 1.7 s
    fake.awaitSent(4);
    List<FakeTransport.Sent> all = fake.allSent();
    assertEquals(start + 700 * MS, all.get(1).sentAt());
    assertEquals(start + 1_500 * MS, all.get(3).sentAt());
    s.allSent().get(5, TimeUnit.SECONDS);
    waitFor(() -> lateness.size() == 4);
    assertEquals(List.of(200 * MS, 200 * MS, 0L, 0L), List.copyOf(lateness));
    s.close();
  }

  @Test
  void anAnchoredScheduleMoreThanAPeriodBehindSkipsWhatItMissedAndKeepsItsPhase() throws Exception {
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(1), template(100))
                .count(0)
                .period(Duration.ofSeconds(1))
                .delay(Duration.ofMillis(300))
                .listener(rec));
    settle(); // started on the I/O thread at the clock's start, as every test here assumes
    fake.advance(300 * MS);
    fake.awaitSent(1); // due at 0.3 s
    fake.advance(2_500 * MS); // the I/O thread sees 2.8 s: the echo due at 1.3 s is 1.5 s late
    fake.awaitSent(2);
    fake.advance(500 * MS); // 3.3 s: the grid goes on (2.3 s was skipped), not 2.8 s + 1 s
    fake.awaitSent(3);
    List<FakeTransport.Sent> all = fake.allSent();
    assertEquals(start + 2_800 * MS, all.get(1).sentAt());
    assertEquals(start + 3_300 * MS, all.get(2).sentAt());
    s.close();
  }

  @Test
  void theGlobalIntervalGapsEverySendAndCatchesUpBoundedly() throws Exception {
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(20), template(5_000))
                .interval(Duration.ofMillis(10))
                .listener(rec));
    fake.awaitSent(1);
    settle();
    assertEquals(1, fake.allSent().size());
    fake.advance(10 * MS);
    fake.awaitSent(2);
    settle();
    assertEquals(2, fake.allSent().size());
    // A late wake-up 200 ms on: what fell due goes at once, but never more than four gaps' worth of
    // backlog.
    fake.advance(200 * MS);
    fake.awaitSent(3);
    settle();
    int n = fake.allSent().size();
    assertEquals(2 + 5, n, "one due now plus four of backlog");
    fake.advance(10 * MS);
    fake.awaitSent(n + 1);
    assertEquals(start + 220 * MS, fake.allSent().get(n).sentAt());
    s.close();
    s.done().get(5, TimeUnit.SECONDS);
  }

  @Test
  void untilReplyRetriesWhenEachTryTimesOutWithBackoff() throws Exception {
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(2), template(100)).untilReply(2, 2.0).listener(rec));
    fake.awaitSent(2);
    replyAll(fake.allSent().subList(1, 2)); // the second target answers its first try
    assertEquals(1, rec.next().target());
    long real = System.nanoTime();
    fake.advance(100 * MS); // the first target's try times out; its retry goes now
    Call c = rec.next();
    assertInstanceOf(EchoResult.TimedOut.class, c.result());
    fake.awaitSent(3);
    // The timeout is found after the turn's schedule step: the loop must turn again rather than
    // sleep (the fake's poller would wake it after 2 s of real time at the latest, which hid a
    // missing wake-up once).
    assertTrue(
        System.nanoTime() - real < 1_500 * MS, "the retry waited for the poller's safety net");
    FakeTransport.Sent retry = fake.allSent().get(2);
    assertEquals(start + 100 * MS, retry.sentAt());
    fake.advance(200 * MS);
    Call second = rec.next();
    assertEquals(1, second.probe());
    assertEquals(
        200, ((EchoResult.TimedOut) second.result()).waited().toMillis(), "timeout * backoff");
    fake.awaitSent(4);
    fake.advance(400 * MS);
    Call third = rec.next();
    assertEquals(2, third.probe());
    assertEquals(400, ((EchoResult.TimedOut) third.result()).waited().toMillis());
    s.done().get(5, TimeUnit.SECONDS);
    settle();
    assertEquals(4, fake.allSent().size(), "1 + 2 retries, and none for the target that answered");
    assertEquals(3, s.sent(0));
    assertEquals(1, s.sent(1));
  }

  @Test
  void maxInFlightHoldsTheWindow() throws Exception {
    PingSchedule s =
        client.schedule(PingSchedule.to(targets(10), template(5_000)).maxInFlight(3).listener(rec));
    fake.awaitSent(3);
    settle();
    assertEquals(3, fake.allSent().size());
    replyAll(fake.allSent().subList(0, 1));
    rec.next();
    fake.awaitSent(4);
    settle();
    assertEquals(4, fake.allSent().size());
    replyAll(fake.allSent().subList(1, 4));
    for (int i = 0; i < 3; i++) rec.next();
    fake.awaitSent(7);
    fake.advance(5 * S);
    for (int i = 0; i < 3; i++) assertInstanceOf(EchoResult.TimedOut.class, rec.next().result());
    fake.awaitSent(10);
    fake.advance(5 * S);
    s.done().get(5, TimeUnit.SECONDS);
    assertEquals(10, s.sent());
  }

  @Test
  void theDeadlineWithdrawsWhatIsInFlightAndEndsTheSchedule() throws Exception {
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(1), template(10_000))
                .count(0)
                .period(Duration.ofSeconds(1))
                .deadline(Duration.ofMillis(2_500))
                .listener(rec));
    fake.awaitSent(1);
    fake.advance(S);
    fake.awaitSent(2);
    fake.advance(S);
    fake.awaitSent(3);
    assertFalse(s.done().isDone());
    fake.advance(S / 2);
    s.done().get(5, TimeUnit.SECONDS);
    assertEquals(3, s.sent(0));
    assertTrue(rec.calls.isEmpty(), "withdrawn echoes are not reported");
    waitFor(() -> client.stats().inFlight() == 0);
  }

  @Test
  void closeStopAndCancel() throws Exception {
    PingSchedule s =
        client.schedule(PingSchedule.to(targets(3), template(10_000)).count(0).listener(rec));
    fake.awaitSent(3);
    s.stop(0); // nothing more to target 0, its echo in flight is still reported
    s.cancel(1); // nothing more to target 1, and its echo is withdrawn
    settle();
    fake.advance(S);
    fake.awaitSent(4);
    settle();
    List<FakeTransport.Sent> all = fake.allSent();
    assertEquals(4, all.size());
    assertEquals(addr("10.0.0.2"), all.get(3).target());
    replyAll(all.subList(0, 2));
    Call c = rec.next();
    assertEquals(0, c.target(), "target 1's answer came after it was cancelled");
    s.close();
    s.done().get(5, TimeUnit.SECONDS);
    replyAll(all.subList(3, 4));
    settle();
    assertTrue(rec.calls.isEmpty(), "nothing is reported after close");
    assertThrows(IndexOutOfBoundsException.class, () -> s.stop(3));
  }

  @Test
  void duplicatesFollowTheirResultAndStillComeAfterDoneUntilClose() throws Exception {
    PingSchedule s = client.schedule(PingSchedule.to(targets(1), template(1_000)).listener(rec));
    FakeTransport.Sent sent = fake.awaitSent(1);
    fake.inject(sent.channel(), fake.replyTo(sent, 10_000));
    fake.inject(sent.channel(), fake.replyTo(sent, 20_000));
    Call first = rec.next();
    assertFalse(first.duplicate());
    s.done().get(5, TimeUnit.SECONDS);
    Call dup = rec.next();
    assertTrue(dup.duplicate());
    assertEquals(0, dup.probe());
    assertEquals(Duration.ofNanos(20_000), ((EchoResult.Reply) dup.result()).rtt());
    s.close();
    fake.inject(sent.channel(), fake.replyTo(sent, 30_000));
    settle();
    assertTrue(rec.calls.isEmpty());
  }

  @Test
  void adaptivePacingSendsTheNextEchoOnceTheLastIsBack() throws Exception {
    long start = fake.now();
    PingSchedule s =
        client.schedule(
            PingSchedule.to(targets(1), template(1_000))
                .count(3)
                .period(Duration.ofMillis(10))
                .adaptive(true)
                .listener(rec));
    replyAll(List.of(fake.awaitSent(1)));
    rec.next();
    FakeTransport.Sent second = fake.awaitSent(2);
    assertEquals(start, second.sentAt(), "sent when the first answered, not 10 ms later");
    settle(); // unanswered: the third waits for the period
    assertEquals(2, fake.allSent().size());
    fake.advance(10 * MS);
    assertEquals(start + 10 * MS, fake.awaitSent(3).sentAt());
    fake.advance(S);
    s.done().get(5, TimeUnit.SECONDS);
  }

  @Test
  void requestsOfTheirOwnKeepTheirSettings() throws Exception {
    List<EchoRequest> hops = new ArrayList<>();
    for (int ttl = 1; ttl <= 3; ttl++)
      hops.add(EchoRequest.to(addr("10.9.9.9")).ttl(ttl).timeout(Duration.ofSeconds(1)).build());
    hops.add(EchoRequest.to(addr("fd00::9")).ttl(9).build());
    PingSchedule s = client.schedule(PingSchedule.of(hops).listener(rec));
    fake.awaitSent(4);
    List<Integer> ttls = new ArrayList<>();
    for (FakeTransport.Sent x : fake.allSent()) ttls.add(x.options().ttl());
    assertEquals(List.of(1, 2, 3, 9), ttls);
    fake.advance(2 * S);
    for (int i = 0; i < 4; i++) assertInstanceOf(EchoResult.TimedOut.class, rec.next().result());
    s.done().get(5, TimeUnit.SECONDS);
  }

  @Test
  void twoSocketsReportThroughOneHomeInOneSequence() throws Exception {
    client.close();
    client = client(2);
    int n = 2_000;
    PingSchedule s = client.schedule(PingSchedule.to(targets(n), template(5_000)).listener(rec));
    fake.awaitSent(n);
    List<FakeTransport.Sent> all = fake.allSent();
    replyAll(all);
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) seen[rec.next().target()] = true;
    s.done().get(5, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++) assertTrue(seen[i], "target " + i);
    assertFalse(rec.overlapped, "listener calls never overlap");
    assertEquals(
        2, all.stream().map(FakeTransport.Sent::channel).distinct().count(), "both sockets sent");
  }

  @Test
  void closingTheClientFailsTheSchedule() throws Exception {
    PingSchedule s =
        client.schedule(PingSchedule.to(targets(2), template(5_000)).count(0).listener(rec));
    fake.awaitSent(2);
    client.close();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> s.done().get(5, TimeUnit.SECONDS));
    assertInstanceOf(IcmpException.class, e.getCause());
    PingSchedule late = client.schedule(PingSchedule.to(targets(1), template(5_000)).listener(rec));
    assertThrows(ExecutionException.class, () -> late.done().get(5, TimeUnit.SECONDS));
  }

  @Test
  void theBuilderChecksItsValues() {
    PingSchedule.Builder b = PingSchedule.to(targets(1), template(100));
    assertThrows(IllegalArgumentException.class, () -> b.count(-1));
    assertThrows(IllegalArgumentException.class, () -> b.period(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.interval(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.maxInFlight(0));
    assertThrows(IllegalArgumentException.class, () -> b.deadline(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.untilReply(-1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> b.untilReply(1, 0.5));
    assertThrows(IllegalStateException.class, () -> client.schedule(b), "no listener");
    EchoRequest big = EchoRequest.to(addr("fd00::1")).payloadSize(65_520).build();
    assertThrows(
        IllegalArgumentException.class,
        () -> PingSchedule.to(List.of(addr("10.0.0.1")), big),
        "the template's payload does not fit IPv4");
  }

  static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("condition not met within 5 s");
      Thread.sleep(5);
    }
  }
}
