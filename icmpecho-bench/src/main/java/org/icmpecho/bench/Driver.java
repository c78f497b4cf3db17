package org.icmpecho.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.InternalAccess;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;

/**
 * The Java side of {@code bench/run}: drives an {@link IcmpClient} (the public API only, plus the
 * transport seam for the spin prototype) and prints one {@code RESULT key=value ...} line per
 * measurement for the script to collect. Every loop is bounded by a count and by time. Targets are
 * loopback or the bench namespace's own ranges, which the script passes in; nothing here picks an
 * address by itself.
 *
 * <pre>
 * window  --base A --targets N --window W [--sockets S] [--seconds T] [--warmup T] [--max C] [--executor direct]
 *         [--mode raw|datagram|auto]                        round trips/s and CPU per round trip, W in flight
 * sweep   --base A --targets N [--reps R] [--sockets S]     each address once, all at once; answers/s per rep
 * sync    --base A [--variant get|spin] [--executor direct] [--seconds T] [--max C]
 *                                                           one at a time through echo() (or echoAsync + spin)
 * direct  --base A [--seconds T] [--max C]                  the engine's own Channel used by the calling thread,
 *                                                           no engine at all: the floor under echo()
 * rtt     --base A --count N --interval-ms I                one at a time; prints every RTT in µs
 * million --base A --count N --timeout-ms T                 N in flight to addresses that never answer
 * alloc   --base A --window W --count N [--executor direct] heap bytes per round trip, per thread kind
 * sizes                                                     bytes per object of what a round trip allocates
 * plot    --in FILE.tsv --out FILE.svg                      the scaling curve
 * </pre>
 */
