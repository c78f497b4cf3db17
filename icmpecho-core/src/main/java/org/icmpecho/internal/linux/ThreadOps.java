package org.icmpecho.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.icmpecho.internal.transport.TransportException;

/**
 * Operations that change only the calling OS thread: entering a network namespace ({@code setns})
 * and dropping capabilities ({@code capset}). Both act on one thread only, which is why the engine
 * runs them on its own platform I/O thread, never on a virtual thread (whose carrier changes under
 * it).
 */
public final class ThreadOps {
  private ThreadOps() {}

  /** Enters {@code /var/run/netns/NAME} (as made by {@code ip netns add NAME}) on this thread. */
  public static void enterNetworkNamespace(String name) throws TransportException {
    if (!name.matches("[A-Za-z0-9._-]{1,200}") || name.equals(".") || name.equals("..")) {
      throw LinuxTransport.unsupported("invalid network namespace name '" + name + "'", null, 0);
    }
    enterNetworkNamespacePath("/var/run/netns/" + name);
  }

  /**
   * Enters the network namespace at {@code path} (a netns file, or {@code /proc/PID/ns/net}) on
   * this thread.
   */
  public static void enterNetworkNamespacePath(String path) throws TransportException {
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException(
          "setns on a virtual thread would move its carrier, not the virtual thread");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = Native.allocateErrno(arena);
      int fd = LibC.open(errno, arena.allocateFrom(path), Sys.O_RDONLY | Sys.O_CLOEXEC);
      if (fd < 0) {
        int e = Native.errno(errno);
        throw new TransportException(
            TransportException.Kind.UNSUPPORTED,
            "cannot open network namespace "
                + path
                + ": "
                + Errno.message(e)
                + (e == Errno.ENOENT.number() ? " (create it with 'ip netns add')" : ""),
            "open",
            Errno.name(e));
      }
      try {
        if (LibC.setns(errno, fd, Sys.CLONE_NEWNET) < 0) {
          int e = Native.errno(errno);
          throw new TransportException(
              TransportException.Kind.FAILED,
              "cannot enter network namespace "
                  + path
                  + ": "
                  + Errno.message(e)
                  + (e == Errno.EPERM.number() ? " (setns needs CAP_SYS_ADMIN)" : ""),
              "setns",
              Errno.name(e));
        }
      } finally {
        LibC.close(fd);
      }
    }
  }

  /**
   * Removes {@code capability} (e.g. {@link Sys#CAP_NET_RAW}) from this thread's effective,
   * permitted and inheritable sets. Other threads of the process keep theirs: Linux credentials are
   * per thread at the system-call level. Tests use it to exercise the unprivileged path as root.
   */
  public static void dropCapability(int capability) throws TransportException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = Native.allocateErrno(arena);
      MemorySegment header = arena.allocate(Layouts.CAP_HEADER);
      header.set(ValueLayout.JAVA_INT, 0, Sys.CAP_VERSION_3);
      header.set(ValueLayout.JAVA_INT, 4, 0); // 0 = the calling thread
      MemorySegment data = arena.allocate(Layouts.CAP_DATA.byteSize() * 2, 4);
      if (LibC.capget(errno, header, data) < 0) {
        int e = Native.errno(errno);
        throw new TransportException(
            TransportException.Kind.FAILED,
            "capget failed: " + Errno.message(e),
            "capget",
            Errno.name(e));
      }
      int word = capability / 32;
      int mask = ~(1 << (capability % 32));
      long base = word * Layouts.CAP_DATA.byteSize();
      for (long field = 0; field < 12; field += 4) {
        data.set(
            ValueLayout.JAVA_INT,
            base + field,
            data.get(ValueLayout.JAVA_INT, base + field) & mask);
      }
      if (LibC.capset(errno, header, data) < 0) {
        int e = Native.errno(errno);
        throw new TransportException(
            TransportException.Kind.FAILED,
            "capset failed: " + Errno.message(e),
            "capset",
            Errno.name(e));
      }
    }
  }
}
