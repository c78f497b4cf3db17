package org.icmpecho.exporter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.TargetList.Target;

/**
 * smokeping_prober mode: every target probed once per its group's interval, forever, into {@link
 * SmokepingMetrics}. {@link #apply} swaps the target list (start and reload): targets that stay
 * keep their series and counters, those that go lose their series, new ones start at zero.
 */
final class ContinuousProbing implements AutoCloseable {
  private final PeriodicProber prober;
  private final SmokepingMetrics metrics;
  private final LongConsumer lateness;
  private final Map<String, Slot> slots = new HashMap<>();
  private final List<PeriodicProber.Run> runs = new ArrayList<>();

  /**
   * @param lateness hears how late each echo left (ns after it was due), on an I/O thread
   */
  ContinuousProbing(PeriodicProber prober, SmokepingMetrics metrics, LongConsumer lateness) {
    this.prober = prober;
    this.metrics = metrics;
    this.lateness = lateness;
  }

  /**
   * Where a target's echoes are counted: its series, its place in the current run and in the
   * previous one (a stopped run may still send for a moment: it is read until the next reload), and
   * the echoes of the runs before. Read by scrapes while a reload may move it on: its own lock.
   */
  private static final class Slot {
    final SmokepingMetrics.Series series;
    private long before;
    private PeriodicProber.Run run, previous;
    private int index, previousIndex;

    Slot(SmokepingMetrics metrics, Target t) {
      this.series = metrics.series(t.host(), t.ip(), this::sent);
    }

    synchronized void place(PeriodicProber.Run run, int index) {
      this.run = run;
      this.index = index;
    }

    synchronized long sent() {
      return before
          + (previous == null ? 0 : previous.sent(previousIndex))
          + (run == null ? 0 : run.sent(index));
    }

    synchronized void retire() {
      if (previous != null) before += previous.sent(previousIndex);
      previous = run;
      previousIndex = index;
      run = null;
    }
  }

  /**
   * From this many targets on, what a (re)load made to last (series, requests, schedules) leaves
   * the young generation at once: one full collection (~0.1 s at 100,000 targets) as the schedules
   * start, instead of young collections copying ~50 MB of it for the first tens of seconds, pauses
   * of 20-50 ms that each left a whole millisecond slot's echoes late
   * (bench/results/2026-12-07-exporter-2.md).
   */
  static final int PROMOTE_AT = 10_000;

  /** Probes exactly {@code targets} from now on. */
  synchronized void apply(List<Target> targets) {
    for (PeriodicProber.Run r : runs) r.stop();
    runs.clear();
    for (Slot s : slots.values()) s.retire();
    Set<String> gone = new HashSet<>(slots.keySet());
    Map<Duration, List<Target>> byInterval = new LinkedHashMap<>();
    for (Target t : targets) {
      gone.remove(t.key());
      slots.computeIfAbsent(t.key(), k -> new Slot(metrics, t));
      byInterval.computeIfAbsent(t.group().interval(), k -> new ArrayList<>()).add(t);
    }
    slots.keySet().removeAll(gone);
    for (Map.Entry<Duration, List<Target>> e : byInterval.entrySet()) {
      List<Target> list = e.getValue();
      List<EchoRequest> requests = new ArrayList<>(list.size());
      Slot[] of = new Slot[list.size()];
      for (int i = 0; i < list.size(); i++) {
        requests.add(request(list.get(i)));
        of[i] = slots.get(list.get(i).key());
      }
      PeriodicProber.Run run = prober.start(requests, e.getKey(), new Listener(of, lateness));
      for (int i = 0; i < of.length; i++) of[i].place(run, i);
      runs.add(run);
    }
    metrics.expose(slots.values().stream().map(s -> s.series).toList());
    if (targets.size() >= PROMOTE_AT) System.gc();
  }

  /** Targets probed now. */
  synchronized int size() {
    return slots.size();
  }

  private static EchoRequest request(Target t) {
    TargetGroup g = t.group();
    EchoRequest.Builder b = EchoRequest.to(t.address()).payloadSize(g.size()).timeout(g.timeout());
    if (g.source() != null) b.source(g.source()); // of the target's family: TargetList checked
    return b.build();
  }

  @Override
  public synchronized void close() {
    for (PeriodicProber.Run r : runs) r.stop();
    runs.clear();
  }

  private static final class Listener implements PeriodicProber.Listener {
    private final Slot[] slots;
    private final LongConsumer lateness;

    Listener(Slot[] slots, LongConsumer lateness) {
      this.slots = slots;
      this.lateness = lateness;
    }

    @Override
    public void late(long nanos) {
      lateness.accept(nanos);
    }

    @Override
    public void outcome(int target, EchoResult result) {
      slots[target].series.outcome(result);
    }

    @Override
    public void duplicate(int target, EchoResult.Reply reply) {
      slots[target].series.duplicate();
    }
  }
}
