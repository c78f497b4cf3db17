package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The links {@code icmpecho install-links DIR} makes, run as processes: {@code fping} and {@code
 * ping} are the personalities; as fping the launcher is named fping (what {@code pkill fping} looks
 * for), prints its interval counts on a real SIGQUIT and its summary on SIGINT. Loopback only;
 * signals go to the process by its id.
 */
class LinksTest {
  static Path links;

  @BeforeAll
  static void install() throws Exception {
    LauncherTest.build();
    links = Files.createTempDirectory("icmpecho-links");
    LauncherTest.Run r = LauncherTest.run(120, "install-links", links.toString());
    assertEquals(0, r.status(), r.err());
    for (String name : Links.NAMES) assertTrue(Files.isSymbolicLink(links.resolve(name)), r.out());
  }

  static LauncherTest.Run run(String tool, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(links.resolve(tool).toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("links", ".out"), err = Files.createTempFile("links", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ended");
      return new LauncherTest.Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void linksAreThePersonalities() throws Exception {
    LauncherTest.Run r = run("fping", "-4", "-6", "127.0.0.1");
    assertEquals(1, r.status());
    assertEquals("fping: can't specify both -4 and -6\n", r.err());
    r = run("fping", "-c", "1", "-q", "127.0.0.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.err()
            .matches(
                "127\\.0\\.0\\.1 : xmt/rcv/%loss = 1/1/0%, min/avg/max = [\\d.]+/[\\d.]+/[\\d.]+\n"),
        r.err());
    r = run("ping");
    assertEquals(2, r.status());
    assertEquals("ping: usage error: Destination address required\n", r.err());
    r = run("ping", "-c", "1", "127.0.0.1");
    assertEquals(0, r.status(), r.err());
    assertTrue(
        r.out()
            .startsWith(
                "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.\n64 bytes from 127.0.0.1: icmp_seq=1"),
        r.out());
  }

  /**
   * fping catches SIGINT and SIGQUIT however it was started; a JVM cannot catch a signal ignored
   * when it started, nor bash trap one ignored at its entry (a script's {@code cmd &}, some CI
   * runners), so the launcher must start from both dispositions alike.
   */
  @ParameterizedTest
  @ValueSource(strings = {"--default-signal=INT,QUIT", "--ignore-signal=INT,QUIT"})
  void fpingLoopAnswersSigquitAndSigint(String entrySignals) throws Exception {
    // env execs the launcher: the process's id stays the one signalled
    Harness.checkFpingLoopSignals(
        new ProcessBuilder(
            "env", entrySignals, links.resolve("fping").toString(), "-l", "-p", "100", "127.0.0.1"),
        p -> {
          try {
            assertEquals(
                "fping",
                Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip(),
                "the process name");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
