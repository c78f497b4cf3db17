package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.Preload;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;

/**
 * One ICMP socket, datagram ("ping socket") or raw, IPv4 or IPv6: the engine's {@link Channel}.
 * This class sends and runs the receive loop; the socket is opened by {@link SocketOpener}, the
 * {@code recvmmsg} vector and its parsing are a {@link ReceiveRing}, the error queue an {@link
 * ErrorQueue}. All native memory (send buffer and headers, the receive vector, the error-queue
 * header) is allocated once from this channel's arena when the socket opens; send and receive
 * allocate nothing on the Java heap.
 *
 * <p>Per-echo options travel as control messages of {@code sendmsg} ({@code IP_TTL}, {@code
 * IP_TOS}, {@code IPV6_HOPLIMIT}, {@code IPV6_TCLASS}, {@code IPV6_DONTFRAG}), so one socket serves
 * echoes with different options; only the IPv4 don't-fragment policy is a socket option ({@code
 * IP_MTU_DISCOVER}), changed when an echo needs another value than the last.
 */
final class LinuxChannel implements Channel {
  private static final int NAME_SIZE = 28;

  /** Room for the ICMP header and payload of an ordinary echo, plus an IP header with options. */
  private static final int SMALL_SLOT = 2048;

  private static final int MAX_SLOT = 65536 + 128;

  /**
   * Shared, not confined: a blocking {@code echo()} caller may run a send and receive on this
   * socket while it owns the I/O loop (see {@code IoThread.tryRunDirect}); ownership, not the
   * arena, keeps the accesses one at a time.
   */
  private final Arena arena = Arena.ofShared();

  private final MemorySegment errno = Native.allocateErrno(arena);
  private final int fd;
  private final boolean ipv6;
  private final SocketKind mode;
  private final int identifier;
  private final int initialPmtu;
  private int currentPmtu;

  // Send side.
  /** The packet being written; grows to the largest sent (most never pass 64 bytes). */
  private byte[] scratch = new byte[256];

  /**
   * {@link #scratch} as a segment, for copies to and from native memory: segment-to-segment copies
   * are the cheap ones in a short-lived JVM (ENGINE-NOTES §11).
   */
  private MemorySegment scratchSegment = MemorySegment.ofArray(scratch);

