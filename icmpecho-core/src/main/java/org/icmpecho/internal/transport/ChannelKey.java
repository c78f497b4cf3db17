package org.icmpecho.internal.transport;

import java.net.InetAddress;

/**
 * What distinguishes one socket from another: the family, a bound source address, a bound
 * interface, and an index for the extra sockets opened when one socket's 65,536 sequence numbers
 * are all in flight (or for several sockets per family).
 */
public record ChannelKey(boolean ipv6, InetAddress source, String interfaceName, int index) {
  @Override
  public String toString() {
    return (ipv6 ? "IPv6" : "IPv4")
        + (source == null ? "" : " from " + source.getHostAddress())
        + (interfaceName == null ? "" : " dev " + interfaceName)
        + (index == 0 ? "" : " #" + index);
  }
}
