package org.icmpecho.exporter;

import java.net.InetSocketAddress;

/**
 * {@code --web.listen-address} as Go writes it: {@code :9374} (every interface), {@code HOST:PORT},
 * {@code [V6]:PORT}.
 */
final class Listen {
  private Listen() {}

  static InetSocketAddress parse(String spec) {
    int colon = spec.lastIndexOf(':');
    if (colon < 0)
      throw new IllegalArgumentException(
          "--web.listen-address '" + spec + "': expected [HOST]:PORT, e.g. :9374");
    String host = spec.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(spec.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--web.listen-address '" + spec + "': the port is not a number");
    }
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("--web.listen-address '" + spec + "': port out of range");
    if (host.isEmpty()) return new InetSocketAddress(port);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return new InetSocketAddress(host, port);
  }
}