  /** {@link #scratch}, grown to at least {@code n} bytes. */
  private byte[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, scratch.length * 2)];
      scratchSegment = MemorySegment.ofArray(scratch);
    }
    return scratch;
  }

  /**
   * True while {@link #sendName} holds a {@code sockaddr_in} whose only varying field is the
   * address.
   */
  private boolean sendName4;

  /**
   * The address {@link #sendName} holds (of length {@link #sendNameLen}), or null after an address
   * given as an int.
   */
  private java.net.InetAddress sendNameTarget;

  private int sendNameLen;
  private final MemorySegment sendBuf = arena.allocate(MAX_SLOT, 8);
  private final MemorySegment sendIov = arena.allocate(Layouts.IOVEC);
  private final MemorySegment sendMsg = arena.allocate(Layouts.MSGHDR);
  private final MemorySegment sendName = arena.allocate(NAME_SIZE, 8);
  private final MemorySegment sendControl =
      arena.allocate(Layouts.cmsgSpace(4) * 3 + Layouts.cmsgSpace(40), 8);
  private long lastSendTime;

  /** The engine's clock, and the kernel's stamps converted to it. */
  final KernelClock clock = new KernelClock(arena);

  private final ReceiveRing ring;
  private final ErrorQueue errors;

  static {
    // A downcall handle links (spins its adapters) on its first call. Make that first call here, on
    // fd -1 (EBADF), so the first echo's RTT, whose clock starts right before sendmsg, does not
    // include a millisecond of linking.
    try (Arena a = Arena.ofConfined()) {
      MemorySegment e = Native.allocateErrno(a);
      MemorySegment msg = a.allocate(Layouts.MMSGHDR.byteSize(), 8);
      LibC.sendto(e, -1, msg, 0, 0, MemorySegment.NULL, 0);
      LibC.sendmsg(e, -1, msg, 0);
      LibC.recvmsg(e, -1, msg, Sys.MSG_DONTWAIT);
      LibC.recvmmsg(e, -1, msg, 1, Sys.MSG_DONTWAIT, MemorySegment.NULL);
      LibC.clockGettime(Sys.CLOCK_REALTIME, a.allocate(Layouts.TIMESPEC));
    }
    Preload.initialise(
        NativeBytes.class, Errno.class); // used first by the first answer: see Preload
  }

  LinuxChannel(int fd, boolean ipv6, SocketKind mode, int identifier, int initialPmtu) {
    this.fd = fd;
    this.ipv6 = ipv6;
    this.mode = mode;
    this.identifier = identifier;
    this.initialPmtu = initialPmtu;
    this.currentPmtu = initialPmtu;
    sendIov.set(Native.C_POINTER, 0, sendBuf);
    sendMsg.set(Native.C_POINTER, 0, sendName);
    sendMsg.set(Native.C_POINTER, 16, sendIov);
    sendMsg.set(JAVA_LONG, 24, 1L);
    ring = new ReceiveRing(arena, errno, fd, ipv6, mode, SMALL_SLOT);
    errors = new ErrorQueue(arena, errno, fd, ipv6, mode, identifier);
  }

  int fd() {
    return fd;
  }

  @Override
  public SocketKind kind() {
    return mode;
  }

  @Override
  public boolean ipv6() {
    return ipv6;
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public int send(
      SendOptions options,
      java.net.InetAddress target,
      int address4,
      int sequence,
      byte[] payload,
      int length) {
    if (length + 8 + 64 > ring.slotSize() && ring.slotSize() < MAX_SLOT) {
      ring.allocate(MAX_SLOT); // a big echo is coming back: make room before it does
    }
    // Ping sockets and ICMPv6 get their checksum from the kernel; raw IPv4 needs ours.
    int len =
        IcmpCodec.writeEchoRequest(
            scratch(length + 8),
            0,
            ipv6,
            identifier,
            sequence,
            payload,
            0,
            length,
            mode == SocketKind.RAW && !ipv6);
    MemorySegment.copy(scratchSegment, 0, sendBuf, 0, len);
    int nameLen;
    if (target != null) {
      // Addresses are immutable: the same object as last time (a ping, one echo after another) is
      // already there.
      if (target != sendNameTarget) {
        sendNameLen = SockAddr.write(sendName, target, ipv6);
        sendNameTarget = target;
      }
      sendName4 = false;
      nameLen = sendNameLen;
    } else if (sendName4) {
      sendName.set(SockAddr.NET_INT, 4, address4); // a sweep: family and zeros are already there
      nameLen = 16;
    } else {
      nameLen = SockAddr.write4(sendName, address4);
      sendName4 = true;
      sendNameTarget = null;
    }
    if (!plain(options)) return sendWithOptions(options, len, nameLen);
    // Nothing per message: sendto spares the kernel copying and checking a msghdr and its iovec.
    // Kept apart from the options so that it compiles small and early (ENGINE-NOTES §11).
    lastSendTime = clock.sendTime();
    long r = LibC.sendto(errno, fd, sendBuf, len, 0, sendName, nameLen);
    return r < 0 ? sendFailure() : SENT;
  }

  /**
   * A failed send's outcome: a full buffer (EAGAIN, ENOBUFS) apart, the errno is the failure code.
   */
  private int sendFailure() {
    int e = Native.errno(errno);
    return e == Errno.EAGAIN.number() || e == Errno.ENOBUFS.number() ? BUFFER_FULL : e;
  }

  @Override
  public boolean reportsFailureDetail(int code) {
    // With IP_RECVERR the kernel also queues a local error carrying the path MTU (ip_local_error).
    return code == Errno.EMSGSIZE.number() && mode == SocketKind.DATAGRAM;
  }

  /**
   * True when {@code options} need no control message and no change of the socket's path MTU
   * setting.
   */
  private boolean plain(SendOptions options) {
    if (!options.plain()) return false;
    return ipv6 || initialPmtu < 0 || initialPmtu == currentPmtu;
  }

  /** Sends the packet in {@link #sendBuf} with the echo's TTL, TOS and path MTU setting. */
  private int sendWithOptions(SendOptions request, int len, int nameLen) {
    sendIov.set(JAVA_LONG, 8, len);
    sendMsg.set(JAVA_INT, 8, nameLen);
    long control = 0;
    if (request.ttl() != SendOptions.SYSTEM_DEFAULT) {
      control =
          putCmsg(
              control,
              ipv6 ? Sys.IPPROTO_IPV6 : Sys.IPPROTO_IP,
              ipv6 ? Sys.IPV6_HOPLIMIT : Sys.IP_TTL,
              request.ttl());
    }
    if (request.tos() != SendOptions.SYSTEM_DEFAULT) {
      control =
          putCmsg(
              control,
              ipv6 ? Sys.IPPROTO_IPV6 : Sys.IPPROTO_IP,
              ipv6 ? Sys.IPV6_TCLASS : Sys.IP_TOS,
              request.tos());
    }
    byte[] o = request.ipOptions();
    if (o.length > 0) {
      // Per message, so one socket mixes echoes with and without options (IP_RETOPTS: the kernel
      // refuses IP_OPTIONS as a control message). The buffer has room for it beside three int
      // messages and the spare tail.
      sendControl.set(JAVA_LONG, control, Layouts.cmsgLen(o.length));
      sendControl.set(JAVA_INT, control + 8, Sys.IPPROTO_IP);
      sendControl.set(JAVA_INT, control + 12, Sys.IP_RETOPTS);
      MemorySegment.copy(
          o, 0, sendControl, JAVA_BYTE, control + Layouts.CMSG_DATA_OFFSET, o.length);
      control += Layouts.cmsgSpace(o.length);
    }
    SendOptions.Fragmentation pmtu = request.fragmentation();
    if (ipv6) {
      if (pmtu != SendOptions.Fragmentation.DEFAULT) {
        control =
            putCmsg(
                control,
                Sys.IPPROTO_IPV6,
                Sys.IPV6_DONTFRAG,
                pmtu == SendOptions.Fragmentation.DO ? 1 : 0);
      }
    } else {
      int want =
          switch (pmtu) {
            case DEFAULT -> initialPmtu;
            case DO -> Sys.IP_PMTUDISC_DO;
            case DONT -> Sys.IP_PMTUDISC_DONT;
            case WANT -> Sys.IP_PMTUDISC_WANT;
          };
      if (want != currentPmtu && want >= 0) {
        MemorySegment v =
            sendControl.asSlice(
                sendControl.byteSize() - 4, 4); // spare tail, not used by cmsgs here
        v.set(JAVA_INT, 0, want);
        if (LibC.setsockopt(errno, fd, Sys.IPPROTO_IP, Sys.IP_MTU_DISCOVER, v, 4) == 0) {
          currentPmtu = want;
        }
      }
    }
    long r;
    if (control == 0) {
      lastSendTime = clock.sendTime();
      r = LibC.sendto(errno, fd, sendBuf, len, 0, sendName, nameLen);
    } else {
      sendMsg.set(Native.C_POINTER, 32, sendControl);
      sendMsg.set(JAVA_LONG, 40, control);
      lastSendTime = clock.sendTime();
      r = LibC.sendmsg(errno, fd, sendMsg, 0);
    }
    return r < 0 ? sendFailure() : SENT;
  }

  private long putCmsg(long offset, int level, int type, int value) {
    sendControl.set(JAVA_LONG, offset, Layouts.cmsgLen(4));
    sendControl.set(JAVA_INT, offset + 8, level);
    sendControl.set(JAVA_INT, offset + 12, type);
    sendControl.set(JAVA_INT, offset + Layouts.CMSG_DATA_OFFSET, value);
    return offset + Layouts.cmsgSpace(4);
  }

  @Override
  public long lastSendTime() {
    return lastSendTime;
  }

  @Override
  public long rttClockNow() {
    return System.nanoTime();
  }

  @Override
  public int receive(PacketSink sink, int max, boolean errorQueue) throws TransportException {
    // The work is in per-batch methods: this one runs too seldom to compile early (ENGINE-NOTES
    // §11).
    int total = 0;
    if (errorQueue) {
      total += errors.drain(this, sink);
    }
    int failures = 0;
    while (total < max) {
      // No more slots than asked for: with MSG_DONTWAIT the kernel tries every slot once, and a
      // caller reading the one answer it waits for would pay a second, empty attempt.
      int vlen = Math.min(ReceiveRing.BATCH, max - total);
      int n = ring.receive(vlen);
      if (n < 0) {
        int e = Native.errno(errno);
        if (e == Errno.EAGAIN.number()) break;
        // A pending socket error (sk_err from an ICMP error, with IP_RECVERR) fails one receive and
        // is cleared; the error itself is on the error queue. Try again a few times, then leave it
        // to the next wake-up.
        if (++failures > 4) break;
        if (e != Errno.EINTR.number()) total += errors.drain(this, sink);
        continue;
      }
      ring.parse(n, this, sink);
      total += n;
      if (n < vlen) break;
    }
    return total;
  }

  @Override
  public String failureName(int code) {
    return Errno.name(code);
  }

  @Override
  public String failureMessage(int code) {
    return Errno.message(code);
  }

  private final MemorySegment meminfo =
      arena.allocate(Sys.SK_MEMINFO_DROPS * 4L + 4 + 64, 4); // room for newer kernels
  private final MemorySegment meminfoLen = arena.allocate(JAVA_INT);
  private final MemorySegment meminfoErrno =
      Native.allocateErrno(arena); // stats may be asked from another thread

  /**
   * The drop count last read; what a closed socket reports (its descriptor number may belong to
   * another by now).
   */
  private long receiveDrops;

  private volatile boolean closed;

  /**
   * The kernel's own count ({@code SO_MEMINFO}), exact when asked: by the owning loop, as the stats
   * are taken.
   */
  @Override
  public synchronized long receiveDrops() {
    if (closed) return receiveDrops;
    meminfoLen.set(JAVA_INT, 0, (int) meminfo.byteSize());
    if (LibC.getsockopt(meminfoErrno, fd, Sys.SOL_SOCKET, Sys.SO_MEMINFO, meminfo, meminfoLen) == 0
        && meminfoLen.get(JAVA_INT, 0) > Sys.SK_MEMINFO_DROPS * 4) {
      receiveDrops = Integer.toUnsignedLong(meminfo.get(JAVA_INT, Sys.SK_MEMINFO_DROPS * 4L));
    }
    return receiveDrops;
  }

  @Override
  public void close() {
    synchronized (this) {
      receiveDrops();
      closed = true;
    }
    LibC.close(fd);
    arena.close();
  }

  @Override
  public String toString() {
    return (ipv6 ? "ICMPv6 " : "ICMP ") + mode + " socket fd=" + fd + " id=" + identifier;
  }
}
