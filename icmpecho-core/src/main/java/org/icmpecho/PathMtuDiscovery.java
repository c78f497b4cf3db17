package org.icmpecho;

/**
 * The don't-fragment policy of one echo request, as iputils' {@code ping -M}: {@code
 * IP_MTU_DISCOVER} for IPv4, {@code IPV6_DONTFRAG} for IPv6.
 */
public enum PathMtuDiscovery {
  /**
   * The socket's default (for Linux, {@link #WANT} unless {@code net.ipv4.ip_no_pmtu_disc} says
   * otherwise).
   */
  DEFAULT,
  /**
   * Set DF and never fragment locally: an oversized echo ends in {@link
   * IpStatus#IP_PACKET_TOO_BIG}.
   */
  DO,
  /** Never set DF: routers may fragment. */
  DONT,
  /** Set DF on packets that fit the known path MTU, fragment larger ones locally. */
  WANT
}
