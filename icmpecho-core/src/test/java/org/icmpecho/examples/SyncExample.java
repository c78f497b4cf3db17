package org.icmpecho.examples;

import java.net.InetAddress;
import java.time.Duration;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;

public class SyncExample {
  public static void main(String[] args) throws Exception {
    try (IcmpClient client = IcmpClient.create()) {
      EchoRequest request =
          EchoRequest.to(InetAddress.getByName("127.0.0.1"))
              .ttl(64)
              .timeout(Duration.ofSeconds(1))
              .build();
      switch (client.echo(request)) {
        case EchoResult.Reply r ->
            System.out.printf(
                "reply from %s: ttl=%d time=%.3f ms%n",
                r.from().getHostAddress(), r.ttl(), r.rtt().toNanos() / 1e6);
        case EchoResult.IcmpError e ->
            System.out.println(e.status() + " from " + e.from().getHostAddress());
        case EchoResult.TimedOut t -> System.out.println("no answer within " + t.waited());
        case EchoResult.SendFailed f -> System.out.println("not sent: " + f.errno());
        case EchoResult.Corrupted c -> System.out.println("corrupted answer: " + c.reason());
      }
    }
  }
}
