package org.icmpecho.examples;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;

public class AsyncExample {
  public static void main(String[] args) throws Exception {
    try (IcmpClient client = IcmpClient.create()) {
      List<CompletableFuture<EchoResult>> answers = new ArrayList<>();
      for (int i = 1; i <= 254; i++) { // 254 echoes in flight at once, one socket, one I/O thread
        answers.add(client.echoAsync(EchoRequest.of(InetAddress.getByName("127.0.0." + i))));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
      long alive = answers.stream().filter(f -> f.join().isSuccess()).count();
      System.out.println(alive + " of " + answers.size() + " answered; " + client.stats());
    }
  }
}
