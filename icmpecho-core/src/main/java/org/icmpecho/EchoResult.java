package org.icmpecho;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The outcome of one echo request: a value, never an exception. Switch over it exhaustively:
 *
 * <pre>{@code
 * switch (client.echo(request)) {
 *   case EchoResult.Reply r -> System.out.printf("%s: %.3f ms ttl=%d%n", r.from(), r.rtt().toNanos() / 1e6, r.ttl());
 *   case EchoResult.IcmpError e -> System.out.println(e.status() + " from " + e.from());
 *   case EchoResult.TimedOut t -> System.out.println("timeout");
 *   case EchoResult.SendFailed f -> System.out.println("local error " + f.errno());
 *   case EchoResult.Corrupted c -> System.out.println("corrupted answer: " + c.reason());
 * }
 * }</pre>
 *
 * <p>{@link #status()} gives the Windows {@code IP_STATUS} of every outcome, so code ported from
 * {@code IcmpSendEcho} can keep its switch over numbers. RTTs are nanosecond {@link Duration}s from
 * the kernel's receive timestamp ({@code SO_TIMESTAMPNS}) minus a timestamp taken right before
 * {@code sendmsg}.
 */
public sealed interface EchoResult {

  /** The request this answers. */
  EchoRequest request();

  /** The Windows {@code IP_STATUS} of this outcome. */
  IpStatus status();

  /** The ICMP sequence number the echo went out with (assigned by the client). */
  int sequence();

  /** True for an echo reply. */
  default boolean isSuccess() {
    return status() == IpStatus.IP_SUCCESS;
  }

  /**
   * An echo reply whose payload is the one sent.
   *
   * @param from the replying host
   * @param rtt the round-trip time
   * @param ttl the reply's TTL / hop limit, or -1 when the kernel did not report it
   * @param tos the reply's TOS / traffic class, or -1 when the kernel did not report it
   * @param bytes the ICMP message length (8-byte header + payload), as {@code ping}'s "64 bytes
   *     from"
   * @param ipOptions the reply's IPv4 options ({@link IpOptions#NONE} when it had none, and always
   *     for IPv6): from the IP header with a raw socket, from {@code IP_RECVOPTS} with a ping
   *     socket
   * @param ipFlags the top three bits of the reply's IPv4 flags/fragment word ({@link #IP_FLAG_DF}
   *     = don't fragment), or -1 where the socket cannot see them (ping sockets, IPv6)
   */
  record Reply(
      EchoRequest request,
      InetAddress from,
      Duration rtt,
      int ttl,
      int tos,
      int bytes,
      int sequence,
      IpOptions ipOptions,
      int ipFlags)
      implements EchoResult {
    /** The don't-fragment bit of {@link #ipFlags()}. */
    public static final int IP_FLAG_DF = 0x2;

    /**
     * A reply without options and with unknown IP flags (the constructor before options existed).
     */
    public Reply(
        EchoRequest request,
        InetAddress from,
        Duration rtt,
        int ttl,
        int tos,
        int bytes,
        int sequence) {
      this(request, from, rtt, ttl, tos, bytes, sequence, IpOptions.NONE, -1);
    }

    public Reply {
      if (ipOptions == null) ipOptions = IpOptions.NONE;
    }

    @Override
    public IpStatus status() {
      return IpStatus.IP_SUCCESS;
    }
  }

  /**
   * An ICMP error answer about this echo (time exceeded, destination unreachable, packet too big,
   * parameter problem, source quench), sent by a router or by the target.
   *
   * @param status the mapped {@code IP_STATUS} (ICMPAPI.md section 7)
   * @param from the address that reported the error (the router for a TTL expiry)
   * @param rtt the time from the send to the error's arrival
   * @param icmpType the ICMP (v4) or ICMPv6 type
   * @param icmpCode the ICMP code
   * @param info the MTU for "fragmentation needed" / "packet too big", the pointer for "parameter
   *     problem", else 0
   * @param ttl the TTL / hop limit of the error message as it arrived, or -1 where the socket did
   *     not report it
   */
  record IcmpError(
      EchoRequest request,
      IpStatus status,
      InetAddress from,
      Duration rtt,
      int icmpType,
      int icmpCode,
      int info,
      int sequence,
      int ttl)
      implements EchoResult {
    /** An error whose TTL is unknown (the constructor before the TTL was reported). */
    public IcmpError(
        EchoRequest request,
        IpStatus status,
        InetAddress from,
        Duration rtt,
        int icmpType,
        int icmpCode,
        int info,
        int sequence) {
      this(request, status, from, rtt, icmpType, icmpCode, info, sequence, -1);
    }
  }

  /**
   * No answer within the request's timeout.
   *
   * @param waited the timeout that elapsed
   */
  record TimedOut(EchoRequest request, Duration waited, int sequence) implements EchoResult {
    @Override
    public IpStatus status() {
      return IpStatus.IP_REQ_TIMED_OUT;
    }
  }

  /**
   * The kernel refused to send the echo ({@code sendmsg} failed): {@code EMSGSIZE} after a learned
   * path MTU is {@link IpStatus#IP_PACKET_TOO_BIG}, {@code EHOSTUNREACH} {@link
   * IpStatus#IP_DEST_HOST_UNREACHABLE}, {@code ENETUNREACH} {@link
   * IpStatus#IP_DEST_NET_UNREACHABLE}, anything else {@link IpStatus#IP_GENERAL_FAILURE}.
   *
   * @param errno the symbolic errno, e.g. {@code "EMSGSIZE"}
   * @param message the C library's text for it
   * @param mtu the path MTU the kernel reported with an {@code EMSGSIZE} (the largest packet that
   *     fits; ping sockets read it from the error queue), else 0 (also with raw sockets)
   */
  record SendFailed(
      EchoRequest request, IpStatus status, String errno, String message, int sequence, int mtu)
      implements EchoResult {
    /** A failure without an MTU (the constructor before the MTU was reported). */
    public SendFailed(
        EchoRequest request, IpStatus status, String errno, String message, int sequence) {
      this(request, status, errno, message, sequence, 0);
    }
  }

  /**
   * An echo reply that matched this request but whose payload differs from what was sent. It is
   * never a success ({@link IpStatus#IP_GENERAL_FAILURE}). Replies with a bad ICMP checksum are
   * never matched at all: their identifier and sequence cannot be trusted; they are only counted in
   * {@link ClientStats#badChecksum()}.
   *
   * @param from the replying host
   * @param rtt the round-trip time
   * @param reason what differed, e.g. "payload byte 12 is 0x41, sent 0x0c"
   */
  record Corrupted(EchoRequest request, InetAddress from, Duration rtt, String reason, int sequence)
      implements EchoResult {
    @Override
    public IpStatus status() {
      return IpStatus.IP_GENERAL_FAILURE;
    }
  }
}
