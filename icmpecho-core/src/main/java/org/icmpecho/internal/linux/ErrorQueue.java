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
 * A socket's error queue ({@code MSG_ERRQUEUE}, with {@code IP_RECVERR}/{@code IPV6_RECVERR}): ICMP
 * errors about our echoes on ping sockets, and local errors (a too-big echo's path MTU). Its
 * message header and buffers are allocated once, from the channel's arena. Used by the thread that
 * owns the socket's receive side.
 */
final class ErrorQueue {
  private static final int NAME_SIZE = 28;
  private static final int BUF_SIZE = 2048;
  private static final int CONTROL_SIZE = 512;

  private final MemorySegment errno;
  private final int fd;
  private final boolean ipv6;
  private final SocketKind mode;
  private final int identifier;

  private final MemorySegment buf;
  private final MemorySegment msg;
  private final MemorySegment name;
  private final MemorySegment control;
  private final byte[] nameBytes = new byte[NAME_SIZE];
  private final MemorySegment nameCopy = MemorySegment.ofArray(nameBytes);

  /** The quoted packet, copied to the heap for parsing. */
  private final byte[] packetBytes = new byte[BUF_SIZE];

  private final MemorySegment packetCopy = MemorySegment.ofArray(packetBytes);
  private final ControlMessages controls = new ControlMessages(CONTROL_SIZE);
  private final Packet packet = new Packet();
  private final Packet quoted = new Packet();

  ErrorQueue(
      Arena arena, MemorySegment errno, int fd, boolean ipv6, SocketKind mode, int identifier) {
    this.errno = errno;
    this.fd = fd;
    this.ipv6 = ipv6;
    this.mode = mode;
    this.identifier = identifier;
    buf = arena.allocate(BUF_SIZE, 8);
    MemorySegment iov = arena.allocate(Layouts.IOVEC);
    msg = arena.allocate(Layouts.MSGHDR);
    name = arena.allocate(NAME_SIZE, 8);
    control = arena.allocate(CONTROL_SIZE, 8);
    iov.set(Native.C_POINTER, 0, buf);
    iov.set(JAVA_LONG, 8, BUF_SIZE);
    msg.set(Native.C_POINTER, 0, name);
    msg.set(Native.C_POINTER, 16, iov);
    msg.set(JAVA_LONG, 24, 1L);
    msg.set(Native.C_POINTER, 32, control);
  }

  /** Reads the queue empty, handing each error about one of our echoes to {@code sink}. */
  int drain(LinuxChannel channel, Channel.PacketSink sink) {
    int count = 0;
    for (int guard = 0; guard < 4096; guard++) {
      msg.set(JAVA_INT, 8, NAME_SIZE);
      msg.set(JAVA_LONG, 40, control.byteSize());
      msg.set(JAVA_INT, 48, 0);
      long r = LibC.recvmsg(errno, fd, msg, Sys.MSG_ERRQUEUE | Sys.MSG_DONTWAIT);
      if (r < 0) {
        if (Native.errno(errno) == Errno.EINTR.number()) continue;
        break;
      }
      count++;
      if (read((int) Math.min(r, BUF_SIZE))) {
        if (packet.rxTime != Long.MIN_VALUE)
          packet.rxTime = channel.clock.fromKernel(packet.rxTime);
        sink.accept(channel, packet);
      }
    }
    return count;
  }

  /** Parses the message just read into {@link #packet}; false when it is not ours to report. */
  private boolean read(int len) {
    MemorySegment.copy(buf, 0, packetCopy, 0, len);
    Packet p = packet;
    p.clear();
    p.ipv6 = ipv6;
    // The control data stays in controls.data (copied from offset 0, so `ee` indexes it).
    int ee = controls.read(control, 0, msg.get(JAVA_LONG, 40), p);
    if (ee < 0 || controls.recvErrLength < Layouts.SOCK_EXTENDED_ERR.byteSize()) return false;
    byte[] c = controls.data;
    int eeErrno = NativeBytes.getInt(c, ee);
    int origin = Byte.toUnsignedInt(c[ee + 4]);
    // A local error (ip_local_error, e.g. EMSGSIZE with the path MTU) carries no copy of our
    // packet: its sequence stays -1 and the engine applies it to the send that just failed.
    if (!IcmpCodec.parseQuotedEcho(packetBytes, 0, len, ipv6, p)
        && origin != Sys.SO_EE_ORIGIN_LOCAL) return false;
    p.icmpType = Byte.toUnsignedInt(c[ee + 5]);
    p.icmpCode = Byte.toUnsignedInt(c[ee + 6]);
    p.info = NativeBytes.getInt(c, ee + 8);
    // p.ttl is the error message's own TTL: with IP_RECVTTL the error queue reports it (IP_TTL
    // control message).
    int see = (int) Layouts.SOCK_EXTENDED_ERR.byteSize();
    // The offender's address follows the extended error.
    SockAddr.readInto(c, ee + see, (int) controls.recvErrLength - see, p);
    // msg_name of an error-queue message is the original destination.
    Packet dst = quoted;
    dst.clear();
    MemorySegment.copy(name, 0, nameCopy, 0, NAME_SIZE);
    SockAddr.readInto(nameBytes, 0, msg.get(JAVA_INT, 8), dst);
    System.arraycopy(dst.from, 0, p.quotedDst, 0, dst.fromLen);
    p.quotedDstLen = dst.fromLen;
    if (origin == Sys.SO_EE_ORIGIN_ICMP || origin == Sys.SO_EE_ORIGIN_ICMP6) {
      p.kind = Packet.ICMP_ERROR;
    } else if (origin == Sys.SO_EE_ORIGIN_LOCAL) {
      p.kind = Packet.LOCAL_ERROR;
      p.failureCode = eeErrno;
    } else {
      return false;
    }
    p.identifier = mode == SocketKind.DATAGRAM ? identifier : p.identifier;
    return true;
  }
}
