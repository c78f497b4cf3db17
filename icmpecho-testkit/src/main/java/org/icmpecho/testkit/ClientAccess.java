package org.icmpecho.testkit;

import org.icmpecho.SocketMode;

/** How a lab client reaches ICMP: the socket kind and the privilege it runs with. */
public enum ClientAccess {
  /**
   * Ping sockets: {@code ping_group_range} open in the client namespace, {@link
   * SocketMode#DATAGRAM}.
   */
  DATAGRAM(SocketMode.DATAGRAM),
  /**
   * Raw sockets: {@code ping_group_range} closed, {@link SocketMode#RAW} (the test runs as root).
   */
  RAW(SocketMode.RAW),
  /**
   * No way in: {@code ping_group_range} closed and {@code CAP_NET_RAW} dropped on the client's I/O
   * thread ({@code capset}), {@link SocketMode#AUTO}. Opening a socket must fail with an {@code
   * IcmpPermissionException}.
   */
  UNPRIVILEGED(SocketMode.AUTO);

  private final SocketMode socketMode;

  ClientAccess(SocketMode socketMode) {
    this.socketMode = socketMode;
  }

  /** The socket mode a client with this access is built with. */
  public SocketMode socketMode() {
    return socketMode;
  }
}
