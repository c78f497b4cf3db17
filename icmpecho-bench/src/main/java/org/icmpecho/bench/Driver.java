package org.icmpecho.bench;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.icmpecho.PingSchedule;
import org.icmpecho.SocketMode;

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
 * schedule --base A --targets N [--sockets S] [--seconds T] [--warmup T]
 *                                                           N targets on one PingSchedule, each echoed again as
 *                                                           soon as its last is answered: round trips/s, no futures
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
      case "schedule" -> schedule(o);
      case "sync" -> OneAtATime.sync(o);
      case "direct" -> OneAtATime.direct(o);
      case "rtt" -> OneAtATime.rtt(o);
      case "million" -> MillionInFlight.million(o);
      case "alloc" -> Allocation.alloc(o);
      case "sizes" -> Allocation.sizes();
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

  // -------------------------------------------------- window: W in flight, refilled from callbacks

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

  // --------------------------------------------------- schedule: N targets, refilled by the engine

  /**
   * The engine's steady state without a future per echo: one {@link PingSchedule} over {@code
   * targets} addresses, each echoed again as soon as its last echo is answered ({@code adaptive},
   * no end), its listener counting; the way the CLI and the exporter use the engine.
   */
  static void schedule(Map<String, String> o) throws Exception {
    int targets = i(o, "targets", 16384);
    double seconds = d(o, "seconds", 3);
    double warmup = d(o, "warmup", 1);
    InetAddress[] addrs = addresses(s(o, "base", "198.18.0.1"), targets);
    EchoRequest template = EchoRequest.to(addrs[0]).build();
    AtomicLong replies = new AtomicLong();
    AtomicLong others = new AtomicLong();
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      PingSchedule run =
          client.schedule(
              PingSchedule.to(java.util.List.of(addrs), template)
                  .count(0)
                  .period(Duration.ofSeconds(1))
                  .adaptive(true)
                  .maxInFlight(targets)
                  .listener(
                      (t, k, r) -> {
                        if (r instanceof EchoResult.Reply) replies.incrementAndGet();
                        else others.incrementAndGet();
                      }));
      sleep(warmup);
      long r0 = replies.get();
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      sleep(seconds);
      long r1 = replies.get();
      long c1 = cpuNanos();
      long t1 = System.nanoTime();
      run.close();
      double secs = (t1 - t0) / 1e9;
      long rt = r1 - r0;
      result(
          "schedule",
          "targets",
          targets,
          "sockets",
          i(o, "sockets", 1),
          "rate",
          Math.round(rt / secs),
          "cpu_us_per_rt",
          (c1 - c0) / 1e3 / Math.max(1, rt),
          "cpu_cores",
          (c1 - c0) / 1e9 / secs,
          "replies",
          rt,
          "not_replies",
          others.get());
    }
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
}
