package org.icmpecho.internal.linux;

import java.lang.foreign.MemorySegment;
import org.icmpecho.internal.packet.Packet;

/**
 * The control messages of one received message (receive timestamp as the kernel gives it, on
 * CLOCK_REALTIME; TTL, TOS, IP options; and on the error queue the extended error), read into a
 * {@link Packet}. They are copied to the heap in one go and parsed there with plain array reads,
 * not a dozen native reads (ENGINE-NOTES §11). Used by the one thread that owns its socket's
 * receive side.
 */
final class ControlMessages {
  static final int HEADER = (int) Layouts.CMSG_DATA_OFFSET;

  /** The last message's control data, copied from native memory; left there after {@link #read}. */
  final byte[] data;

  private final MemorySegment dataSegment;

  /** Length of the extended-error data the last {@link #read} found. */
  long recvErrLength;

  ControlMessages(int capacity) {
    data = new byte[capacity];
    dataSegment = MemorySegment.ofArray(data);
  }

  /**
   * Reads the control messages at {@code seg[base..base + controlLen)} into {@code p}; returns the
   * offset in {@link #data} of the {@code IP_RECVERR}/{@code IPV6_RECVERR} data, or -1 without one.
   */
  int read(MemorySegment seg, long base, long controlLen, Packet p) {
    int len = (int) Math.min(controlLen, data.length);
    if (len <= 0) return -1;
    MemorySegment.copy(seg, base, dataSegment, 0, len);
    byte[] c = data;
    int off = 0;
    int found = -1;
    while (off + HEADER <= len) {
      long cmsgLen = NativeBytes.getLong(c, off);
      if (cmsgLen < HEADER || off + cmsgLen > len) break;
      int level = NativeBytes.getInt(c, off + 8);
      int type = NativeBytes.getInt(c, off + 12);
      int at = off + HEADER;
      if (level == Sys.SOL_SOCKET && type == Sys.SCM_TIMESTAMPNS) {
        p.rxTime = NativeBytes.getLong(c, at) * 1_000_000_000L + NativeBytes.getLong(c, at + 8);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_TTL) {
        p.ttl = NativeBytes.getInt(c, at);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_TOS) {
        p.tos = Byte.toUnsignedInt(c[at]);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_RECVOPTS) {
        p.optionsLength = (int) Math.min(cmsgLen - HEADER, p.options.length);
        System.arraycopy(c, at, p.options, 0, p.optionsLength);
      } else if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_HOPLIMIT) {
        p.ttl = NativeBytes.getInt(c, at);
      } else if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_TCLASS) {
        p.tos = NativeBytes.getInt(c, at);
      } else if ((level == Sys.IPPROTO_IP && type == Sys.IP_RECVERR)
          || (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_RECVERR)) {
        found = at;
        recvErrLength = cmsgLen - HEADER;
      }
      off += (int) Layouts.cmsgAlign(cmsgLen);
    }
    return found;
  }
}
