package org.icmpecho.exporter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.PingSchedule;

/**
 * {@link PeriodicProber} on the engine's scheduling primitive ({@link PingSchedule}), run by the
 * client's I/O thread: a target costs a few array slots, never a thread, a timer or a socket.
 *
 * <p>The targets are cut into slots of {@link #SLOT} (a hundred per second at a 1 s period;
 * narrower for many targets, see {@link #PER_SLOT}), one unbounded schedule each, all started at
 * once and anchored {@code SLOT} apart ({@link PingSchedule.Builder#delay}): every target gets one
 * echo per period, the period's load is spread evenly, and the I/O thread wakes once per slot for a
 * batch instead of once per echo. Measured here on loopback (module README), one wake-up per echo
 * cost several times the CPU of the echo itself. The anchors matter at scale: slots started one by
 * one when their time came (as before) took their due times from whenever the I/O thread got to
 * them, and at 100,000 targets, with the first batches slow while the JIT compiles, runs of slots
 * started behind one another and stayed bunched for ever (a third of the echoes more than 10 ms
 * late).
 *
 * <p>Each echo's lateness (its send time minus the time its schedule had it due) goes to {@link
 * Listener#late}.
 */
final class ScheduleProber implements PeriodicProber {
  static final Duration SLOT = Duration.ofMillis(10);

  /**
   * Slots are made narrower than {@link #SLOT} (down to {@link #MIN_SLOT}) to keep about this many
   * echoes in one batch: a slot's echoes are all due at its anchor, and a batch of 1,000 (100,000
   * targets in 100 slots) took ~4 ms to send, so its last echoes left late and any pause pushed
   * them past 10 ms.
   */
  static final int PER_SLOT = 100;

  static final Duration MIN_SLOT = Duration.ofMillis(1);

  private final IcmpClient client;

  ScheduleProber(IcmpClient client) {
    this.client = client;
  }

  @Override
  public Run start(List<EchoRequest> requests, Duration period, Listener listener) {
    int n = requests.size();
    int slots = slots(n, period);
    long timeout = requests.stream().mapToLong(r -> r.timeout().toNanos()).max().orElse(0);
    long periods =
        timeout / period.toNanos() + 2; // echoes of one target that can be in flight at once
    Slot[] all = new Slot[slots];
    for (int s = 0; s < slots; s++) {
      int from = (int) ((long) n * s / slots), to = (int) ((long) n * (s + 1) / slots);
      PingSchedule.Builder b =
          PingSchedule.of(requests.subList(from, to))
              .count(0)
              .period(period)
              .delay(Duration.ofNanos(period.toNanos() * s / slots))
              .maxInFlight((int) Math.min(Integer.MAX_VALUE, (to - from) * periods))
              .lateness(listener::late)
              .listener(
                  new PingSchedule.Listener() {
                    @Override
                    public void onResult(int target, long probe, EchoResult result) {
                      listener.outcome(from + target, result);
                    }

                    @Override
                    public void onDuplicate(int target, long probe, EchoResult.Reply reply) {
                      listener.duplicate(from + target, reply);
                    }
                  });
      all[s] = new Slot(from, client.schedule(b));
    }
    return new SlotRun(all, n);
  }

  /** How many slots {@code n} targets at {@code period} are cut into. */
  static int slots(int n, Duration period) {
    long wide = period.toNanos() / SLOT.toNanos(), narrow = period.toNanos() / MIN_SLOT.toNanos();
    return (int) Math.max(1, Math.min(n, Math.max(wide, Math.min(n / PER_SLOT, narrow))));
  }

  /** One slot's targets and their schedule. */
  private record Slot(int from, PingSchedule schedule) {
    long sent(int local) {
      return schedule.sent(local);
    }

    /**
     * Nothing more is sent; echoes in flight still report (a reload must not turn them into
     * losses).
     */
    void stop() {
      PingSchedule s = schedule;
      for (int i = 0; i < s.size(); i++) s.stop(i);
      CompletableFuture<Void> _ =
          s.done().whenComplete((v, e) -> s.close()); // close ends its duplicate reports
    }
  }

  private static final class SlotRun implements Run {
    private final Slot[] slots;
    private final int n;

    SlotRun(Slot[] slots, int n) {
      this.slots = slots;
      this.n = n;
    }

    @Override
    public long sent(int target) {
      Objects.checkIndex(target, n);
      int lo = 0, hi = slots.length - 1; // the last slot starting at or before target
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (slots[mid].from() <= target) lo = mid;
        else hi = mid - 1;
      }
      return slots[lo].sent(target - slots[lo].from());
    }

    @Override
    public void stop() {
      for (Slot s : slots) s.stop();
    }
  }
}
