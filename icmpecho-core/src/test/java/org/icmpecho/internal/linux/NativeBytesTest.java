package org.icmpecho.internal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The heap reads of native integers agree with the FFM API's native-order reads, at every offset.
 */
class NativeBytesTest {

  @Test
  void agreesWithNativeOrderSegmentReads() {
    byte[] b = new byte[64];
    for (int i = 0; i < b.length; i++)
      b[i] = (byte) (i * 37 + 0x80); // every byte has its sign bit in places
    MemorySegment s = MemorySegment.ofArray(b);
    for (int off = 0; off + 8 <= b.length; off++) {
      assertEquals(
          s.get(ValueLayout.JAVA_SHORT_UNALIGNED, off),
          NativeBytes.getShort(b, off),
          "short at " + off);
      assertEquals(
          s.get(ValueLayout.JAVA_INT_UNALIGNED, off), NativeBytes.getInt(b, off), "int at " + off);
      assertEquals(
          s.get(ValueLayout.JAVA_LONG_UNALIGNED, off),
          NativeBytes.getLong(b, off),
          "long at " + off);
    }
    MemorySegment w = MemorySegment.ofArray(new byte[16]);
    w.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 1_763_000_000L); // a timestamp's seconds
    w.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, -1L);
    byte[] wb = w.toArray(ValueLayout.JAVA_BYTE);
    assertEquals(1_763_000_000L, NativeBytes.getLong(wb, 0));
    assertEquals(-1L, NativeBytes.getLong(wb, 8));
    assertEquals(-1, NativeBytes.getInt(wb, 12));
  }
}