public final class Driver {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Driver() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println(
          "usage: Driver window|sweep|sync|direct|rtt|million|alloc|plot --key value ...");
      System.exit(2);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--"))
        throw new IllegalArgumentException("expected --key, got " + args[i]);
      o.put(args[i].substring(2), args[i + 1]);
    }
    switch (args[0]) {
      case "window" -> window(o);
      case "sweep" -> sweep(o);
      case "sync" -> sync(o);
      case "direct" -> direct(o);
      case "rtt" -> rtt(o);
      case "million" -> million(o);
      case "alloc" -> alloc(o);
      case "sizes" -> sizes();
      case "plot" -> Svg.plot(o.get("in"), o.get("out"));
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------- helpers

  static int i(Map<String, String> o, String k, int d) {
    return o.containsKey(k) ? Integer.parseInt(o.get(k)) : d;
  }

  static double d(Map<String, String> o, String k, double d) {
    return o.containsKey(k) ? Double.parseDouble(o.get(k)) : d;
  }

  static String s(Map<String, String> o, String k, String d) {
    return o.getOrDefault(k, d);
  }

  /** {@code count} consecutive IPv4 addresses from {@code base}. */
  static InetAddress[] addresses(String base, int count) throws UnknownHostException {
    byte[] b = InetAddress.getByName(base).getAddress();
    if (b.length != 4) throw new IllegalArgumentException("IPv4 base expected: " + base);
    int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    InetAddress[] a = new InetAddress[count];
    for (int k = 0; k < count; k++) {
      int x = v + k;
      a[k] =
          Inet4Address.getByAddress(
              new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x});
    }
    return a;
  }

  static IcmpClient client(Map<String, String> o) {
    IcmpClient.Builder b =
        IcmpClient.newBuilder()
            .socketMode(SocketMode.valueOf(s(o, "mode", "auto").toUpperCase(Locale.ROOT)))
            .socketsPerFamily(i(o, "sockets", 1));
    if (o.containsKey("rcvbuf")) b.receiveBufferSize(i(o, "rcvbuf", 4 << 20));
    if ("direct".equals(s(o, "executor", "default"))) b.callbackExecutor(Runnable::run);
    return b.build();
  }

  static long cpuNanos() {
    return OS.getProcessCpuTime();
  }

  static String load() {
    return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
  }

  static void result(String mode, Object... kv) {
    StringBuilder sb = new StringBuilder("RESULT mode=").append(mode);
    for (int k = 0; k + 1 < kv.length; k += 2) {
      Object v = kv[k + 1];
      String text =
          v instanceof Double x ? String.format(Locale.ROOT, "%.3f", x) : String.valueOf(v);
      sb.append(' ').append(kv[k]).append('=').append(text);
    }
    sb.append(" load=").append(load());
    System.out.println(sb);
  }

  // ---------------------------------------------------------------- window: W in flight, refilled
  // from callbacks

  /**
   * Keeps a window of echoes in flight: each completion submits the next echo, until told to stop.
   */
  static final class Pump implements BiConsumer<EchoResult, Throwable> {
    final IcmpClient client;
    final EchoRequest[] requests;
    final long max;
    final AtomicLong issued = new AtomicLong();
    final LongAdder replies = new LongAdder();
    final LongAdder others = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder done = new LongAdder();
    volatile boolean stop;

    Pump(IcmpClient client, EchoRequest[] requests, long max) {
      this.client = client;
      this.requests = requests;
      this.max = max;
    }

    void next() {
      if (stop) return;
      long n = issued.getAndIncrement();
      if (n >= max) {
        stop = true;
        return;
      }
      var _ = client.echoAsync(requests[(int) (n % requests.length)]).whenComplete(this);
    }

    @Override
    public void accept(EchoResult r, Throwable t) {
      if (t != null) failures.increment();
      else if (r.status() == IpStatus.IP_SUCCESS) replies.increment();
      else others.increment();
      done.increment();
      next();
    }

    long completed() {
      return done.sum();
    }

    long inFlight() {
      return Math.min(issued.get(), max) - done.sum();
    }
  }

  static EchoRequest[] requests(Map<String, String> o, int targets) throws UnknownHostException {
    InetAddress[] a = addresses(s(o, "base", "127.0.0.1"), targets);
    Duration timeout = Duration.ofMillis(i(o, "timeout-ms", 2000));
    EchoRequest[] r = new EchoRequest[targets];
    for (int k = 0; k < targets; k++) r[k] = EchoRequest.to(a[k]).timeout(timeout).build();
    return r;
  }

  static void window(Map<String, String> o) throws Exception {
    int targets = i(o, "targets", 1);
    int window = i(o, "window", 64);
    double warmup = d(o, "warmup", 1);
    double seconds = d(o, "seconds", 3);
    long max = Long.parseLong(s(o, "max", "50000000"));
    EchoRequest[] reqs = requests(o, targets);
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      Pump pump = new Pump(client, reqs, max);
      for (int k = 0; k < window; k++) pump.next();
      sleep(warmup);
      long t0 = System.nanoTime(), c0 = cpuNanos(), r0 = pump.replies.sum(), o0 = pump.others.sum();
      sleep(seconds);
      long t1 = System.nanoTime(), c1 = cpuNanos(), r1 = pump.replies.sum(), o1 = pump.others.sum();
      pump.stop = true;
      long until = System.nanoTime() + 5_000_000_000L;
      while (pump.inFlight() > 0 && System.nanoTime() < until) Thread.sleep(5);
      double secs = (t1 - t0) / 1e9;
      long rt = r1 - r0;
      result(
          "window",
          "targets",
          targets,
          "window",
          window,
          "sockets",
          i(o, "sockets", 1),
          "executor",
          s(o, "executor", "default"),
          "rate",
          Math.round(rt / secs),
          "cpu_us_per_rt",
          rt == 0 ? 0.0 : (c1 - c0) / 1e3 / rt,
          "cpu_cores",
          (c1 - c0) / 1e9 / secs,
          "replies",
          rt,
          "not_replies",
          o1 - o0,
          "failures",
          pump.failures.sum(),
          "secs",
          secs,
          "stats",
          client.stats().toString().replace(' ', '_'));
    }
  }

  static void sleep(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  // ---------------------------------------------------------------- sweep: every address once

  static void sweep(Map<String, String> o) throws Exception {
    int targets = i(o, "targets", 65534);
    int reps = i(o, "reps", 3);
    EchoRequest[] reqs = requests(o, targets);
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      for (int rep = 1; rep <= reps; rep++) {
        LongAdder ok = new LongAdder();
        CountDownLatch latch = new CountDownLatch(targets);
        BiConsumer<EchoResult, Throwable> cb =
            (r, t) -> {
              if (t == null && r.isSuccess()) ok.increment();
              latch.countDown();
            };
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        for (EchoRequest r : reqs) {
          var _ = client.echoAsync(r).whenComplete(cb);
        }
        boolean all = latch.await(60, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        long c1 = cpuNanos();
        double secs = (t1 - t0) / 1e9;
        result(
            "sweep",
            "rep",
            rep,
            "targets",
            targets,
            "sockets",
            i(o, "sockets", 1),
            "answers",
            ok.sum(),
            "secs",
            secs,
            "rate",
            Math.round(ok.sum() / secs),
            "cpu_us_per_rt",
            (c1 - c0) / 1e3 / Math.max(1, ok.sum()),
            "complete",
            all,
            "since_jvm_start_ms",
            System.currentTimeMillis() - jvmStart);
      }
    }
  }

  // ---------------------------------------------------------------- one at a time

  static void sync(Map<String, String> o) throws Exception {
    String variant = s(o, "variant", "get");
    double seconds = d(o, "seconds", 3);
    double warmup = d(o, "warmup", 1);
    long max = Long.parseLong(s(o, "max", "2000000"));
    EchoRequest req = requests(o, 1)[0];
    long[] rtts = new long[1 << 20];
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
      while (System.nanoTime() < warmEnd) once(client, req, variant);
      long n = 0, ok = 0;
      long c0 = cpuNanos(), t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
      while (n < max && ((n & 63) != 0 || System.nanoTime() < end)) {
        EchoResult r = once(client, req, variant);
        if (r instanceof EchoResult.Reply rep) {
          if (ok < rtts.length) rtts[(int) ok] = rep.rtt().toNanos();
          ok++;
        }
        n++;
      }
      long t1 = System.nanoTime(), c1 = cpuNanos();
      double secs = (t1 - t0) / 1e9;
      long[] s = Arrays.copyOf(rtts, (int) Math.min(ok, rtts.length));
      Arrays.sort(s);
      result(
          "sync",
          "variant",
          variant,
          "executor",
          s(o, "executor", "default"),
          "rate",
          Math.round(ok / secs),
          "us_per_rt",
          secs * 1e6 / Math.max(1, ok),
          "cpu_us_per_rt",
          (c1 - c0) / 1e3 / Math.max(1, ok),
          "rtt_median_us",
          s.length == 0 ? 0.0 : s[s.length / 2] / 1e3,
          "replies",
          ok,
          "sent",
          n);
    }
  }

  static EchoResult once(IcmpClient client, EchoRequest req, String variant) throws Exception {
    if ("get".equals(variant)) return client.echo(req);
    CompletableFuture<EchoResult> f = client.echoAsync(req);
    // Spin-then-park prototype of echo(): spin up to ~50 µs, then block.
    long spinEnd = System.nanoTime() + 50_000;
    while (!f.isDone() && System.nanoTime() < spinEnd) Thread.onSpinWait();
    return f.get(5, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- PROTOTYPE: caller-runs, no I/O
  // thread

  /**
   * The engine's own {@link Channel} (socket, FFM send, {@code recvmmsg}, codec) driven by the
   * calling thread: the cost of one round trip when no hand-off happens at all. This is the ceiling
   * of a caller-runs fast path in {@code IcmpClient.echo()}.
   */
  static void direct(Map<String, String> o) throws Exception {
    double seconds = d(o, "seconds", 3);
    long max = Long.parseLong(s(o, "max", "2000000"));
    EchoRequest req = requests(o, 1)[0];
    Channel ch =
        InternalAccess.systemTransport()
            .open(
                new ChannelKey(false, null, null, 0),
                SocketKind.valueOf(s(o, "mode", "auto").toUpperCase(Locale.ROOT)),
                4 << 20);
    byte[] payload = new byte[req.payloadSize()];
    for (int k = 0; k < payload.length; k++) payload[k] = (byte) k;
    long[] got = new long[2]; // [0] = replies seen, [1] = last rx time
    int[] wantSeq = new int[1];
    Channel.PacketSink sink =
        (c, p) -> {
          if (p.kind == Packet.ECHO_REPLY && p.sequence == wantSeq[0]) {
            got[0]++;
            got[1] = p.rxTime;
          }
        };
    try {
      long lost = 0;
      long[] rtts = new long[1 << 20];
      long t0 = 0, c0 = 0, end = Long.MAX_VALUE;
      long warmEnd = System.nanoTime() + 1_000_000_000L;
      boolean measuring = false;
      long rt = 0;
      for (long k = 0; k < max + 5_000_000L; k++) {
        if (!measuring && System.nanoTime() >= warmEnd) {
          measuring = true;
          t0 = System.nanoTime();
          c0 = cpuNanos();
          end = t0 + (long) (seconds * 1e9);
        }
        if (measuring && (rt >= max || System.nanoTime() >= end)) break;
        int seq = (int) (k & 0xffff);
        wantSeq[0] = seq;
        long before = got[0];
        if (ch.send(SendOptions.PLAIN, req.target(), 0, seq, payload, payload.length)
            != Channel.SENT) {
          throw new IllegalStateException("send failed");
        }
        long sentAt = ch.lastSendTime();
        long giveUp = System.nanoTime() + 100_000_000L;
        while (got[0] == before && System.nanoTime() < giveUp) ch.receive(sink, 64, false);
        if (got[0] == before) {
          lost++;
          continue;
        }
        if (measuring) {
          if (rt < rtts.length) rtts[(int) rt] = got[1] - sentAt;
          rt++;
        }
      }
      long t1 = System.nanoTime(), c1 = cpuNanos();
      double secs = (t1 - t0) / 1e9;
      long[] s = Arrays.copyOf(rtts, (int) Math.min(rt, rtts.length));
      Arrays.sort(s);
      result(
          "direct",
          "rate",
          Math.round(rt / secs),
          "us_per_rt",
          secs * 1e6 / Math.max(1, rt),
          "cpu_us_per_rt",
          (c1 - c0) / 1e3 / Math.max(1, rt),
          "rtt_median_us",
          s.length == 0 ? 0.0 : s[s.length / 2] / 1e3,
          "replies",
          rt,
          "lost",
          lost,
          "socket",
          ch.kind());
    } finally {
      ch.close();
    }
  }

  // ---------------------------------------------------------------- RTT precision

  static void rtt(Map<String, String> o) throws Exception {
    int count = i(o, "count", 400);
    double interval = d(o, "interval-ms", 5);
    EchoRequest req = requests(o, 1)[0];
    long[] rtts = new long[count];
    int ok = 0;
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      // Warm the path until the JIT has compiled it (an interpreted send path puts tens of µs
      // between the
      // clock read and sendmsg): back to back for ~2 s, bounded by count. Not measured.
      long warmEnd = System.nanoTime() + (long) (d(o, "warmup", 2) * 1e9);
      for (int k = 0; k < 400_000 && System.nanoTime() < warmEnd; k++) client.echo(req);
      long next = System.nanoTime();
      for (int k = 0; k < count; k++) {
        next += (long) (interval * 1e6);
        if (client.echo(req) instanceof EchoResult.Reply r) rtts[ok++] = r.rtt().toNanos();
        long wait = next - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    long[] s = Arrays.copyOf(rtts, ok);
    Arrays.sort(s);
    StringBuilder all = new StringBuilder();
    for (int k = 0; k < ok; k++)
      all.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rtts[k] / 1e3));
    System.out.println("RTTS_US " + all);
    result(
        "rtt",
        "count",
        ok,
        "median_us",
        ok == 0 ? 0.0 : s[ok / 2] / 1e3,
        "p10_us",
        ok == 0 ? 0.0 : s[ok / 10] / 1e3,
        "p90_us",
        ok == 0 ? 0.0 : s[ok * 9 / 10] / 1e3);
  }

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
      // made just for
      // the call, as a scanner walking a range does (the engine keeps an IPv4 target as an int, so
      // the caller's
      // address is garbage at once); otherwise one EchoRequest per target, all built before the
      // baseline h1.
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
      // nothing is
      // subtracted (earlier versions subtracted 4 B for the futures slot, wrongly).
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

  // ---------------------------------------------------------------- object sizes, measured

  static Object sink;

  /**
   * Bytes allocated per call of {@code make}, measured over many calls on this thread (TLAB
   * accounting).
   */
  static double bytesPer(java.util.function.IntFunction<Object> make) {
    for (int k = 0; k < 200_000; k++) sink = make.apply(k); // JIT first
    long tid = Thread.currentThread().threadId();
    int n = 1_000_000;
    long a = THREADS.getThreadAllocatedBytes(tid);
    for (int k = 0; k < n; k++) sink = make.apply(k);
    long b = THREADS.getThreadAllocatedBytes(tid);
    return (double) (b - a) / n;
  }

  @SuppressWarnings("FutureReturnValueIgnored") // a future is what one of the rows measures
  static void sizes() throws Throwable {
    Class<?> probe = Class.forName("org.icmpecho.internal.Probe");
    Class<?> templated4 = Class.forName("org.icmpecho.internal.Probe$Templated4");
    var mh =
        MethodHandles.privateLookupIn(probe, MethodHandles.lookup())
            .findConstructor(
                probe,
                java.lang.invoke.MethodType.methodType(
                    void.class, EchoRequest.class, boolean.class))
            .asType(
                java.lang.invoke.MethodType.methodType(
                    Object.class, EchoRequest.class, boolean.class));
    var mh4 =
        MethodHandles.privateLookupIn(templated4, MethodHandles.lookup())
            .findConstructor(
                templated4,
                java.lang.invoke.MethodType.methodType(void.class, EchoRequest.class, int.class))
            .asType(
                java.lang.invoke.MethodType.methodType(Object.class, EchoRequest.class, int.class));
    byte[] ab = {127, 0, 0, 1};
    InetAddress from = InetAddress.getByAddress(ab);
    EchoRequest req = EchoRequest.of(from);
    result(
        "sizes",
        "probe",
        bytesPer(
            k -> {
              try {
                return (Object) mh.invokeExact(req, false);
              } catch (Throwable t) {
                throw new IllegalStateException(t);
              }
            }),
        "probe_template4",
        bytesPer(
            k -> {
              try {
                return (Object) mh4.invokeExact(req, k);
              } catch (Throwable t) {
                throw new IllegalStateException(t);
              }
            }),
        "reply",
        bytesPer(k -> new EchoResult.Reply(req, from, null, 64, 0, 64, k)),
        "duration",
        bytesPer(k -> Duration.ofNanos(1_000_000_007L + k)),
        "inet4address",
        bytesPer(
            k -> {
              try {
                return InetAddress.getByAddress(ab);
              } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
              }
            }),
        "echo_request",
        bytesPer(
            k ->
                new EchoRequest(
                    from, null, 56, -1, -1, req.pathMtuDiscovery(), null, null, req.timeout())),
        "timed_out",
        bytesPer(k -> new EchoResult.TimedOut(req, req.timeout(), k)),
        "when_complete_node",
        bytesPer(k -> new CompletableFuture<EchoResult>().whenComplete((r, t) -> {})));
  }

  // ---------------------------------------------------------------- allocation per round trip, by
  // thread

  static void alloc(Map<String, String> o) throws Exception {
    int window = i(o, "window", 64);
    long count = Long.parseLong(s(o, "count", "2000000"));
    EchoRequest[] reqs = requests(o, i(o, "targets", 1));
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      Thread io =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("icmpecho-io"))
              .findFirst()
              .orElseThrow();
      // Warm up (JIT), then measure a fresh pump of `count` round trips.
      for (int pass = 0; pass < 2; pass++) {
        long n = pass == 0 ? Math.min(count, 300_000) : count;
        Pump pump = new Pump(client, reqs, n);
        long ioA = THREADS.getThreadAllocatedBytes(io.threadId());
        long allA = THREADS.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int k = 0; k < window; k++) pump.next();
        long until = System.nanoTime() + 120_000_000_000L;
        while (pump.completed() < n && System.nanoTime() < until) Thread.sleep(2);
        long t1 = System.nanoTime();
        long ioB = THREADS.getThreadAllocatedBytes(io.threadId());
        long allB = THREADS.getTotalThreadAllocatedBytes();
        long done = pump.completed();
        if (pass == 1) {
          result(
              "alloc",
              "window",
              window,
              "executor",
              s(o, "executor", "default"),
              "round_trips",
              done,
              "io_thread_bytes_per_rt",
              (double) (ioB - ioA) / done,
              "all_threads_bytes_per_rt",
              (double) (allB - allA) / done,
              "rate",
              Math.round(done / ((t1 - t0) / 1e9)));
        }
      }
    }
  }
}
