package org.icmpecho.cli;

import static org.icmpecho.cli.Harness.icmpError;
import static org.icmpecho.cli.Harness.reply;
import static org.icmpecho.cli.Harness.replyWithDuplicates;
import static org.icmpecho.cli.Harness.silence;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Pattern;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;
import org.icmpecho.IpStatus;
import org.icmpecho.PathMtuDiscovery;
import org.icmpecho.SocketMode;
import org.junit.jupiter.api.Test;

/**
 * {@code icmpecho ping} against a scripted engine: output shapes, JSON, flags, schedule, Ctrl-C,
 * errors.
 */
class PingCommandTest {
  static final Pattern REPLY =
      Pattern.compile(
          "64 bytes from 127\\.0\\.0\\.1: icmp_seq=(\\d+) ttl=64 time=\\d+\\.\\d{1,3} ms");
  static final Pattern PACKETS =
      Pattern.compile(
          "(\\d+) packets transmitted, (\\d+) received(, \\+\\d+ duplicates)?(, \\+\\d+ corrupted)?(, \\+\\d+ errors)?, "
              + "[\\d.]+% packet loss, time \\d+ms");
  static final Pattern RTT =
      Pattern.compile(
          "rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms");

  @Test
  void repliesAndStatisticsFollowIputils() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.045));
    Harness.Result res = h.run("ping", "-c", "3", "-i", "0.01", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    List<String> lines = res.outLines();
    assertEquals("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.", lines.get(0));
    for (int i = 1; i <= 3; i++) {
      assertEquals(
          "64 bytes from 127.0.0.1: icmp_seq=" + i + " ttl=64 time=0.045 ms", lines.get(i));
      assertTrue(REPLY.matcher(lines.get(i)).matches());
    }
    assertEquals("", lines.get(4));
    assertEquals("--- 127.0.0.1 ping statistics ---", lines.get(5));
    assertTrue(
        lines.get(6).matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"),
        lines.get(6));
    assertEquals("rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms", lines.get(7));
    assertEquals(7 + 1, lines.size());
    assertEquals("", res.err());
    assertEquals(3, h.prober.requests.size());
    EchoRequest r = h.prober.requests.get(0);
    assertEquals(56, r.payloadSize());
    assertEquals(10, r.timeout().toSeconds()); // -W default: iputils' 10 s
    assertEquals(SocketMode.AUTO, h.prober.options.socketMode());
  }

  @Test
  void namesAreShownForANamedHostUnlessNumeric() {
    Harness h = new Harness((r, s) -> reply(r, s, 1.234));
    Harness.Result res = h.run("ping", "-c", "1", "localhost");
    assertEquals("PING localhost (127.0.0.1) 56(84) bytes of data.", res.outLines().get(0));
    assertEquals(
        "64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 time=1.23 ms",
        res.outLines().get(1));
    assertTrue(res.out().contains("--- localhost ping statistics ---"));
    res = h.run("ping", "-n", "-c", "1", "localhost");
    assertEquals("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=1.23 ms", res.outLines().get(1));
  }

  @Test
  void ipv6HeaderAndShortAddresses() {
    Harness h = new Harness((r, s) -> reply(r, s, 12.345));
    Harness.Result res = h.run("ping", "-c", "1", "-s", "100", "::1");
    assertEquals("PING ::1 (::1) 100 data bytes", res.outLines().get(0));
    assertEquals("108 bytes from ::1: icmp_seq=1 ttl=64 time=12.3 ms", res.outLines().get(1));
  }

  @Test
  void duplicatesAreMarkedAndCounted() {
    Harness h = new Harness((r, s) -> replyWithDuplicates(r, s, 0.5, s == 1 ? 2 : 0));
    Harness.Result res = h.run("ping", "-c", "2", "-i", "0.05", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    assertEquals(
        2,
        res.outLines().stream()
            .filter(l -> l.endsWith("ms (DUP!)") && l.contains("icmp_seq=1 "))
            .count(),
        res::toString);
    assertTrue(
        res.out().contains("2 packets transmitted, 2 received, +2 duplicates, 0% packet loss"),
        res::toString);
  }

  @Test
  void icmpErrorsInIputilsWords() {
    Harness h =
        new Harness(
            (r, s) ->
                switch (s) {
                  case 1 -> icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0.0.1", 11, 0, 0);
                  case 2 -> icmpError(r, s, IpStatus.IP_DEST_HOST_UNREACHABLE, "10.0.0.1", 3, 1, 0);
                  case 3 -> icmpError(r, s, IpStatus.IP_DEST_NET_UNREACHABLE, "10.0.0.1", 3, 0, 0);
                  case 4 ->
                      icmpError(r, s, IpStatus.IP_DEST_PROT_UNREACHABLE, "10.0.0.1", 3, 13, 0);
                  case 5 -> icmpError(r, s, IpStatus.IP_PACKET_TOO_BIG, "10.0.0.1", 3, 4, 1280);
                  default -> icmpError(r, s, IpStatus.IP_PARAM_PROBLEM, "10.0.0.1", 12, 0, 20);
                });
    Harness.Result res = h.run("ping", "-c", "6", "-i", "0.01", "127.0.0.1");
    assertEquals(1, res.status(), res::toString);
    List<String> l = res.outLines();
    assertEquals("From 10.0.0.1 icmp_seq=1 Time to live exceeded", l.get(1));
    assertEquals("From 10.0.0.1 icmp_seq=2 Destination Host Unreachable", l.get(2));
    assertEquals("From 10.0.0.1 icmp_seq=3 Destination Net Unreachable", l.get(3));
    assertEquals("From 10.0.0.1 icmp_seq=4 Packet filtered", l.get(4));
    assertEquals("From 10.0.0.1 icmp_seq=5 Frag needed and DF set (mtu = 1280)", l.get(5));
    assertEquals("From 10.0.0.1 icmp_seq=6 Parameter problem: pointer = 20", l.get(6));
    assertTrue(
        res.out().contains("6 packets transmitted, 0 received, +6 errors, 100% packet loss, time "),
        res::toString);
    assertFalse(res.out().contains("rtt min"));
  }

  @Test
  void routerNamesWhenTheTargetIsANameAndIpv6Words() {
    Harness h =
        new Harness(
            (r, s) -> icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0.0.1", 11, 0, 0));
    assertEquals(
        "From router.test (10.0.0.1) icmp_seq=1 Time to live exceeded",
        h.run("ping", "-c", "1", "localhost").outLines().get(1));
    h =
        new Harness(
            (r, s) ->
                s == 1
                    ? icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "fd00::1", 3, 0, 0)
                    : s == 2
                        ? icmpError(r, s, IpStatus.IP_PACKET_TOO_BIG, "fd00::1", 2, 0, 1280)
                        : icmpError(r, s, IpStatus.IP_DEST_NET_UNREACHABLE, "fd00::1", 1, 0, 0));
    List<String> l = h.run("ping", "-c", "3", "-i", "0.01", "::1").outLines();
    assertEquals("From fd00::1 icmp_seq=1 Time exceeded: Hop limit", l.get(1));
    assertEquals("From fd00::1 icmp_seq=2 Packet too big: mtu=1280", l.get(2));
    assertEquals("From fd00::1 icmp_seq=3 Destination unreachable: No route", l.get(3));
  }

  @Test
  void timeoutsAreSilentUnlessAskedAndMakeStatusOne() {
    Harness h = new Harness((r, s) -> s == 2 ? reply(r, s, 0.1) : silence());
    Harness.Result res = h.run("ping", "-c", "3", "-i", "0.01", "-W", "0.05", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    assertEquals(1, res.outLines().stream().filter(l -> l.startsWith("64 bytes")).count());
    assertTrue(
        res.out().contains("3 packets transmitted, 1 received, 66.6667% packet loss"),
        res::toString);
    res = h.run("ping", "-O", "-c", "1", "-W", "0.05", "127.0.0.1");
    assertEquals(1, res.status(), res::toString);
    assertTrue(res.out().contains("\nno answer yet for icmp_seq=1\n"), res::toString);
    assertTrue(
        res.out().contains("1 packets transmitted, 0 received, 100% packet loss"), res::toString);
  }

  @Test
  void jsonGivesTheTtlAnIcmpErrorArrivedWith() {
    Harness h =
        new Harness(
            (r, s) ->
                new Harness.Answer(
                    new EchoResult.IcmpError(
                        r,
                        IpStatus.IP_TTL_EXPIRED_TRANSIT,
                        Harness.addr("10.0.0.1"),
                        Harness.ms(0.5),
                        11,
                        0,
                        0,
                        s,
                        63),
                    0,
                    0));
    Harness.Result res = h.run("ping", "--json", "-c", "1", "-W", "0.05", "127.0.0.1");
    assertTrue(
        res.outLines()
            .get(0)
            .contains(
                "\"status\":\"IP_TTL_EXPIRED_TRANSIT\",\"status_code\":11013,\"rtt_ms\":0.5,\"ttl\":63,"),
        res::toString);
  }

  @Test
  void jsonHasThePinnedFields() {
    Harness h =
        new Harness(
            (r, s) ->
                switch (s) {
                  case 1 -> replyWithDuplicates(r, s, 0.045, 1);
                  case 2 -> silence();
                  default -> icmpError(r, s, IpStatus.IP_TTL_EXPIRED_TRANSIT, "10.0.0.1", 11, 0, 0);
                });
    Harness.Result res =
        h.run("ping", "--json", "-c", "3", "-i", "0.02", "-W", "0.05", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    List<String> l = res.outLines();
    assertEquals(
        "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":\"127.0.0.1\",\"seq\":1,\"status\":\"IP_SUCCESS\","
            + "\"status_code\":0,\"rtt_ms\":0.045,\"ttl\":64,\"bytes\":64}",
        l.get(0));
    assertEquals(
        "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":\"127.0.0.1\",\"seq\":1,\"status\":\"IP_SUCCESS\","
            + "\"status_code\":0,\"rtt_ms\":0.045,\"ttl\":64,\"bytes\":64,\"duplicate\":true}",
        l.get(1));
    assertTrue(
        l.contains(
            "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":null,\"seq\":2,\"status\":\"IP_REQ_TIMED_OUT\","
                + "\"status_code\":11010,\"rtt_ms\":null,\"ttl\":null,\"bytes\":64}"),
        res::toString);
    assertTrue(
        l.contains(
            "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":\"10.0.0.1\",\"seq\":3,\"status\":\"IP_TTL_EXPIRED_TRANSIT\","
                + "\"status_code\":11013,\"rtt_ms\":0.5,\"ttl\":null,\"bytes\":64,\"icmp_type\":11,\"icmp_code\":0,"
                + "\"message\":\"Time to live exceeded\"}"),
        res::toString);
    String summary = l.get(l.size() - 1);
    assertTrue(
        summary.matches(
            "\\{\"type\":\"summary\",\"target\":\"127\\.0\\.0\\.1\",\"host\":\"127\\.0\\.0\\.1\",\"sent\":3,\"received\":1,"
                + "\"duplicates\":1,\"corrupted\":0,\"errors\":1,\"loss_pct\":66\\.667,\"time_ms\":\\d+,\"rtt_min_ms\":0\\.045,"
                + "\"rtt_avg_ms\":0\\.045,\"rtt_max_ms\":0\\.045,\"rtt_mdev_ms\":0\\}"),
        summary);
    assertEquals(5, l.size(), res::toString);
    assertEquals("", res.err());
  }

  @Test
  void jsonSendFailureWithoutMtuHasNullMtu() {
    // A failed send without a path MTU once threw a NullPointerException: the null went to
    // put(String, long).
    Harness h =
        new Harness(
            (r, s) ->
                new Harness.Answer(
                    s == 1
                        ? new EchoResult.SendFailed(
                            r,
                            IpStatus.IP_DEST_HOST_UNREACHABLE,
                            "EHOSTUNREACH",
                            "No route to host",
                            s)
                        : new EchoResult.SendFailed(
                            r, IpStatus.IP_PACKET_TOO_BIG, "EMSGSIZE", "Message too long", s, 1280),
                    1,
                    0));
    Harness.Result res =
        h.run("ping", "--json", "-c", "2", "-i", "0.02", "-W", "0.05", "127.0.0.1");
    assertEquals(1, res.status(), res::toString);
    List<String> l = res.outLines();
    assertTrue(
        l.get(0).contains("\"errno\":\"EHOSTUNREACH\"") && l.get(0).endsWith("\"mtu\":null}"),
        res::toString);
    assertTrue(
        l.get(1).contains("\"errno\":\"EMSGSIZE\"") && l.get(1).endsWith("\"mtu\":1280}"),
        res::toString);
  }

  @Test
  void timestampsQuietAndPattern() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.2));
    Harness.Result res = h.run("ping", "-D", "-c", "1", "127.0.0.1");
    assertTrue(
        res.outLines()
            .get(1)
            .matches(
                "\\[\\d{10}\\.\\d{6}\\] 64 bytes from 127\\.0\\.0\\.1: icmp_seq=1 ttl=64 time=0\\.200 ms"),
        res::toString);
    res = h.run("ping", "-q", "-c", "2", "-i", "0.01", "127.0.0.1");
    List<String> l = res.outLines();
    assertEquals(5, l.size(), res::toString);
    assertTrue(l.get(0).startsWith("PING "));
    assertTrue(PACKETS.matcher(l.get(3)).matches(), l.get(3));
    assertTrue(RTT.matcher(l.get(4)).matches(), l.get(4));
    res = h.run("ping", "-c", "1", "-s", "5", "-p", "ff0", "127.0.0.1");
    assertEquals("PATTERN: 0xff00", res.outLines().get(0));
    assertEquals("PING 127.0.0.1 (127.0.0.1) 5(33) bytes of data.", res.outLines().get(1));
    assertArrayEquals(
        new byte[] {(byte) 0xff, 0, (byte) 0xff, 0, (byte) 0xff},
        h.prober.requests.get(h.prober.requests.size() - 1).payload());
  }

  @Test
  void flagsReachTheRequest() throws Exception {
    Harness h = new Harness((r, s) -> reply(r, s, 0.2));
    Harness.Result res =
        h.run(
            "ping",
            "-c",
            "1",
            "-s",
            "100",
            "-t",
            "7",
            "-Q",
            "0x10",
            "-M",
            "do",
            "-W",
            "2",
            "-I",
            "lo",
            "--raw",
            "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    EchoRequest r = h.prober.requests.get(0);
    assertEquals(100, r.payloadSize());
    assertEquals(7, r.ttl());
    assertEquals(16, r.tos());
    assertEquals(PathMtuDiscovery.DO, r.pathMtuDiscovery());
    assertEquals(2, r.timeout().toSeconds());
    assertEquals("lo", r.interfaceName());
    assertEquals(SocketMode.RAW, h.prober.options.socketMode());
    assertEquals(
        "PING 127.0.0.1 (127.0.0.1) from 127.0.0.1 lo: 100(128) bytes of data.",
        res.outLines().get(0));
    res =
        h.run("ping", "-c", "1", "-I", "127.0.0.1", "-M", "dont", "--netns", "labns", "127.0.0.1");
    r = h.prober.requests.get(1);
    assertEquals(InetAddress.ofLiteral("127.0.0.1"), r.source());
    assertNull(r.interfaceName());
    assertEquals(PathMtuDiscovery.DONT, r.pathMtuDiscovery());
    assertEquals("labns", h.prober.options.networkNamespace());
    assertEquals(
        "PING 127.0.0.1 (127.0.0.1) from 127.0.0.1 : 56(84) bytes of data.", res.outLines().get(0));
    h.run("ping", "-c", "1", "-M", "want", "-4", "localhost");
    assertEquals(PathMtuDiscovery.WANT, h.prober.requests.get(2).pathMtuDiscovery());
  }

  @Test
  void sendScheduleIsAbsoluteAndDeadlineEndsTheRun() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    Harness.Result res = h.run("ping", "-q", "-c", "6", "-i", "0.05", "127.0.0.1");
    assertEquals(0, res.status());
    List<Long> t = h.prober.sendTimes;
    double span = (t.get(5) - t.get(0)) / 1e6;
    assertTrue(span >= 249 && span < 300, "5 intervals of 50 ms took " + span + " ms");
    for (int i = 1; i < t.size(); i++) {
      double gap = (t.get(i) - t.get(0)) / 1e6 - 50.0 * i;
      assertTrue(Math.abs(gap) < 30, "send " + i + " is off its slot by " + gap + " ms");
    }

    Harness silent = new Harness((r, s) -> silence());
    long start = System.nanoTime();
    res = silent.run("ping", "-w", "0.3", "-i", "0.05", "127.0.0.1");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, res.status(), res::toString);
    assertTrue(ms >= 290 && ms < 1500, "deadline run took " + ms + " ms");
    assertTrue(
        res.out()
            .matches(
                "(?s).*\n[67] packets transmitted, 0 received, 100% packet loss, time \\d+ms\n"),
        res::toString);

    // -w with -c: keep sending until COUNT replies (iputils), here the 2nd echo is the first
    // answered
    Harness late = new Harness((r, s) -> s >= 2 ? reply(r, s, 0.1) : silence());
    res = late.run("ping", "-q", "-c", "2", "-w", "5", "-W", "0.05", "-i", "0.02", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    assertTrue(res.out().contains("3 packets transmitted, 2 received"), res::toString);
  }

  @Test
  void ctrlCPrintsTheStatisticsAndTheStatus() throws Exception {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    Harness.Running run = h.start("ping", "-i", "0.05", "127.0.0.1");
    StringWriter out = run.out();
    long until = System.nanoTime() + 10_000_000_000L;
    while (out.toString().split("icmp_seq=").length < 3 && System.nanoTime() < until)
      Thread.sleep(5);
    h.signals.interrupt();
    assertEquals(0, run.join(), out::toString);
    assertTrue(
        out.toString()
            .matches(
                "(?s).*\n--- 127\\.0\\.0\\.1 ping statistics ---\n\\d+ packets transmitted, \\d+ received, "
                    + "0% packet loss, time \\d+ms\nrtt min/avg/max/mdev = .*"),
        out::toString);
    assertNull(h.signals.action.get(), "the Ctrl-C handler is removed after the run");

    Harness none = new Harness((r, s) -> silence());
    Harness.Running silent = none.start("ping", "-i", "0.02", "127.0.0.1");
    StringWriter out2 = silent.out();
    while (none.prober.requests.size() < 3) Thread.sleep(5);
    none.signals.interrupt();
    assertEquals(1, silent.join(), out2::toString);
    assertTrue(out2.toString().contains(" received, 100% packet loss"), out2::toString);
  }

  @Test
  void badInputIsOneLineAndStatusTwo() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    String[][] cases = {
      {"ping", "-t", "0", "127.0.0.1"},
      {"ping", "-t", "256", "127.0.0.1"},
      {"ping", "-c", "0", "127.0.0.1"},
      {"ping", "-M", "probe", "127.0.0.1"},
      {"ping", "-Q", "300", "127.0.0.1"},
      {"ping", "-p", "zz", "127.0.0.1"},
      {"ping", "-s", "70000", "127.0.0.1"},
      {"ping", "-s", "-1", "127.0.0.1"},
      {"ping", "-W", "0", "127.0.0.1"},
      {"ping", "-w", "0", "127.0.0.1"},
      {"ping", "-i", "abc", "127.0.0.1"},
      {"ping", "--bogus", "127.0.0.1"},
      {"ping"},
      {"ping", "127.0.0.1", "extra"},
      {"ping", "-4", "::1"},
      {"ping", "-6", "127.0.0.1"},
      {"ping", "-4", "-6", "127.0.0.1"},
      {"ping", "nosuch.invalid"},
      {"ping", "-I", "198.18.255.254", "127.0.0.1"},
      {"ping", "-I", "::1", "127.0.0.1"},
      {"ping", "-I", "nosuchif0", "127.0.0.1"},
    };
    for (String[] args : cases) {
      Harness.Result res = h.run(args);
      String what = String.join(" ", args) + " -> " + res;
      assertEquals(2, res.status(), what);
      assertEquals("", res.out(), what);
      // the personality's prefix (API-CONTRACT §3.1), then a hint, iputils' usage, or nothing
      // (iputils' own words)
      assertTrue(res.err().startsWith("ping: "), what);
    }
    // iputils 20221126's texts, byte for byte
    assertEquals(
        "ping: cannot set unicast time-to-live: Invalid argument\n",
        h.run("ping", "-t", "0", "127.0.0.1").err());
    assertEquals(
        "ping: invalid argument: '256': out of range: 0 <= value <= 255\n",
        h.run("ping", "-t", "256", "127.0.0.1").err());
    assertEquals(
        "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n",
        h.run("ping", "-c", "0", "127.0.0.1").err());
    assertEquals(
        "ping: packet size 70000 is too large. Maximum is 65507\n",
        h.run("ping", "-s", "70000", "127.0.0.1").err());
    assertEquals("ping: usage error: Destination address required\n", h.run("ping").err());
    assertEquals("ping: invalid argument: '0.5'\n", h.run("ping", "-w", "0.5", "127.0.0.1").err());
    assertEquals(
        "ping: invalid option -- 'Z'\n" + PingUsage.TEXT, h.run("ping", "-Z", "127.0.0.1").err());
    assertEquals(
        "ping: option requires an argument -- 'c'\n" + PingUsage.TEXT,
        h.run("ping", "127.0.0.1", "-c").err());
    assertEquals(PingUsage.TEXT, h.run("ping", "-h").err());
    assertEquals(2, h.run("ping", "-h").status());
    assertEquals(
        "ping: nosuch.invalid: Name or service not known",
        h.run("ping", "nosuch.invalid").err().split("\n")[0]);
    assertEquals(
        "ping: unknown iface: nosuchif0",
        h.run("ping", "-I", "nosuchif0", "127.0.0.1").err().split("\n")[0]);
    assertTrue(h.prober.requests.isEmpty(), "nothing is sent on bad input");
  }

  @Test
  void intervalFloorNeedsPrivilege() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    h.netRaw = false;
    Harness.Result res = h.run("ping", "-c", "1", "-i", "0.001", "127.0.0.1");
    assertEquals(2, res.status());
    assertEquals(
        "ping: cannot flood, minimal interval for user must be >= 2 ms, use -i 0.002 (or higher)\n",
        res.err());
    assertEquals(0, h.run("ping", "-c", "2", "-i", "0.002", "127.0.0.1").status());
    h.netRaw = true;
    assertEquals(0, h.run("ping", "-q", "-c", "3", "-i", "0", "127.0.0.1").status());
  }

  @Test
  void systemFailuresAreOneLineWithoutStackTraceUnlessAsked() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    h.prober.openFailure = Harness.noPermission();
    Harness.Result res = h.run("ping", "-c", "1", "127.0.0.1");
    assertEquals(2, res.status());
    assertEquals("ping: " + Harness.noPermission().getMessage() + "\n", res.err());
    assertEquals("", res.out());

    Harness bind = new Harness((r, s) -> reply(r, s, 0.1));
    bind.prober.boundOpenFailure = new IcmpException("bind failed", "bind", "EADDRNOTAVAIL");
    res = bind.run("ping", "-c", "1", "--netns", "x", "-I", "10.9.9.9", "127.0.0.1");
    assertEquals(2, res.status(), res::toString);
    assertTrue(
        res.err().startsWith("ping: -I 10.9.9.9: Cannot assign requested address\n"),
        res::toString);
    assertFalse(res.err().contains("\tat "), res::toString);
    res =
        bind.run("ping", "--stacktrace", "-c", "1", "--netns", "x", "-I", "10.9.9.9", "127.0.0.1");
    assertTrue(res.err().contains("\tat "), res::toString);
  }

  @Test
  void helpListsExitStatusesAndExamples() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.1));
    Harness.Result res = h.run("ping", "--help");
    assertEquals(0, res.status());
    for (String flag :
        new String[] {
          "-c=COUNT",
          "-i=SEC",
          "-s=BYTES",
          "-t=TTL",
          "-W=SEC",
          "-w=SEC",
          "-I=ADDR|IFACE",
          "-M=do|dont|want",
          "-Q=TOS",
          "-p=HEXPATTERN",
          "-4",
          "-6",
          "-q",
          "-n",
          "-D",
          "--json",
          "Exit status:",
          "0   at least one echo reply came",
          "1   no echo reply came",
          "2   any other error",
          "Examples:"
        }) {
      assertTrue(res.out().contains(flag), flag + " in\n" + res.out());
    }
    res = h.run("--version");
    assertEquals(0, res.status());
    assertTrue(res.out().startsWith("icmpecho "), res.out());
    res = h.run("ping", "-V"); // iputils' two lines, which its suite reads
    assertEquals(0, res.status());
    assertTrue(
        res.out()
            .matches(
                "ping from iputils 20221126 \\(icmpecho .*\\)\nlibcap: no, IDN: no, NLS: no, error\\.h: no, "
                    + "getrandom\\(\\): no, __fpending\\(\\): no\n"),
        res.out());
  }
}
