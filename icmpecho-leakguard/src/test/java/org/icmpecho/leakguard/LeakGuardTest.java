package org.icmpecho.leakguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard sees what a class leaves behind, and nothing it does not. */
class LeakGuardTest {

  @Test
  void aLiveIcmpechoThreadASocketAFileAndNativeMemoryAreLeaks(@TempDir Path dir) throws Exception {
    LeakGuard.Snapshot before = LeakGuard.Snapshot.take();
    CountDownLatch stop = new CountDownLatch(1);
    Thread t =
        Thread.ofPlatform()
            .name("icmpecho-io-test")
            .start(
                () -> {
                  try {
                    stop.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Thread other = Thread.ofPlatform().name("someone-else").start(() -> {});
    Path f = Files.writeString(dir.resolve("x"), "x");
    String real = f.toRealPath().toString();
    try (DatagramChannel socket = DatagramChannel.open();
        FileInputStream in = new FileInputStream(f.toFile());
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
      arena.allocate(1 << 20);
      List<String> leaks = LeakGuard.leaks(before, LeakGuard.Snapshot.take(), null);
      assertTrue(leaks.contains("thread icmpecho-io-test"), leaks::toString);
      assertTrue(leaks.contains("1 file descriptor(s) socket"), leaks::toString);
      assertTrue(
          leaks.stream().anyMatch(l -> l.endsWith("file descriptor(s) " + real)), leaks::toString);
      if (LeakGuard.nativeBytes()
          > 0) { // with -XX:NativeMemoryTracking=summary, as the build runs tests
        assertTrue(
            leaks.stream().anyMatch(l -> l.contains("bytes of native memory")), leaks::toString);
      }
      assertTrue(leaks.stream().noneMatch(l -> l.contains("someone-else")), leaks::toString);
    } finally {
      stop.countDown();
      t.join();
      other.join();
    }
    assertEquals(List.of(), LeakGuard.leaks(before, LeakGuard.Snapshot.take(), null), "all gone");
  }
}
