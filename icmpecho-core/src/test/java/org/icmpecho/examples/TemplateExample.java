package org.icmpecho.examples;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;

public class TemplateExample {
  public static void main(String[] args) throws Exception {
    try (IcmpClient client = IcmpClient.create()) {
      // One request for every target: the engine keeps nothing per echo but its own 64-byte future.
      EchoRequest template =
          EchoRequest.to(InetAddress.getLoopbackAddress()).timeout(Duration.ofSeconds(2)).build();
      int targets = 4094; // 127.0.0.1 .. 127.0.15.254, all answered by loopback
      AtomicInteger alive = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(targets);
      for (int i = 1; i <= targets; i++) {
        InetAddress target =
            InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i});
        client
            .echoAsync(target, template)
            .thenAccept(
                r -> {
                  if (r instanceof EchoResult.Reply reply && reply.from().equals(target))
                    alive.incrementAndGet();
                  done.countDown();
                });
      }
      done.await();
      System.out.println(alive + " of " + targets + " answered");
    }
  }
}
