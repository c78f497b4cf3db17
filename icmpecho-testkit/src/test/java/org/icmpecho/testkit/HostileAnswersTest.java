package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile answers from the scripted responder, one effect per address, all at once: the engine's
 * result for each is right, and its counters say what it saw.
 */
@NetNs
class HostileAnswersTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("org.icmpecho.testkit.Matrix#familiesAndModes")
  void everyEffectGetsTheRightResult(StandardProtocolFamily f, ClientAccess access, NetLab lab)
      throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = t.newClient(access);
    ScriptedResponder r = t.responder();
    boolean v6 = f == StandardProtocolFamily.INET6;
    boolean raw = access == ClientAccess.RAW;
    int[] n = {0};
    java.util.function.Supplier<InetAddress> next = () -> t.responderAddress(f, n[0]++);
    // Warm up the path (neighbour discovery) and the engine before anything is timed.
    for (int i = 0; i < 5; i++) assertInstanceOf(EchoResult.Reply.class, c.echo(req(t.target(f))));

    InetAddress dup = next.get();
    r.script(dup, new ResponderEffect.Duplicate(3));
    InetAddress badSum = next.get();
    r.script(badSum, new ResponderEffect.CorruptChecksum());
    InetAddress badByte = next.get();
    r.script(badByte, new ResponderEffect.CorruptPayload(-1));
    InetAddress wrongId = next.get();
    r.script(wrongId, new ResponderEffect.WrongIdentifier());
    InetAddress wrongSeq = next.get();
    r.script(wrongSeq, new ResponderEffect.WrongSequence());
    InetAddress foreign = next.get();
    r.script(foreign, new ResponderEffect.AnswerFrom(next.get()));
    InetAddress late = next.get();
    r.script(late, ResponderEffect.late(TIMEOUT));
    InetAddress shuffled = next.get();
    r.script(shuffled, new ResponderEffect.Reorder(3, Duration.ofMillis(50)));
    // 10 delays, 3 addresses each: the median of 3 per delay filters scheduling hiccups of a shared
    // machine but not a bias of the engine's clock (e.g. RTT from enqueue time, or truncated to
    // milliseconds).
    List<InetAddress> delayed = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      InetAddress a = next.get();
      r.script(a, ResponderEffect.delay(Duration.ofMillis(delayMs(i))));
      delayed.add(a);
    }
    ClientStats before = c.stats();
    AtomicInteger dupCalls = new AtomicInteger();
    CompletableFuture<EchoResult> fDup =
        c.echoAsync(
            req(dup),
            d -> {
              if (d.from().equals(dup)) dupCalls.incrementAndGet();
            });
    CompletableFuture<EchoResult> fBadSum = c.echoAsync(req(badSum));
    CompletableFuture<EchoResult> fBadByte = c.echoAsync(req(badByte));
    CompletableFuture<EchoResult> fWrongId = c.echoAsync(req(wrongId));
    CompletableFuture<EchoResult> fWrongSeq = c.echoAsync(req(wrongSeq));
    CompletableFuture<EchoResult> fForeign = c.echoAsync(req(foreign));
    CompletableFuture<EchoResult> fLate = c.echoAsync(req(late));
    List<CompletableFuture<EchoResult>> fShuffled = new ArrayList<>();
    for (int i = 0; i < 3; i++) fShuffled.add(c.echoAsync(req(shuffled)));
    List<CompletableFuture<EchoResult>> fDelayed = new ArrayList<>();
    for (InetAddress a : delayed) fDelayed.add(c.echoAsync(req(a)));

    List<String> problems = new ArrayList<>();
    EchoResult dupRes = get(fDup);
    expect(
        problems,
        "duplicate",
        dupRes instanceof EchoResult.Reply rr && rr.from().equals(dup),
        dupRes);
    expect(problems, "bad checksum", get(fBadSum) instanceof EchoResult.TimedOut, get(fBadSum));
    EchoResult bb = get(fBadByte);
    expect(
        problems,
        "corrupted payload byte",
        bb instanceof EchoResult.Corrupted k && k.from().equals(badByte),
        bb);
    expect(
        problems, "wrong identifier", get(fWrongId) instanceof EchoResult.TimedOut, get(fWrongId));
    expect(
        problems, "wrong sequence", get(fWrongSeq) instanceof EchoResult.TimedOut, get(fWrongSeq));
    expect(problems, "foreign source", get(fForeign) instanceof EchoResult.TimedOut, get(fForeign));
    expect(problems, "late answer", get(fLate) instanceof EchoResult.TimedOut, get(fLate));
    for (CompletableFuture<EchoResult> fs : fShuffled) {
      EchoResult x = get(fs);
      expect(
          problems, "reordered", x instanceof EchoResult.Reply rr && rr.from().equals(shuffled), x);
    }
    long worst = 0;
    long worstMedian = 0;
    StringBuilder delays = new StringBuilder();
    long[][] errors = new long[10][3];
    for (int i = 0; i < delayed.size(); i++) {
      EchoResult x = get(fDelayed.get(i));
      if (!(x instanceof EchoResult.Reply rr)) {
        problems.add("delay " + delayMs(i) + " ms: " + x);
        continue;
      }
      // Against the hold the responder really applied: its own wake-up (SCHED_FIFO, but on a shared
      // VM it can still be ms late) is not the engine's error.
      long err =
          rr.rtt().toNanos()
              - Duration.ofMillis(delayMs(i)).toNanos()
              - r.latenessOf(delayed.get(i));
      errors[i % 10][i / 10] = err;
      worst = Math.max(worst, Math.abs(err));
    }
    for (long[] e : errors) {
      java.util.Arrays.sort(e);
      delays.append(String.format(" %+.3f", e[1] / 1e6));
      worstMedian = Math.max(worstMedian, Math.abs(e[1]));
    }
    // Let the late answer and the duplicates arrive, then read the counters.
    Thread.sleep(250);
    ClientStats s = c.stats();
    long dups = s.duplicates() - before.duplicates();
    System.out.printf(
        "hostile %s %s: delay error (rtt - held time, median of 3, ms) for 10..55 ms:%s;"
            + " worst median %.3f ms, worst single probe %.3f ms%n",
        f, access, delays, worstMedian / 1e6, worst / 1e6);
    System.out.printf(
        "hostile %s %s: duplicates %d (callbacks %d), late %d, foreign %d, corrupted %d, badChecksum %d"
            + "; responder %s%n",
        f,
        access,
        dups,
        dupCalls.get(),
        s.late() - before.late(),
        s.foreign() - before.foreign(),
        s.corrupted() - before.corrupted(),
        s.badChecksum() - before.badChecksum(),
        r.stats());
    if (worstMedian >= 1_000_000L)
      problems.add("delay measured " + worstMedian / 1e6 + " ms off (limit 1 ms)");
    if (dups != 3) problems.add("ClientStats.duplicates grew by " + dups + ", expected 3");
    if (dupCalls.get() != 3)
      problems.add("onDuplicate called " + dupCalls.get() + " times, expected 3");
    if (s.late() - before.late() < 1) problems.add("the late answer was not counted as late");
    if (s.corrupted() - before.corrupted() != 1)
      problems.add("corrupted grew by " + (s.corrupted() - before.corrupted()));
    // A raw socket sees the bad-checksum IPv4 reply (the kernel checks ICMPv6 checksums itself, and
    // a ping socket never gets a packet icmp_rcv dropped); wrong identifiers reach only a raw
    // socket.
    if (raw && !v6 && s.badChecksum() - before.badChecksum() != 1) {
      problems.add(
          "badChecksum grew by " + (s.badChecksum() - before.badChecksum()) + ", expected 1");
    }
    long expectedForeign =
        raw ? 2 : 1; // foreign source (+ wrong id on raw); wrong seq may count as late instead
    if (s.foreign() - before.foreign() + (s.late() - before.late() - 1) < expectedForeign) {
      problems.add("foreign grew by only " + (s.foreign() - before.foreign()));
    }
    if (!problems.isEmpty())
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    assertEquals(0, r.stats().sendFailures());
    assertTrue(true);
  }

  private static int delayMs(int i) {
    return 10 + 5 * (i % 10);
  }

  private static EchoRequest req(InetAddress a) {
    return EchoRequest.to(a).timeout(TIMEOUT).build();
  }

  private static EchoResult get(CompletableFuture<EchoResult> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static void expect(List<String> problems, String what, boolean ok, EchoResult r) {
    if (!ok) problems.add(what + ": " + r);
  }
}
