package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;

/**
 * Opens and configures one ICMP socket for a {@link LinuxChannel}: the socket kind (a ping socket,
 * falling back to raw when allowed), the receive buffer, receive timestamps, the device and source
 * binding, the echo identifier, and the per-family options (error queue, TTL/TOS/options control
 * messages, the raw sockets' ICMP filters). Cold path: runs once per socket, its temporary memory
 * in a confined arena; what it finds is handed to the channel's constructor.
 */
final class SocketOpener {
  private static final int NAME_SIZE = 28;

  private SocketOpener() {}

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
        // time exceeded and parameter problem; our own echo requests on loopback and everything
        // else stay in the kernel.
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
}
