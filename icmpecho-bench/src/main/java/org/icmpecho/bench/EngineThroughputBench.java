package org.icmpecho.bench;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IpStatus;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips through a real {@link IcmpClient} on loopback: one operation = one echo submitted
 * while {@code window - 1} others are in flight (a ring of futures: wait for the oldest, submit a
 * new one in its place), so ops/s = round trips/s at that window. Targets are consecutive addresses
 * from {@code -Dicmpecho.bench.base} (default 127.0.0.1: all of 127/8 answers in any namespace; the
 * bench script runs it inside its own namespace).
 *
 * <p>{@code -prof gc} gives B/op for everything a round trip allocates on every thread: the probe
 * (the future the caller gets), the result, the completion hand-off, and the engine's own work.
 * {@code Driver alloc} splits it by thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EngineThroughputBench {
  @Param({"1", "100", "10000"})
  int targets;

  @Param({"1", "64"})
  int window;

  /**
   * "default" (virtual thread per batch of completions) or "direct" (complete on the I/O thread).
   */
  @Param({"default"})
  String executor;

  IcmpClient client;
  EchoRequest[] requests;
  CompletableFuture<EchoResult>[] ring;
  int next;

  /** Outcomes per iteration, reported beside ops/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long sent;
    public long received;
    public long timedOut;

    @Setup(Level.Iteration)
    public void reset() {
      sent = 0;
      received = 0;
      timedOut = 0;
    }
  }

  @Setup
  @SuppressWarnings("unchecked")
  public void setup() throws Exception {
    IcmpClient.Builder b = IcmpClient.newBuilder();
    if ("direct".equals(executor)) b.callbackExecutor(Runnable::run);
    client = b.build();
    InetAddress[] a =
        Driver.addresses(System.getProperty("icmpecho.bench.base", "127.0.0.1"), targets);
    requests = new EchoRequest[targets];
    for (int i = 0; i < targets; i++)
      requests[i] = EchoRequest.to(a[i]).timeout(Duration.ofSeconds(2)).build();
    client.echo(requests[0]); // opens the socket
    ring = (CompletableFuture<EchoResult>[]) new CompletableFuture<?>[window];
    for (int i = 0; i < window; i++) ring[i] = client.echoAsync(requests[next++ % targets]);
  }

  @TearDown
  public void tearDown() {
    client.close();
  }

  @Benchmark
  public EchoResult roundTrip(Counters c) throws Exception {
    int slot = next % window;
    EchoResult r = ring[slot].get(10, TimeUnit.SECONDS);
    if (r.status() == IpStatus.IP_SUCCESS) c.received++;
    else if (r.status() == IpStatus.IP_REQ_TIMED_OUT) c.timedOut++;
    ring[slot] = client.echoAsync(requests[next++ % targets]);
    if (next == Integer.MAX_VALUE) next = 0;
    c.sent++;
    return r;
  }
}
