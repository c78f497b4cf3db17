package org.icmpecho.internal.linux;

import java.nio.ByteOrder;

/**
 * Reads C integers (in the machine's byte order) from a heap copy of native memory. Plain array
 * reads: the hot receive path parses control messages this way (see {@code ControlMessages#read}).
 */
final class NativeBytes {
  private NativeBytes() {}

  private static final boolean BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  static short getShort(byte[] b, int off) {
    short v = (short) ((b[off] & 0xff) | (b[off + 1] & 0xff) << 8);
    return BIG ? Short.reverseBytes(v) : v;
  }

  static int getInt(byte[] b, int off) {
    int v = littleInt(b, off);
    return BIG ? Integer.reverseBytes(v) : v;
  }

  static long getLong(byte[] b, int off) {
    long v = (littleInt(b, off) & 0xffff_ffffL) | (long) littleInt(b, off + 4) << 32;
    return BIG ? Long.reverseBytes(v) : v;
  }

  private static int littleInt(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }
}
