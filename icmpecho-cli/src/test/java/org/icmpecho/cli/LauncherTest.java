package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through {@code ./icmpecho} at the repository root, as users run it: the module path, the real
 * process exit status, and Ctrl-C as a real SIGINT. The launcher builds the project on first use.
 * Loopback only.
 */
class LauncherTest {
  static Path root;

  record Run(int status, String out, String err) {}

  /**
   * The launcher itself keeps stdout clean of JVM log lines (they go to stderr, start-up archive
   * chatter is off), so what these tests read is the CLI's own output.
   */
  static ProcessBuilder launcher(List<String> cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    return pb;
  }

  @BeforeAll
  static void build() throws Exception {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isExecutable(p.resolve("icmpecho"))) p = p.getParent();
    if (p == null) fail("no ./icmpecho launcher above " + Path.of("").toAbsolutePath());
    root = p;
    Run v = run(600, "--version"); // builds when needed
    assertEquals(0, v.status(), "the launcher could not build or start the CLI:\n" + v.err());
  }

  static Run run(int timeoutSeconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("icmpecho").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("icmpecho-out", ".txt"),
        err = Files.createTempFile("icmpecho-err", ".txt");
    try {
      Process p =
          launcher(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        Harness.destroyTree(p);
        fail("icmpecho " + String.join(" ", args) + " did not end in " + timeoutSeconds + " s");
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void withoutAJdk22TheLauncherAndTheTestCommandSayWhatToInstallInOneLine() throws Exception {
    for (String script : List.of("icmpecho", "run-tests")) {
      ProcessBuilder pb =
          new ProcessBuilder(root.resolve(script).toString(), "ping", "-c", "1", "127.0.0.1")
              .directory(root.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // Nothing where the launcher looks for a JDK (ICMPECHO_JDK_SEARCH replaces the usual places).
      pb.environment().put("ICMPECHO_JDK_SEARCH", "/nonexistent-jdk");
      pb.environment().remove("JAVA_HOME");
      pb.environment().remove("ICMPECHO_JAVA_HOME"); // ./run-tests exports the JDK it found
      Process p = pb.start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        Harness.destroyTree(p);
        fail(script + " did not stop within 30 s");
      }
      String err = new String(p.getErrorStream().readAllBytes());
      String out = new String(p.getInputStream().readAllBytes());
      assertEquals(2, p.exitValue(), script + ": " + err);
      assertEquals("", out, script);
      assertEquals(1, err.lines().count(), script + ": " + err);
      assertTrue(err.startsWith("icmpecho: no JDK >= 22 found"), err);
      assertTrue(err.contains("set JAVA_HOME"), err);
    }
  }

  @Test
  void exitStatusesOfTheRealProcess() throws Exception {
    Run r = run(60, "ping", "-c", "2", "-i", "0.05", "127.0.0.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.out()
            .startsWith(
                "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes from 127.0.0.1: icmp_seq=1 "),
        r.out());
    r = run(60, "ping", "-c", "1", "-t", "0", "127.0.0.1");
    assertEquals(2, r.status());
    assertEquals("ping: cannot set unicast time-to-live: Invalid argument\n", r.err());
    r = run(60, "ping", "-c", "1", "no such host");
    assertEquals(2, r.status());
    assertEquals(
        "ping: no such host: Name or service not known\nTry 'icmpecho ping --help' for more information.\n",
        r.err());
    r = run(60, "ping", "-c", "1", "-I", "198.18.255.254", "127.0.0.1");
    assertEquals(2, r.status());
    assertTrue(
        r.err().startsWith("ping: -I 198.18.255.254: Cannot assign requested address"), r.err());
    r = run(60, "sweep", "-a", "-g", "127.0.0.0/30"); // fping's -g: a block, or a range
    assertEquals(0, r.status(), r.err());
    assertEquals(
        List.of("127.0.0.1", "127.0.0.2"), r.out().lines().sorted().toList()); // in order of answer
    r = run(60, "sweep", "-a", "127.0.0.1", "::1");
    assertEquals(0, r.status(), r.err());
    assertEquals(List.of("127.0.0.1", "::1"), r.out().lines().sorted().toList());
    r = run(60, "sweep", "-g", "bad/99");
    assertEquals(1, r.status(), r.err());
    r = run(60, "sweep", "bad_name!");
    assertEquals(2, r.status(), r.err());
    assertEquals("bad_name!: Name or service not known\n", r.err());
    r = run(60, "trace", "-n", "-q", "1", "127.0.0.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.out()
            .matches(
                "traceroute to 127\\.0\\.0\\.1 \\(127\\.0\\.0\\.1\\), 30 hops max, 60 byte packets\n"
                    + " 1  127\\.0\\.0\\.1  [\\d.]+ ms\n"),
        r.out());
    r = run(60, "trace", "-m", "0", "127.0.0.1");
    assertEquals(2, r.status());
    r = run(60, "ping", "--json", "-c", "1", "::1");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.out()
            .startsWith(
                "{\"type\":\"reply\",\"target\":\"::1\",\"from\":\"::1\",\"seq\":1,\"status\":\"IP_SUCCESS\""),
        r.out());
    r = run(60, "generate-completion");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("complete -F"), r.out());
  }

  /**
   * Runs {@code script} with bash in the repository root ({@code ./icmpecho} is the launcher); the
   * script's own last line prints the status it wants checked. All the scripts start at once and
   * are waited for, each bounded.
   */
  static List<Run> shell(int timeoutSeconds, String... scripts) throws Exception {
    List<Process> ps = new ArrayList<>();
    for (String script : scripts) {
      ps.add(
          launcher(List.of("bash", "-c", script))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start());
    }
    List<Run> runs = new ArrayList<>();
    try {
      for (int i = 0; i < ps.size(); i++) {
        Process p = ps.get(i);
        // Read both streams while waiting (each is small): a full pipe must not stall the child.
        var out =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        var err =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS))
          fail("did not end within " + timeoutSeconds + " s: " + scripts[i]);
        runs.add(
            new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS)));
      }
    } finally {
      for (Process p : ps) Harness.destroyTree(p);
    }
    return runs;
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aClosedOrFullStdoutEndsTheRunAsTheCToolsDo() throws Exception {
    String status = "; echo \"status ${PIPESTATUS[0]}\" >&2";
    List<Run> r =
        shell(
            60,
            "./icmpecho ping -i 0.2 127.0.0.1 | head -1" + status,
            "./icmpecho ping --json -i 0.2 127.0.0.1 | head -1" + status,
            "./icmpecho sweep -c 100000 -p 10 127.0.0.1 | head -1" + status,
            "./icmpecho ping -i 0.2 127.0.0.1 >/dev/full" + status,
            "./icmpecho sweep -c 1 127.0.0.1 >/dev/full" + status,
            "./icmpecho fping -c 100000 -p 20 127.0.0.1 | head -1" + status);
    // Closed pipe: the first line, then a silent end as by SIGPIPE (141).
    assertEquals(
        new Run(0, "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n", "status 141\n"), r.get(0));
    assertTrue(
        r.get(1).out().startsWith("{\"type\":\"reply\",\"target\":\"127.0.0.1\""),
        r.get(1)::toString);
    assertEquals("status 141\n", r.get(1).err());
    assertTrue(r.get(2).out().startsWith("127.0.0.1 : [0], 64 bytes, "), r.get(2)::toString);
    assertEquals("status 141\n", r.get(2).err());
    // Full device: one line saying so, and the command's failure status, endless run or not.
    assertEquals("ping: write error: No space left on device\nstatus 2\n", r.get(3).err());
    assertEquals(
        "icmpecho sweep: write error: No space left on device\nstatus 4\n", r.get(4).err());
    assertTrue(
        r.get(5).out().startsWith("127.0.0.1 : [0], 64 bytes, "),
        r.get(5)::toString); // the fping personality
    assertEquals("status 141\n", r.get(5).err());
  }

  @Test
  void aMissingNamespaceIsOneLineWithTheRealCause() throws Exception {
    String ns = "ie-missing-" + ProcessHandle.current().pid();
    String cause =
        "cannot open network namespace /var/run/netns/"
            + ns
            + ": No such file or directory (create it with 'ip netns add')\n";
    String status = "; echo \"status $?\" >&2";
    List<Run> r =
        shell(
            60,
            "./icmpecho ping -c 1 --netns " + ns + " 127.0.0.1" + status,
            "./icmpecho sweep --netns " + ns + " 127.0.0.1" + status,
            "./icmpecho trace --netns " + ns + " 127.0.0.1" + status);
    // No log record from the library on top of the error it throws (it was a SEVERE record with a
    // stack trace).
    assertEquals("ping: " + cause + "status 2\n", r.get(0).err());
    assertEquals("icmpecho sweep: " + cause + "status 4\n", r.get(1).err());
    assertEquals("icmpecho trace: " + cause + "status 2\n", r.get(2).err());
  }

  @Test
  void ctrlCPrintsTheStatisticsAndExitsZero() throws Exception {
    Process p =
        launcher(List.of(root.resolve("icmpecho").toString(), "ping", "-i", "0.2", "127.0.0.1"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder all = new StringBuilder();
      int replies = 0;
      String line;
      while (replies < 2 && (line = r.readLine()) != null) {
        all.append(line).append('\n');
        if (line.startsWith("64 bytes from 127.0.0.1: icmp_seq=")) replies++;
      }
      assertEquals(2, replies, all::toString);
      // The launcher execs java: the process's pid is the JVM's.
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "ping did not end on SIGINT");
      while ((line = r.readLine()) != null) all.append(line).append('\n');
      assertEquals(0, p.exitValue(), all::toString);
      assertTrue(
          all.toString()
              .matches(
                  "(?s).*\n--- 127\\.0\\.0\\.1 ping statistics ---\n\\d+ packets transmitted, \\d+ received, "
                      + "[\\d.]+% packet loss, time \\d+ms\nrtt min/avg/max/mdev = [\\d.]+/[\\d.]+/[\\d.]+/[\\d.]+ ms\n"),
          all::toString);
    } finally {
      Harness.destroyTree(p);
    }
  }

  /**
   * {@code icmpecho sweep} is the fping personality under its own name (API-CONTRACT §3.1): as for
   * the fping link (LinksTest), a real SIGQUIT prints the interval counts and the loop goes on,
   * where a JVM run directly would print HotSpot's thread dump; SIGINT then ends it with the
   * totals.
   */
  @Test
  void sweepAnswersSigquitWithItsIntervalCounts() throws Exception {
    Harness.checkFpingLoopSignals(
        launcher(
            List.of(root.resolve("icmpecho").toString(), "sweep", "-l", "-p", "100", "127.0.0.1")),
        p -> {});
  }

  /**
   * ICMPECHO_TIMELINE=1: stderr ends with the phases of the run in the order they happened, from
   * the launcher's exec to exit; stdout is the command's own.
   */
  @Test
  void timelineOnRequest() throws Exception {
    ProcessBuilder pb =
        launcher(List.of(root.resolve("icmpecho").toString(), "ping", "-c", "1", "127.0.0.1"))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("ICMPECHO_TIMELINE", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertTrue(out.startsWith("PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n"), out);
    assertTrue(err.startsWith("icmpecho timeline: ms since the launcher's first line"), err);
    List<String> phases = new ArrayList<>();
    double before = 0;
    for (String line : err.lines().skip(1).toList()) {
      String[] f = line.trim().split(" +", 5);
      assertEquals("timeline", f[0], line);
      double at = Double.parseDouble(f[1]);
      assertTrue(at >= before, err);
      before = at;
      assertTrue(f[3].equals("-") || Double.parseDouble(f[3]) > 0, line); // CPU ms so far
      phases.add(f[4]);
    }
    for (String phase :
        List.of(
            "java started (launcher's exec)",
            "main entered",
            "command line built",
            "arguments parsed",
            "target resolved",
            "socket open",
            "summary written",
            "exit")) {
      assertTrue(phases.contains(phase), phase + " in " + phases);
    }
    assertEquals("exit", phases.get(phases.size() - 1), err);
    assertTrue(
        phases.indexOf("main entered") < phases.indexOf("arguments parsed")
            && phases.indexOf("arguments parsed") < phases.indexOf("socket open")
            && phases.indexOf("socket open") < phases.indexOf("summary written"),
        err);
  }
}
