package org.icmpecho.exporter;

import java.time.Duration;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.PingSchedule;

/**
 * {@link PeriodicProber} on the engine's scheduling primitive ({@link PingSchedule}): one unbounded schedule per run,
 * run by the client's I/O thread, so a target costs a few array slots, never a thread, a timer or a socket.
 */
final class ScheduleProber implements PeriodicProber {
  private final IcmpClient client;

  ScheduleProber(IcmpClient client) {
    this.client = client;
  }

  @Override
  public Run start(List<EchoRequest> requests, Duration period, Listener listener) {
    int n = requests.size();
    if (n == 0) {
      return new Run() {
        @Override
        public long sent(int target) {
          throw new IndexOutOfBoundsException(target);
        }

        @Override
        public void stop() {}
      };
    }
    long timeout = requests.stream().mapToLong(r -> r.timeout().toNanos()).max().orElse(0);
    long periods = timeout / period.toNanos() + 2; // echoes of one target that can be in flight at once
    PingSchedule schedule = client.schedule(PingSchedule.of(requests)
        .count(0)
        .period(period)
        // the first round spreads the targets over the period; the gap is a little shorter than period / n so
        // that a stall is caught up rather than stretching every target's period
        .interval(period.dividedBy(n + n / 8 + 1))
        .maxInFlight((int) Math.min(Integer.MAX_VALUE, n * periods))
        .listener(new PingSchedule.Listener() {
          @Override
          public void onResult(int target, long probe, EchoResult result) {
            listener.outcome(target, result);
          }

          @Override
          public void onDuplicate(int target, long probe, EchoResult.Reply reply) {
            listener.duplicate(target, reply);
          }
        }));
    return new Run() {
      @Override
      public long sent(int target) {
        return schedule.sent(target);
      }

      @Override
      public void stop() {
        // nothing more is sent; echoes in flight still report (a reload must not turn them into losses), then the
        // schedule is closed, which also ends its duplicate reports
        for (int i = 0; i < n; i++) schedule.stop(i);
        schedule.done().whenComplete((v, e) -> schedule.close());
      }
    };
  }
}
