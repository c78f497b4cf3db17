package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fping personality against scripted answers: fping 5.1's texts, streams and exit statuses for
 * each behaviour its suite checks (timeouts, retries, -C lists, -o outage, -s, -x, -u, -Q reports,
 * -N netdata, stdin and -g targets, the parser's messages). Loopback side by side with Debian's
 * fping is {@link FpingSideBySideTest}.
 */
class FpingTest {
  /** 127.0.0.x and ::1 answer in 0.1 ms; 10.9.9.9 never answers. */
  static Harness loopback() {
    return new Harness(
        (r, seq) ->
            Harness.addr("10.9.9.9").equals(r.target())
                ? Harness.silence()
                : Harness.reply(r, seq, 0.1),
        Map.of("localhost", "127.0.0.1"));
  }

  static Harness.Result fping(Harness h, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "fping";
    System.arraycopy(args, 0, all, 1, args.length);
    return h.run(all);
  }

  @Test
  void aliveAndUnreachableInDefaultMode() {
    Harness h = loopback();
    Harness.Result r = fping(h, "-r", "1", "-t", "50", "127.0.0.1", "10.9.9.9");
    assertEquals(1, r.status(), r::toString);
    assertEquals("127.0.0.1 is alive\n10.9.9.9 is unreachable\n", r.out(), r::toString);
    assertEquals("", r.err(), r::toString);
    // one try and one retry to the silent one, the second with the backoff's longer timeout
    List<Long> timeouts =
        h.prober.requests.stream()
            .filter(q -> q.target().equals(Harness.addr("10.9.9.9")))
            .map(q -> q.timeout().toMillis())
            .toList();
    assertEquals(List.of(50L, 75L), timeouts);
  }

  @Test
  void countModeLinesSummariesAndTimeouts() {
    Harness.Result r =
        fping(loopback(), "-c", "2", "-p", "20", "-t", "30", "127.0.0.1", "10.9.9.9");
    assertEquals(1, r.status(), r::toString);
    assertTrue(
        r.out().contains("127.0.0.1 : [0], 64 bytes, 0.100 ms (0.100 avg, 0% loss)\n"),
        r::toString);
    assertTrue(r.out().contains("10.9.9.9  : [1], timed out (NaN avg, 100% loss)\n"), r::toString);
    assertEquals(
        "\n127.0.0.1 : xmt/rcv/%loss = 2/2/0%, min/avg/max = 0.100/0.100/0.100\n"
            + "10.9.9.9  : xmt/rcv/%loss = 2/0/100%\n",
        r.err(), r::toString);
  }

  @Test
  void vcountListsEveryRoundTripOrADash() {
    Harness.Result r =
        fping(loopback(), "-C", "3", "-p", "20", "-t", "30", "-q", "127.0.0.1", "10.9.9.9");
    assertEquals(1, r.status(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals("127.0.0.1 : 0.100 0.100 0.100\n10.9.9.9  : - - -\n", r.err(), r::toString);
  }

  @Test
  void outageIsLostEchoesTimesThePeriod() {
    Harness.Result r = fping(loopback(), "-t", "20", "-p", "30", "-o", "-c", "3", "-q", "10.9.9.9");
    assertEquals(1, r.status(), r::toString);
    assertEquals("10.9.9.9 : xmt/rcv/%loss = 3/0/100%, outage(ms) = 90\n", r.err(), r::toString);
  }

  @Test
  void statsBlockAndReachableVerdict() {
    Harness.Result r =
        fping(loopback(), "-s", "-r", "0", "-t", "20", "127.0.0.1", "10.9.9.9", "nosuch.test");
    assertEquals(2, r.status(), r::toString); // a name that did not resolve wins
    assertTrue(
        r.err()
            .startsWith(
                "nosuch.test: Name or service not known\n\n       2 targets\n       1 alive\n"
                    + "       1 unreachable\n       1 unknown addresses\n\n       1 timeouts (waiting for response)\n"
                    + "       2 ICMP Echos sent\n       1 ICMP Echo Replies received\n       0 other ICMP received\n\n"
                    + " 0.100 ms (min round trip time)\n"),
        r::toString);

    r = fping(loopback(), "-x", "1", "-r", "0", "-t", "20", "10.9.9.9", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertEquals("Enough hosts reachable (required: 1, reachable: 1)\n", r.out(), r::toString);
    r = fping(loopback(), "-x", "2", "-r", "0", "-t", "20", "10.9.9.9", "127.0.0.1");
    assertEquals(1, r.status(), r::toString);
    assertEquals("Not enough hosts reachable (required: 2, reachable: 1)\n", r.out(), r::toString);
  }

  @Test
  void aliveUnreachableAndAddressLists() {
    Harness.Result r = fping(loopback(), "-u", "-r", "0", "-t", "20", "10.9.9.9", "127.0.0.1");
    assertEquals("10.9.9.9\n", r.out(), r::toString);
    r = fping(loopback(), "-a", "-r", "0", "-t", "20", "10.9.9.9", "127.0.0.1");
    assertEquals("127.0.0.1\n", r.out(), r::toString);
    r = fping(loopback(), "-A", "localhost");
    assertEquals("127.0.0.1 is alive\n", r.out(), r::toString);
    r = fping(loopback(), "-e", "127.0.0.1");
    assertEquals("127.0.0.1 is alive (0.100 ms)\n", r.out(), r::toString);
  }

  @Test
  void targetsFromStdinFileAndGenerate() {
    Harness h = loopback();
    h.stdin = "127.0.0.1\n# a comment\n\n127.0.0.2 trailing words\n";
    Harness.Result r = fping(h);
    assertEquals("127.0.0.1 is alive\n127.0.0.2 is alive\n", r.out(), r::toString);
    r = fping(h, "-f", "-");
    assertEquals("127.0.0.1 is alive\n127.0.0.2 is alive\n", r.out(), r::toString);
    r = fping(loopback(), "-a", "-g", "127.0.0.1/30");
    assertEquals("127.0.0.1\n127.0.0.2\n", r.out(), r::toString);
    r = fping(loopback(), "-a", "-g", "127.0.0.2/31");
    assertEquals("127.0.0.2\n127.0.0.3\n", r.out(), r::toString);
    r = fping(loopback(), "-a", "-g", "127.0.0.1", "127.0.0.3");
    assertEquals("127.0.0.1\n127.0.0.2\n127.0.0.3\n", r.out(), r::toString);
  }

  @Test
  void argumentErrorsExitOneWithFpingsWords() {
    Harness h = loopback();
    expectError(h, "fping: invalid option -- 'Z'\nsee 'fping -h' for usage information\n", "-Z");
    expectError(
        h,
        "fping: option requires an argument -- 'c'\nsee 'fping -h' for usage information\n",
        "127.0.0.1",
        "-c");
    expectError(
        h, "fping: invalid option -- 'nosuch'\nsee 'fping -h' for usage information\n", "--nosuch");
    expectError(
        h,
        "fping: option takes no arguments -- 'quiet'\nsee 'fping -h' for usage information\n",
        "--quiet=1");
    expectError(h, "fping: can't specify both -4 and -6\n", "-4", "-6", "127.0.0.1");
    expectError(h, "fping: ttl 300 out of range\n", "-H", "300", "127.0.0.1");
    expectError(h, "fping: specify only one of a, u\n", "-a", "-u", "127.0.0.1");
    expectError(h, "fping: specify only one of c, l\n", "-c3", "-l", "127.0.0.1");
    expectError(
        h,
        "fping: data size 65509 not valid, must be lower than 65488\n",
        "-b",
        "65509",
        "127.0.0.1");
    expectError(
        h,
        "fping: backoff factor 5.1 not valid, must be between 1.0 and 5.0\n",
        "-B",
        "5.1",
        "127.0.0.1");
    expectError(h, "fping: use either one of -d or -n\n", "-n", "-d", "127.0.0.1");
    expectError(h, "fping: can't parse source address: bla\n", "-S", "bla");
    expectError(h, "fping: netmask must be between 1 and 32 (is: 33)\n", "-g", "127.0.0.2/33");
    expectError(
        h, "fping: -g works only with IPv4 addresses\n", "-a", "-g", "2001:db8:120:4161::4/64");
    for (String opt : List.of("b", "B", "c", "C", "H", "i", "O", "p", "Q", "r", "t")) {
      Harness.Result r = fping(h, "-" + opt, "xxx");
      assertEquals(1, r.status(), r::toString);
      assertEquals("", r.out(), r::toString);
      assertTrue(
          r.err().startsWith("Usage: fping [options] [targets...]\n\nProbing options:\n"),
          r::toString);
    }
    assertTrue(h.prober.requests.isEmpty(), "nothing is sent after an argument error");
  }

  private static void expectError(Harness h, String stderr, String... args) {
    Harness.Result r = fping(h, args);
    assertEquals(1, r.status(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals(stderr, r.err(), r::toString);
  }

  @Test
  void optionsAfterOperandsAndClusters() {
    Harness h = loopback();
    Harness.Result r = fping(h, "127.0.0.1", "-qC2", "-p", "10");
    assertEquals(0, r.status(), r::toString);
    assertEquals("127.0.0.1 : 0.100 0.100\n", r.err(), r::toString);
    r = fping(h, "--vcount=1", "--size", "100", "--ttl=7", "--tos=0x10", "-M", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    var q = h.prober.requests.get(h.prober.requests.size() - 1);
    assertEquals(100, q.payloadSize());
    assertEquals(7, q.ttl());
    assertEquals(16, q.tos());
    assertEquals(org.icmpecho.PathMtuDiscovery.DO, q.pathMtuDiscovery());
  }

  @Test
  void intervalReportsAndNetdata() {
    // what each report counts depends on timing (a loaded machine delays answers): the shapes are
    // checked exactly
    Harness.Result r = fping(loopback(), "-Q", "0.25", "-p", "100", "-c", "4", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertTrue(
        r.err()
            .matches(
                "(?s)\\[\\d\\d:\\d\\d:\\d\\d]\n127\\.0\\.0\\.1 : xmt/rcv/%loss = [0-4]/[0-4]/\\d+%.*\n"
                    + "127\\.0\\.0\\.1 : xmt/rcv/%loss = 4/4/0%, min/avg/max = 0.100/0.100/0.100\n"),
        r::toString);

    r = fping(loopback(), "-c", "3", "-p", "300", "-Q", "0.25", "-N", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertTrue(
        r.out()
            .startsWith(
                "CHART fping.127_0_0_1_packets '' 'FPing Packets for host 127.0.0.1' packets '127.0.0.1'"
                    + " fping.packets line 110020 0\nDIMENSION xmt sent absolute 1 1\nDIMENSION rcv received absolute 1 1\n"
                    + "BEGIN fping.127_0_0_1_packets\nSET xmt = "),
        r::toString);
    assertTrue(r.out().contains("SET rcv = 1\nEND\n"), r::toString);
    assertTrue(
        r.out()
            .contains(
                "BEGIN fping.127_0_0_1_latency\nSET min = 100000\nSET avg = 100000\nSET max = 100000\nEND\n"),
        r::toString);
    assertEquals(
        1,
        r.out().split("CHART fping.127_0_0_1_latency", -1).length - 1,
        "charts are defined once");
  }

  @Test
  void loopRunsUntilInterruptedThenSummarises() throws Exception {
    Harness h = loopback();
    var result = new java.util.concurrent.CompletableFuture<Harness.Result>();
    Thread t =
        Thread.ofPlatform().start(() -> result.complete(fping(h, "-l", "-p", "20", "127.0.0.1")));
    long end = System.nanoTime() + 5_000_000_000L;
    while (h.prober.requests.size() < 3 && System.nanoTime() < end) Thread.sleep(5);
    h.signals.interrupt();
    Harness.Result r = result.get(5, java.util.concurrent.TimeUnit.SECONDS);
    t.join();
    assertEquals(0, r.status(), r::toString);
    // it kept sending until Ctrl-C (3 echoes or more); how many answers were printed by then
    // depends on timing
    assertTrue(h.prober.requests.size() >= 3, r::toString);
    assertTrue(
        r.out().startsWith("127.0.0.1 : [0], 64 bytes, 0.100 ms (0.100 avg, 0% loss)\n"),
        r::toString);
    assertTrue(
        r.out()
            .matches(
                "(127\\.0\\.0\\.1 : \\[\\d+], 64 bytes, 0\\.100 ms \\(0\\.100 avg, 0% loss\\)\n)+"),
        r::toString);
    assertTrue(
        r.err()
            .matches(
                "\n127\\.0\\.0\\.1 : xmt/rcv/%loss = \\d+/\\d+/0%, min/avg/max = 0.100/0.100/0.100\n"),
        r::toString);
  }

  @Test
  void icmpErrorIsReportedAndTheEchoStillTimesOut() {
    Harness h =
        new Harness(
            (r, seq) ->
                Harness.icmpError(
                    r, seq, org.icmpecho.IpStatus.IP_DEST_HOST_UNREACHABLE, "10.0.0.1", 3, 1, 0));
    Harness.Result r = fping(h, "-r", "0", "-t", "30", "10.0.0.7");
    assertEquals(1, r.status(), r::toString);
    assertEquals("10.0.0.7 is unreachable\n", r.out(), r::toString);
    assertEquals(
        "ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 10.0.0.7\n",
        r.err(),
        r::toString);
  }

  @Test
  void jsonLinesReplaceTheHumanOutput() {
    // the contract's fields (API-CONTRACT §3) in every personality: seq from 1, rtt_mdev_ms
    Harness.Result r = fping(loopback(), "--json", "-c", "1", "127.0.0.1");
    assertEquals(0, r.status(), r::toString);
    assertEquals(
        List.of(
            "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":\"127.0.0.1\",\"seq\":1,\"status\":\"IP_SUCCESS\","
                + "\"status_code\":0,\"rtt_ms\":0.1,\"ttl\":64,\"bytes\":64}",
            "{\"type\":\"summary\",\"target\":\"127.0.0.1\",\"sent\":1,\"received\":1,\"duplicates\":0,\"errors\":0,"
                + "\"loss_pct\":0.0,\"alive\":true,\"rtt_min_ms\":0.1,\"rtt_avg_ms\":0.1,\"rtt_max_ms\":0.1,"
                + "\"rtt_mdev_ms\":0}"),
        r.outLines(),
        r::toString);
    assertEquals("", r.err(), r::toString);
  }
}
