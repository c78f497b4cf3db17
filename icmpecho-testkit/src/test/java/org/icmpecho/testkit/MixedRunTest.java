package org.icmpecho.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.IcmpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100,000 echoes over 1,000 responder addresses (500 IPv4, 500 IPv6), every hostile effect
 * interleaved, up to 4,000 in flight: not one answer may be attributed to the wrong echo. Each
 * address has one effect; every result is checked against what that effect allows. Counted and
 * printed.
 */
@NetNs
class MixedRunTest {
  private static final int PROBES = 100_000;
  private static final int TARGETS = 1_000;
  private static final int WINDOW = 4_000;
  private static final Duration TIMEOUT = Duration.ofMillis(250);

  @ParameterizedTest
  @EnumSource(
      value = ClientAccess.class,
      names = {"DATAGRAM", "RAW"})
  void noAnswerIsMisattributed(ClientAccess access, NetLab lab) throws Exception {
    Topology t = lab.chain(1);
    IcmpClient c = lab.register(t.clientBuilder(access).receiveBufferSize(16 << 20).build());
    ScriptedResponder r = t.responder();
    TargetKind[] kinds = TargetKind.values();
    InetAddress[] targets = new InetAddress[TARGETS];
    TargetKind[] kindOf = new TargetKind[TARGETS];
    Map<InetAddress, Integer> index = new ConcurrentHashMap<>();
    for (int i = 0; i < TARGETS; i++) {
      // Family by block of kinds, so that every kind runs over both families.
      StandardProtocolFamily f =
          (i / kinds.length) % 2 == 0 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
      InetAddress a = t.responderAddress(f, i);
      targets[i] = a;
      index.put(a, i);
      TargetKind k = kinds[i % kinds.length];
      kindOf[i] = k;
      r.script(a, k.effect(t, f, i, TIMEOUT));
    }
    // The responder is a thread of this JVM: a GC pause holds its answers too (seen here under
    // load: the responder's lateness equal to the longest pause, 250 ms once). Echoes timed out
    // because of it are not the engine's losses; see heldByLab below.
    r.recordHolds();
    // Warm up both families.
    c.echo(EchoRequest.of(t.target(StandardProtocolFamily.INET)));
    c.echo(EchoRequest.of(t.target(StandardProtocolFamily.INET6)));
    ClientStats before = c.stats();

    Semaphore window = new Semaphore(WINDOW);
    CountDownLatch done = new CountDownLatch(PROBES);
    LongAdder misattributed = new LongAdder();
    LongAdder lost = new LongAdder();
    List<long[]> timedOutAnswers = java.util.Collections.synchronizedList(new ArrayList<>());
    LongAdder heldByLab = new LongAdder();
    LongAdder sendFailed = new LongAdder();
    LongAdder duplicateCallbacks = new LongAdder();
    Map<TargetKind, Map<String, LongAdder>> outcomes = new EnumMap<>(TargetKind.class);
    for (TargetKind k : kinds) outcomes.put(k, new ConcurrentHashMap<>());
    List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(60);
    int submitted = 0;
    for (int p = 0; p < PROBES; p++) {
      if (!window.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
        break;
      int ti = (int) ((p * 7919L) % TARGETS); // every target, interleaved
      EchoRequest req =
          EchoRequest.to(targets[ti]).payloadSize(16 + p % 48).timeout(TIMEOUT).build();
      submitted++;
      c.echoAsync(
              req,
              d -> {
                duplicateCallbacks.increment();
                if (!d.from().equals(req.target())
                    || kindOf[index.get(req.target())] != TargetKind.DUPLICATE) {
                  misattributed.increment();
                  if (examples.size() < 10)
                    examples.add(
                        "duplicate callback for " + kindOf[index.get(req.target())] + ": " + d);
                }
              })
          .whenComplete(
              (res, err) -> {
                try {
                  if (err != null) {
                    failures.incrementAndGet();
                    if (examples.size() < 10) examples.add("exception: " + err);
                    return;
                  }
                  TargetKind k = kindOf[ti];
                  String name = res.getClass().getSimpleName();
                  outcomes.get(k).computeIfAbsent(name, x -> new LongAdder()).increment();
                  if (res.request() != req) {
                    misattributed.increment();
                    if (examples.size() < 10) examples.add("result for another request: " + res);
                    return;
                  }
                  String wrong = k.judge(res, req.target());
                  if (wrong == null) return;
                  if (wrong.startsWith("lost")) {
                    // judged after the run: the responder may not have sent the answer yet
                    timedOutAnswers.add(new long[] {ti, res.sequence()});
                  } else if (wrong.startsWith("sendFailed")) {
                    sendFailed.increment();
                  } else {
                    misattributed.increment();
                  }
                  if (examples.size() < 10) examples.add(k + ": " + wrong + " -- " + res);
                } finally {
                  window.release();
                  done.countDown();
                }
              });
    }
    for (int i = submitted; i < PROBES; i++) done.countDown();
    boolean finished =
        done.await(
            Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5),
            TimeUnit.NANOSECONDS);
    long elapsed = System.nanoTime() - start;
    Thread.sleep(TIMEOUT.toMillis() + 200); // late answers and duplicates land
    // An answer that was due but timed out is the engine's loss, unless the responder itself held
    // it for 90 % of the timeout or more beyond its scripted delay: then it reached the client
    // late whatever the engine did (the engine judges by the kernel's receive time).
    synchronized (timedOutAnswers) {
      for (long[] x : timedOutAnswers) {
        int ti = (int) x[0];
        long held = r.heldNanos(targets[ti], (int) x[1]);
        long scripted =
            switch (kindOf[ti]) {
              case DELAY -> Duration.ofMillis(5 + ti % 20).toNanos();
              case REORDER -> Duration.ofMillis(5).toNanos();
              default -> 0;
            };
        if (held >= 0 && held - scripted >= TIMEOUT.toNanos() * 9 / 10) heldByLab.increment();
        else lost.increment();
      }
    }
    ClientStats s = c.stats();

    StringBuilder report =
        new StringBuilder(
            String.format(
                "%n=== MIXED RUN %s: %,d echoes over %,d addresses (v4+v6), %d in flight, %.1f s (%,.0f echoes/s) ===%n",
                access, submitted, TARGETS, WINDOW, elapsed / 1e9, submitted / (elapsed / 1e9)));
    for (TargetKind k : kinds) {
      report.append(String.format("  %-17s %s%n", k, new TreeMap<>(outcomes.get(k))));
    }
    report.append(
        String.format(
            "  MIS-ATTRIBUTED: %d   lost (expected answer timed out): %d   held by the lab"
                + " (responder paused): %d   send failures: %d   exceptions: %d%n",
            misattributed.sum(), lost.sum(), heldByLab.sum(), sendFailed.sum(), failures.get()));
    report.append(
        String.format(
            "  client: duplicates %,d (callbacks %,d), late %,d, foreign %,d, corrupted %,d,"
                + " badChecksum %,d, timeouts %,d, inFlight %d%n",
            s.duplicates() - before.duplicates(),
            duplicateCallbacks.sum(),
            s.late() - before.late(),
            s.foreign() - before.foreign(),
            s.corrupted() - before.corrupted(),
            s.badChecksum() - before.badChecksum(),
            s.timeouts() - before.timeouts(),
            s.inFlight()));
    report.append("  responder: ").append(r.stats()).append('\n');
    examples.forEach(e -> report.append("  e.g. ").append(e).append('\n'));
    System.out.print(report);

    assertTrue(finished, "the run did not finish within 60 s");
    assertEquals(PROBES, submitted, "not every echo was submitted within 60 s");
    assertEquals(0, failures.get(), "echoes failed with exceptions");
    assertEquals(0, misattributed.sum(), "answers attributed to the wrong echo");
    assertEquals(0, sendFailed.sum(), "echoes refused by the kernel (stale socket errors?)");
    assertTrue(
        lost.sum() <= PROBES / 1000, "more than 0.1% of answered echoes timed out: " + lost.sum());
    assertEquals(0, s.inFlight());
  }
}
