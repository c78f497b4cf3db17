package org.icmpecho.exporter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;

/**
 * {@link PeriodicProber} on one timer thread for every run: each run ticks at most once a millisecond and sends the
 * targets whose slot in the period has come (slot {@code i} at {@code i * period / n}), so n targets need neither n
 * threads nor n timers. A run that falls behind by more than a period skips ahead rather than bursting.
 */
final class TimerProber implements PeriodicProber {
  private static final long MIN_TICK_NANOS = 1_000_000;

  private final IcmpClient client;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "icmpecho-exporter-timer");
        t.setDaemon(true);
        return t;
      });

  TimerProber(IcmpClient client) {
    this.client = client;
  }

  @Override
  public Run start(List<EchoRequest> requests, Duration period, Listener listener) {
    TimedRun run = new TimedRun(List.copyOf(requests), period.toNanos(), listener);
    if (requests.isEmpty()) return () -> {};
    long tick = Math.max(MIN_TICK_NANOS, run.period / requests.size());
    run.future = timer.scheduleAtFixedRate(run::tick, 0, Math.min(tick, run.period), TimeUnit.NANOSECONDS);
    return run;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private final class TimedRun implements Run {
    private final List<EchoRequest> requests;
    private final long period;
    private final Listener listener;
    private final Consumer<EchoResult.Reply>[] onDuplicate;
    private final long start = System.nanoTime();
    private long sent; // slots sent since start, over all rounds
    private volatile ScheduledFuture<?> future;

    @SuppressWarnings("unchecked")
    TimedRun(List<EchoRequest> requests, long period, Listener listener) {
      this.requests = requests;
      this.period = period;
      this.listener = listener;
      this.onDuplicate = new Consumer[requests.size()];
      for (int i = 0; i < onDuplicate.length; i++) {
        int target = i;
        onDuplicate[i] = reply -> listener.duplicate(target, reply);
      }
    }

    void tick() {
      int n = requests.size();
      long elapsed = System.nanoTime() - start;
      long due = elapsed / period * n + elapsed % period * n / period + 1; // slot 0 is due at start; no overflow
      if (due - sent > n) sent = due - n; // more than a round behind: skip, as a ping that was paused would
      for (; sent < due; sent++) send((int) (sent % n));
    }

    private void send(int i) {
      try {
        client.echoAsync(requests.get(i), onDuplicate[i]).whenComplete((r, ex) -> {
          if (ex != null) listener.failed(i, ex);
          else listener.outcome(i, r);
        });
        listener.sent(i);
      } catch (RuntimeException e) {
        listener.failed(i, e);
      }
    }

    @Override
    public void stop() {
      ScheduledFuture<?> f = future;
      if (f != null) f.cancel(false);
    }
  }
}
