package org.icmpecho.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.IcmpException;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.Channel;
import org.icmpecho.internal.ChannelKey;
import org.icmpecho.internal.Poller;
import org.icmpecho.internal.TransportFactory;
import org.icmpecho.internal.linux.Layouts;
import org.icmpecho.internal.linux.LibC;
import org.icmpecho.internal.linux.LinuxTransport;
import org.icmpecho.internal.linux.Native;
import org.icmpecho.internal.linux.Sys;

/**
 * PROTOTYPE of ENGINE-NOTES §1b, built on the transport seam: an epoll poller that stops watching the sockets while
 * the loop sleeps with nothing in flight ({@code await(-1)}: no timer pending), so a caller running its own echo
 * through the caller-runs path does not wake the idle I/O thread by making the shared socket readable. Any
 * {@code await} with a timeout (something is in flight) re-arms them first; epoll is level-triggered, so nothing
 * that arrived meanwhile is missed. Sockets come from the production transport; only the poller is ours.
 */
final class DisarmTransport implements TransportFactory {
  private static final int EPOLL_CTL_MOD = 3;
  private static final VarHandle FD;

  static {
    try {
      Class<?> lc = Class.forName("org.icmpecho.internal.linux.LinuxChannel");
      FD = MethodHandles.privateLookupIn(lc, MethodHandles.lookup()).findVarHandle(lc, "fd", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public void enterNamespace(String name) throws IcmpException {
    LinuxTransport.INSTANCE.enterNamespace(name);
  }

  @Override
  public Poller newPoller() throws IcmpException {
    return new DisarmPoller();
  }

  @Override
  public Channel open(ChannelKey key, SocketMode mode, int receiveBufferSize) throws IcmpException {
    return LinuxTransport.INSTANCE.open(key, mode, receiveBufferSize);
  }

  static final class DisarmPoller implements Poller {
    private static final long WAKE = -1;
    private final Arena arena = Arena.ofAuto(); // GC-managed: wakeup() may race close()
    private final MemorySegment errno = Native.allocateErrno(arena);
    private final MemorySegment events = arena.allocate(Layouts.EPOLL_EVENT.byteSize() * 64, 8);
    private final MemorySegment ctlEvent = arena.allocate(Layouts.EPOLL_EVENT.byteSize(), 8);
    private final MemorySegment drain = arena.allocate(8, 8);
    private final MemorySegment one = arena.allocate(8, 8);
    private final int epfd;
    private final int wakeFd;
    private final List<int[]> sockets = new ArrayList<>(); // {fd, token}
    private boolean armed = true;

    DisarmPoller() throws IcmpException {
      one.set(ValueLayout.JAVA_LONG, 0, 1L);
      epfd = LibC.epollCreate1(errno, Sys.EPOLL_CLOEXEC);
      wakeFd = LibC.eventfd(errno, 0, Sys.EFD_NONBLOCK | Sys.EFD_CLOEXEC);
      if (epfd < 0 || wakeFd < 0) throw new IcmpException("prototype poller: epoll/eventfd failed", null);
      ctl(Sys.EPOLL_CTL_ADD, wakeFd, Sys.EPOLLIN, WAKE);
    }

    private void ctl(int op, int fd, int mask, long token) throws IcmpException {
      ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, 0, mask);
      ctlEvent.set(ValueLayout.JAVA_LONG_UNALIGNED, Layouts.EPOLL_DATA_OFFSET, token);
      if (LibC.epollCtl(errno, epfd, op, fd, ctlEvent) < 0) {
        throw new IcmpException("prototype poller: epoll_ctl failed, errno " + Native.errno(errno), null);
      }
    }

    @Override
    public void register(Channel channel, int token) throws IcmpException {
      int fd = (int) FD.get(channel);
      ctl(Sys.EPOLL_CTL_ADD, fd, armed ? Sys.EPOLLIN | Sys.EPOLLERR : 0, token);
      sockets.add(new int[] {fd, token});
    }

    @Override
    public void unregister(Channel channel) throws IcmpException {
      int fd = (int) FD.get(channel);
      ctl(Sys.EPOLL_CTL_DEL, fd, 0, 0);
      sockets.removeIf(s -> s[0] == fd);
    }

    private void arm(boolean on) throws IcmpException {
      if (armed == on) return;
      for (int[] s : sockets) ctl(EPOLL_CTL_MOD, s[0], on ? Sys.EPOLLIN | Sys.EPOLLERR : 0, s[1]);
      armed = on;
    }

    @Override
    public int await(long timeoutNanos, ReadySink sink) throws IcmpException {
      arm(timeoutNanos >= 0);
      int timeoutMs = timeoutNanos < 0 ? -1 : (int) Math.min((timeoutNanos + 999_999) / 1_000_000, Integer.MAX_VALUE);
      int n = LibC.epollWait(errno, epfd, events, 64, timeoutMs);
      if (n < 0) return 0; // EINTR; anything else shows up again on the next call
      int ready = 0;
      long size = Layouts.EPOLL_EVENT.byteSize();
      for (int i = 0; i < n; i++) {
        long token = events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * size + Layouts.EPOLL_DATA_OFFSET);
        if (token == WAKE) {
          LibC.read(wakeFd, drain, 8);
        } else {
          int mask = events.get(ValueLayout.JAVA_INT_UNALIGNED, i * size);
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
    }
  }
}
