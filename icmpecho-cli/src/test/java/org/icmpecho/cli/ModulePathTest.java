package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The modules as modules: the CLI, core and picocli on the module path, with native access granted
 * to org.icmpecho.core only. The launcher uses the class path (for the JVM's start-up archives);
 * this proves the JPMS descriptors resolve, that the CLI needs nothing but core's exported package,
 * and that the engine runs there.
 */
class ModulePathTest {
  @Test
  void cliRunsOnTheModulePath() throws Exception {
    List<String> modulePath = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(e);
      boolean cliClasses =
          p.endsWith(Path.of("classes"))
              && p.getParent() != null
              && p.getParent().getParent() != null
              && p.getParent().getParent().getFileName().toString().equals("icmpecho-cli");
      boolean core = e.contains("icmpecho-core") && !e.contains("test-classes");
      boolean picocli = p.getFileName().toString().startsWith("picocli");
      if ((cliClasses || core || picocli) && Files.exists(p)) modulePath.add(e);
    }
    assertEquals(
        3,
        modulePath.size(),
        "cli classes, core and picocli on the test class path: " + modulePath);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process proc =
        new ProcessBuilder(
                java,
                "--enable-native-access=org.icmpecho.core",
                "-Xlog:disable",
                "--module-path",
                String.join(File.pathSeparator, modulePath),
                "-m",
                "org.icmpecho.cli/org.icmpecho.cli.Main",
                "ping",
                "-c",
                "1",
                "127.0.0.1")
            .redirectErrorStream(true)
            .start();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "timed out");
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, proc.exitValue(), out);
    assertTrue(out.contains("64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time="), out);
    assertTrue(out.contains("1 packets transmitted, 1 received, 0% packet loss"), out);
  }
}
