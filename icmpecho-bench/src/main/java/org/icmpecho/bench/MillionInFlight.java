package org.icmpecho.bench;

import static org.icmpecho.bench.Driver.addresses;
import static org.icmpecho.bench.Driver.client;
import static org.icmpecho.bench.Driver.i;
import static org.icmpecho.bench.Driver.result;
import static org.icmpecho.bench.Driver.s;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;

/**
 * {@link Driver}'s {@code million} mode: N echoes in flight to addresses that never answer; the
 * heap each costs (caller and engine apart), the threads, and how late each timed out.
 */
final class MillionInFlight {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private MillionInFlight() {}

  // ---------------------------------------------------------------- a million in flight

  static long heapAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int k = 0; k < 4; k++) {
      System.gc();
      Thread.sleep(50);
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      best = Math.min(best, used);
    }
    return best;
  }

  static void million(Map<String, String> o) throws Exception {
    long h0 = heapAfterGc();
    runMillion(
        o); // in its own frame, so nothing of the run (client, arrays) stays reachable from here
    long h4 = heapAfterGc();
    result("million_closed", "heap_before_mb", h0 / 1e6, "heap_after_close_mb", h4 / 1e6);
  }

  static void runMillion(Map<String, String> o) throws Exception {
    int count = i(o, "count", 1_000_000);
    int timeoutMs = i(o, "timeout-ms", 20_000);
    VarHandle deadlineOf = probeDeadline();
    long[] late = new long[count]; // allocated before the baseline: the measurement's own storage
    long[] deadlines =
        new long[count]; // likewise: when each was due, to place the late ones in time
    CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
    InetAddress base = InetAddress.getByName(s(o, "base", "10.128.0.1"));
    Duration timeout = Duration.ofMillis(timeoutMs);
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      long h0 = heapAfterGc();
      // --template true: one EchoRequest for all and echoAsync(target, template) with each address
      // made just for the call, as a scanner walking a range does (the engine keeps an IPv4 target
      // as an int, so the caller's address is garbage at once); otherwise one EchoRequest per
      // target, all built before the baseline h1.
      boolean template = Boolean.parseBoolean(s(o, "template", "false"));
      EchoRequest[] reqs = template ? null : new EchoRequest[count];
      EchoRequest shared = EchoRequest.to(base).timeout(timeout).build();
      if (!template) {
        InetAddress[] tmp = addresses(base.getHostAddress(), count);
        for (int k = 0; k < count; k++) reqs[k] = EchoRequest.to(tmp[k]).timeout(timeout).build();
      }
      int base4 = base.hashCode();
      long h1 = heapAfterGc();
      int threads0 = THREADS.getThreadCount();
      long t0 = System.nanoTime();
      if (template) {
        byte[] b = new byte[4];
        for (int k = 0; k < count; k++) {
          int x = base4 + k;
          b[0] = (byte) (x >>> 24);
          b[1] = (byte) (x >>> 16);
          b[2] = (byte) (x >>> 8);
          b[3] = (byte) x;
          futures[k] = client.echoAsync(InetAddress.getByAddress(b), shared);
        }
      } else {
        for (int k = 0; k < count; k++) futures[k] = client.echoAsync(reqs[k]);
      }
      long submitted = System.nanoTime();
      // Wait (bounded) until the engine has sent them all, so the heap holds every probe in flight.
      long until = System.nanoTime() + 60_000_000_000L;
      while (client.stats().sent() < count && System.nanoTime() < until) Thread.sleep(20);
      long allSent = System.nanoTime();
      long h2 = heapAfterGc();
      int threadsPeak = THREADS.getThreadCount();
      ClientStats0 mid = new ClientStats0(client.stats().inFlight(), client.stats().sent());
      LongAdder timedOut = new LongAdder(), other = new LongAdder();
      CountDownLatch latch = new CountDownLatch(count);
      for (int k = 0; k < count; k++) {
        final int idx = k;
        final CompletableFuture<?> f = futures[k];
        final long deadline = (long) deadlineOf.get(f);
        deadlines[k] = deadline;
        var _ =
            f.whenComplete(
                (r, t) -> {
                  late[idx] = System.nanoTime() - deadline;
                  if (t == null && ((EchoResult) r).status() == IpStatus.IP_REQ_TIMED_OUT)
                    timedOut.increment();
                  else other.increment();
                  latch.countDown();
                });
      }
      boolean all = latch.await(timeoutMs + 120_000L, TimeUnit.MILLISECONDS);
      long tEnd = System.nanoTime();
      Arrays.fill(futures, null);
      reqs = null;
      long h3 = heapAfterGc();
      long[] s = Arrays.copyOf(late, count);
      Arrays.sort(s);
      long within = Arrays.stream(s).filter(x -> Math.abs(x) <= 10_000_000L).count();
      // Where the completions more than 10 ms late fall, in ms after the first deadline (warm-up,
      // or spread?).
      long firstDue = Arrays.stream(deadlines).min().orElse(0);
      StringBuilder outliers = new StringBuilder();
      int shown = 0;
      for (int k = 0; k < count && shown < 20; k++) {
        if (Math.abs(late[k]) > 10_000_000L) {
          outliers
              .append(outliers.isEmpty() ? "" : ",")
              .append((deadlines[k] - firstDue) / 1_000_000)
              .append(':')
              .append(late[k] / 1_000_000);
          shown++;
        }
      }
      double callerBytes = (double) (h1 - h0) / count;
      // The futures array (and late[], deadlines[]) exist before h0: filling them costs nothing, so
      // nothing is subtracted (earlier versions subtracted 4 B for the futures slot, wrongly).
      double engineBytes = (double) (h2 - h1) / count;
      result(
          "million",
          "count",
          count,
          "template",
          template,
          "timeout_ms",
          timeoutMs,
          "submit_ms",
          (submitted - t0) / 1e6,
          "send_all_ms",
          (allSent - t0) / 1e6,
          "in_flight_at_peak",
          mid.inFlight,
          "sent",
          mid.sent,
          "caller_bytes_per_request",
          callerBytes,
          "engine_bytes_per_probe",
          engineBytes,
          "total_bytes_per_probe",
          callerBytes + engineBytes,
          "heap_base_mb",
          h0 / 1e6,
          "heap_peak_mb",
          h2 / 1e6,
          "heap_after_mb",
          h3 / 1e6,
          "threads_before",
          threads0,
          "threads_peak",
          threadsPeak,
          "timed_out",
          timedOut.sum(),
          "other",
          other.sum(),
          "all_done",
          all,
          "late_min_ms",
          s[0] / 1e6,
          "late_p50_ms",
          s[count / 2] / 1e6,
          "late_p99_ms",
          s[(int) (count * 0.99)] / 1e6,
          "late_max_ms",
          s[count - 1] / 1e6,
          "within_10ms_pct",
          100.0 * within / count,
          "total_s",
          (tEnd - t0) / 1e9,
          "outliers_due_ms_late_ms",
          outliers.isEmpty() ? "none" : outliers.toString());
    }
  }

  record ClientStats0(long inFlight, long sent) {}

  /**
   * The engine's deadline field of a probe (the future it returns), read for the lateness
   * measurement only.
   */
  static VarHandle probeDeadline() throws ReflectiveOperationException {
    Class<?> probe = Class.forName("org.icmpecho.internal.Probe");
    return MethodHandles.privateLookupIn(probe, MethodHandles.lookup())
        .findVarHandle(probe, "deadline", long.class);
  }
}
