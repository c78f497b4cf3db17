package org.icmpecho.internal;

import org.icmpecho.EchoRequest;
import org.icmpecho.IcmpException;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.packet.Packet;

/** One ICMP socket as the engine sees it. Used by one I/O thread only. */
public interface Channel extends AutoCloseable {
  /** Receives one parsed packet; the packet is reused after the call returns. */
  interface PacketSink {
    void accept(Channel channel, Packet packet);
  }

  /** DATAGRAM or RAW. */
  SocketMode mode();

  boolean ipv6();

  /** The echo identifier this channel sends with (kernel-assigned for DATAGRAM). */
  int identifier();

  /**
   * Sends one echo request to {@code target} (or, when it is null, to the IPv4 address {@code address4}, the four
   * bytes as an int as {@code Inet4Address.hashCode()} gives them) with {@code request}'s settings (its own target
   * may differ: a template) and {@code payload[0..length)}. Returns 0, or the positive errno of a failed send. The
   * send time on the RTT clock is then {@link #lastSendTime()}.
   */
  int send(EchoRequest request, java.net.InetAddress target, int address4, int sequence, byte[] payload, int length);

  /** The RTT-clock time (ns) taken right before the last {@link #send}. */
  long lastSendTime();

  /** The RTT clock now (ns): for answers that came without a kernel timestamp. */
  long rttClockNow();

  /**
   * Reads what is waiting without blocking, at most about {@code max} packets, handing each relevant one to {@code
   * sink}; with {@code errorQueue}, also drains the socket's error queue (ICMP errors of DATAGRAM sockets, local
   * errors). Returns the number of packets read.
   */
  int receive(PacketSink sink, int max, boolean errorQueue) throws IcmpException;

  /** The C library's text for an errno. */
  String errnoName(int errno);

  String errnoMessage(int errno);

  @Override
  void close();
}
