package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.SocketKind;

/**
 * The receive side of one socket: a vector of {@link #BATCH} {@code mmsghdr}s, each with its own
 * iovec, buffer, sender address and control buffer, allocated once from the channel's arena; one
 * {@code recvmmsg} (or {@code recvmsg} for a single answer) fills part of it, and each message
 * becomes a parsed {@link Packet}. Used by the thread that owns the socket's receive side.
 *
 * <p>Heap copies: the vector as set up (pointers and buffer sizes) is kept as an image, so the
 * headers a receive changed are restored with one copy; after a receive, its headers and sender
 * addresses are copied out in one go and parsed with plain array reads. Per answer that leaves two
 * native copies (packet and control data) instead of a dozen native reads and writes and a slice
 * (why: ENGINE-NOTES §11).
 */
final class ReceiveRing {
  static final int BATCH = 64;
  private static final int NAME_SIZE = 28;
  private static final int CONTROL_SIZE = 256;
  private static final int MMSG = (int) Layouts.MMSGHDR.byteSize();

  /** Offset of msg_len in struct mmsghdr (after the 56-byte msghdr). */
  private static final long MSG_LEN = 56;

  private final Arena arena;
  private final MemorySegment errno;
  private final int fd;
  private final boolean ipv6;
  private final SocketKind mode;

  private int slotSize;
  private MemorySegment bufs;
  private final MemorySegment iovs;
  private final MemorySegment msgs;
  private final MemorySegment nameBufs;
  private final MemorySegment controlBufs;

  /**
   * Headers [0, dirtyHeaders) may hold the kernel's sizes from the last receive instead of the
   * buffers'.
   */
  private int dirtyHeaders;

  private final byte[] headerImage = new byte[MMSG * BATCH];
  private final MemorySegment headerImageSegment = MemorySegment.ofArray(headerImage);
  private final byte[] headers = new byte[MMSG * BATCH];
  private final MemorySegment headersSegment = MemorySegment.ofArray(headers);
  private final byte[] names = new byte[NAME_SIZE * BATCH];
  private final MemorySegment namesSegment = MemorySegment.ofArray(names);

  /** The packet being parsed; grows to the largest seen (most never pass 64 bytes). */
  private byte[] scratch = new byte[256];

  private MemorySegment scratchSegment = MemorySegment.ofArray(scratch);
  private final ControlMessages controls = new ControlMessages(CONTROL_SIZE);
  private final Packet packet = new Packet();

  ReceiveRing(
      Arena arena, MemorySegment errno, int fd, boolean ipv6, SocketKind mode, int slotSize) {
    this.arena = arena;
    this.errno = errno;
    this.fd = fd;
    this.ipv6 = ipv6;
    this.mode = mode;
    iovs = arena.allocate(Layouts.IOVEC.byteSize() * BATCH, 8);
    msgs = arena.allocate(Layouts.MMSGHDR.byteSize() * BATCH, 8);
    nameBufs = arena.allocate((long) NAME_SIZE * BATCH, 8);
    controlBufs = arena.allocate((long) CONTROL_SIZE * BATCH, 8);
    allocate(slotSize);
  }

  int slotSize() {
    return slotSize;
  }

  /** (Re)builds the vector with buffers of {@code size} bytes each. */
  void allocate(int size) {
    slotSize = size;
    bufs = arena.allocate((long) size * BATCH, 8);
    long mm = Layouts.MMSGHDR.byteSize();
    for (int i = 0; i < BATCH; i++) {
      MemorySegment iov = iovs.asSlice(i * Layouts.IOVEC.byteSize(), Layouts.IOVEC);
      iov.set(Native.C_POINTER, 0, bufs.asSlice((long) i * size, size));
      iov.set(JAVA_LONG, 8, size);
      long m = i * mm;
      msgs.set(Native.C_POINTER, m, nameBufs.asSlice((long) i * NAME_SIZE, NAME_SIZE));
      msgs.set(JAVA_INT, m + 8, NAME_SIZE);
      msgs.set(Native.C_POINTER, m + 16, iov);
      msgs.set(JAVA_LONG, m + 24, 1L);
      msgs.set(
          Native.C_POINTER, m + 32, controlBufs.asSlice((long) i * CONTROL_SIZE, CONTROL_SIZE));
      msgs.set(JAVA_LONG, m + 40, CONTROL_SIZE);
    }
    MemorySegment.copy(msgs, 0, headerImageSegment, 0, headerImage.length);
    dirtyHeaders = 0;
  }

