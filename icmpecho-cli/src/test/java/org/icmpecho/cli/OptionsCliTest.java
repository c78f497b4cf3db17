package org.icmpecho.cli;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.icmpecho.testkit.NetLab;
import org.icmpecho.testkit.NetNs;
import org.icmpecho.testkit.Topology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code icmpecho ping -R} and {@code -T} through three routers, printed beside iputils' {@code
 * ping} run in the same namespace: the same lines, times aside. With ping sockets and with raw
 * sockets.
 */
@NetNs
class OptionsCliTest {
  /**
   * Lines of a ping run without what differs between two runs: times, and the statistics' times.
   */
  private static List<String> comparable(String out) {
    return out.lines()
        .map(l -> l.replaceAll("^(ping|icmpecho ping): ", ""))
        .map(
            l ->
                l.replaceAll("time=[0-9.]+ ms", "time=T ms")
                    .replaceAll(", time [0-9]+ms", ", time Tms"))
        .map(l -> l.replaceAll("\t[0-9]+( absolute)?( not-standard)?$", "\tN$1$2"))
        .filter(l -> !l.startsWith("rtt "))
        .toList();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void recordRouteAndTimestampsAsIputilsPrintsThem(boolean pingSockets, NetLab lab) {
    Topology t = lab.chain(3);
    t.clientNode().pingGroupRange(pingSockets); // closed: the CLI falls back to a raw socket (root)
    String ns = t.clientNode().name();
    String target = Addr.text(t.target(INET));
    t.clientNode()
        .exec("ping", "-n", "-c", "1", target); // neighbour discovery before the runs compared

    for (List<String> flags :
        List.of(List.of("-R"), List.of("-T", "tsandaddr"), List.of("-T", "tsonly"))) {
      String[] args =
          java.util.stream.Stream.concat(
                  java.util.stream.Stream.of("ping", "--netns", ns, "-n", "-c", "2", "-i", "0.2"),
                  java.util.stream.Stream.concat(
                      flags.stream(), java.util.stream.Stream.of(target)))
              .toArray(String[]::new);
      Harness.Result ours = Harness.real(args);
      List<String> iputilsArgs =
          new java.util.ArrayList<>(List.of("ping", "-n", "-c", "2", "-i", "0.2"));
      iputilsArgs.addAll(flags);
      iputilsArgs.add(target);
      String theirs = t.clientNode().exec(iputilsArgs.toArray(String[]::new));
      System.out.println(
          "---- icmpecho "
              + String.join(" ", flags)
              + (pingSockets ? " (ping socket)" : " (raw)")
              + "\n"
              + ours.out()
              + "---- iputils\n"
              + theirs);
      assertEquals(0, ours.status(), ours::toString);
      assertEquals(comparable(theirs), comparable(ours.out()));
    }

    Harness.Result json = Harness.real("ping", "--netns", ns, "-c", "1", "-R", "--json", target);
    String line = json.outLines().get(0);
    assertTrue(
        line.contains(
            "\"rr\":[\"10.0.0.1\",\"10.0.1.1\",\"10.0.2.1\",\"10.0.3.1\",\""
                + target
                + "\",\""
                + target
                + "\",\"10.0.2.2\",\"10.0.1.2\",\"10.0.0.2\"]"),
        line);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-R", "-T"})
  void optionsAreRefusedWhereIputilsRefusesThem(String flag, NetLab lab) {
    Topology t = lab.chain(1);
    t.clientNode().pingGroupRange(true);
    String ns = t.clientNode().name();
    List<String> args = flag.equals("-R") ? List.of("-R") : List.of("-T", "tsonly");
    Harness.Result r =
        Harness.real(
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("ping", "--netns", ns, "-c", "1"),
                    java.util.stream.Stream.concat(
                        args.stream(), java.util.stream.Stream.of(Addr.text(t.target(INET6)))))
                .toArray(String[]::new));
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("IPv4 options"), r::toString);
    r =
        Harness.real(
            "ping", "--netns", ns, "-c", "1", "-R", "-T", "tsonly", Addr.text(t.target(INET)));
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("only one of -T or -R may be used"), r::toString);
    r = Harness.real("ping", "--netns", ns, "-c", "1", "-T", "bogus", Addr.text(t.target(INET)));
    assertEquals(2, r.status(), r::toString);
    assertTrue(r.err().contains("invalid timestamp type"), r::toString);
  }
}
