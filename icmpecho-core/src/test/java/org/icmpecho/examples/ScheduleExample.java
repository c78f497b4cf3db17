package org.icmpecho.examples;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.PingSchedule;

public class ScheduleExample {
  public static void main(String[] args) throws Exception {
    List<InetAddress> targets =
        new ArrayList<>(); // 127.0.0.1 .. 127.0.0.100, all answered by loopback
    for (int i = 1; i <= 100; i++)
      targets.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
    EchoRequest template = EchoRequest.to(targets.get(0)).timeout(Duration.ofSeconds(1)).build();
    int[] replies =
        new int[targets.size()]; // per-target counters: arrays, as the schedule keeps its own
    try (IcmpClient client = IcmpClient.create()) {
      PingSchedule s =
          client.schedule(
              PingSchedule.to(targets, template)
                  .count(3) // three echoes to each target ...
                  .period(Duration.ofMillis(100)) // ... 100 ms apart
                  .interval(Duration.ofMillis(1)) // and at least 1 ms between any two sends
                  .listener(
                      (target, probe, result) -> { // on the callback thread, one call at a time
                        if (result instanceof EchoResult.Reply) replies[target]++;
                      }));
      s.done().join(); // every echo reported
      int all = 0;
      for (int r : replies) all += r;
      System.out.println(all + " replies to " + s.sent() + " echoes");
    }
  }
}