  /**
   * One {@code recvmmsg} of at most {@code vlen} messages; returns how many came (their headers and
   * sender addresses copied to the heap), or -1 with errno in the channel's errno segment.
   */
  int receive(int vlen) {
    // The kernel shrinks msg_namelen and msg_controllen to what it wrote, in the headers of
    // received messages only: just those are restored from the image (msg_flags and msg_len are
    // written, never read, by it).
    int reset = Math.min(dirtyHeaders, vlen);
    if (reset > 0) MemorySegment.copy(headerImageSegment, 0, msgs, 0, (long) reset * MMSG);
    if (reset == dirtyHeaders) dirtyHeaders = 0;
    int n;
    if (vlen == 1) {
      // One message (a blocking echo() waiting for its answer): recvmsg on the first header is the
      // same read without recvmmsg's own work (~0.15 us of the ~8 us round trip); msg_len is
      // filled in as recvmmsg would.
      long len = LibC.recvmsg(errno, fd, msgs, Sys.MSG_DONTWAIT);
      if (len < 0) return -1;
      msgs.set(JAVA_INT, MSG_LEN, (int) len);
      n = 1;
    } else {
      n = LibC.recvmmsg(errno, fd, msgs, vlen, Sys.MSG_DONTWAIT, MemorySegment.NULL);
      if (n <= 0) return n < 0 ? -1 : 0;
    }
    if (n > dirtyHeaders) dirtyHeaders = n;
    MemorySegment.copy(msgs, 0, headersSegment, 0, (long) n * MMSG);
    if (ipv6 || mode == SocketKind.DATAGRAM)
      MemorySegment.copy(nameBufs, 0, namesSegment, 0, (long) n * NAME_SIZE);
    return n;
  }

  /** Parses the {@code n} messages the last {@link #receive} got, handing each to {@code sink}. */
  void parse(int n, LinuxChannel channel, Channel.PacketSink sink) {
    for (int i = 0; i < n; i++) parse(i, channel, sink, packet);
  }

  private void parse(int i, LinuxChannel channel, Channel.PacketSink sink, Packet p) {
    int m = i * MMSG;
    int len = NativeBytes.getInt(headers, m + 56); // msg_len
    int flags = NativeBytes.getInt(headers, m + 48); // msg_hdr.msg_flags
    len = Math.min(len, slotSize);
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length * 2)];
      scratchSegment = MemorySegment.ofArray(scratch);
    }
    MemorySegment.copy(bufs, (long) i * slotSize, scratchSegment, 0, len);
    p.clear();
    p.ipv6 = ipv6;
    boolean relevant;
    if (ipv6) {
      relevant = IcmpCodec.parseIcmpv6(scratch, 0, len, p);
    } else if (mode == SocketKind.RAW) {
      relevant = IcmpCodec.parseIpv4WithHeader(scratch, 0, len, p);
    } else {
      relevant = IcmpCodec.parseIcmpv4(scratch, 0, len, p);
    }
    if (!relevant) return;
    if ((flags & Sys.MSG_TRUNC) != 0) {
      // a truncated payload cannot be verified
      p.checksumOk = p.checksumOk && !ipv6 && mode == SocketKind.RAW;
    }
    if (ipv6 || mode == SocketKind.DATAGRAM) {
      SockAddr.readInto(names, i * NAME_SIZE, NativeBytes.getInt(headers, m + 8), p); // namelen
    }
    long controlLen = NativeBytes.getLong(headers, m + 40); // msg_controllen
    controls.read(controlBufs, (long) i * CONTROL_SIZE, controlLen, p);
    if (p.rxTime != Long.MIN_VALUE) p.rxTime = channel.clock.fromKernel(p.rxTime);
    sink.accept(channel, p);
  }
}
