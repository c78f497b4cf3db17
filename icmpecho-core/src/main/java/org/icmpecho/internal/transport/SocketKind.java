package org.icmpecho.internal.transport;

/**
 * Which kind of ICMP socket a transport opens: the transport's side of the public {@code
 * SocketMode} (the engine maps one to the other, so a transport needs nothing of the public API).
 */
public enum SocketKind {
  /**
   * Unprivileged first, privileged when that is refused (only as a request: an open socket is one
   * of the others).
   */
  AUTO,
  /**
   * A socket the kernel filters and answers on the echo identifier (Linux and macOS ping sockets).
   */
  DATAGRAM,
  /** A socket that sees every ICMP message of its family and checks identifiers itself. */
  RAW
}
