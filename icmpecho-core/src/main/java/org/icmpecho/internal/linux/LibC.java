package org.icmpecho.internal.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Thin wrappers over the C library calls the engine and the test lab use. Each returns the raw C
 * result; the caller reads errno from the capture segment it passed ({@link Native#errno}) and
 * decides what -1 means. Handles are named after their C symbol and built once.
 *
 * <p>Every function is linked with one C shape ({@link Native#downcall}): six 64-bit integer
 * arguments and a 64-bit result, pointers passed as addresses. Each distinct shape costs the JVM a
 * generated stub and its classes (about 3 ms each at start-up, and their compilation); one shape
 * for all makes a command's start-up pay for two (with and without errno) instead of fifteen. The
 * wrappers keep the C types in their signatures; see {@link Native#downcall} for why the wider
 * shape is exact on Linux's x86-64 and aarch64 ABIs.
 */
@SuppressWarnings("restricted") // the native layer: links C functions
public final class LibC {
  private LibC() {}

  private static final MethodHandle socket = Native.downcall("socket", true);
  private static final MethodHandle bind = Native.downcall("bind", true);
  private static final MethodHandle setsockopt = Native.downcall("setsockopt", true);
  private static final MethodHandle getsockopt = Native.downcall("getsockopt", true);
  private static final MethodHandle getsockname = Native.downcall("getsockname", true);
  private static final MethodHandle sendto = Native.downcall("sendto", true);
  private static final MethodHandle sendmsg = Native.downcall("sendmsg", true);
  private static final MethodHandle recvmsg = Native.downcall("recvmsg", true);
  private static final MethodHandle recvmmsg = Native.downcall("recvmmsg", true);
  private static final MethodHandle close = Native.downcall("close", false);
  private static final MethodHandle epoll_create1 = Native.downcall("epoll_create1", true);
  private static final MethodHandle epoll_ctl = Native.downcall("epoll_ctl", true);
  private static final MethodHandle epoll_wait = Native.downcall("epoll_wait", true);
  private static final MethodHandle eventfd = Native.downcall("eventfd", true);
  private static final MethodHandle read = Native.downcall("read", false);
  private static final MethodHandle write = Native.downcall("write", false);
  private static final MethodHandle clock_gettime = Native.downcall("clock_gettime", false);
  private static final MethodHandle setns = Native.downcall("setns", true);
  private static final MethodHandle getegid = Native.downcall("getegid", false);
  private static final MethodHandle capget = Native.downcall("capget", true);
  private static final MethodHandle capset = Native.downcall("capset", true);
  private static final MethodHandle if_nametoindex = Native.downcall("if_nametoindex", true);

  /**
   * epoll_pwait2 (Linux 5.11, glibc 2.35): a nanosecond timeout. Null when this C library does not
   * have it.
   */
  private static final MethodHandle epoll_pwait2 = Native.optionalDowncall("epoll_pwait2", true);

  private static final class Open {
    // open(2) is variadic (its mode): linked as such, with its own shape; only namespaces use it.
    static final MethodHandle H =
        Linker.nativeLinker()
            .downcallHandle(
                Linker.nativeLinker().defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(Native.C_INT, Native.C_POINTER, Native.C_INT, Native.C_INT),
                Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(2));
  }

  /**
   * The address C gets for a segment. Only native memory has one: a heap segment here is an engine
   * bug, reported as an AssertionError by the wrapper, never passed to C as a wild pointer.
   */
  private static long a(MemorySegment s) {
    if (!s.isNative()) throw new IllegalArgumentException("a C call needs native memory, not " + s);
    return s.address();
  }

  public static int socket(MemorySegment errno, int domain, int type, int protocol) {
    try {
      return (int)
          (long) socket.invokeExact(errno, (long) domain, (long) type, (long) protocol, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("socket downcall failed", t);
    }
  }

  public static int bind(MemorySegment errno, int fd, MemorySegment addr, int len) {
    try {
      return (int) (long) bind.invokeExact(errno, (long) fd, a(addr), (long) len, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("bind downcall failed", t);
    }
  }

  public static int setsockopt(
      MemorySegment errno, int fd, int level, int name, MemorySegment value, int len) {
    try {
      return (int)
          (long)
              setsockopt.invokeExact(
                  errno, (long) fd, (long) level, (long) name, a(value), (long) len, 0L);
    } catch (Throwable t) {
      throw new AssertionError("setsockopt downcall failed", t);
    }
  }

  public static int getsockopt(
      MemorySegment errno, int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
    try {
      return (int)
          (long)
              getsockopt.invokeExact(
                  errno, (long) fd, (long) level, (long) name, a(value), a(lenPtr), 0L);
    } catch (Throwable t) {
      throw new AssertionError("getsockopt downcall failed", t);
    }
  }

  public static int getsockname(
      MemorySegment errno, int fd, MemorySegment addr, MemorySegment lenPtr) {
    try {
      return (int) (long) getsockname.invokeExact(errno, (long) fd, a(addr), a(lenPtr), 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("getsockname downcall failed", t);
    }
  }

  public static long sendmsg(MemorySegment errno, int fd, MemorySegment msg, int flags) {
    try {
      return (long) sendmsg.invokeExact(errno, (long) fd, a(msg), (long) flags, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("sendmsg downcall failed", t);
    }
  }

  public static long sendto(
      MemorySegment errno,
      int fd,
      MemorySegment buf,
      long len,
      int flags,
      MemorySegment addr,
      int addrLen) {
    try {
      return (long)
          sendto.invokeExact(errno, (long) fd, a(buf), len, (long) flags, a(addr), (long) addrLen);
    } catch (Throwable t) {
      throw new AssertionError("sendto downcall failed", t);
    }
  }

  public static long recvmsg(MemorySegment errno, int fd, MemorySegment msg, int flags) {
    try {
      return (long) recvmsg.invokeExact(errno, (long) fd, a(msg), (long) flags, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("recvmsg downcall failed", t);
    }
  }

  public static int recvmmsg(
      MemorySegment errno,
      int fd,
      MemorySegment msgvec,
      int vlen,
      int flags,
      MemorySegment timeout) {
    try {
      return (int)
          (long)
              recvmmsg.invokeExact(
                  errno, (long) fd, a(msgvec), (long) vlen, (long) flags, a(timeout), 0L);
    } catch (Throwable t) {
      throw new AssertionError("recvmmsg downcall failed", t);
    }
  }

  public static int close(int fd) {
    try {
      return (int) (long) close.invokeExact((long) fd, 0L, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("close downcall failed", t);
    }
  }

  public static int epollCreate1(MemorySegment errno, int flags) {
    try {
      return (int) (long) epoll_create1.invokeExact(errno, (long) flags, 0L, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("epoll_create1 downcall failed", t);
    }
  }

  public static int epollCtl(MemorySegment errno, int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int)
          (long) epoll_ctl.invokeExact(errno, (long) epfd, (long) op, (long) fd, a(event), 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("epoll_ctl downcall failed", t);
    }
  }

  public static int epollWait(
      MemorySegment errno, int epfd, MemorySegment events, int max, int timeoutMs) {
    try {
      return (int)
          (long)
              epoll_wait.invokeExact(
                  errno, (long) epfd, a(events), (long) max, (long) timeoutMs, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("epoll_wait downcall failed", t);
    }
  }

  /** Whether {@link #epollPwait2} may be called. */
  public static boolean hasEpollPwait2() {
    return epoll_pwait2 != null;
  }

  public static int epollPwait2(
      MemorySegment errno, int epfd, MemorySegment events, int max, MemorySegment timeout) {
    try {
      return (int)
          (long)
              epoll_pwait2.invokeExact(
                  errno, (long) epfd, a(events), (long) max, a(timeout), 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("epoll_pwait2 downcall failed", t);
    }
  }

  public static int eventfd(MemorySegment errno, int initval, int flags) {
    try {
      return (int) (long) eventfd.invokeExact(errno, (long) initval, (long) flags, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("eventfd downcall failed", t);
    }
  }

  public static long read(int fd, MemorySegment buf, long n) {
    try {
      return (long) read.invokeExact((long) fd, a(buf), n, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("read downcall failed", t);
    }
  }

  public static long write(int fd, MemorySegment buf, long n) {
    try {
      return (long) write.invokeExact((long) fd, a(buf), n, 0L, 0L, 0L);
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
      return (int) (long) setns.invokeExact(errno, (long) fd, (long) nstype, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("setns downcall failed", t);
    }
  }

  public static int clockGettime(int clock, MemorySegment timespec) {
    try {
      return (int) (long) clock_gettime.invokeExact((long) clock, a(timespec), 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("clock_gettime downcall failed", t);
    }
  }

  public static int getegid() {
    try {
      return (int) (long) getegid.invokeExact(0L, 0L, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("getegid downcall failed", t);
    }
  }

  public static int capget(MemorySegment errno, MemorySegment header, MemorySegment data) {
    try {
      return (int) (long) capget.invokeExact(errno, a(header), a(data), 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("capget downcall failed", t);
    }
  }

  public static int capset(MemorySegment errno, MemorySegment header, MemorySegment data) {
    try {
      return (int) (long) capset.invokeExact(errno, a(header), a(data), 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("capset downcall failed", t);
    }
  }

  public static int ifNametoindex(MemorySegment errno, MemorySegment name) {
    try {
      return (int) (long) if_nametoindex.invokeExact(errno, a(name), 0L, 0L, 0L, 0L, 0L);
    } catch (Throwable t) {
      throw new AssertionError("if_nametoindex downcall failed", t);
    }
  }
}
