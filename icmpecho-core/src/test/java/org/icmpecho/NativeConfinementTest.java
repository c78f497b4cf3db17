package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where native code may live, checked over the main sources of every module of the build: {@code
 * java.lang.foreign} only in the allowed places, and the Linux layer and the transport seam know
 * nothing of the public API (the engine translates between them).
 */
class NativeConfinementTest {
  /**
   * Folders (every file directly inside) and single files that may use {@code java.lang.foreign}.
   */
  private static final List<String> FOREIGN_ALLOWED =
      List.of(
          "icmpecho-core/src/main/java/org/icmpecho/internal/linux/",
          // The Windows ICMP Helper API rendered over native memory: the layer is its structs and
          // calls.
          "icmpecho-winapi/src/main/java/org/icmpecho/winapi/",
          "icmpecho-winapi/src/main/java/org/icmpecho/winapi/example/IcmpSendEchoSample.java",
          // The test lab's raw-socket responder and its system calls.
          "icmpecho-testkit/src/main/java/org/icmpecho/testkit/ScriptedResponder.java",
          "icmpecho-testkit/src/main/java/org/icmpecho/testkit/internal/Sys.java");

  /**
   * A use of a type of the public package {@code org.icmpecho} or of the engine's package {@code
   * org.icmpecho.internal} (not of their subpackages): the layers below the engine know neither.
   */
  private static final Pattern ABOVE = Pattern.compile("\\borg\\.icmpecho\\.(internal\\.)?[A-Z]");

  private static Path root() {
    Path here = Path.of("").toAbsolutePath();
    // Surefire runs in the module's folder; the build's root holds every module.
    return Files.exists(here.resolve("icmpecho-core")) ? here : here.getParent();
  }

  private static List<Path> mainSources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root, 1)) {
      List<Path> modules =
          files.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList();
      Set<String> names = new TreeSet<>();
      for (Path m : modules) names.add(m.getFileName().toString());
      assertTrue(
          names.containsAll(
              Set.of(
                  "icmpecho-core",
                  "icmpecho-winapi",
                  "icmpecho-cli",
                  "icmpecho-testkit",
                  "icmpecho-bench")),
          "modules found under " + root + ": " + names);
      return modules.stream().flatMap(m -> walk(m.resolve("src/main/java"))).toList();
    }
  }

  private static Stream<Path> walk(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean allowed(String rel) {
    for (String a : FOREIGN_ALLOWED) {
      if (a.endsWith("/") ? rel.startsWith(a) && rel.indexOf('/', a.length()) < 0 : rel.equals(a))
        return true;
    }
    return false;
  }

  @Test
  void onlyTheAllowedPlacesOfAnyModuleUseJavaLangForeign() throws IOException {
    Path root = root();
    List<String> offenders =
        mainSources(root).stream()
            .map(p -> root.relativize(p).toString().replace('\\', '/'))
            .filter(rel -> !allowed(rel))
            .filter(rel -> read(root.resolve(rel)).contains("java.lang.foreign"))
            .toList();
    assertEquals(List.of(), offenders);
  }

  @Test
  void theLinuxLayerAndTheTransportSeamUseNothingOfThePublicApiNorOfTheEngine() throws IOException {
    Path root = root();
    Path internal = root.resolve("icmpecho-core/src/main/java/org/icmpecho/internal");
    List<Path> sources =
        Stream.concat(walk(internal.resolve("linux")), walk(internal.resolve("transport")))
            .toList();
    assertTrue(sources.size() > 10, "sources read: " + sources);
    List<String> offenders =
        sources.stream()
            .filter(p -> ABOVE.matcher(read(p)).find())
            .map(p -> root.relativize(p).toString())
            .toList();
    assertEquals(List.of(), offenders);
  }
}
