package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.testkit.ScriptedNetwork;
import org.junit.jupiter.api.Test;

/**
 * {@code icmpecho_schedule_lateness_seconds}: how long after its scheduled time each echo of
 * continuous probing left, as the engine's schedule reports it.
 */
class ScheduleLatenessTest {
  static final String PATH = "/metrics?name[]=icmpecho_schedule_lateness_seconds";
  static final String M = "icmpecho_schedule_lateness_seconds";

  static double bucket(String body, String le) {
    return Running.value(body, M + "_bucket{le=\"" + le + "\"}");
  }

  /** A prober that reports given latenesses at start and sends nothing. */
  record Reporting(long... nanos) implements PeriodicProber {
    @Override
    public Run start(List<EchoRequest> requests, Duration period, Listener listener) {
      for (long n : nanos) listener.late(n);
      return new Run() {
        @Override
        public long sent(int target) {
          return 0;
        }

        @Override
        public void stop() {}
      };
    }
  }

  @Test
  void eachLateSendLandsInItsBucket() throws Exception {
    long ms = 1_000_000;
    PeriodicProber p = new Reporting(0, 3 * ms, 10 * ms, 15 * ms, 2_000 * ms);
    try (Running r = Running.start(IcmpClient.create(), p, "127.0.0.1")) {
      String m = r.get(PATH).body();
      assertEquals(1, bucket(m, "1.0E-4"), m);
      assertEquals(2, bucket(m, "0.005"), m);
      assertEquals(3, bucket(m, "0.01"), m); // 10 ms is within 10 ms
      assertEquals(4, bucket(m, "0.025"), m);
      assertEquals(4, bucket(m, "1.0"), m);
      assertEquals(5, bucket(m, "2.5"), m);
      assertEquals(5, bucket(m, "+Inf"), m);
      assertEquals(5, Running.value(m, M + "_count"), m);
      assertEquals(2.028, Running.value(m, M + "_sum"), 1e-9, m);
      assertTrue(m.contains("# TYPE " + M + " histogram"), m);
    }
  }

  @Test
  void aBlockedIoThreadShowsAsLateSends() throws Exception {
    // The script runs on the engine's I/O thread as it sends: holding the third echo 150 ms there
    // makes the fourth, due 100 ms after the third, leave at least 50 ms late.
    ScriptedNetwork net =
        new ScriptedNetwork(
            (request, n) -> {
              if (n == 3) {
                try {
                  Thread.sleep(150);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              InetAddress to = request.target();
              return new ScriptedNetwork.Answer(
                  new EchoResult.Reply(request, to, Duration.ofNanos(50_000), 64, 0, 64, 0), 0, 0);
            });
    IcmpClient client = net.configure(IcmpClient.newBuilder()).build();
    try (Running r =
        Running.start(client, new ScheduleProber(client), "-i", "100ms", "198.18.0.1")) {
      String m = r.awaitAtLeast(PATH, M + "_count", 6);
      double count = Running.value(m, M + "_count");
      assertTrue(count - bucket(m, "0.025") >= 1, "the echo after the blocked one is late:\n" + m);
      assertTrue(Running.value(m, M + "_sum") >= 0.045, m);
      String all = r.get("/metrics").body();
      double sent =
          Running.value(all, "smokeping_requests_total{host=\"198.18.0.1\",ip=\"198.18.0.1\"}");
      double observed = Running.value(all, M + "_count");
      assertTrue(observed >= 6 && observed <= sent + 1 && sent <= observed + 1, all);
    }
  }

  @Test
  void slotsKeepAboutAHundredEchoesABatchDownToOneMillisecond() {
    Duration second = Duration.ofSeconds(1);
    assertEquals(5, ScheduleProber.slots(5, second), "never more slots than targets");
    assertEquals(100, ScheduleProber.slots(1_000, second), "10 ms slots below 10,000 targets");
    assertEquals(100, ScheduleProber.slots(10_000, second));
    assertEquals(500, ScheduleProber.slots(50_000, second));
    assertEquals(1_000, ScheduleProber.slots(100_000, second), "1 ms slots of 100 echoes");
    assertEquals(1_000, ScheduleProber.slots(1_000_000, second), "never narrower than 1 ms");
    assertEquals(10, ScheduleProber.slots(1_000, Duration.ofMillis(100)));
  }
}
