package org.icmpecho.internal.transport;

/**
 * Makes the I/O primitives of an engine: the seam between the engine and the kernel, like
 * pro-bing's packetConn. Production uses {@code org.icmpecho.internal.linux.LinuxTransport}; engine
 * tests use a fake with a manual clock. Nothing here is Linux's: errno, epoll and the error queue
 * stay behind these interfaces, and failures come back classified ({@link TransportException.Kind},
 * {@link Channel#BUFFER_FULL}). Every method is called on the I/O thread that will use the result.
 */
public interface TransportFactory {
  /**
   * Enters the named network namespace on the calling thread (Linux: {@code setns}; elsewhere:
   * unsupported).
   */
  void enterNamespace(String name) throws TransportException;

  /** A poller for the calling I/O thread. */
  Poller newPoller() throws TransportException;

  /**
   * Opens one socket for {@code key} of {@code kind} ({@code AUTO} resolves to DATAGRAM or RAW).
   */
  Channel open(ChannelKey key, SocketKind kind, int receiveBufferSize) throws TransportException;

  /**
   * Whether blocking echoes may use sockets of their own, driven by the calling thread with a
   * poller of its own (true for the kernel; a fake transport whose poller follows a manual clock
   * says no).
   */
  default boolean callerSockets() {
    return false;
  }
}
