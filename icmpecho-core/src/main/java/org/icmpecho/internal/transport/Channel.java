package org.icmpecho.internal.transport;

import java.net.InetAddress;
import org.icmpecho.internal.packet.Packet;

/**
 * One ICMP socket as the engine sees it. Used by one thread at a time (the owner of the I/O loop it
 * belongs to).
 *
 * <p>One clock: {@link #lastSendTime()}, {@link #rttClockNow()} and the receive time of every
 * packet ({@link Packet#rxTime}) are on the poller's monotonic clock ({@link Poller#nanoTime()}),
 * the one deadlines are kept on, so an RTT is the difference of two readings of one clock and a
 * probe's send time is its deadline less its timeout. A platform whose kernel stamps packets on
 * another clock converts the stamps here (Linux: {@code SO_TIMESTAMPNS} is CLOCK_REALTIME, see
 * {@code LinuxChannel}).
 */
public interface Channel extends AutoCloseable {
  /** What {@link #send} returns when the echo left. */
  int SENT = 0;

  /**
   * What {@link #send} returns when the socket's send buffer is full: nothing sent, not the echo's
   * fault.
   */
  int BUFFER_FULL = -1;

  /** Receives one parsed packet; the packet is reused after the call returns. */
  interface PacketSink {
    void accept(Channel channel, Packet packet);
  }

  /** DATAGRAM or RAW. */
  SocketKind kind();

  boolean ipv6();

  /** The echo identifier this channel sends with (kernel-assigned for DATAGRAM). */
  int identifier();

  /**
   * Sends one echo request to {@code target} (or, when it is null, to the IPv4 address {@code
   * address4}, the four bytes as an int as {@code Inet4Address.hashCode()} gives them) with {@code
   * options} and {@code payload[0..length)}. Returns {@link #SENT}, {@link #BUFFER_FULL}, or a
   * positive failure code that {@link #failureName} and {@link #failureMessage} describe. A failure
   * may belong to an earlier echo (an ICMP error the platform reports through the next send): the
   * engine sends again a few times before it believes one. The send time is then {@link
   * #lastSendTime()}.
   */
  int send(
      SendOptions options,
      InetAddress target,
      int address4,
      int sequence,
      byte[] payload,
      int length);

  /**
   * True when the platform reports the details of failure {@code code} (the path MTU of a too-big
   * echo) as a {@link Packet#LOCAL_ERROR} to be read with {@code receive(sink, 0, true)} right
   * away.
   */
  boolean reportsFailureDetail(int code);

  /**
   * Packets the platform dropped for this socket because its receive queue was full (answers lost,
   * not late), as last reported; 0 where the platform does not say.
   */
  default long receiveDrops() {
    return 0;
  }

  /** The clock (ns, {@link Poller#nanoTime()}'s) read right before the last {@link #send}. */
  long lastSendTime();

  /** The clock now (ns, {@link Poller#nanoTime()}'s): for answers without a kernel timestamp. */
  long rttClockNow();

  /**
   * Reads what is waiting without blocking, at most about {@code max} packets, handing each
   * relevant one to {@code sink}; with {@code errors}, also what the platform reports apart from
   * the data path (ICMP errors of DATAGRAM sockets, local errors). Returns the number of packets
   * read.
   */
  int receive(PacketSink sink, int max, boolean errors) throws TransportException;

  /**
   * The platform's short name of a failure code ({@code "EHOSTUNREACH"}), as {@code
   * SendFailed.errno()} reports.
   */
  String failureName(int code);

  /** The platform's text for a failure code. */
  String failureMessage(int code);

  @Override
  void close();
}
