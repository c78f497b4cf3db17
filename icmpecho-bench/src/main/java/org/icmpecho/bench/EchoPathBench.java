package org.icmpecho.bench;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.internal.InternalAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's own cost per echo, with a transport that answers in memory ({@link
 * ReflectingTransport}): guards the shapes of the hot paths (ENGINE-NOTES §11). {@code sweep}:
 * 1,024 template echoes to distinct IPv4 targets in flight at once, the path of a sweep (queue,
 * chunked sends, slot, payload, match, batch, completion); run with {@code -prof gc}, its bytes per
 * operation are the probe and its result and nothing else. {@code echo}: one blocking echo at a
 * time, the caller-runs path of {@code echo()} on the shared loop.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EchoPathBench {
  private static final int BATCH = 1024;

  private IcmpClient client;
  private EchoRequest template;
  private EchoRequest one;
  private InetAddress[] targets;

  @SuppressWarnings("unchecked")
  private final CompletableFuture<EchoResult>[] inFlight =
      (CompletableFuture<EchoResult>[]) new CompletableFuture<?>[BATCH];

  @Setup(Level.Trial)
  public void open() throws Exception {
    IcmpClient.Builder b = IcmpClient.newBuilder().callbackExecutor(Runnable::run);
    InternalAccess.configure(b, c -> c.withTransportFactory(new ReflectingTransport()));
    client = b.build();
    template =
        EchoRequest.to(InetAddress.getByName("198.18.0.1")).timeout(Duration.ofSeconds(5)).build();
    one = template;
    targets = Driver.addresses("198.18.0.1", BATCH);
  }

  @TearDown(Level.Trial)
  public void close() {
    client.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int sweep() {
    for (int i = 0; i < BATCH; i++) inFlight[i] = client.echoAsync(targets[i], template);
    int replies = 0;
    for (int i = 0; i < BATCH; i++) {
      if (inFlight[i].join() instanceof EchoResult.Reply) replies++;
    }
    if (replies != BATCH) throw new IllegalStateException(replies + " of " + BATCH + " answered");
    return replies;
  }

  @Benchmark
  public EchoResult echo() throws Exception {
    EchoResult r = client.echo(one);
    if (!(r instanceof EchoResult.Reply)) throw new IllegalStateException(r.toString());
    return r;
  }
}
