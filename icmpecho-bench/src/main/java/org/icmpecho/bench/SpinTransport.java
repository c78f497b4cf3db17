package org.icmpecho.bench;

import org.icmpecho.IcmpException;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.Channel;
import org.icmpecho.internal.ChannelKey;
import org.icmpecho.internal.Poller;
import org.icmpecho.internal.TransportFactory;
import org.icmpecho.internal.linux.LinuxTransport;

/**
 * PROTOTYPE of "spin, then park" on the I/O thread, built only from the engine's transport seam so it needs no
 * engine change to measure: the production {@link LinuxTransport} with a poller that, before blocking in {@code
 * epoll_wait}, polls for up to {@code spinNanos} with {@code epoll_wait(0)}. While it spins, a producer's wake-up
 * is a volatile write instead of an {@code eventfd} write and a futex wake. Used by {@code Driver} to measure the
 * gain on the one-at-a-time path; see {@code icmpecho-bench/ENGINE-NOTES.md}.
 *
 * <p>Wake-up protocol (Dekker style, both sides sequentially consistent): the waiter publishes {@code
 * blocking = true} and then re-reads {@code woken}; a waker writes {@code woken = true} and then reads {@code
 * blocking}, and only writes the eventfd when the waiter may already be blocked. One of the two always sees the
 * other, so no wake-up is lost.
 */
final class SpinTransport implements TransportFactory {
  private final long spinNanos;

  SpinTransport(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  @Override
  public void enterNamespace(String name) throws IcmpException {
    LinuxTransport.INSTANCE.enterNamespace(name);
  }

  @Override
  public Poller newPoller() throws IcmpException {
    return new SpinPoller(LinuxTransport.INSTANCE.newPoller(), spinNanos);
  }

  @Override
  public Channel open(ChannelKey key, SocketMode mode, int receiveBufferSize) throws IcmpException {
    return LinuxTransport.INSTANCE.open(key, mode, receiveBufferSize);
  }

  static final class SpinPoller implements Poller {
    private final Poller delegate;
    private final long spinNanos;
    private volatile boolean woken;
    private volatile boolean blocking;

    SpinPoller(Poller delegate, long spinNanos) {
      this.delegate = delegate;
      this.spinNanos = spinNanos;
    }

    @Override
    public void register(Channel channel, int token) throws IcmpException {
      delegate.register(channel, token);
    }

    @Override
    public void unregister(Channel channel) throws IcmpException {
      delegate.unregister(channel);
    }

    @Override
    public int await(long timeoutNanos, ReadySink sink) throws IcmpException {
      if (timeoutNanos == 0) return delegate.await(0, sink);
      long start = System.nanoTime();
      long spinUntil = start + (timeoutNanos < 0 ? spinNanos : Math.min(spinNanos, timeoutNanos));
      try {
        do {
          if (woken) return 0;
          int n = delegate.await(0, sink);
          if (n > 0) return n;
          Thread.onSpinWait();
        } while (System.nanoTime() - spinUntil < 0);
        blocking = true;
        if (woken) return 0;
        long left = timeoutNanos < 0 ? -1 : Math.max(0, timeoutNanos - (System.nanoTime() - start));
        return delegate.await(left, sink);
      } finally {
        blocking = false;
        woken = false;
      }
    }

    @Override
    public void wakeup() {
      woken = true;
      if (blocking) delegate.wakeup();
    }

    @Override
    public long nanoTime() {
      return delegate.nanoTime();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
