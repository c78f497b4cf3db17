package org.icmpecho.bench;

import static org.icmpecho.bench.Driver.client;
import static org.icmpecho.bench.Driver.i;
import static org.icmpecho.bench.Driver.requests;
import static org.icmpecho.bench.Driver.result;
import static org.icmpecho.bench.Driver.s;

import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.bench.Driver.Pump;

/**
 * {@link Driver}'s {@code sizes} and {@code alloc} modes: bytes per object of what a round trip
 * allocates, measured; heap allocated per round trip, by thread kind.
 */
final class Allocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private Allocation() {}

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

  // ---------------------------------------------------------- allocation per round trip, by thread

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
