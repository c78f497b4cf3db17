package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fping personality beside Debian's fping 5.1 (installed by {@code run-tests}), on loopback
 * only: the same command lines give the same exit status, the same stdout and the same stderr, once
 * the measured times (and the -s elapsed time, the -D stamps) are replaced by {@code N}.
 */
class FpingSideBySideTest {
  static final Path FPING = Path.of("/usr/bin/fping");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-h",
        "-v",
        "-Z",
        "--bogus",
        "-c",
        "-4 -6 127.0.0.1",
        "-H 300 127.0.0.1",
        "-a -u 127.0.0.1",
        "-c3 -l 127.0.0.1",
        "-b 65509 127.0.0.1",
        "-B 0.9 127.0.0.1",
        "-B 5.1 127.0.0.1",
        "-g 127.0.0.2/33",
        "-a -g 2001:db8:120:4161::4/64",
        "-d -n 127.0.0.1",
        "-S bla",
        "-b xxx",
        "-t xxx 127.0.0.1",
        "-g 127.0.0.1",
        "-g 1.2.3.4 1.2.3.5 1.2.3.6",
        "-f /nonexistent/file",
        "-4 ::1",
        "-6 127.0.0.1",
        "127.0.0.1",
        "127.0.0.1 ::1",
        "-a 127.0.0.1 127.0.0.2",
        "-4 -A localhost",
        "-b 1000 127.0.0.1",
        "-e 127.0.0.1",
        "-g 127.0.0.1 127.0.0.5",
        "-g 127.0.0.1/30",
        "-H 1 127.0.0.1",
        "-M 127.0.0.1",
        "-O 2 127.0.0.1",
        "-S 127.0.0.1 127.0.0.1",
        "-s 127.0.0.1",
        "-x 1 127.0.0.1",
        "-i 5 127.0.0.1 127.0.0.2 127.0.0.3",
        "-c 2 -p 20 127.0.0.1 localhost",
        "-C 2 -p 20 127.0.0.1 ::1",
        "-q -c 2 -p 20 127.0.0.1",
        "-D -c 1 127.0.0.1",
        "-q -R -c 2 -p 20 ::1",
        "--count=2 --period=20 --quiet 127.0.0.1",
        "127.0.0.1 -c1 -q",
        "-- -c1",
        "-I nosuchif0 127.0.0.1",
        "-S 10.9.9.9 127.0.0.1",
        "-I lo 127.0.0.1",
        "-n 127.0.0.1",
        "-d -A 127.0.0.1",
        "-c1 -b 0 127.0.0.1",
        "-A -m localhost",
        "-c 1 -q -x 1 127.0.0.1"
      })
  void sameAsDebianFping(String line) throws Exception {
    assertTrue(
        Files.isExecutable(FPING),
        "Debian's fping is the reference: apt-get install fping (run-tests does)");
    List<String> args = List.of(line.split(" "));
    Harness.Result theirs = debian(args);
    List<String> all = new ArrayList<>(args);
    all.addFirst("fping");
    Harness.Result ours = Harness.real(all.toArray(String[]::new));
    String why = "fping " + line + "\n=== Debian:\n" + theirs + "\n=== icmpecho:\n" + ours;
    assertEquals(theirs.status(), ours.status(), why);
    assertEquals(normal(theirs.out()), normal(ours.out()), why);
    assertEquals(normal(theirs.err()), normal(ours.err()), why);
  }

  /** Times differ from run to run: every decimal number becomes N, -s's padding with it. */
  static String normal(String s) {
    return s.replaceAll(" +\\d+\\.\\d+ sec", " N sec")
        .replaceAll("\\d+\\.\\d+(e[+-]\\d+)?", "N")
        .replaceAll("SET (min|avg|max) = \\d+", "SET $1 = N");
  }

  static Harness.Result debian(List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(args);
    cmd.addFirst("fping"); // by name, as scripts call it: fping prints its argv[0] in its messages
    Path out = Files.createTempFile("fping", ".out"), err = Files.createTempFile("fping", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("PATH", FPING.getParent() + ":/bin");
      Process p =
          pb.redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        Harness.destroyTree(p);
        throw new AssertionError("Debian's fping did not end: " + cmd);
      }
      return new Harness.Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
