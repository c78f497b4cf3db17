package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.icmpecho.leakguard.LeakGuard;

/**
 * Fuzz targets for the exporter's configuration (Jazzer; regression mode in the normal run, {@code
 * bench/fuzz} for long runs): a YAML file of either tool, and Go durations. A bad file is a {@link
 * ConfigException} with a message; nothing else may escape (a YAML library exception, a cast, a
 * null).
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "Jazzer allocates its coverage counters once per JVM (about 260 KB), at the first fuzz test")
class ExporterConfigFuzzTest {

  /** The file's bytes as UTF-8 (seeds: the two tools' own example files, and both in one). */
  @FuzzTest
  void configFile(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    // files: reads target files named by the config; a fuzzer naming any path is not what this
    // target is about.
    if (text.contains("files")) return;
    try {
      assertNotNull(ConfigParser.parse(text, "fuzz.yml"));
    } catch (ConfigException e) {
      assertNotNull(e.getMessage());
    }
  }

  @FuzzTest
  void goDuration(String text) {
    if (text == null) return;
    Duration d;
    try {
      d = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertEquals(d, GoDuration.parse(GoDuration.format(d)), "format then parse of " + text);
  }
}
