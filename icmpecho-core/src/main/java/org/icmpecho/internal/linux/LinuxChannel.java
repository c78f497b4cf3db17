package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Preload;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;

/**
 * One ICMP socket, datagram ("ping socket") or raw, IPv4 or IPv6. All native memory (send buffer, a
 * batch of {@code recvmmsg} headers and buffers, control buffers, the error-queue header) is
 * allocated once when the socket opens; send and receive allocate nothing on the Java heap.
 *
 * <p>Per-echo options travel as control messages of {@code sendmsg} ({@code IP_TTL}, {@code
 * IP_TOS}, {@code IPV6_HOPLIMIT}, {@code IPV6_TCLASS}, {@code IPV6_DONTFRAG}), so one socket serves
 * echoes with different options; only the IPv4 don't-fragment policy is a socket option ({@code
 * IP_MTU_DISCOVER}), changed when an echo needs another value than the last.
 */
final class LinuxChannel implements Channel {
  private static final int BATCH = 64;
  private static final int NAME_SIZE = 28;
  private static final int CONTROL_SIZE = 256;
  private static final int ERR_BUF_SIZE = 2048;

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
  /** The packet being written or parsed; grows to the largest seen (most never pass 64 bytes). */
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
  private final MemorySegment timespec = arena.allocate(Layouts.TIMESPEC);
  private long lastSendTime;

  // Receive side: BATCH mmsghdrs, each with its own iovec, buffer, name and control buffer.
  private int slotSize;
  private MemorySegment recvBufs;
  private final MemorySegment recvIovs = arena.allocate(Layouts.IOVEC.byteSize() * BATCH, 8);
  private final MemorySegment recvMsgs = arena.allocate(Layouts.MMSGHDR.byteSize() * BATCH, 8);
  private final MemorySegment recvNames = arena.allocate((long) NAME_SIZE * BATCH, 8);
  private final MemorySegment recvControls = arena.allocate((long) CONTROL_SIZE * BATCH, 8);

  // Error queue.
  private final MemorySegment errBuf = arena.allocate(ERR_BUF_SIZE, 8);
  private final MemorySegment errIov = arena.allocate(Layouts.IOVEC);
  private final MemorySegment errMsg = arena.allocate(Layouts.MSGHDR);
  private final MemorySegment errName = arena.allocate(NAME_SIZE, 8);
  private final byte[] errNameBytes = new byte[NAME_SIZE];
  private final MemorySegment errNameCopy = MemorySegment.ofArray(errNameBytes);
  private final MemorySegment errControl = arena.allocate(CONTROL_SIZE * 2, 8);

  private final Packet packet = new Packet();

