package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The three commands in-process with the real engine, to 127.0.0.0/8 and ::1 only. */
class LoopbackTest {
  static final Pattern REPLY4 =
      Pattern.compile(
          "64 bytes from 127\\.0\\.0\\.1: icmp_seq=\\d+ ttl=\\d+ time=\\d+(\\.\\d{1,3})? ms");
  static final Pattern STATS =
      Pattern.compile(
          "(?s).*\n--- (\\S+) ping statistics ---\n(\\d+) packets transmitted, (\\d+) received, 0% packet loss, time \\d+ms\n"
              + "rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms\n");

  @Test
  void pingIpv4AndIpv6() {
    Harness.Result r = Harness.real("ping", "-c", "3", "-i", "0.05", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    List<String> l = r.outLines();
    assertEquals("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.", l.get(0));
    for (int i = 1; i <= 3; i++) assertTrue(REPLY4.matcher(l.get(i)).matches(), l.get(i));
    assertTrue(STATS.matcher(r.out()).matches(), r::toString);
    r = Harness.real("ping", "-6", "-n", "-c", "2", "-i", "0.05", "::1");
    assertEquals(0, r.status(), r::toString);
    assertEquals("PING ::1 (::1) 56 data bytes", r.outLines().get(0));
    assertTrue(
        r.outLines().get(1).matches("64 bytes from ::1: icmp_seq=1 ttl=\\d+ time=[\\d.]+ ms"),
        r::toString);
    assertTrue(STATS.matcher(r.out()).matches(), r::toString);
  }

  @Test
  void pingEveryOptionOnLoopback() {
    Harness.Result r =
        Harness.real(
            "ping",
            "-c",
            "2",
            "-i",
            "0.05",
            "-s",
            "1000",
            "-t",
            "9",
            "-Q",
            "0x10",
            "-M",
            "do",
            "-W",
            "2",
            "-I",
            "lo",
            "-p",
            "abcd",
            "-D",
            "-n",
            "-4",
            "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertEquals("PATTERN: 0xabcd", r.outLines().get(0));
    assertEquals(
        "PING 127.0.0.1 (127.0.0.1) from 127.0.0.1 lo: 1000(1028) bytes of data.",
        r.outLines().get(1));
    assertTrue(
        r.outLines()
            .get(2)
            .matches(
                "\\[\\d+\\.\\d{6}\\] 1008 bytes from 127\\.0\\.0\\.1: icmp_seq=1 ttl=64 time=[\\d.]+ ms"),
        r::toString);
    r = Harness.real("ping", "-c", "1", "-I", "127.0.0.1", "-M", "dont", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    r = Harness.real("ping", "-c", "1", "-M", "want", "-q", "localhost");
    assertEquals(0, r.status(), r::toString);
    assertEquals(5, r.outLines().size(), r::toString);
    assertTrue(r.out().contains("--- localhost ping statistics ---"), r::toString);
    r = Harness.real("ping", "-w", "0.5", "-i", "0.1", "-q", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out().matches("(?s).*\n[4-6] packets transmitted, [4-6] received, .*"), r::toString);
  }

  @Test
  void pingJsonOnLoopback() {
    Harness.Result r = Harness.real("ping", "--json", "-c", "2", "-i", "0.05", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    List<String> l = r.outLines();
    assertEquals(3, l.size(), r::toString);
    for (int i = 0; i < 2; i++) {
      assertTrue(
          l.get(i)
              .matches(
                  "\\{\"type\":\"reply\",\"target\":\"127\\.0\\.0\\.1\",\"from\":\"127\\.0\\.0\\.1\",\"seq\":"
                      + (i + 1)
                      + ",\"status\":\"IP_SUCCESS\",\"status_code\":0,\"rtt_ms\":[\\d.]+,\"ttl\":64,\"bytes\":64}"),
          l.get(i));
    }
    assertTrue(
        l.get(2)
            .matches(
                "\\{\"type\":\"summary\",\"target\":\"127\\.0\\.0\\.1\",\"host\":\"127\\.0\\.0\\.1\",\"sent\":2,"
                    + "\"received\":2,\"duplicates\":0,\"corrupted\":0,\"errors\":0,\"loss_pct\":0\\.0,\"time_ms\":\\d+,\"rtt_min_ms\":[\\d.]+,"
                    + "\"rtt_avg_ms\":[\\d.]+,\"rtt_max_ms\":[\\d.]+,\"rtt_mdev_ms\":[\\d.]+\\}"),
        l.get(2));
  }

  @Test
  void sweepLoopbackBlocks() {
    Harness.Result r = Harness.real("sweep", "-a", "-i", "1", "-g", "127.0.0.0/26");
    assertEquals(0, r.status(), r::toString);
    assertEquals(62, r.outLines().size(), r::toString);
    assertTrue(r.outLines().contains("127.0.0.62"));
    r = Harness.real("sweep", "-c", "2", "-p", "50", "127.0.0.1", "::1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .matches(
                "(?s)127\\.0\\.0\\.1 : \\[0\\], 64 bytes, [\\d.]+ ms \\([\\d.]+ avg, 0% loss\\)\n.*"),
        r::toString);
    assertTrue(
        r.err()
            .matches(
                "\n127\\.0\\.0\\.1 : xmt/rcv/%loss = 2/2/0%, min/avg/max = [\\d.]+/[\\d.]+/[\\d.]+\n"
                    + "::1       : xmt/rcv/%loss = 2/2/0%, min/avg/max = [\\d.]+/[\\d.]+/[\\d.]+\n"),
        r::toString);
    r = Harness.real("sweep", "-q", "-i", "0", "-s", "-g", "127.1.0.0/22");
    assertEquals(0, r.status(), r::toString);
    assertTrue(r.err().contains("    1022 alive\n"), r::toString);
  }

  @Test
  void traceLoopback() {
    Harness.Result r = Harness.real("trace", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.err());
    assertTrue(
        r.out()
            .matches(
                "traceroute to 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1\\), 30 hops max, 60 byte packets\n 1  localhost \\(127\\.0\\.0\\.1\\)  [\\d.]+ ms  [\\d.]+ ms  [\\d.]+ ms\n"),
        r::toString);
    r = Harness.real("trace", "-n", "-q", "1", "::1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .matches(
                "traceroute to ::1 \\(::1\\), 30 hops max, 80 byte packets\n 1  ::1  \\d+\\.\\d{3} ms\n"),
        r::toString);
    r = Harness.real("trace", "--json", "-n", "-q", "1", "127.0.0.1");
    assertTrue(
        r.out()
            .matches(
                "\\{\"type\":\"hop\",\"target\":\"127\\.0\\.0\\.1\",\"ttl\":1,\"probe\":1,\"from\":\"127\\.0\\.0\\.1\","
                    + "\"status\":\"IP_SUCCESS\",\"status_code\":0,\"rtt_ms\":[\\d.]+\\}\n"
                    + "\\{\"type\":\"summary\",\"target\":\"127\\.0\\.0\\.1\",\"host\":\"127\\.0\\.0\\.1\",\"reached\":true,\"hops\":1\\}\n"),
        r::toString);
  }
}
