package org.icmpecho.internal;

import org.icmpecho.IcmpException;

/** Waits for channels to become readable, or for a wake-up from another thread (epoll + eventfd on Linux). */
public interface Poller extends AutoCloseable {
  /** Receives one readiness event. */
  interface ReadySink {
    /** {@code error}: the socket has something on its error queue (EPOLLERR). */
    void ready(int token, boolean error);
  }

  /** Watches {@code channel} for input and errors; {@code token} comes back in {@link ReadySink#ready}. */
  void register(Channel channel, int token) throws IcmpException;

  /**
   * Turns input readiness of a registered channel on or off. Off, only errors wake the poller (epoll reports
   * EPOLLERR whatever the mask): an idle loop then sleeps through the answers a caller-run echo reads itself. A
   * poller may ignore this: the engine stays correct, its I/O thread only wakes more often.
   */
  default void arm(Channel channel, int token, boolean on) throws IcmpException {}

  /** Stops watching {@code channel}. */
  void unregister(Channel channel) throws IcmpException;

  /**
   * Waits until a channel is ready, {@link #wakeup()} is called, or {@code timeoutNanos} pass ({@code < 0}:
   * forever; 0: just look). Calls {@code sink} once per ready channel and returns how many were ready.
   */
  int await(long timeoutNanos, ReadySink sink) throws IcmpException;

  /** Makes a current or the next {@link #await} return at once. Safe from any thread. */
  void wakeup();

  /** The monotonic clock deadlines are kept on, in ns. */
  long nanoTime();

  @Override
  void close();
}
