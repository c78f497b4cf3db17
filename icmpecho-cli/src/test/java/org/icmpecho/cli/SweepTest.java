package org.icmpecho.cli;

import static org.icmpecho.cli.Harness.icmpError;
import static org.icmpecho.cli.Harness.reply;
import static org.icmpecho.cli.Harness.replyWithDuplicates;
import static org.icmpecho.cli.Harness.silence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.icmpecho.EchoRequest;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code icmpecho sweep}, the fping personality under icmpecho's name (API-CONTRACT §3.1), against
 * a scripted engine: fping's output, retries, pacing, window, exit statuses under the sweep's
 * prefix, and what the sweep adds to fping: IPv6 {@code -g}, {@code --json}, {@code --rate}, {@code
 * --max-in-flight}, {@code --sockets}, the progress line. {@link FpingTest} has the rest of fping's
 * behaviours, the same code under fping's name.
 */
class SweepTest {

  /** 127.0.0.x answers for x < 100, silence otherwise. */
  static Harness.Answer upBelow100(EchoRequest r, int seq) {
    int last = r.target().getAddress()[r.target().getAddress().length - 1] & 0xff;
    return r.isIpv6() || last < 100 ? reply(r, seq, 0.046) : silence();
  }

  @Test
  void aliveAndUnreachableLinesAndStatus() {
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res = h.run("sweep", "-t", "20", "-r", "1", "127.0.0.1", "::1", "127.0.0.200");
    assertEquals(1, res.status(), res::toString);
    assertTrue(
        res.outLines()
            .containsAll(
                List.of("127.0.0.1 is alive", "::1 is alive", "127.0.0.200 is unreachable")),
        res::toString);
    assertEquals(3, res.outLines().size());
    res = h.run("sweep", "127.0.0.1", "::1");
    assertEquals(0, res.status(), res::toString);
    res = h.run("sweep", "-a", "-t", "20", "-r", "0", "127.0.0.1", "127.0.0.200");
    assertEquals(List.of("127.0.0.1"), res.outLines());
    res = h.run("sweep", "-u", "-t", "20", "-r", "0", "127.0.0.1", "127.0.0.200");
    assertEquals(List.of("127.0.0.200"), res.outLines());
    res = h.run("sweep", "-q", "-t", "20", "-r", "0", "127.0.0.1", "127.0.0.200");
    assertEquals("", res.out());
    assertEquals(1, res.status());
    res = h.run("sweep", "-e", "127.0.0.1");
    assertEquals(List.of("127.0.0.1 is alive (0.046 ms)"), res.outLines());
  }

