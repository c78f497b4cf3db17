package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.leakguard.LeakGuard;

/**
 * Fuzz targets for {@code sweep}'s target parsing (Jazzer; regression mode in the normal run,
 * {@code bench/fuzz} for long runs): {@code -g} blocks and ranges, and {@code -f} files. A bad
 * value is one {@link IllegalArgumentException} with a one-line message, never another exception;
 * what is generated lies inside what was asked for.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "Jazzer allocates its coverage counters once per JVM (about 260 KB), at the first fuzz test")
class TargetsFuzzTest {
  /**
   * Stops a generation after a few addresses: a /8 is valid but would make one run take seconds.
   */
  private static final class Enough extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Enough() {
      super(null, null, false, false);
    }
  }

  @FuzzTest
  void generate(FuzzedDataProvider d) {
    Resolver.Family family = d.pickValue(Resolver.Family.values());
    List<String> values = new ArrayList<>();
    int n = d.consumeInt(1, 3);
    for (int i = 0; i < n; i++) values.add(d.consumeString(60));
    List<InetAddress> got = new ArrayList<>();
    try {
      Targets.generate(
          values,
          family,
          a -> {
            got.add(a);
            if (got.size() >= 300) throw new Enough();
          });
    } catch (Enough e) {
      // enough seen
    } catch (IllegalArgumentException e) {
      boolean multiLineInput = values.stream().anyMatch(v -> v.contains("\n") || v.contains("\r"));
      assertTrue(
          e.getMessage() != null && (multiLineInput || !e.getMessage().contains("\n")),
          "one line: " + e.getMessage());
      assertTrue(
          e.getMessage().startsWith("-g ") || e.getMessage().startsWith("more than"),
          e.getMessage());
      return;
    }
    for (InetAddress a : got) assertTrue(family.accepts(a), a + " not of " + family);
    if (values.size() == 1 && values.get(0).contains("/") && !got.isEmpty()) {
      String v = values.get(0);
      InetAddress base = InetAddress.ofLiteral(v.substring(0, v.indexOf('/')));
      int bits = base instanceof Inet4Address ? 32 : 128;
      int prefix = Integer.parseInt(v.substring(v.indexOf('/') + 1));
      BigInteger net = new BigInteger(1, base.getAddress()).shiftRight(bits - prefix);
      for (InetAddress a : got) {
        assertEquals(
            net, new BigInteger(1, a.getAddress()).shiftRight(bits - prefix), a + " outside " + v);
      }
      for (int i = 1; i < got.size(); i++) {
        assertTrue(
            new BigInteger(1, got.get(i - 1).getAddress())
                    .compareTo(new BigInteger(1, got.get(i).getAddress()))
                < 0,
            "ascending, no repeats");
      }
    }
  }

  @FuzzTest
  void readFile(byte[] file) throws IOException {
    List<String> words = Targets.read("-", new ByteArrayInputStream(file));
    int lines = 1;
    for (byte b : file) if (b == '\n') lines++;
    assertTrue(words.size() <= lines, words.size() + " targets from " + lines + " lines");
    for (String w : words) {
      assertFalse(w.isEmpty());
      assertFalse(w.startsWith("#"), w);
      assertTrue(
          w.chars().noneMatch(c -> c == 0 || c == ' ' || (c >= '\t' && c <= '\r')),
          "white space in " + w);
      assertTrue(w.length() <= 1024, "one word is at most 1024 bytes");
    }
  }
}
