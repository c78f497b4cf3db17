package org.icmpecho.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.TransportException;

/**
 * epoll over the channels' sockets plus an eventfd that other threads write to wake the I/O thread.
 * Created and used on one I/O thread; only {@link #wakeup()} is called from others.
 */
final class LinuxPoller implements Poller {
  private static final int MAX_EVENTS = 64;
  private static final long WAKE_TOKEN = -1;

  /** Shared: a caller-run echo may re-arm a socket (epoll_ctl) while it owns the loop. */
  private final Arena arena = Arena.ofShared();

  private final MemorySegment errno = Native.allocateErrno(arena);
  private final MemorySegment events =
      arena.allocate(Layouts.EPOLL_EVENT.byteSize() * MAX_EVENTS, 8);
  private final MemorySegment ctlEvent = arena.allocate(Layouts.EPOLL_EVENT.byteSize(), 8);
  private final MemorySegment drain = arena.allocate(8, 8);
  private final MemorySegment one;
  private final int epfd;
  private final int wakeFd;
  private final long eventSize = Layouts.EPOLL_EVENT.byteSize();
  private final MemorySegment timeout = arena.allocate(Layouts.TIMESPEC);
  private final boolean pwait2 = LibC.hasEpollPwait2();

  LinuxPoller() throws TransportException {
    // GC-managed: wakeup() may race with close() from another thread, so this segment is never
    // freed early.
    one = Arena.ofAuto().allocate(8, 8);
    one.set(ValueLayout.JAVA_LONG, 0, 1L);
    epfd = LibC.epollCreate1(errno, Sys.EPOLL_CLOEXEC);
    if (epfd < 0)
      throw LinuxTransport.failure(
          "epoll_create1", Native.errno(errno), "cannot create an epoll set");
    wakeFd = LibC.eventfd(errno, 0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
    if (wakeFd < 0) {
      int e = Native.errno(errno);
      LibC.close(epfd);
      throw LinuxTransport.failure("eventfd", e, "cannot create an eventfd");
    }
    ctl(Sys.EPOLL_CTL_ADD, wakeFd, Sys.EPOLLIN, WAKE_TOKEN);
  }

  private void ctl(int op, int fd, int eventMask, long token) throws TransportException {
    ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, 0, eventMask);
    ctlEvent.set(ValueLayout.JAVA_LONG_UNALIGNED, Layouts.EPOLL_DATA_OFFSET, token);
    if (LibC.epollCtl(errno, epfd, op, fd, ctlEvent) < 0) {
      throw LinuxTransport.failure("epoll_ctl", Native.errno(errno), "cannot watch socket " + fd);
    }
  }

  @Override
  public void register(Channel channel, int token) throws TransportException {
    ctl(Sys.EPOLL_CTL_ADD, ((LinuxChannel) channel).fd(), Sys.EPOLLIN | Sys.EPOLLERR, token);
  }

  @Override
  public void arm(Channel channel, int token, boolean on) throws TransportException {
    ctl(
        Sys.EPOLL_CTL_MOD,
        ((LinuxChannel) channel).fd(),
        on ? Sys.EPOLLIN | Sys.EPOLLERR : Sys.EPOLLERR,
        token);
  }

  @Override
  public void unregister(Channel channel) throws TransportException {
    ctl(Sys.EPOLL_CTL_DEL, ((LinuxChannel) channel).fd(), 0, 0);
  }

  @Override
  public int await(long timeoutNanos, ReadySink sink) throws TransportException {
    int n;
    if (timeoutNanos > 0 && pwait2) {
      // Nanosecond timeout: deadlines are served when due, not up to a millisecond later.
      timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      n = LibC.epollPwait2(errno, epfd, events, MAX_EVENTS, timeout);
    } else {
      int timeoutMs;
      if (timeoutNanos < 0) {
        timeoutMs = -1;
      } else {
        // Round up so a deadline is never serviced early; cap to what epoll_wait takes.
        long ms = (timeoutNanos + 999_999) / 1_000_000;
        timeoutMs = (int) Math.min(ms, Integer.MAX_VALUE);
      }
      n = LibC.epollWait(errno, epfd, events, MAX_EVENTS, timeoutMs);
    }
    if (n < 0) {
      int e = Native.errno(errno);
      if (e == Errno.EINTR.number()) return 0;
      throw LinuxTransport.failure("epoll_wait", e, "waiting for sockets failed");
    }
    int ready = 0;
    for (int i = 0; i < n; i++) {
      long token =
          events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * eventSize + Layouts.EPOLL_DATA_OFFSET);
      if (token == WAKE_TOKEN) {
        LibC.read(wakeFd, drain, 8);
      } else {
        int mask = events.get(ValueLayout.JAVA_INT_UNALIGNED, i * eventSize);
        sink.ready((int) token, (mask & Sys.EPOLLERR) != 0);
        ready++;
      }
    }
    return ready;
  }

  @Override
  public void wakeup() {
    LibC.write(wakeFd, one, 8);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void close() {
    LibC.close(wakeFd);
    LibC.close(epfd);
    arena.close();
  }
}
