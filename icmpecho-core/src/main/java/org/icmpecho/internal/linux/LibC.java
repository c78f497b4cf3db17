package org.icmpecho.internal.linux;

import static org.icmpecho.internal.linux.Native.C_INT;
import static org.icmpecho.internal.linux.Native.C_LONG;
import static org.icmpecho.internal.linux.Native.C_POINTER;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Thin wrappers over the C library calls the engine and the test lab use. Each returns the raw C result; the
 * caller reads errno from the capture segment it passed ({@link Native#errno}) and decides what -1 means. Handles
 * are named after their C symbol and built once.
 */
public final class LibC {
  private LibC() {}

  private static final MethodHandle socket =
      Native.downcallErrno("socket", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT));
  private static final MethodHandle setsockopt =
      Native.downcallErrno("setsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_INT));
  private static final MethodHandle getsockopt =
      Native.downcallErrno("getsockopt", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER, C_POINTER));
  private static final MethodHandle getsockname =
      Native.downcallErrno("getsockname", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
  private static final MethodHandle sendto =
      Native.downcallErrno("sendto", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG, C_INT, C_POINTER, C_INT));
  private static final MethodHandle recvmmsg =
      Native.downcallErrno("recvmmsg", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER));
  private static final MethodHandle close = Native.downcall("close", FunctionDescriptor.of(C_INT, C_INT));
  private static final MethodHandle epoll_create1 =
      Native.downcallErrno("epoll_create1", FunctionDescriptor.of(C_INT, C_INT));
  private static final MethodHandle epoll_ctl =
      Native.downcallErrno("epoll_ctl", FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
  /** epoll_pwait2 (Linux 5.11, glibc 2.35): a nanosecond timeout. Null when this C library does not have it. */
  private static final MethodHandle epoll_pwait2 = Native.optionalDowncallErrno("epoll_pwait2",
      FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_POINTER, C_POINTER));
  private static final MethodHandle eventfd =
      Native.downcallErrno("eventfd", FunctionDescriptor.of(C_INT, C_INT, C_INT));
  private static final MethodHandle read =
      Native.downcall("read", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
  private static final MethodHandle write =
      Native.downcall("write", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
  private static final MethodHandle clock_gettime =
      Native.downcall("clock_gettime", FunctionDescriptor.of(C_INT, C_INT, C_POINTER));

  // Calls that most commands never make (a source address, options, the error queue, namespaces, capabilities, the
  // epoll_wait fallback): each handle is made when its function is first called, in a holder class of its own.
  // Making a downcall handle spins classes (about 3 ms each at start-up), and a plain `ping -c 1` needs none of these.

  private static final class Bind {
    static final MethodHandle H =
        Native.downcallErrno("bind", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT));
  }

  private static final class Sendmsg {
    static final MethodHandle H =
        Native.downcallErrno("sendmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
  }

  private static final class Recvmsg {
    static final MethodHandle H =
        Native.downcallErrno("recvmsg", FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_INT));
  }

  private static final class EpollWait {
    static final MethodHandle H =
        Native.downcallErrno("epoll_wait", FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
  }

  private static final class Open {
    static final MethodHandle H = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("open").orElseThrow(),
        FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT),
        Linker.Option.captureCallState("errno"),
        Linker.Option.firstVariadicArg(2));
  }

  private static final class Setns {
    static final MethodHandle H =
        Native.downcallErrno("setns", FunctionDescriptor.of(C_INT, C_INT, C_INT));
  }

  private static final class Getegid {
    static final MethodHandle H = Native.downcall("getegid", FunctionDescriptor.of(C_INT));
  }

  private static final class Capget {
    static final MethodHandle H =
        Native.downcallErrno("capget", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
  }

  private static final class Capset {
    static final MethodHandle H =
        Native.downcallErrno("capset", FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
  }

  private static final class IfNametoindex {
    static final MethodHandle H =
        Native.downcallErrno("if_nametoindex", FunctionDescriptor.of(C_INT, C_POINTER));
  }

  public static int socket(MemorySegment errno, int domain, int type, int protocol) {
    try {
      return (int) socket.invokeExact(errno, domain, type, protocol);
    } catch (Throwable t) {
      throw new AssertionError("socket downcall failed", t);
    }
  }

  public static int bind(MemorySegment errno, int fd, MemorySegment addr, int len) {
    try {
      return (int) Bind.H.invokeExact(errno, fd, addr, len);
    } catch (Throwable t) {
      throw new AssertionError("bind downcall failed", t);
    }
  }

  public static int setsockopt(MemorySegment errno, int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int) setsockopt.invokeExact(errno, fd, level, name, value, len);
    } catch (Throwable t) {
      throw new AssertionError("setsockopt downcall failed", t);
    }
  }

  public static int getsockopt(MemorySegment errno, int fd, int level, int name, MemorySegment value,
      MemorySegment lenPtr) {
    try {
      return (int) getsockopt.invokeExact(errno, fd, level, name, value, lenPtr);
    } catch (Throwable t) {
      throw new AssertionError("getsockopt downcall failed", t);
    }
  }

  public static int getsockname(MemorySegment errno, int fd, MemorySegment addr, MemorySegment lenPtr) {
    try {
      return (int) getsockname.invokeExact(errno, fd, addr, lenPtr);
    } catch (Throwable t) {
      throw new AssertionError("getsockname downcall failed", t);
    }
  }

  public static long sendmsg(MemorySegment errno, int fd, MemorySegment msg, int flags) {
    try {
      return (long) Sendmsg.H.invokeExact(errno, fd, msg, flags);
    } catch (Throwable t) {
      throw new AssertionError("sendmsg downcall failed", t);
    }
  }

  public static long sendto(MemorySegment errno, int fd, MemorySegment buf, long len, int flags,
      MemorySegment addr, int addrLen) {
    try {
      return (long) sendto.invokeExact(errno, fd, buf, len, flags, addr, addrLen);
    } catch (Throwable t) {
      throw new AssertionError("sendto downcall failed", t);
    }
  }

  public static long recvmsg(MemorySegment errno, int fd, MemorySegment msg, int flags) {
    try {
      return (long) Recvmsg.H.invokeExact(errno, fd, msg, flags);
    } catch (Throwable t) {
      throw new AssertionError("recvmsg downcall failed", t);
    }
  }

  public static int recvmmsg(MemorySegment errno, int fd, MemorySegment msgvec, int vlen, int flags,
      MemorySegment timeout) {
    try {
      return (int) recvmmsg.invokeExact(errno, fd, msgvec, vlen, flags, timeout);
    } catch (Throwable t) {
      throw new AssertionError("recvmmsg downcall failed", t);
    }
  }

  public static int close(int fd) {
    try {
      return (int) close.invokeExact(fd);
    } catch (Throwable t) {
      throw new AssertionError("close downcall failed", t);
    }
  }

  public static int epollCreate1(MemorySegment errno, int flags) {
    try {
      return (int) epoll_create1.invokeExact(errno, flags);
    } catch (Throwable t) {
      throw new AssertionError("epoll_create1 downcall failed", t);
    }
  }

  public static int epollCtl(MemorySegment errno, int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int) epoll_ctl.invokeExact(errno, epfd, op, fd, event);
    } catch (Throwable t) {
      throw new AssertionError("epoll_ctl downcall failed", t);
    }
  }

  public static int epollWait(MemorySegment errno, int epfd, MemorySegment events, int max, int timeoutMs) {
    try {
      return (int) EpollWait.H.invokeExact(errno, epfd, events, max, timeoutMs);
    } catch (Throwable t) {
      throw new AssertionError("epoll_wait downcall failed", t);
    }
  }

  /** Whether {@link #epollPwait2} may be called. */
  public static boolean hasEpollPwait2() {
    return epoll_pwait2 != null;
  }

  public static int epollPwait2(MemorySegment errno, int epfd, MemorySegment events, int max, MemorySegment timeout) {
    try {
      return (int) epoll_pwait2.invokeExact(errno, epfd, events, max, timeout, MemorySegment.NULL);
    } catch (Throwable t) {
      throw new AssertionError("epoll_pwait2 downcall failed", t);
    }
  }

  public static int eventfd(MemorySegment errno, int initval, int flags) {
    try {
      return (int) eventfd.invokeExact(errno, initval, flags);
    } catch (Throwable t) {
      throw new AssertionError("eventfd downcall failed", t);
    }
  }

  public static long read(int fd, MemorySegment buf, long n) {
    try {
      return (long) read.invokeExact(fd, buf, n);
    } catch (Throwable t) {
      throw new AssertionError("read downcall failed", t);
    }
  }

  public static long write(int fd, MemorySegment buf, long n) {
    try {
      return (long) write.invokeExact(fd, buf, n);
    } catch (Throwable t) {
      throw new AssertionError("write downcall failed", t);
    }
  }

  public static int open(MemorySegment errno, MemorySegment path, int flags) {
    try {
      return (int) Open.H.invokeExact(errno, path, flags, 0);
    } catch (Throwable t) {
      throw new AssertionError("open downcall failed", t);
    }
  }

  public static int setns(MemorySegment errno, int fd, int nstype) {
    try {
      return (int) Setns.H.invokeExact(errno, fd, nstype);
    } catch (Throwable t) {
      throw new AssertionError("setns downcall failed", t);
    }
  }

  public static int clockGettime(int clock, MemorySegment timespec) {
    try {
      return (int) clock_gettime.invokeExact(clock, timespec);
    } catch (Throwable t) {
      throw new AssertionError("clock_gettime downcall failed", t);
    }
  }

  public static int getegid() {
    try {
      return (int) Getegid.H.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError("getegid downcall failed", t);
    }
  }

  public static int capget(MemorySegment errno, MemorySegment header, MemorySegment data) {
    try {
      return (int) Capget.H.invokeExact(errno, header, data);
    } catch (Throwable t) {
      throw new AssertionError("capget downcall failed", t);
    }
  }

  public static int capset(MemorySegment errno, MemorySegment header, MemorySegment data) {
    try {
      return (int) Capset.H.invokeExact(errno, header, data);
    } catch (Throwable t) {
      throw new AssertionError("capset downcall failed", t);
    }
  }

  public static int ifNametoindex(MemorySegment errno, MemorySegment name) {
    try {
      return (int) IfNametoindex.H.invokeExact(errno, name);
    } catch (Throwable t) {
      throw new AssertionError("if_nametoindex downcall failed", t);
    }
  }
}
