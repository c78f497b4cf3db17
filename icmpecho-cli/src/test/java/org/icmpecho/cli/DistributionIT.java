package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary distribution (the tarball {@code package} builds) works where only a JDK is: unpacked
 * into a temporary folder outside the source tree, with a home of its own (no {@code ~/.m2}) and a
 * {@code mvn} on the PATH that fails the test if anything calls it, its launcher pings loopback.
 * Run by failsafe after {@code package}.
 */
class DistributionIT {
  private static final String JAVA_HOME = System.getProperty("java.home");

  @Test
  void unpackedTarballPingsLoopbackWithOnlyAJdk(@TempDir Path tmp) throws Exception {
    Path tarball = Path.of(System.getProperty("icmpecho.dist"));
    assertTrue(Files.isRegularFile(tarball), "no distribution at " + tarball);
    assertEquals(
        0,
        run(tmp, List.of("tar", "-xzf", tarball.toString(), "-C", tmp.toString()), Map.of())
            .status);
    Path dist;
    try (var entries = Files.list(tmp)) {
      dist =
          entries
              .filter(p -> p.getFileName().toString().startsWith("icmpecho-"))
              .findFirst()
              .orElseThrow();
    }
    for (String f :
        List.of(
            "bin/icmpecho",
            "lib/jdk.sh",
            "completion/icmpecho.bash",
            "LICENSE",
            "NOTICE",
            "THIRD-PARTY-NOTICES",
            "README.md")) {
      assertTrue(Files.isRegularFile(dist.resolve(f)), "missing from the distribution: " + f);
    }
    assertTrue(Files.isExecutable(dist.resolve("bin/icmpecho")));
    // Every bundled jar is icmpecho's own or named in the third-party notices (a new dependency
    // needs its notice).
    String notices = Files.readString(dist.resolve("THIRD-PARTY-NOTICES"));
    try (var jars = Files.list(dist.resolve("lib"))) {
      List<String> names =
          jars.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".jar"))
              .sorted()
              .toList();
      assertTrue(
          names.stream().anyMatch(n -> n.startsWith("icmpecho-cli-"))
              && names.stream().anyMatch(n -> n.startsWith("icmpecho-core-")),
          names.toString());
      for (String n : names) {
        String stem = n.replaceAll("-[0-9][^-]*(-SNAPSHOT)?\\.jar$", "");
        assertTrue(
            n.startsWith("icmpecho-")
                || notices.contains("lib/" + stem + "-*.jar")
                || (stem.startsWith("prometheus-metrics-")
                    && notices.contains("lib/prometheus-metrics-*.jar")),
            n + " is not in THIRD-PARTY-NOTICES");
      }
    }
    String completion = Files.readString(dist.resolve("completion/icmpecho.bash"));
    assertTrue(completion.contains("complete -F") && completion.contains("sweep"), completion);

    Path fakeBin = Files.createDirectories(tmp.resolve("fake-bin"));
    Path marker = tmp.resolve("mvn-was-called");
    Path mvn = fakeBin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\ntouch '" + marker + "'\nexit 99\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env =
        Map.of(
            "PATH",
            fakeBin + ":/usr/bin:/bin",
            "HOME",
            Files.createDirectories(tmp.resolve("home")).toString(),
            "JAVA_HOME",
            JAVA_HOME);
    // Twice: the first run writes the class-data archive into the home's cache, the second maps it.
    for (int round = 1; round <= 2; round++) {
      Result r =
          run(
              tmp,
              List.of(dist.resolve("bin/icmpecho").toString(), "ping", "-c", "1", "127.0.0.1"),
              env);
      assertEquals(0, r.status, "round " + round + ": " + r);
      assertTrue(r.out.contains("1 packets transmitted, 1 received"), r.toString());
      assertEquals("", r.err, "round " + round + ": stderr");
    }
    Result version = run(tmp, List.of(dist.resolve("bin/icmpecho").toString(), "--version"), env);
    assertEquals(0, version.status, version.toString());
    assertTrue(
        version.out.contains(dist.getFileName().toString().substring("icmpecho-".length())),
        version.out);
    assertFalse(Files.exists(marker), "the distribution called mvn");
  }

  private record Result(int status, String out, String err) {}

  private static Result run(Path dir, List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    if (!env.isEmpty()) {
      pb.environment().clear();
      pb.environment().putAll(env);
    }
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      Harness.destroyTree(p);
      throw new AssertionError("timed out: " + command);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
