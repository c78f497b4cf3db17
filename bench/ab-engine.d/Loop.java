import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;

/**
 * One engine version's measuring loop, compiled against that version's public API and loaded in a
 * class loader of its own by {@link Harness}: {@code applyAsLong(n)} runs n echoes and returns the
 * nanoseconds taken. {@code -Dwindow=W} keeps W {@code echoAsync} in flight instead of one blocking
 * {@code echo()} at a time; {@code -Dmode=raw} uses raw sockets.
 */
public final class Loop implements LongUnaryOperator, AutoCloseable {
  private static final int WINDOW = Integer.getInteger("window", 1);

  private final IcmpClient client =
      IcmpClient.newBuilder()
          .socketMode(SocketMode.valueOf(System.getProperty("mode", "auto").toUpperCase(Locale.ROOT)))
          .build();
  private final EchoRequest req;

  public Loop() throws Exception {
    req =
        EchoRequest.to(InetAddress.getByName(System.getProperty("target", "198.18.0.1")))
            .timeout(Duration.ofSeconds(1))
            .build();
  }

  @Override
  public long applyAsLong(long n) {
    if (WINDOW > 1) return windowed(n);
    try {
      long t0 = System.nanoTime();
      for (long i = 0; i < n; i++) {
        if (!(client.echo(req) instanceof EchoResult.Reply)) throw new IllegalStateException("no reply");
      }
      return System.nanoTime() - t0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private long windowed(long n) {
    CountDownLatch done = new CountDownLatch(1);
    AtomicLong left = new AtomicLong(n);
    AtomicLong toSend = new AtomicLong(n - WINDOW);
    long t0 = System.nanoTime();
    for (int i = 0; i < WINDOW; i++) send(left, toSend, done);
    try {
      done.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return System.nanoTime() - t0;
  }

  private void send(AtomicLong left, AtomicLong toSend, CountDownLatch done) {
    client.echoAsync(req).whenComplete((r, t) -> {
      if (left.decrementAndGet() == 0) done.countDown();
      else if (toSend.getAndDecrement() > 0) send(left, toSend, done);
    });
  }

  @Override
  public void close() {
    client.close();
  }
}
