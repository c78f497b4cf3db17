package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** java.lang.foreign stays in org.icmpecho.internal.linux: every other core source is plain Java. */
class NativeConfinementTest {
  @Test
  void onlyTheLinuxPackageImportsJavaLangForeign() throws IOException {
    Path src = Path.of("src/main/java");
    List<String> offenders;
    try (Stream<Path> files = Files.walk(src)) {
      offenders = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.startsWith(src.resolve("org/icmpecho/internal/linux")))
          .filter(p -> {
            try {
              return Files.readString(p).contains("java.lang.foreign");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(Path::toString)
          .toList();
    }
    assertEquals(List.of(), offenders);
  }
}
