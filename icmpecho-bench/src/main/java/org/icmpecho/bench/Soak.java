package org.icmpecho.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.testkit.ClientAccess;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.ScriptedResponder;
import org.icmpecho.testkit.TargetKind;
import org.icmpecho.testkit.Topology;

/**
 * {@code bench/soak --minutes N}: one client in the lab's client namespace, for N minutes, with
 * asynchronous windows and blocking {@code echo()} threads at once, against answering, silent,
 * erroring and hostile targets (the testkit's scripted responder: duplicates, reordering, corrupted
 * payloads and checksums, wrong identifiers and sequences, answers from elsewhere, late answers).
 * Every outcome is checked against what its target may give; each minute it prints submitted and
 * completed echoes (each completes exactly once), mis-attributed outcomes, RSS, file descriptors
 * and threads. Exit status 0 when, at the end, every echo completed exactly once and nothing was
 * mis-attributed.
 *
 * <p>Packets stay inside the namespaces the lab creates (and deletes at the end); sends are paced
 * ({@code --rate}).
 */
public final class Soak {
  static final Duration TIMEOUT = Duration.ofMillis(250);

  private final LongAdder submitted = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder misattributed = new LongAdder();
  private final LongAdder lost = new LongAdder();
  private final LongAdder sendFailed = new LongAdder();
  private final LongAdder exceptions = new LongAdder();
  private final LongAdder blocking = new LongAdder();
  private final List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());

  public static void main(String[] args) throws Exception {
    double minutes = 1;
    int window = 2_000, threads = 4, rate = 4_000, targetsPerKind = 20;
    ClientAccess access = ClientAccess.DATAGRAM;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--window" -> window = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--raw" -> access = ClientAccess.RAW;
        default -> {
          System.err.println(
              "usage: soak [--minutes N] [--window N] [--threads N] [--rate PPS] [--raw]");
          System.exit(2);
        }
      }
    }
    System.exit(new Soak().run(minutes, window, threads, rate, targetsPerKind, access) ? 0 : 1);
  }

  boolean run(double minutes, int window, int threads, int rate, int perKind, ClientAccess access)
      throws Exception {
    try (NetLab lab = NetLab.create()) {
      Topology t = lab.chain(1);
      IcmpClient c = lab.register(t.clientBuilder(access).receiveBufferSize(8 << 20).build());
      ScriptedResponder r = t.responder();
      TargetKind[] kinds = TargetKind.values();
      int n = kinds.length * perKind;
      InetAddress[] targets = new InetAddress[n];
      TargetKind[] kindOf = new TargetKind[n];
      for (int i = 0; i < n; i++) {
        StandardProtocolFamily f =
            (i / kinds.length) % 2 == 0
                ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        targets[i] = t.responderAddress(f, i);
        kindOf[i] = kinds[i % kinds.length];
        r.script(targets[i], kindOf[i].effect(t, f, i, TIMEOUT));
      }
      c.echo(
          EchoRequest.of(
              t.target(StandardProtocolFamily.INET))); // neighbour discovery, both families
      c.echo(EchoRequest.of(t.target(StandardProtocolFamily.INET6)));

      long start = System.nanoTime();
      long end = start + (long) (minutes * 60e9);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        int seed = w;
        workers.add(
            Thread.ofPlatform()
                .name("soak-blocking-" + w)
                .start(() -> blockingLoop(c, targets, kindOf, seed, stop)));
      }
      System.out.printf(
          "soak: %s client, %d targets (%d kinds, both families), window %d, %d blocking threads,"
              + " %d echoes/s asynchronous, timeout %d ms, %.1f min; load %s%n",
          access, n, kinds.length, window, threads, rate, TIMEOUT.toMillis(), minutes, load());
      System.out.println(
          " min  submitted  completed  in-flight  mis-attr  lost  send-failed  exceptions  blocking   rss-MB  fds"
              + "  threads  load");
      Semaphore inFlight = new Semaphore(window);
      long step = 1_000_000_000L / rate;
      long next = start, nextReport = start + 60_000_000_000L;
      int minute = 0;
      long p = 0;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (now >= nextReport) {
          report(++minute);
          nextReport += 60_000_000_000L;
        }
        if (now < next) {
          TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 5_000_000));
          continue;
        }
        next += step;
        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
        int ti = (int) ((p++ * 7919L) % n);
        EchoRequest req =
            EchoRequest.to(targets[ti]).payloadSize(16 + (int) (p % 48)).timeout(TIMEOUT).build();
        submitted.increment();
        var _ =
            c.echoAsync(
                    req,
                    d -> {
                      if (!d.from().equals(req.target()) || kindOf[ti] != TargetKind.DUPLICATE)
                        bad("duplicate for " + kindOf[ti] + ": " + d);
                    })
                .whenComplete(
                    (res, err) -> {
                      completed.increment();
                      inFlight.release();
                      if (err != null) {
                        exceptions.increment();
                        example("exception: " + err);
                      } else {
                        judge(kindOf[ti], req, res);
                      }
                    });
      }
      stop.set(true);
      for (Thread w : workers) w.join(10_000);
      inFlight.tryAcquire(window, 10, TimeUnit.SECONDS); // the last echoes time out within 250 ms
      report(minute + 1);
      long s = submitted.sum(), done = completed.sum();
      // A future completes once at most: completed == submitted says each completed exactly once,
      // none lost.
      boolean ok = s == done && misattributed.sum() == 0 && exceptions.sum() == 0;
      System.out.printf(
          "soak %s: %,d asynchronous echoes submitted, %,d completed, %,d blocking echoes,"
              + " %d mis-attributed, %d exceptions; %d lost and %d refused by the kernel (load, not attribution);"
              + " client stats %s%n",
          ok ? "PASSED" : "FAILED",
          s,
          done,
          blocking.sum(),
          misattributed.sum(),
          exceptions.sum(),
          lost.sum(),
          sendFailed.sum(),
          c.stats());
      examples.forEach(e -> System.out.println("  " + e));
      return ok;
    }
  }

  /**
   * A platform thread's blocking echoes (its own caller socket), over the targets of every kind.
   */
  private void blockingLoop(
      IcmpClient c, InetAddress[] targets, TargetKind[] kindOf, int seed, AtomicBoolean stop) {
    long i = seed;
    while (!stop.get()) {
      int ti = (int) ((i++ * 104_729L) % targets.length);
      EchoRequest req = EchoRequest.to(targets[ti]).timeout(TIMEOUT).build();
      try {
        EchoResult res = c.echo(req);
        blocking.increment();
        judge(kindOf[ti], req, res);
      } catch (IOException | RuntimeException e) {
        exceptions.increment();
        example("blocking: " + e);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Counts {@code res} as fine, lost (an answer was due; the machine dropped it) or mis-attributed.
   */
  private void judge(TargetKind k, EchoRequest req, EchoResult res) {
    String wrong = res.request() != req ? "result for another request" : k.judge(res, req.target());
    if (wrong == null) return;
    if (wrong.equals("lost")) lost.increment();
    else if (wrong.equals("sendFailed")) sendFailed.increment();
    else bad(k + ": " + wrong + ": " + res);
  }

  private void bad(String what) {
    misattributed.increment();
    example(what);
  }

  private void example(String what) {
    if (examples.size() < 10) examples.add(what);
  }

  private void report(int minute) throws IOException {
    long s = submitted.sum(), d = completed.sum();
    System.out.printf(
        "%4d %10d %10d %10d %9d %5d %12d %11d %9d %8.1f %4d %8d  %s%n",
        minute,
        s,
        d,
        s - d,
        misattributed.sum(),
        lost.sum(),
        sendFailed.sum(),
        exceptions.sum(),
        blocking.sum(),
        rssKb() / 1024.0,
        fds(),
        ManagementFactory.getThreadMXBean().getThreadCount(),
        load());
  }

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return -1;
  }

  static long fds() throws IOException {
    try (var s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", -1)[0];
    } catch (IOException e) {
      return "?";
    }
  }
}
