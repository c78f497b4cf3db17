package org.icmpecho.internal;

import org.icmpecho.IcmpException;

/**
 * Makes the I/O primitives of an engine: the seam between the engine and the kernel, like pro-bing's packetConn.
 * Production uses {@code org.icmpecho.internal.linux.LinuxTransport}; engine tests use a fake with a manual clock.
 * Every method is called on the I/O thread that will use the result.
 */
public interface TransportFactory {
  /** Enters the named network namespace on the calling thread ({@code setns}). */
  void enterNamespace(String name) throws IcmpException;

  /** A poller for the calling I/O thread. */
  Poller newPoller() throws IcmpException;

  /** Opens one socket for {@code key} in {@code mode} ({@code AUTO} resolves to DATAGRAM or RAW). */
  Channel open(ChannelKey key, org.icmpecho.SocketMode mode, int receiveBufferSize) throws IcmpException;

  /**
   * Whether blocking echoes may use sockets of their own, driven by the calling thread with a poller of its own
   * (true for the kernel; a fake transport whose poller follows a manual clock says no).
   */
  default boolean callerSockets() {
    return false;
  }
}
