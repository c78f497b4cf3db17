package org.icmpecho.testkit.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The few Linux calls the scripted responder and the lab's probes make: raw sockets, {@code ppoll}
 * with a nanosecond timeout, {@code setns}, {@code sched_setscheduler}. This is the testkit's only
 * class that touches {@code java.lang.foreign}; the client's capability drop uses core's {@code
 * ThreadOps} instead.
 *
 * <p>Why not core's {@code org.icmpecho.internal.linux} for these too: it has no {@code ppoll} (its
 * {@code epoll_wait} takes milliseconds, too coarse for the responder's delays) and no scheduler
 * call, and when the lab was written it was neither exported to {@code org.icmpecho.testkit} nor
 * stable. Every call that can fail captures errno into a per-thread segment (never a shared one)
 * and a failure becomes an {@link IOException} that names the call and the errno.
 *
 * <p>Layouts are LP64 Linux (x86-64, aarch64).
 */
@SuppressWarnings("restricted") // this class is the testkit's one place for native calls
public final class Sys {
  private Sys() {}

  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;
  public static final int SOCK_RAW = 3;
  public static final int SOCK_CLOEXEC = 0x80000;
  public static final int IPPROTO_ICMP = 1;
  public static final int IPPROTO_IPV6 = 41;
  public static final int IPPROTO_ICMPV6 = 58;
  public static final int IPPROTO_RAW = 255;
  public static final int SOL_SOCKET = 1;
  public static final int SOL_RAW = 255;
  public static final int SO_RCVBUFFORCE = 33;
  public static final int SO_SNDBUFFORCE = 32;
  public static final int SO_TIMESTAMPNS = 35;
  public static final int SCM_TIMESTAMPNS = 35;
  public static final int ICMP_FILTER = 1;
  public static final int ICMP6_FILTER = 1;
  public static final int IPV6_RECVPKTINFO = 49;
  public static final int IPV6_PKTINFO = 50;
  public static final int IPV6_RECVHOPLIMIT = 51;
  public static final int IPV6_HOPLIMIT = 52;
  public static final int MSG_DONTWAIT = 0x40;
  public static final int POLLIN = 1;
  public static final int EINTR = 4;
  public static final int EAGAIN = 11;
  public static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY = 0;
  private static final int O_CLOEXEC = 0x80000;

  /** struct msghdr, 56 bytes. */
  public static final StructLayout MSGHDR =
      MemoryLayout.structLayout(
          ValueLayout.ADDRESS.withName("msg_name"),
          ValueLayout.JAVA_INT.withName("msg_namelen"),
          MemoryLayout.paddingLayout(4),
          ValueLayout.ADDRESS.withName("msg_iov"),
          ValueLayout.JAVA_LONG.withName("msg_iovlen"),
          ValueLayout.ADDRESS.withName("msg_control"),
          ValueLayout.JAVA_LONG.withName("msg_controllen"),
          ValueLayout.JAVA_INT.withName("msg_flags"),
          MemoryLayout.paddingLayout(4));

  /** struct iovec, 16 bytes. */
  public static final StructLayout IOVEC =
      MemoryLayout.structLayout(
          ValueLayout.ADDRESS.withName("iov_base"), ValueLayout.JAVA_LONG.withName("iov_len"));

  public static final long MSG_NAMELEN = 8;
  public static final long MSG_CONTROLLEN = 40;
  public static final long CMSG_HEADER = 16;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_VALUE =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
  private static final ValueLayout P = ValueLayout.ADDRESS;

  private static final MethodHandle socket = link("socket", FunctionDescriptor.of(I, I, I, I));
  private static final MethodHandle setsockopt =
      link("setsockopt", FunctionDescriptor.of(I, I, I, I, P, I));
  private static final MethodHandle sendto =
      link("sendto", FunctionDescriptor.of(L, I, P, L, I, P, I));
  private static final MethodHandle recvmsg = link("recvmsg", FunctionDescriptor.of(L, I, P, I));
  private static final MethodHandle ppoll = link("ppoll", FunctionDescriptor.of(I, P, L, P, P));
  private static final MethodHandle close = link("close", FunctionDescriptor.of(I, I));
  private static final MethodHandle setns = link("setns", FunctionDescriptor.of(I, I, I));
  private static final MethodHandle sched_setscheduler =
      link("sched_setscheduler", FunctionDescriptor.of(I, I, I, P));
  private static final MethodHandle open =
      LINKER.downcallHandle(
          find("open"),
          FunctionDescriptor.of(I, P, I, I),
          ERRNO,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle strerror =
      LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(P, I));

  /** One errno capture segment per thread, as the house style asks (rule 9). */
  private static final ThreadLocal<MemorySegment> ERRNO_SEGMENT =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

  /** Sockets opened through this class and not closed yet (the lab's own leak check reads it). */
  private static final AtomicInteger OPEN_SOCKETS = new AtomicInteger();

  private static MemorySegment find(String name) {
    return LIBC.find(name)
        .orElseThrow(() -> new LinkageError("C library symbol not found: " + name));
  }

  private static MethodHandle link(String name, FunctionDescriptor desc) {
    return LINKER.downcallHandle(find(name), desc, ERRNO);
  }

  private static MemorySegment errnoSegment() {
    return ERRNO_SEGMENT.get();
  }

  /** The errno captured by this thread's last call. */
  public static int lastErrno() {
    return (int) ERRNO_VALUE.get(errnoSegment(), 0L);
  }