  static {
    // A downcall handle links (spins its adapters) on its first call. Make that first call here, on
    // fd -1 (EBADF),
    // so the first echo's RTT, whose clock starts right before sendmsg, does not include a
    // millisecond of linking.
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

  private LinuxChannel(int fd, boolean ipv6, SocketKind mode, int identifier, int initialPmtu) {
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
    errIov.set(Native.C_POINTER, 0, errBuf);
    errIov.set(JAVA_LONG, 8, ERR_BUF_SIZE);
    errMsg.set(Native.C_POINTER, 0, errName);
    errMsg.set(Native.C_POINTER, 16, errIov);
    errMsg.set(JAVA_LONG, 24, 1L);
    errMsg.set(Native.C_POINTER, 32, errControl);
    allocateReceiveSlots(SMALL_SLOT);
  }

  /**
   * Receive headers [0, dirtyHeaders) may hold the kernel's sizes from the last receive instead of
   * the buffers'.
   */
  private int dirtyHeaders;

  /*
   * Heap copies for the receive path. The mmsghdr array as set up (pointers and buffer sizes) is kept as an image,
   * so the headers a receive changed are restored with one copy; after a receive, its headers and sender addresses
   * are copied out in one go and parsed with plain array reads. Per answer that leaves two native copies (packet and
   * control data) instead of a dozen native reads and writes and a slice (why: ENGINE-NOTES §11).
   */
  private static final int MMSG = (int) Layouts.MMSGHDR.byteSize();

  /** Offset of msg_len in struct mmsghdr (after the 56-byte msghdr). */
  private static final long MSG_LEN = 56;

  private final byte[] headerImage = new byte[MMSG * BATCH];
  private final MemorySegment headerImageSegment = MemorySegment.ofArray(headerImage);
  private final byte[] headers = new byte[MMSG * BATCH];
  private final MemorySegment headersSegment = MemorySegment.ofArray(headers);
  private final byte[] names = new byte[NAME_SIZE * BATCH];
  private final MemorySegment namesSegment = MemorySegment.ofArray(names);

  /** (Re)builds the recvmmsg vector with buffers of {@code size} bytes each. */
  private void allocateReceiveSlots(int size) {
    slotSize = size;
    recvBufs = arena.allocate((long) size * BATCH, 8);
    long mm = Layouts.MMSGHDR.byteSize();
    for (int i = 0; i < BATCH; i++) {
      MemorySegment iov = recvIovs.asSlice(i * Layouts.IOVEC.byteSize(), Layouts.IOVEC);
      iov.set(Native.C_POINTER, 0, recvBufs.asSlice((long) i * size, size));
      iov.set(JAVA_LONG, 8, size);
      long m = i * mm;
      recvMsgs.set(Native.C_POINTER, m, recvNames.asSlice((long) i * NAME_SIZE, NAME_SIZE));
      recvMsgs.set(JAVA_INT, m + 8, NAME_SIZE);
      recvMsgs.set(Native.C_POINTER, m + 16, iov);
      recvMsgs.set(JAVA_LONG, m + 24, 1L);
      recvMsgs.set(
          Native.C_POINTER, m + 32, recvControls.asSlice((long) i * CONTROL_SIZE, CONTROL_SIZE));
      recvMsgs.set(JAVA_LONG, m + 40, CONTROL_SIZE);
    }
    MemorySegment.copy(recvMsgs, 0, headerImageSegment, 0, headerImage.length);
    dirtyHeaders = 0;
  }

  static LinuxChannel open(ChannelKey key, SocketKind asked, int receiveBufferSize)
      throws TransportException {
    boolean v6 = key.ipv6();
    int family = v6 ? Sys.AF_INET6 : Sys.AF_INET;
    int proto = v6 ? Sys.IPPROTO_ICMPV6 : Sys.IPPROTO_ICMP;
    try (Arena tmp = Arena.ofConfined()) {
      MemorySegment err = Native.allocateErrno(tmp);
      SocketKind got = null;
      int fd = -1;
      int lastErrno = 0;
      SocketKind[] tries =
          switch (asked) {
            case AUTO -> new SocketKind[] {SocketKind.DATAGRAM, SocketKind.RAW};
            case DATAGRAM -> new SocketKind[] {SocketKind.DATAGRAM};
            case RAW -> new SocketKind[] {SocketKind.RAW};
          };
      for (SocketKind m : tries) {
        int type =
            (m == SocketKind.RAW ? Sys.SOCK_RAW : Sys.SOCK_DGRAM)
                | Sys.SOCK_NONBLOCK
                | Sys.SOCK_CLOEXEC;
        fd = LibC.socket(err, family, type, proto);
        if (fd >= 0) {
          got = m;
          break;
        }
        lastErrno = Native.errno(err);
        if (lastErrno == Errno.EAFNOSUPPORT.number()) {
          throw LinuxTransport.unsupported(
              (v6 ? "IPv6" : "IPv4") + " is not available here", "socket", lastErrno);
        }
        if (lastErrno != Errno.EACCES.number() && lastErrno != Errno.EPERM.number()) {
          throw LinuxTransport.failure("socket", lastErrno, "cannot open an ICMP socket");
        }
      }
      if (fd < 0) {
        throw LinuxTransport.permissionDenied(asked, v6, lastErrno);
      }
      try {
        return configure(tmp, err, fd, key, got, receiveBufferSize);
      } catch (TransportException | RuntimeException e) {
        LibC.close(fd);
        throw e;
      }
    }
  }

  private static LinuxChannel configure(
      Arena tmp, MemorySegment err, int fd, ChannelKey key, SocketKind mode, int receiveBufferSize)
      throws TransportException {
    boolean v6 = key.ipv6();
    MemorySegment intVal = tmp.allocate(JAVA_INT);
    // As root SO_RCVBUFFORCE passes net.core.rmem_max; unprivileged, SO_RCVBUF is capped by it
    // silently.
    intVal.set(JAVA_INT, 0, receiveBufferSize);
    if (LibC.setsockopt(err, fd, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, intVal, 4) < 0) {
      LibC.setsockopt(err, fd, Sys.SOL_SOCKET, Sys.SO_RCVBUF, intVal, 4);
    }
    setInt(tmp, err, fd, Sys.SOL_SOCKET, Sys.SO_TIMESTAMPNS, 1);
    if (key.interfaceName() != null) {
      MemorySegment name = tmp.allocateFrom(key.interfaceName(), StandardCharsets.US_ASCII);
      if (LibC.setsockopt(err, fd, Sys.SOL_SOCKET, Sys.SO_BINDTODEVICE, name, (int) name.byteSize())
          < 0) {
        int e = Native.errno(err);
        if (e == Errno.ENODEV.number()) {
          throw LinuxTransport.unsupported(
              "no interface named '" + key.interfaceName() + "'", "setsockopt", e);
        }
        throw LinuxTransport.failure(
            "setsockopt", e, "cannot bind to interface " + key.interfaceName());
      }
    }
    if (mode == SocketKind.DATAGRAM || key.source() != null) {
      // Ping sockets get their echo identifier (the "port") when bound.
      MemorySegment addr = tmp.allocate(NAME_SIZE, 8);
      int len = SockAddr.write(addr, key.source(), v6);
      if (LibC.bind(err, fd, addr, len) < 0) {
        int e = Native.errno(err);
        String what =
            key.source() == null
                ? "cannot bind the ICMP socket"
                : "cannot send from "
                    + key.source().getHostAddress()
                    + " (not an address of this host?)";
        throw new TransportException(
            TransportException.Kind.FAILED,
            what + ": bind: " + Errno.message(e),
            "bind",
            Errno.name(e));
      }
    }
    int identifier;
    if (mode == SocketKind.DATAGRAM) {
      MemorySegment addr = tmp.allocate(NAME_SIZE, 8);
      MemorySegment lenPtr = tmp.allocate(JAVA_INT);
      lenPtr.set(JAVA_INT, 0, NAME_SIZE);
      if (LibC.getsockname(err, fd, addr, lenPtr) < 0) {
        throw LinuxTransport.failure(
            "getsockname", Native.errno(err), "cannot read the echo identifier");
      }
      identifier = Short.toUnsignedInt(addr.get(Layouts.NET_SHORT, 2));
    } else {
      identifier = ThreadLocalRandom.current().nextInt(1, 0x10000);
    }
    int initialPmtu = -1;
    if (!v6) {
      if (mode == SocketKind.DATAGRAM) {
        setInt(tmp, err, fd, Sys.IPPROTO_IP, Sys.IP_RECVERR, 1);
        setInt(tmp, err, fd, Sys.IPPROTO_IP, Sys.IP_RECVTTL, 1);
        setInt(tmp, err, fd, Sys.IPPROTO_IP, Sys.IP_RECVTOS, 1);
        setInt(
            tmp,
            err,
            fd,
            Sys.IPPROTO_IP,
            Sys.IP_RECVOPTS,
            1); // a raw socket has them in the IP header
      } else {
        // ICMP_FILTER: a set bit blocks that type. Pass echo reply, unreachable, source quench,
        // time exceeded and
        // parameter problem; our own echo requests on loopback and everything else stay in the
        // kernel.
        int pass = 1 | (1 << 3) | (1 << 4) | (1 << 11) | (1 << 12);
        setInt(tmp, err, fd, Sys.SOL_RAW, Sys.ICMP_FILTER, ~pass);
      }
      MemorySegment lenPtr = tmp.allocate(JAVA_INT);
      lenPtr.set(JAVA_INT, 0, 4);
      if (LibC.getsockopt(err, fd, Sys.IPPROTO_IP, Sys.IP_MTU_DISCOVER, intVal, lenPtr) == 0) {
        initialPmtu = intVal.get(JAVA_INT, 0);
      }
    } else {
      setInt(tmp, err, fd, Sys.IPPROTO_IPV6, Sys.IPV6_RECVHOPLIMIT, 1);
      setInt(tmp, err, fd, Sys.IPPROTO_IPV6, Sys.IPV6_RECVTCLASS, 1);
      if (mode == SocketKind.DATAGRAM) {
        setInt(tmp, err, fd, Sys.IPPROTO_IPV6, Sys.IPV6_RECVERR, 1);
      } else {
        // struct icmp6_filter: 256 bits, a set bit blocks the type. Pass echo reply (129) and
        // errors 1..4.
        MemorySegment filter = tmp.allocate(32, 4);
        filter.fill((byte) 0xff);
        for (int t : new int[] {129, 1, 2, 3, 4}) {
          long off = (t >> 5) * 4L;
          filter.set(JAVA_INT, off, filter.get(JAVA_INT, off) & ~(1 << (t & 31)));
        }
        if (LibC.setsockopt(err, fd, Sys.IPPROTO_ICMPV6, Sys.ICMP6_FILTER, filter, 32) < 0) {
          throw LinuxTransport.failure("setsockopt", Native.errno(err), "cannot set ICMP6_FILTER");
        }
      }
    }
    return new LinuxChannel(fd, v6, mode, identifier, initialPmtu);
  }

  private static void setInt(Arena tmp, MemorySegment err, int fd, int level, int name, int value)
      throws TransportException {
    MemorySegment v = tmp.allocate(JAVA_INT);
    v.set(JAVA_INT, 0, value);
    if (LibC.setsockopt(err, fd, level, name, v, 4) < 0) {
      throw LinuxTransport.failure(
          "setsockopt", Native.errno(err), "cannot set socket option " + level + "/" + name);
    }
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
    if (length + 8 + 64 > slotSize && slotSize < MAX_SLOT) {
      allocateReceiveSlots(MAX_SLOT); // a big echo is coming back: make room before it does
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
    // Kept apart from the
    // options so that it compiles small and early (ENGINE-NOTES §11).
    lastSendTime = rttClockNow();
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
      // refuses
      // IP_OPTIONS as a control message). The buffer has room for it beside three int messages and
      // the spare tail.
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
      lastSendTime = rttClockNow();
      r = LibC.sendto(errno, fd, sendBuf, len, 0, sendName, nameLen);
    } else {
      sendMsg.set(Native.C_POINTER, 32, sendControl);
      sendMsg.set(JAVA_LONG, 40, control);
      lastSendTime = rttClockNow();
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
    LibC.clockGettime(Sys.CLOCK_REALTIME, timespec);
    return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
  }

  @Override
  public int receive(PacketSink sink, int max, boolean errorQueue) throws TransportException {
    // The work is in per-batch methods: this one runs too seldom to compile early (ENGINE-NOTES
    // §11).
    int total = 0;
    if (errorQueue) {
      total += drainErrorQueue(sink);
    }
    int failures = 0;
    while (total < max) {
      // No more slots than asked for: with MSG_DONTWAIT the kernel tries every slot once, and a
      // caller reading the
      // one answer it waits for would pay a second, empty attempt.
      int vlen = Math.min(BATCH, max - total);
      int n = receiveBatch(vlen);
      if (n < 0) {
        int e = Native.errno(errno);
        if (e == Errno.EAGAIN.number()) break;
        // A pending socket error (sk_err from an ICMP error, with IP_RECVERR) fails one receive and
        // is cleared;
        // the error itself is on the error queue. Try again a few times, then leave it to the next
        // wake-up.
        if (++failures > 4) break;
        if (e != Errno.EINTR.number()) total += drainErrorQueue(sink);
        continue;
      }
      parseBatch(n, sink);
      total += n;
      if (n < vlen) break;
    }
    return total;
  }

  /**
   * One {@code recvmmsg} of at most {@code vlen} messages; returns how many came (their headers and
   * sender addresses copied to the heap), or -1 with errno in {@link #errno}.
   */
  private int receiveBatch(int vlen) {
    // The kernel shrinks msg_namelen and msg_controllen to what it wrote, in the headers of
    // received messages
    // only: just those are restored from the image (msg_flags and msg_len are written, never read,
    // by it).
    int reset = Math.min(dirtyHeaders, vlen);
    if (reset > 0) MemorySegment.copy(headerImageSegment, 0, recvMsgs, 0, (long) reset * MMSG);
    if (reset == dirtyHeaders) dirtyHeaders = 0;
    int n;
    if (vlen == 1) {
      // One message (a blocking echo() waiting for its answer): recvmsg on the first header is the
      // same read
      // without recvmmsg's own work (~0.15 us of the ~8 us round trip); msg_len is filled in as
      // recvmmsg would.
      long len = LibC.recvmsg(errno, fd, recvMsgs, Sys.MSG_DONTWAIT);
      if (len < 0) return -1;
      recvMsgs.set(JAVA_INT, MSG_LEN, (int) len);
      n = 1;
    } else {
      n = LibC.recvmmsg(errno, fd, recvMsgs, vlen, Sys.MSG_DONTWAIT, MemorySegment.NULL);
      if (n <= 0) return n < 0 ? -1 : 0;
    }
    if (n > dirtyHeaders) dirtyHeaders = n;
    MemorySegment.copy(recvMsgs, 0, headersSegment, 0, (long) n * MMSG);
    if (ipv6 || mode == SocketKind.DATAGRAM)
      MemorySegment.copy(recvNames, 0, namesSegment, 0, (long) n * NAME_SIZE);
    return n;
  }

  private void parseBatch(int n, PacketSink sink) {
    for (int i = 0; i < n; i++) parseReceived(i, sink);
  }

  private void parseReceived(int i, PacketSink sink) {
    int m = i * MMSG;
    int len = NativeBytes.getInt(headers, m + 56); // msg_len
    int flags = NativeBytes.getInt(headers, m + 48); // msg_hdr.msg_flags
    len = Math.min(len, slotSize);
    scratch(len);
    MemorySegment.copy(recvBufs, (long) i * slotSize, scratchSegment, 0, len);
    Packet p = packet;
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
      p.checksumOk =
          p.checksumOk && !ipv6 && mode == SocketKind.RAW; // truncated payload: cannot be verified
    }
    if (ipv6 || mode == SocketKind.DATAGRAM) {
      SockAddr.readInto(names, i * NAME_SIZE, NativeBytes.getInt(headers, m + 8), p); // msg_namelen
    }
    long controlLen = NativeBytes.getLong(headers, m + 40); // msg_controllen
    readControl(recvControls, (long) i * CONTROL_SIZE, controlLen, p, null);
    sink.accept(this, p);
  }

  /**
   * Reads the control messages of one received message into {@code p}; returns the offset of
   * RECVERR data in {@code seg} (and, less {@code base}, in {@link #control}, where the messages
   * are left). They are copied to the heap in one go and parsed there, with plain array reads
   * (ENGINE-NOTES §11).
   */
  private long readControl(
      MemorySegment seg, long base, long controlLen, Packet p, long[] recvErr) {
    int len = (int) Math.min(controlLen, control.length);
    if (len <= 0) return -1;
    MemorySegment.copy(seg, base, controlSegment, 0, len);
    byte[] c = control;
    int off = 0;
    long found = -1;
    while (off + CMSG_HEADER <= len) {
      long cmsgLen = NativeBytes.getLong(c, off);
      if (cmsgLen < CMSG_HEADER || off + cmsgLen > len) break;
      int level = NativeBytes.getInt(c, off + 8);
      int type = NativeBytes.getInt(c, off + 12);
      int data = off + CMSG_HEADER;
      if (level == Sys.SOL_SOCKET && type == Sys.SCM_TIMESTAMPNS) {
        p.rxTime = NativeBytes.getLong(c, data) * 1_000_000_000L + NativeBytes.getLong(c, data + 8);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_TTL) {
        p.ttl = NativeBytes.getInt(c, data);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_TOS) {
        p.tos = Byte.toUnsignedInt(c[data]);
      } else if (level == Sys.IPPROTO_IP && type == Sys.IP_RECVOPTS) {
        p.optionsLength = (int) Math.min(cmsgLen - CMSG_HEADER, p.options.length);
        System.arraycopy(c, data, p.options, 0, p.optionsLength);
      } else if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_HOPLIMIT) {
        p.ttl = NativeBytes.getInt(c, data);
      } else if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_TCLASS) {
        p.tos = NativeBytes.getInt(c, data);
      } else if ((level == Sys.IPPROTO_IP && type == Sys.IP_RECVERR)
          || (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_RECVERR)) {
        found = base + data;
        if (recvErr != null) recvErr[0] = cmsgLen - CMSG_HEADER;
      }
      off += (int) Layouts.cmsgAlign(cmsgLen);
    }
    return found;
  }

  private static final int CMSG_HEADER = (int) Layouts.CMSG_DATA_OFFSET;

  /** One message's control data, copied from native memory for parsing. */
  private final byte[] control =
      new byte[CONTROL_SIZE * 2]; // the error queue's control buffer is the larger

  private final MemorySegment controlSegment = MemorySegment.ofArray(control);

  private final long[] recvErrLen = new long[1];

  /** Reads the error queue: ICMP errors about our echoes (ping sockets) and local errors. */
  private int drainErrorQueue(PacketSink sink) {
    int count = 0;
    for (int guard = 0; guard < 4096; guard++) {
      errMsg.set(JAVA_INT, 8, NAME_SIZE);
      errMsg.set(JAVA_LONG, 40, errControl.byteSize());
      errMsg.set(JAVA_INT, 48, 0);
      long r = LibC.recvmsg(errno, fd, errMsg, Sys.MSG_ERRQUEUE | Sys.MSG_DONTWAIT);
      if (r < 0) {
        if (Native.errno(errno) == Errno.EINTR.number()) continue;
        break;
      }
      count++;
      int len = (int) Math.min(r, ERR_BUF_SIZE);
      scratch(len);
      MemorySegment.copy(errBuf, 0, scratchSegment, 0, len);
      Packet p = packet;
      p.clear();
      p.ipv6 = ipv6;
      // readControl leaves the control data in `control` (copied from offset 0, so `ee` indexes it
      // too).
      int ee = (int) readControl(errControl, 0, errMsg.get(JAVA_LONG, 40), p, recvErrLen);
      if (ee < 0 || recvErrLen[0] < Layouts.SOCK_EXTENDED_ERR.byteSize()) continue;
      int eeErrno = NativeBytes.getInt(control, ee);
      int origin = Byte.toUnsignedInt(control[ee + 4]);
      // A local error (ip_local_error, e.g. EMSGSIZE with the path MTU) carries no copy of our
      // packet: its
      // sequence stays -1 and the engine applies it to the send that just failed.
      if (!IcmpCodec.parseQuotedEcho(scratch, 0, len, ipv6, p) && origin != Sys.SO_EE_ORIGIN_LOCAL)
        continue;
      p.icmpType = Byte.toUnsignedInt(control[ee + 5]);
      p.icmpCode = Byte.toUnsignedInt(control[ee + 6]);
      p.info = NativeBytes.getInt(control, ee + 8);
      // p.ttl is the error message's own TTL: with IP_RECVTTL the error queue reports it (IP_TTL
      // control message).
      int see = (int) Layouts.SOCK_EXTENDED_ERR.byteSize();
      SockAddr.readInto(
          control, ee + see, (int) recvErrLen[0] - see, p); // the offender follows the error
      // msg_name of an error-queue message is the original destination.
      Packet dst = quoted;
      dst.clear();
      MemorySegment.copy(errName, 0, errNameCopy, 0, NAME_SIZE);
      SockAddr.readInto(errNameBytes, 0, errMsg.get(JAVA_INT, 8), dst);
      System.arraycopy(dst.from, 0, p.quotedDst, 0, dst.fromLen);
      p.quotedDstLen = dst.fromLen;
      if (origin == Sys.SO_EE_ORIGIN_ICMP || origin == Sys.SO_EE_ORIGIN_ICMP6) {
        p.kind = Packet.ICMP_ERROR;
      } else if (origin == Sys.SO_EE_ORIGIN_LOCAL) {
        p.kind = Packet.LOCAL_ERROR;
        p.failureCode = eeErrno;
      } else {
        continue;
      }
      p.identifier = mode == SocketKind.DATAGRAM ? identifier : p.identifier;
      sink.accept(this, p);
    }
    return count;
  }

  private final Packet quoted = new Packet();

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
