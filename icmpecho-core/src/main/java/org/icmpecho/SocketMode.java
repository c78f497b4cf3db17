package org.icmpecho;

/**
 * Which kind of Linux socket carries the echoes.
 *
 * <ul>
 *   <li>{@link #DATAGRAM}: an unprivileged "ping socket" ({@code SOCK_DGRAM} + {@code
 *       IPPROTO_ICMP}/{@code IPPROTO_ICMPV6}), allowed when the process's group is inside {@code
 *       net.ipv4.ping_group_range}. The kernel assigns the echo identifier and delivers only this
 *       socket's replies; ICMP errors (TTL expired, unreachable, packet too big) are read from the
 *       socket's error queue.
 *   <li>{@link #RAW}: a raw ICMP socket, which needs {@code CAP_NET_RAW}. It sees every ICMP packet
 *       of the network namespace, so matching is strict (identifier, sequence, payload, checksum).
 *   <li>{@link #AUTO}: {@code DATAGRAM} first, {@code RAW} when the kernel refuses it ({@code
 *       EACCES}/{@code EPERM}). The default.
 * </ul>
 */
public enum SocketMode {
  /** A ping socket, else a raw socket. */
  AUTO,
  /** A ping socket only ({@code SOCK_DGRAM}, {@code IPPROTO_ICMP}/{@code IPPROTO_ICMPV6}). */
  DATAGRAM,
  /** A raw socket only ({@code SOCK_RAW}, needs {@code CAP_NET_RAW}). */
  RAW
}
