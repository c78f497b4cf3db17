package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The C calls through {@link Native#downcall}'s single shape (six 64-bit words in, one out):
 * negative {@code int} arguments and results keep their sign, errno is captured, pointers reach C,
 * and a heap segment is refused in Java (an AssertionError: it is an engine bug) instead of being
 * passed to C as a bogus address. No packet is sent.
 */
class LibCTest {
  @Test
  void intResultsAndNegativeIntArgumentsKeepTheirSign() {
    assertEquals(
        -1,
        LibC.close(-1)); // fd -1 widened to 64 bits, read back by C as the int -1: EBADF, result -1
    try (Arena a = Arena.ofConfined()) {
      MemorySegment errno = Native.allocateErrno(a);
      assertEquals(-1, LibC.epollCtl(errno, -1, 1, -1, a.allocate(16)));
      assertEquals(Errno.EBADF.number(), Native.errno(errno));
      assertEquals(-1L, LibC.sendto(errno, -1, a.allocate(8), 8, 0, MemorySegment.NULL, 0));
      assertEquals(Errno.EBADF.number(), Native.errno(errno));
    }
  }

  @Test
  void pointersReachCAndUnusedWordsAreIgnored() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ts = a.allocate(Layouts.TIMESPEC);
      assertEquals(0, LibC.clockGettime(Sys.CLOCK_MONOTONIC, ts));
      assertTrue(
          ts.get(JAVA_LONG, 0) > 0 || ts.get(JAVA_LONG, 8) > 0, "the kernel wrote the timespec");
      MemorySegment errno = Native.allocateErrno(a);
      int fd = LibC.eventfd(errno, 0, 0);
      assertTrue(fd >= 0, "eventfd: errno " + Native.errno(errno));
      try {
        MemorySegment v = a.allocate(JAVA_LONG);
        v.set(JAVA_LONG, 0, 7);
        assertEquals(8, LibC.write(fd, v, 8));
        MemorySegment r = a.allocate(JAVA_LONG);
        assertEquals(8, LibC.read(fd, r, 8));
        assertEquals(7, r.get(JAVA_LONG, 0));
      } finally {
        LibC.close(fd);
      }
    }
  }

  @Test
  void aHeapSegmentIsRefusedBeforeTheCall() {
    // A heap segment has no address C could use: passing one is an engine bug, reported, never a
    // wild pointer.
    MemorySegment heap = MemorySegment.ofArray(new byte[8]);
    AssertionError e = assertThrows(AssertionError.class, () -> LibC.write(-1, heap, 8));
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    try (Arena a = Arena.ofConfined()) {
      MemorySegment errno = Native.allocateErrno(a);
      e =
          assertThrows(
              AssertionError.class,
              () -> LibC.getsockopt(errno, -1, 0, 0, heap, a.allocate(JAVA_INT)));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }
  }
}
