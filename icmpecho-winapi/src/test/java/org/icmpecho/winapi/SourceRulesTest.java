package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Raw addresses are made and taken apart in one class only ({@code Native}). */
class SourceRulesTest {

  @Test
  void rawAddressArithmeticOnlyInNative() throws IOException {
    Path root = Path.of("src/main/java/org/icmpecho/winapi");
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (p.getFileName().toString().equals("Native.java")) continue;
        List<String> lines = Files.readAllLines(p);
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i).trim();
          if (l.startsWith("*") || l.startsWith("/**") || l.startsWith("//")) continue;
          if (l.contains("ofAddress(")
              || l.contains(".address()")
              || l.contains(".reinterpret(") && !l.contains("addr.reinterpret(")) {
            offenders.add(p + ":" + (i + 1) + ": " + l);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }
}