  @Test
  void retriesBackOffLikeFping() {
    Harness h = new Harness((r, s) -> silence());
    long start = System.nanoTime();
    Harness.Result res = h.run("sweep", "-t", "40", "-r", "2", "-B", "2", "127.0.0.200");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1, res.status());
    assertEquals(List.of("127.0.0.200 is unreachable"), res.outLines());
    List<EchoRequest> sent = h.prober.requests;
    assertEquals(3, sent.size());
    assertEquals(40, sent.get(0).timeout().toMillis());
    assertEquals(80, sent.get(1).timeout().toMillis());
    assertEquals(160, sent.get(2).timeout().toMillis());
    assertTrue(ms >= 270 && ms < 3000, "took " + ms);
    List<Long> t = h.prober.sendTimes;
    assertTrue((t.get(1) - t.get(0)) / 1e6 >= 39, "the retry waits out the first timeout");
    assertTrue((t.get(2) - t.get(1)) / 1e6 >= 79, "then the longer second one");
  }

  @Test
  void countModeLinesAndPerTargetSummaries() {
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res = h.run("sweep", "-c", "2", "-p", "20", "127.0.0.1", "::1", "127.0.0.200");
    assertEquals(1, res.status(), res::toString);
    List<String> out = res.outLines();
    assertTrue(
        out.contains("127.0.0.1   : [0], 64 bytes, 0.046 ms (0.046 avg, 0% loss)"), res::toString);
    assertTrue(
        out.contains("::1         : [1], 64 bytes, 0.046 ms (0.046 avg, 0% loss)"), res::toString);
    assertTrue(out.contains("127.0.0.200 : [0], timed out (NaN avg, 100% loss)"), res::toString);
    assertTrue(out.contains("127.0.0.200 : [1], timed out (NaN avg, 100% loss)"), res::toString);
    assertEquals(6, out.size(), res::toString);
    List<String> err = List.of(res.err().split("\n"));
    assertEquals(
        List.of(
            "", // fping's blank line after the per-probe lines
            "127.0.0.1   : xmt/rcv/%loss = 2/2/0%, min/avg/max = 0.046/0.046/0.046",
            "::1         : xmt/rcv/%loss = 2/2/0%, min/avg/max = 0.046/0.046/0.046",
            "127.0.0.200 : xmt/rcv/%loss = 2/0/100%"),
        err);
    assertEquals(
        20,
        h.prober.requests.get(0).timeout().toMillis(),
        "count mode: the timeout defaults to the period");

    // fping 5.1 ignores -a and -u in count mode: the summaries say it all
    res = h.run("sweep", "-q", "-c", "2", "-p", "20", "-a", "127.0.0.1", "127.0.0.200");
    assertEquals(List.of(), res.outLines(), res::toString);
    assertEquals(2, res.err().split("\n").length, res::toString);
  }

  @Test
  void perTargetSummariesSpanningSeveralOutputChunksComeOutWholeAndInOrder() {
    // 2,046 summary lines of 40-70 characters: the summary is written in 64 KB chunks, so lines
    // cross chunk edges.
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res =
        h.run("sweep", "-q", "-c", "1", "-i", "0", "-t", "20", "-g", "127.0.0.0/21");
    String[] lines = res.err().split("\n");
    assertEquals(2_046, lines.length, () -> "lines: " + lines.length);
    assertTrue(res.err().length() > 1 << 16, "more than one chunk");
    for (int i = 0; i < lines.length; i++) {
      int a = i + 1;
      String label = String.format("%-11s", "127.0." + (a >> 8) + "." + (a & 255));
      String want =
          (a & 255) < 100
              ? label + " : xmt/rcv/%loss = 1/1/0%, min/avg/max = 0.046/0.046/0.046"
              : label + " : xmt/rcv/%loss = 1/0/100%";
      assertEquals(want, lines[i], "line " + i);
    }
  }

  @Test
  void statsBlockOnStderr() {
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res =
        h.run("sweep", "-s", "-t", "20", "-r", "1", "127.0.0.1", "127.0.0.200", "nosuch.invalid");
    assertEquals(2, res.status(), "a name that does not resolve wins over unreachable: " + res);
    String err = res.err();
    assertTrue(err.startsWith("nosuch.invalid: Name or service not known\n"), res::toString);
    for (String s :
        new String[] {
          "       2 targets\n",
          "       1 alive\n",
          "       1 unreachable\n",
          "       1 unknown addresses\n",
          "       2 timeouts (waiting for response)\n",
          "       3 ICMP Echos sent\n",
          "       1 ICMP Echo Replies received\n",
          "       0 other ICMP received\n",
          " 0.046 ms (min round trip time)\n",
          " 0.046 ms (avg round trip time)\n",
          " 0.046 ms (max round trip time)\n",
          " sec (elapsed real time)\n"
        }) {
      assertTrue(err.contains(s), s + " in\n" + err);
    }
  }

  @Test
  void statsWithoutAnyReplyPrintZerosAsFping() {
    Harness h = new Harness((r, s) -> silence());
    Harness.Result res = h.run("sweep", "-s", "-t", "10", "-r", "0", "127.0.0.200");
    assertEquals(1, res.status(), res::toString);
    for (String s :
        new String[] {
          "\n 0.000 ms (min round trip time)\n",
          "\n 0.000 ms (avg round trip time)\n",
          "\n 0.000 ms (max round trip time)\n"
        }) {
      assertTrue(res.err().contains(s), s + " in\n" + res.err());
    }
    assertTrue(!res.err().contains("NaN"), res::toString);
  }

  @Test
  void aTargetFileIsReadAsBytesAndABadLineIsReportedAndSkipped(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("hosts");
    byte[] latin1 =
        "# h\u00f4tes du labo\n127.0.0.1\nb\u00e9te.test\n127.0.0.2\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(f, latin1); // 0xF4 and 0xE9 are not UTF-8: one in a comment, one in a name
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res = h.run("sweep", "-t", "20", "-r", "0", "-f", f.toString());
    assertEquals(2, res.status(), "an unknown name wins over alive, as fping: " + res);
    assertEquals(
        List.of("127.0.0.1 is alive", "127.0.0.2 is alive"),
        res.outLines().stream().sorted().toList(),
        res::toString);
    assertEquals("b\ufffdte.test: Name or service not known\n", res.err(), res::toString);
  }

  @Test
  void icmpErrorsAndDuplicatesLikeFping() {
    Harness h =
        new Harness(
            (r, s) ->
                r.target().getAddress()[3] == 5
                    ? icmpError(r, s, IpStatus.IP_DEST_HOST_UNREACHABLE, "10.0.0.1", 3, 1, 0)
                    : replyWithDuplicates(r, s, 0.5, 1));
    Harness.Result res = h.run("sweep", "-c", "1", "-p", "20", "127.0.0.5", "127.0.0.6");
    assertEquals(1, res.status(), res::toString);
    assertTrue(
        res.err().contains("ICMP Host Unreachable from 10.0.0.1 for ICMP Echo sent to 127.0.0.5\n"),
        res::toString);
    // fping prints duplicates where it prints no per-probe lines (-q here; the next probes keep the
    // sweep going while they come)
    res = h.run("sweep", "-q", "-c", "3", "-p", "20", "127.0.0.6");
    assertEquals(0, res.status(), res::toString);
    assertTrue(
        res.err().contains("127.0.0.6 : duplicate for [0], 64 bytes, 0.500 ms\n"), res::toString);
    assertTrue(
        res.err().endsWith("127.0.0.6 : xmt/rcv/%loss = 3/3/0%, min/avg/max = 0.500/0.500/0.500\n"),
        res::toString);
    res = h.run("sweep", "--json", "-c", "1", "127.0.0.6");
    assertTrue(
        res.out()
            .contains(
                "{\"type\":\"reply\",\"target\":\"127.0.0.6\",\"from\":\"127.0.0.6\",\"seq\":1,\"status\":\"IP_SUCCESS\","
                    + "\"status_code\":0,\"rtt_ms\":0.5,\"ttl\":64,\"bytes\":64,\"duplicate\":true}\n"),
        res::toString);
  }

  @Test
  void jsonEventsAndSummaries() {
    Harness h = new Harness(SweepTest::upBelow100, Map.of("lo.test", "127.0.0.1"));
    Harness.Result res = h.run("sweep", "--json", "-t", "20", "-r", "1", "lo.test", "127.0.0.200");
    assertEquals(1, res.status(), res::toString);
    List<String> l = res.outLines();
    assertTrue(
        l.contains(
            "{\"type\":\"reply\",\"target\":\"127.0.0.1\",\"from\":\"127.0.0.1\",\"seq\":1,\"status\":\"IP_SUCCESS\","
                + "\"status_code\":0,\"rtt_ms\":0.046,\"ttl\":64,\"bytes\":64,\"host\":\"lo.test\"}"),
        res::toString);
    assertTrue(
        l.contains(
            "{\"type\":\"reply\",\"target\":\"127.0.0.200\",\"from\":null,\"seq\":2,\"status\":\"IP_REQ_TIMED_OUT\","
                + "\"status_code\":11010,\"rtt_ms\":null,\"ttl\":null,\"bytes\":64}"),
        res::toString);
    assertTrue(
        l.contains(
            "{\"type\":\"summary\",\"target\":\"127.0.0.1\",\"host\":\"lo.test\",\"sent\":1,\"received\":1,"
                + "\"duplicates\":0,\"errors\":0,\"loss_pct\":0.0,\"alive\":true,\"rtt_min_ms\":0.046,\"rtt_avg_ms\":0.046,"
                + "\"rtt_max_ms\":0.046,\"rtt_mdev_ms\":0}"),
        res::toString);
    assertTrue(
        l.contains(
            "{\"type\":\"summary\",\"target\":\"127.0.0.200\",\"sent\":2,\"received\":0,\"duplicates\":0,"
                + "\"errors\":0,\"loss_pct\":100.0,\"alive\":false,\"rtt_min_ms\":null,\"rtt_avg_ms\":null,\"rtt_max_ms\":null,"
                + "\"rtt_mdev_ms\":null}"),
        res::toString);
    assertEquals(5, l.size(), res::toString);
    res = h.run("sweep", "--json", "nosuch.invalid");
    assertEquals(2, res.status());
    assertEquals(
        "{\"type\":\"error\",\"target\":\"nosuch.invalid\",\"message\":\"nosuch.invalid: Name or service not known\"}\n",
        res.out());
  }

  @Test
  void targetsFromFilesStdinAndGenerators(@TempDir Path dir) throws Exception {
    Harness h = new Harness(SweepTest::upBelow100);
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "# two\n127.0.0.1\n127.0.0.2\n");
    assertEquals(
        List.of("127.0.0.1", "127.0.0.2"), h.run("sweep", "-a", "-f", f.toString()).outLines());
    h.stdin = "127.0.0.3\n";
    assertEquals(List.of("127.0.0.3"), h.run("sweep", "-a", "-f", "-").outLines());
    assertEquals(
        List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6"),
        h.run("sweep", "-a", "-i", "0", "-g", "127.0.0.0/29").outLines());
    assertEquals(
        List.of("127.0.0.7", "127.0.0.8", "127.0.0.9"),
        h.run("sweep", "-a", "-g", "127.0.0.7", "127.0.0.9").outLines());
    // fping's -g: a block or a range, nothing besides
    Harness.Result res = h.run("sweep", "-a", "-g", "127.0.0.8", "127.0.0.9", "127.0.0.7");
    assertEquals(1, res.status(), res::toString);
    assertTrue(
        res.err().startsWith("Usage: icmpecho sweep [options] [targets...]\n"), res::toString);
    res = h.run("sweep", "-f", dir.resolve("missing").toString());
    assertEquals(4, res.status(), res::toString);
    assertEquals("icmpecho sweep: fopen : No such file or directory\n", res.err(), res::toString);
    // stdin when there are no targets at all, as fping
    h.stdin = "127.0.0.4\n";
    assertEquals(List.of("127.0.0.4"), h.run("sweep", "-a").outLines());
  }

  /** The sweep's extension of fping's -g: IPv6 blocks and ranges (fping: IPv4 only). */
  @Test
  void ipv6BlocksAndRanges() {
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Result res = h.run("sweep", "-a", "-g", "2001:db8::/126");
    assertEquals(0, res.status(), res::toString);
    assertEquals(
        List.of("2001:db8::", "2001:db8::1", "2001:db8::2", "2001:db8::3"),
        res.outLines(),
        "an IPv6 block keeps its first and last address");
    res = h.run("sweep", "-a", "-g", "2001:db8::fe", "2001:db8::101");
    assertEquals(
        List.of("2001:db8::fe", "2001:db8::ff", "2001:db8::100", "2001:db8::101"), res.outLines());
    Harness big = new Harness(SweepTest::upBelow100);
    res = big.run("sweep", "-q", "-i", "0", "-g", "fd00::/112");
    assertEquals(0, res.status(), res::toString);
    assertEquals(65_536, big.prober.requests.size());
    res = h.run("sweep", "-g", "2001:db8::/64");
    assertEquals(1, res.status(), res::toString);
    assertEquals(
        "icmpecho sweep: -g 2001:db8::/64: 18446744073709551616 addresses, more than the limit of"
            + " 1048576\n",
        res.err());
    res = h.run("sweep", "-4", "-g", "2001:db8::/126");
    assertEquals(1, res.status(), res::toString);
    assertTrue(res.err().startsWith("icmpecho sweep: -g 2001:db8::/126: "), res::toString);
    // under fping's own name, fping's rule
    res = h.run("fping", "-g", "2001:db8::/126");
    assertEquals("fping: -g works only with IPv4 addresses\n", res.err(), res::toString);
    assertEquals(1, res.status());
  }

  @Test
  void pacingWindowAndScale() {
    Harness h = new Harness((r, s) -> reply(r, s, 0.05));
    long start = System.nanoTime();
    Harness.Result res = h.run("sweep", "-q", "--rate", "200", "-g", "127.0.0.1", "127.0.0.21");
    double ms = (System.nanoTime() - start) / 1e6;
    assertEquals(0, res.status(), res::toString);
    List<Long> t = h.prober.sendTimes;
    double span = (t.get(20) - t.get(0)) / 1e6;
    assertTrue(span >= 99 && span < 150, "20 gaps at 200/s took " + span + " ms");
    assertTrue(ms < 2000, "run took " + ms);

    Harness slow = new Harness((r, s) -> new Harness.Answer(reply(r, s, 30).result(), 30, 0));
    res = slow.run("sweep", "-q", "-i", "0", "--max-in-flight", "10", "-g", "127.0.1.0/24");
    assertEquals(0, res.status(), res::toString);
    assertEquals(254, slow.prober.requests.size());
    assertTrue(slow.prober.maxInFlight.get() <= 10, "in flight " + slow.prober.maxInFlight.get());
    assertEquals(10 + 64, slow.prober.options.maxInFlight());

    Harness fast = new Harness((r, s) -> new Harness.Answer(reply(r, s, 0.01).result(), 0, 0));
    start = System.nanoTime();
    res = fast.run("sweep", "-u", "-i", "0", "-g", "198.18.0.0/16");
    ms = (System.nanoTime() - start) / 1e6;
    assertEquals(0, res.status(), res::toString);
    assertEquals("", res.out());
    assertEquals(65_534, fast.prober.requests.size());
    assertTrue(ms < 30_000, "65,534 targets took " + ms + " ms");
  }

  /**
   * The sweep's thread sleeps until a batch of answers is in, never longer than the echoes in
   * flight: the answers come from several threads at once and none may be lost or leave the sweep
   * asleep (a missed wake-up would show as a stall of a second, the longest it sleeps without one).
   */
  @Test
  void answersFromSeveralThreadsWakeTheSweepInBatches() {
    Harness lone = new Harness((r, s) -> new Harness.Answer(reply(r, s, 50).result(), 50, 0));
    Harness.Result res = lone.run("sweep", "-q", "-c", "1", "-t", "5000", "127.0.0.1");
    // From the send, so that class loading in a fresh JVM does not count; a lost wake-up would take
    // over 1,000 ms.
    double ms = (System.nanoTime() - lone.prober.sendTimes.get(0)) / 1e6;
    assertEquals(0, res.status(), res::toString);
    assertTrue(
        ms < 700, "one echo answered after 50 ms ended the sweep " + ms + " ms after its send");
    long start;

    for (String window : new String[] {"1", "7", "300", "16384"}) {
      Harness many =
          new Harness(
              (r, s) -> new Harness.Answer(reply(r, s, 0.01).result(), s % 3, s % 17 == 0 ? 1 : 0),
              Map.of());
      start = System.nanoTime();
      res =
          many.run(
              "sweep", "-c", "1", "-s", "-i", "0", "--max-in-flight", window, "-g", "127.0.0.0/21");
      ms = (System.nanoTime() - start) / 1e6;
      assertEquals(0, res.status(), res::toString);
      assertEquals(2046, many.prober.requests.size(), window);
      assertTrue(many.prober.maxInFlight.get() <= Integer.parseInt(window), window);
      assertTrue(res.err().contains("2046 alive"), res::toString);
      assertTrue(ms < 20_000, "window " + window + ": 2,046 targets took " + ms + " ms");
    }
  }

  @Test
  void ctrlCEndsTheSweepWithWhatCameBack() throws Exception {
    Harness h = new Harness(SweepTest::upBelow100);
    Harness.Running run = h.start("sweep", "-c", "1000", "-p", "10", "127.0.0.1");
    while (h.prober.requests.size() < 3) Thread.sleep(5);
    h.signals.interrupt();
    assertEquals(0, run.join(), run.err()::toString);
    assertTrue(
        run.err()
            .toString()
            .matches("\n127\\.0\\.0\\.1 : xmt/rcv/%loss = \\d+/\\d+/\\d+%, min/avg/max = .*\n"),
        run.err()::toString);
  }

  @Test
  void usageAndSystemStatusesAreFpingsUnderTheSweepsName() {
    Harness h = new Harness(SweepTest::upBelow100);
    String[][] oneLine = {
      {"sweep", "-i", "5", "--rate", "10", "127.0.0.1"},
      {"-i and --rate exclude each other"},
      {"sweep", "--rate", "0", "127.0.0.1"},
      {"--rate 0: must be more than 0"},
      {"sweep", "-g", "127.0.0.0/33"},
      {"netmask must be between 1 and 32 (is: 33)"},
      {"sweep", "-g", "10.0.0.0/8"},
      {"-g parameter generates too many addresses"},
      {"sweep", "-B", "9", "127.0.0.1"},
      {"backoff factor 9.0 not valid, must be between 1.0 and 5.0"},
      {"sweep", "-b", "70000", "127.0.0.1"},
      {"data size 70000 not valid, must be lower than 65488"},
      {"sweep", "--max-in-flight", "0", "127.0.0.1"},
      {"--max-in-flight 0: must be 1..1000000"},
      {"sweep", "--sockets", "9", "127.0.0.1"},
      {"--sockets 9: must be 1..8"},
      {"sweep", "-4", "-6", "127.0.0.1"},
      {"can't specify both -4 and -6"},
    };
    for (int i = 0; i < oneLine.length; i += 2) {
      Harness.Result res = h.run(oneLine[i]);
      String what = String.join(" ", oneLine[i]) + " -> " + res;
      assertEquals(1, res.status(), what); // fping's status for invalid arguments (API-CONTRACT §3)
      assertEquals("icmpecho sweep: " + oneLine[i + 1][0] + "\n", res.err(), what);
      assertEquals("", res.out(), what);
    }
    Harness.Result res = h.run("sweep", "--nope", "127.0.0.1");
    assertEquals(1, res.status(), res::toString);
    assertEquals(
        "icmpecho sweep: invalid option -- 'nope'\nsee 'icmpecho sweep -h' for usage information\n",
        res.err());
    for (String[] args :
        new String[][] {
          {"sweep", "-c", "0", "127.0.0.1"}, {"sweep", "-c", "x", "127.0.0.1"}, {"sweep", "-g"}
        }) {
      res = h.run(args); // fping's usage, on stderr
      assertEquals(1, res.status(), res::toString);
      assertTrue(
          res.err().startsWith("Usage: icmpecho sweep [options] [targets...]\n"), res::toString);
    }
    assertTrue(h.prober.requests.isEmpty(), "nothing is sent after an argument error");
    res = h.run("sweep"); // no targets: stdin's (empty here)
    assertEquals(1, res.status(), res::toString);
    // fping's default build has no floor on -i without privileges (nor has the sweep any more)
    h.netRaw = false;
    assertEquals(0, h.run("sweep", "-i", "0.5", "127.0.0.1").status());
    assertEquals(0, h.run("sweep", "--rate", "2000", "127.0.0.1").status());
    assertEquals(0, h.run("sweep", "-i", "1", "127.0.0.1").status());
    h.netRaw = true;
    assertEquals(2, h.run("sweep", "nosuch.invalid").status());
    h.prober.openFailure = Harness.noPermission();
    res = h.run("sweep", "127.0.0.1");
    assertEquals(4, res.status(), res::toString);
    assertEquals("icmpecho sweep: " + Harness.noPermission().getMessage() + "\n", res.err());
    res = h.run("fping", "127.0.0.1");
    assertEquals(4, res.status(), res::toString);
    assertEquals("fping: can't create socket (must run as root?)\n", res.err());

    Harness help = new Harness(SweepTest::upBelow100);
    for (String flag : new String[] {"--help", "-h"}) {
      res = help.run("sweep", flag);
      assertEquals(0, res.status(), res::toString);
      String text = res.out();
      assertTrue(text.startsWith("Usage: icmpecho sweep [options] [targets...]\n"), text);
      for (String s :
          new String[] {
            "   -c, --count=N      count mode: send N pings to each target\n",
            "(ex. icmpecho sweep -g 192.168.1.0 192.168.1.255 or icmpecho sweep -g 192.168.1.0/24)",
            "   -f, --file=FILE ",
            "   -p, --period=MSEC ",
            "   -i, --interval=MSEC ",
            "   -t, --timeout=MSEC ",
            "   -r, --retry=N ",
            "   -a, --alive ",
            "   -u, --unreach ",
            "   -s, --stats ",
            "   -q, --quiet ",
            "   --json ",
            "   --rate=PPS ",
            "   --max-in-flight=N ",
            "   --sockets=N ",
            "   --netns=NAME ",
            "0 all targets alive, 1 some unreachable or invalid arguments,\n",
            "2 a name did not resolve, 4 system failure"
          }) {
        assertTrue(text.contains(s), s + " in\n" + text);
      }
    }
    // the same text through picocli's tree, and the sweep in icmpecho's command list
    assertEquals(
        help.run("sweep", "--help").out(), help.run("help", "sweep").out().replace("\r", ""));
    String usage = help.run("--help").out();
    assertTrue(usage.contains("sweep | trace"), usage);
    assertTrue(
        usage.matches("(?s).*\n  sweep +Probe many targets: the fping personality.*"), usage);
    // under fping's own name, fping's text byte for byte: no icmpecho extras
    String fping = help.run("fping", "-h").out();
    assertTrue(fping.startsWith("Usage: fping [options] [targets...]\n"), fping);
    assertTrue(!fping.contains("--json") && !fping.contains("Exit status"), fping);
    res = help.run("sweep", "-v");
    assertTrue(res.out().startsWith("icmpecho sweep: Version 5.1 (icmpecho "), res::toString);
  }

  /**
   * On a terminal, a sweep that runs for more than a second shows its progress on stderr, and
   * clears it before any other line; under fping's name, never.
   */
  @Test
  void progressLineOnATerminal() {
    Harness h = new Harness((r, s) -> new Harness.Answer(reply(r, s, 1300).result(), 1300, 0));
    h.terminal = true;
    Harness.Result res = h.run("sweep", "-t", "3000", "127.0.0.1");
    assertEquals(0, res.status(), res::toString);
    assertEquals("127.0.0.1 is alive\n", res.out(), res::toString);
    assertTrue(
        res.err().startsWith("\r1 sent, 0/1 done, 0 alive, 0 unreachable, 1 in flight\033[K"),
        res::toString);
    assertTrue(res.err().endsWith("\r\033[K"), "cleared before the alive line: " + res);
    res = h.run("fping", "-t", "3000", "127.0.0.1");
    assertEquals("", res.err(), res::toString);
    h.terminal = false;
    res = h.run("sweep", "-t", "3000", "127.0.0.1");
    assertEquals("", res.err(), res::toString);
  }

  /**
   * Running through picocli's tree (Main.commandLine) is the personality too, on the same
   * arguments.
   */
  @Test
  void throughPicocliTheArgumentsReachThePersonalityAsGiven() {
    Harness h = new Harness(SweepTest::upBelow100);
    for (String[] args :
        new String[][] {
          {"sweep", "-qC2", "-p", "10", "127.0.0.1"},
          {"sweep", "127.0.0.1", "-c", "1", "-c", "2", "-p", "10", "-q"},
          {"sweep", "127.0.0.1", "-c"},
          {"sweep", "-Z", "127.0.0.1"},
          {"sweep", "--count=1", "-q", "@nosuchfile"},
        }) {
      java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
      int status =
          Main.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(err), h.env())
              .execute(args);
      Harness.Result direct = h.run(args);
      String what = String.join(" ", args);
      assertEquals(direct.status(), status, what);
      assertEquals(
          direct.err().replaceAll("\\d\\.\\d{3}", "T"),
          err.toString().replaceAll("\\d\\.\\d{3}", "T"),
          what);
    }
  }
}
