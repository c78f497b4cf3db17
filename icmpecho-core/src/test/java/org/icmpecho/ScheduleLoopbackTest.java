package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link PingSchedule} against this machine's loopback, with real sockets (the timing logic:
 * ScheduleTest).
 */
class ScheduleLoopbackTest {

  static IcmpClient open(int sockets) throws Exception {
    IcmpClient c = IcmpClient.newBuilder().socketsPerFamily(sockets).build();
    try {
      c.socketMode(java.net.StandardProtocolFamily.INET);
    } catch (IcmpPermissionException e) {
      c.close();
      assumeTrue(false, "no ICMP socket may be opened here: " + e.getMessage());
    }
    return c;
  }

  @Test
  void everyEchoOfBothFamiliesOverTwoSocketsIsAnsweredAndReportedOnce() throws Exception {
    try (IcmpClient client = open(2)) {
      List<InetAddress> targets = new ArrayList<>();
      for (int i = 1; i <= 1000; i++)
        targets.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i}));
      targets.add(InetAddress.getByName("::1"));
      EchoRequest template = EchoRequest.to(targets.get(0)).timeout(Duration.ofSeconds(5)).build();
      int[] replies =
          new int[targets.size()]; // written by the listener only: its calls never overlap
      ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
      PingSchedule s =
          client.schedule(
              PingSchedule.to(targets, template)
                  .count(2)
                  .period(Duration.ofMillis(20))
                  .maxInFlight(300)
                  .listener(
                      (t, probe, r) -> {
                        if (Thread.currentThread().getName().startsWith("icmpecho-io"))
                          wrong.add("on the I/O thread");
                        if (!(r instanceof EchoResult.Reply reply)
                            || !reply.from().equals(targets.get(t))) wrong.add(t + ": " + r);
                        else replies[t]++;
                      }));
      s.done().get(30, TimeUnit.SECONDS);
      assertTrue(wrong.isEmpty(), wrong::toString);
      for (int t = 0; t < targets.size(); t++) assertEquals(2, replies[t], "target " + t);
      assertEquals(2L * targets.size(), s.sent());
      assertEquals(0, client.stats().inFlight());
    }
  }

  @Test
  void requestsOfTheirOwnAndASourceThatIsNotOursFailTheSchedule() throws Exception {
    try (IcmpClient client = open(1)) {
      List<EchoRequest> rs =
          List.of(
              EchoRequest.to(InetAddress.getByName("127.0.0.1")).ttl(1).build(),
              EchoRequest.to(InetAddress.getByName("127.0.0.2")).ttl(64).payloadSize(1000).build());
      List<EchoResult> got = new java.util.concurrent.CopyOnWriteArrayList<>();
      PingSchedule ok = client.schedule(PingSchedule.of(rs).listener((t, p, r) -> got.add(r)));
      ok.done().get(10, TimeUnit.SECONDS);
      assertEquals(2, got.size());
      for (EchoResult r : got)
        assertInstanceOf(EchoResult.Reply.class, r); // loopback answers even at TTL 1
      assertEquals(
          1008, got.stream().mapToInt(r -> ((EchoResult.Reply) r).bytes()).max().orElse(0));

      EchoRequest foreign =
          EchoRequest.to(InetAddress.getByName("127.0.0.1"))
              .source(InetAddress.getByName("10.255.255.254"))
              .build();
      PingSchedule bad =
          client.schedule(PingSchedule.of(List.of(foreign)).count(0).listener((t, p, r) -> {}));
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> bad.done().get(10, TimeUnit.SECONDS));
      assertEquals("EADDRNOTAVAIL", assertInstanceOf(IcmpException.class, e.getCause()).errno());
    }
  }
}
