package org.icmpecho.internal.transport;

/**
 * Waits for channels to become readable, or for a wake-up from another thread (epoll and an eventfd
 * on Linux; a kqueue would do on macOS). Used by the thread that owns it; only {@link #wakeup()} is
 * called from others.
 */
public interface Poller extends AutoCloseable {
  /** Receives one readiness event. */
  interface ReadySink {
    /**
     * {@code error}: the channel has an error report to read ({@code receive(sink, max, true)}).
     */
    void ready(int token, boolean error);
  }

  /**
   * Watches {@code channel} for input and errors; {@code token} comes back in {@link
   * ReadySink#ready}.
   */
  void register(Channel channel, int token) throws TransportException;

  /**
   * Turns input readiness of a registered channel on or off. Off, only error reports wake the
   * poller: an idle loop then sleeps through the answers a caller-run echo reads itself. A poller
   * may ignore this: the engine stays correct, its I/O thread only wakes more often.
   */
  default void arm(Channel channel, int token, boolean on) throws TransportException {}

  /** Stops watching {@code channel}. */
  void unregister(Channel channel) throws TransportException;

  /**
   * Waits until a channel is ready, {@link #wakeup()} is called, or {@code timeoutNanos} pass
   * ({@code < 0}: forever; 0: just look). Calls {@code sink} once per ready channel and returns how
   * many were ready.
   */
  int await(long timeoutNanos, ReadySink sink) throws TransportException;

  /** Makes a current or the next {@link #await} return at once. Safe from any thread. */
  void wakeup();

  /**
   * The monotonic clock deadlines are kept on, in ns: the engine reads it here and nowhere else.
   */
  long nanoTime();

  @Override
  void close();
}
