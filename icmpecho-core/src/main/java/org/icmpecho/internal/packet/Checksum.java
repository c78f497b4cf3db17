package org.icmpecho.internal.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of the
 * message taken as big-endian 16-bit words, an odd last byte being padded on the right with a zero
 * byte. ICMP (RFC 792) and the IPv4 header (RFC 791) use it; ICMPv6 (RFC 4443 section 2.3) adds a
 * pseudo-header that only the kernel can build, so this class is used for ICMPv4 only.
 *
 * <p>Stateless and safe for concurrent use; allocates nothing.
 *
 * <pre>{@code
 * int c = Checksum.compute(msg, 0, len);   // with the checksum field zeroed
 * msg[2] = (byte) (c >>> 8);
 * msg[3] = (byte) c;
 * assert Checksum.verify(msg, 0, len);
 * }</pre>
 */
public final class Checksum {
  /*
   * RFC 1071 section 2 (B): the sum may be taken over wider words and folded afterwards, because 2^16 is 1
   * modulo 2^16 - 1. Adding 32-bit big-endian words into a long halves the loop count and cannot overflow:
   * a Java array holds at most 2^29 such words of at most 2^32 - 1 each, below 2^61.
   */
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private Checksum() {}

  /**
   * The checksum to store in a message header: the complemented, folded sum of {@code b[off .. off
   * + len)}, which must include the checksum field set to zero.
   *
   * @return a value in {@code 0 .. 0xFFFF}, to be written big-endian
   * @throws IndexOutOfBoundsException if the range does not lie inside {@code b}
   */
  public static int compute(byte[] b, int off, int len) {
    return ~fold(sum(b, off, len)) & 0xFFFF;
  }

  /**
   * Whether {@code b[off .. off + len)}, a message including its stored checksum, is intact: its
   * folded sum is {@code 0xFFFF} (negative zero), as RFC 1071 section 1 describes for checking on
   * receipt.
   *
   * @throws IndexOutOfBoundsException if the range does not lie inside {@code b}
   */
  public static boolean verify(byte[] b, int off, int len) {
    return fold(sum(b, off, len)) == 0xFFFF;
  }

  /** The unfolded sum; package-private so a caller can combine ranges before {@link #fold}. */
  static long sum(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    long sum = 0;
    int i = off;
    int end4 = off + (len & ~3);
    for (; i < end4; i += 4) {
      sum += (int) INT_BE.get(b, i) & 0xFFFF_FFFFL;
    }
    if ((len & 2) != 0) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
      i += 2;
    }
    if ((len & 1) != 0) {
      // RFC 1071: an odd trailing byte is the high byte of a word whose low byte is zero.
      sum += (b[i] & 0xFF) << 8;
    }
    return sum;
  }

  /** Folds the carries back in (end-around carry) until the sum fits in 16 bits. */
  static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }
}