  /** strerror(errno). */
  public static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) strerror.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      throw new AssertionError("strerror downcall failed", t);
    }
  }

  private static IOException failure(String call, int errno) {
    return new IOException(call + " failed: errno " + errno + " (" + strerror(errno) + ")");
  }

  /** Sockets opened and not yet closed by this class. */
  public static int openSockets() {
    return OPEN_SOCKETS.get();
  }

  public static int socket(int domain, int type, int protocol) throws IOException {
    int fd;
    try {
      fd = (int) socket.invokeExact(errnoSegment(), domain, type | SOCK_CLOEXEC, protocol);
    } catch (Throwable t) {
      throw new AssertionError("socket downcall failed", t);
    }
    if (fd < 0)
      throw failure("socket(" + domain + ", " + type + ", " + protocol + ")", lastErrno());
    OPEN_SOCKETS.incrementAndGet();
    return fd;
  }

  public static void closeSocket(int fd) {
    if (fd >= 0 && closeFd(fd) == 0) OPEN_SOCKETS.decrementAndGet();
  }

  private static int closeFd(int fd) {
    try {
      return (int) close.invokeExact(errnoSegment(), fd);
    } catch (Throwable t) {
      throw new AssertionError("close downcall failed", t);
    }
  }

  public static void setsockopt(int fd, int level, int name, MemorySegment value)
      throws IOException {
    int rc;
    try {
      rc =
          (int)
              setsockopt.invokeExact(
                  errnoSegment(), fd, level, name, value, (int) value.byteSize());
    } catch (Throwable t) {
      throw new AssertionError("setsockopt downcall failed", t);
    }
    if (rc < 0) throw failure("setsockopt(" + level + ", " + name + ")", lastErrno());
  }

  public static void setsockoptInt(int fd, int level, int name, int value) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      setsockopt(fd, level, name, a.allocateFrom(ValueLayout.JAVA_INT, value));
    }
  }

  /** sendto; returns bytes sent or -errno (no exception: a send failure is data for the caller). */
  public static long sendto(int fd, MemorySegment buf, long len, MemorySegment addr, int addrLen) {
    try {
      long n = (long) sendto.invokeExact(errnoSegment(), fd, buf, len, 0, addr, addrLen);
      return n < 0 ? -lastErrno() : n;
    } catch (Throwable t) {
      throw new AssertionError("sendto downcall failed", t);
    }
  }

  /** recvmsg; returns bytes received or -errno. */
  public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
    try {
      long n = (long) recvmsg.invokeExact(errnoSegment(), fd, msghdr, flags);
      return n < 0 ? -lastErrno() : n;
    } catch (Throwable t) {
      throw new AssertionError("recvmsg downcall failed", t);
    }
  }

  /**
   * ppoll on {@code pollfds} (struct pollfd array of {@code n}) with a nanosecond timeout ({@code
   * timeout} is a 16-byte timespec the caller owns; negative {@code nanos} waits forever). Returns
   * the ready count, 0 on timeout, or -errno.
   */
  public static int ppoll(MemorySegment pollfds, int n, MemorySegment timeout, long nanos) {
    MemorySegment ts = MemorySegment.NULL;
    if (nanos >= 0) {
      timeout.set(ValueLayout.JAVA_LONG, 0, nanos / 1_000_000_000L);
      timeout.set(ValueLayout.JAVA_LONG, 8, nanos % 1_000_000_000L);
      ts = timeout;
    }
    try {
      int rc = (int) ppoll.invokeExact(errnoSegment(), pollfds, (long) n, ts, MemorySegment.NULL);
      return rc < 0 ? -lastErrno() : rc;
    } catch (Throwable t) {
      throw new AssertionError("ppoll downcall failed", t);
    }
  }

  /**
   * Puts the calling thread in {@code SCHED_FIFO} at {@code priority} (as root), so that it wakes
   * on time on a loaded machine. Returns false when the kernel refuses (no privilege, RT budget
   * exhausted).
   */
  public static boolean realtimeScheduling(int priority) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment param = a.allocateFrom(ValueLayout.JAVA_INT, priority);
      int rc = (int) sched_setscheduler.invokeExact(errnoSegment(), 0, 1, param); // 1 = SCHED_FIFO
      return rc == 0;
    } catch (Throwable t) {
      throw new AssertionError("sched_setscheduler downcall failed", t);
    }
  }

  /**
   * Moves the calling OS thread into the network namespace at {@code path} ({@code
   * /var/run/netns/NAME}). Only that thread moves; call it on a dedicated platform thread, never a
   * virtual one.
   */
  public static void enterNetworkNamespace(String path) throws IOException {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException("setns on a virtual thread would move its carrier thread");
    }
    try (Arena a = Arena.ofConfined()) {
      int fd;
      try {
        fd = (int) open.invokeExact(errnoSegment(), a.allocateFrom(path), O_RDONLY | O_CLOEXEC, 0);
      } catch (Throwable t) {
        throw new AssertionError("open downcall failed", t);
      }
      if (fd < 0) throw failure("open(" + path + ")", lastErrno());
      try {
        int rc;
        try {
          rc = (int) setns.invokeExact(errnoSegment(), fd, CLONE_NEWNET);
        } catch (Throwable t) {
          throw new AssertionError("setns downcall failed", t);
        }
        if (rc < 0) throw failure("setns(" + path + ")", lastErrno());
      } finally {
        closeFd(fd);
      }
    }
  }
}
