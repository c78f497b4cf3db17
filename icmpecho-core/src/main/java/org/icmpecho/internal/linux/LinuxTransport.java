package org.icmpecho.internal.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/** The production transport: Linux ICMP sockets, epoll and eventfd through the FFM API. */
public final class LinuxTransport implements TransportFactory {
  public static final LinuxTransport INSTANCE = new LinuxTransport();

  private LinuxTransport() {}

  @Override
  public void enterNamespace(String name) throws TransportException {
    ThreadOps.enterNetworkNamespace(name);
  }

  @Override
  public boolean callerSockets() {
    return true;
  }

  @Override
  public Poller newPoller() throws TransportException {
    return new LinuxPoller();
  }

  @Override
  public Channel open(ChannelKey key, SocketKind kind, int receiveBufferSize)
      throws TransportException {
    return SocketOpener.open(key, kind, receiveBufferSize);
  }

  /** A failed system call. */
  static TransportException failure(String syscall, int errno, String what) {
    return new TransportException(
        TransportException.Kind.FAILED,
        what + ": " + syscall + ": " + Errno.message(errno),
        syscall,
        Errno.name(errno));
  }

  /**
   * The exception for "no ICMP socket may be opened", naming both ways to grant access with the
   * values that apply here: this process's group, the namespace's current ping_group_range, and
   * CAP_NET_RAW.
   */
  static TransportException permissionDenied(SocketKind asked, boolean ipv6, int errno) {
    int gid = LibC.getegid();
    String range;
    try {
      // procfs files report size 0, so read the stream to its end rather than trust a size hint.
      try (var in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ping_group_range"))) {
        range =
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                .trim()
                .replaceAll("\\s+", " ");
      }
    } catch (IOException e) {
      range = "unreadable";
    }
    String family = ipv6 ? "ICMPv6" : "ICMP";
    String pingSockets =
        "ping sockets (SOCK_DGRAM) need the process's group inside net.ipv4.ping_group_range, but"
            + " group "
            + gid
            + " is outside \""
            + range
            + "\" in this network namespace";
    String raw = "raw sockets need CAP_NET_RAW, which this thread lacks";
    String how =
        "grant one: sysctl -w net.ipv4.ping_group_range=\"0 2147483647\" (persist it in /etc/sysctl.d/),"
            + " or setcap cap_net_raw+ep on the java binary, or run with CAP_NET_RAW (e.g. as root)";
    String reason =
        switch (asked) {
          case AUTO -> pingSockets + "; " + raw;
          case DATAGRAM ->
              pingSockets
                  + " (socket mode DATAGRAM was asked for; RAW or AUTO would try CAP_NET_RAW)";
          case RAW ->
              raw + " (socket mode RAW was asked for; DATAGRAM or AUTO would try ping sockets)";
        };
    return new TransportException(
        TransportException.Kind.PERMISSION_DENIED,
        "cannot open an " + family + " socket: " + reason + "; " + how,
        "socket",
        Errno.name(errno));
  }

  static TransportException unsupported(String what, String syscall, int errno) {
    return new TransportException(
        TransportException.Kind.UNSUPPORTED,
        errno == 0 ? what : what + ": " + Errno.message(errno),
        syscall,
        errno == 0 ? null : Errno.name(errno));
  }
}
