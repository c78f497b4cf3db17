package org.icmpecho.exporter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.exporter.ExporterConfig.TargetGroup;
import org.icmpecho.exporter.TargetList.Target;

/**
 * smokeping_prober mode: every target probed once per its group's interval, forever, into {@link SmokepingMetrics}.
 * {@link #apply} swaps the target list (start and reload): targets that stay keep their series and counters, those
 * that go lose their series, new ones start at zero.
 */
final class ContinuousProbing implements AutoCloseable {
  private final PeriodicProber prober;
  private final SmokepingMetrics metrics;
  private final Map<String, SmokepingMetrics.Series> series = new HashMap<>();
  private final List<PeriodicProber.Run> runs = new ArrayList<>();

  ContinuousProbing(PeriodicProber prober, SmokepingMetrics metrics) {
    this.prober = prober;
    this.metrics = metrics;
  }

  /** Probes exactly {@code targets} from now on. */
  synchronized void apply(List<Target> targets) {
    for (PeriodicProber.Run r : runs) r.stop();
    runs.clear();
    Set<String> gone = new HashSet<>(series.keySet());
    Map<RunKey, List<Target>> byRun = new LinkedHashMap<>();
    for (Target t : targets) {
      gone.remove(t.key());
      series.computeIfAbsent(t.key(), k -> metrics.series(t.host(), t.ip()));
      byRun.computeIfAbsent(RunKey.of(t.group()), k -> new ArrayList<>()).add(t);
    }
    series.keySet().removeAll(gone);
    metrics.remove(gone);
    for (Map.Entry<RunKey, List<Target>> e : byRun.entrySet()) {
      List<Target> list = e.getValue();
      List<EchoRequest> requests = new ArrayList<>(list.size());
      SmokepingMetrics.Series[] points = new SmokepingMetrics.Series[list.size()];
      for (int i = 0; i < list.size(); i++) {
        Target t = list.get(i);
        requests.add(request(t));
        points[i] = series.get(t.key());
      }
      runs.add(prober.start(requests, e.getKey().interval(), new Listener(points)));
    }
  }

  /** Targets probed now. */
  synchronized int size() {
    return series.size();
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

  /** Targets that share an interval share a run (their slots spread over that interval). */
  private record RunKey(Duration interval) {
    static RunKey of(TargetGroup g) {
      return new RunKey(g.interval());
    }
  }

  private record Listener(SmokepingMetrics.Series[] points) implements PeriodicProber.Listener {
    @Override
    public void sent(int target) {
      points[target].sent();
    }

    @Override
    public void outcome(int target, EchoResult result) {
      points[target].outcome(result);
    }

    @Override
    public void duplicate(int target, EchoResult.Reply reply) {
      points[target].duplicate();
    }

    @Override
    public void failed(int target, Throwable cause) {
      points[target].failed();
    }
  }
}
