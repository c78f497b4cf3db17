package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import org.icmpecho.EchoResult;

/**
 * Writes the outcome of one echo into a reply buffer exactly as Windows (Vista and later) does: the
 * struct, then (IPv4) the reply's options, zero-padded to a multiple of 4, and the data. Each
 * method gets the buffer already cut to {@code ReplySize}, so nothing is ever written past it, and
 * returns the bytes written ({@code IO_STATUS_BLOCK.Information}). The struct is built in aligned
 * scratch memory and copied, so a buffer at any address works (Windows takes any).
 */
final class ReplyWriter {
  private ReplyWriter() {}

  static final long S4 = ICMP_ECHO_REPLY.sizeof();
  static final long S6 = ICMPV6_ECHO_REPLY.sizeof();

  /** Fills an IPv4 reply buffer from {@code result}; {@code sent} is the payload that went out. */
  static long fill4(MemorySegment buf, byte[] sent, EchoResult result) {
    MemorySegment s = scratch(S4);
    return switch (result) {
      case EchoResult.Reply r -> {
        byte[] options = r.ipOptions().bytes();
        long data = S4 + align4(options.length);
        if (buf.byteSize() < data + sent.length)
          yield statusOnly4(buf, IpExport.IP_GENERAL_FAILURE);
        ICMP_ECHO_REPLY.Address(s, ipAddr(r.from()));
        ICMP_ECHO_REPLY.Status(s, IpExport.IP_SUCCESS);
        ICMP_ECHO_REPLY.RoundTripTime(s, millis(r.rtt()));
        ICMP_ECHO_REPLY.DataSize(s, (short) sent.length);
        ICMP_ECHO_REPLY.Reserved(s, (short) 1);
        ICMP_ECHO_REPLY.Data(s, Native.pointerInto(buf, data));
        MemorySegment opts = ICMP_ECHO_REPLY.Options(s);
        IP_OPTION_INFORMATION.Ttl(opts, (byte) Math.max(r.ttl(), 0));
        IP_OPTION_INFORMATION.Tos(opts, (byte) Math.max(r.tos(), 0));
        // The DF bit is seen only in a raw socket's IP header (ipFlags -1 otherwise: 0 here).
        boolean df = r.ipFlags() > 0 && (r.ipFlags() & EchoResult.Reply.IP_FLAG_DF) != 0;
        IP_OPTION_INFORMATION.Flags(opts, (byte) (df ? IpExport.IP_FLAG_DF : 0));
        IP_OPTION_INFORMATION.OptionsSize(opts, (byte) options.length);
        IP_OPTION_INFORMATION.OptionsData(opts, Native.pointerInto(buf, S4));
        MemorySegment.copy(s, 0, buf, 0, S4);
        buf.asSlice(S4, data - S4).fill((byte) 0);
        MemorySegment.copy(options, 0, buf, JAVA_BYTE, S4, options.length);
        MemorySegment.copy(sent, 0, buf, JAVA_BYTE, data, sent.length);
        yield data + sent.length;
      }
      case EchoResult.IcmpError e -> {
        ICMP_ECHO_REPLY.Address(s, ipAddr(e.from()));
        ICMP_ECHO_REPLY.Status(s, e.status().code());
        ICMP_ECHO_REPLY.RoundTripTime(s, millis(e.rtt()));
        ICMP_ECHO_REPLY.Reserved(s, (short) 1);
        ICMP_ECHO_REPLY.Data(s, Native.pointerInto(buf, S4));
        IP_OPTION_INFORMATION.Ttl(
            ICMP_ECHO_REPLY.Options(s), (byte) Math.max(e.ttl(), 0)); // the error's own TTL
        IP_OPTION_INFORMATION.OptionsData(ICMP_ECHO_REPLY.Options(s), Native.pointerInto(buf, S4));
        MemorySegment.copy(s, 0, buf, 0, S4);
        yield S4;
      }
      case EchoResult.TimedOut t -> statusOnly4(buf, t.status().code());
      case EchoResult.SendFailed f ->
          statusOnly4(buf, badOptions(f) ? IpExport.IP_BAD_OPTION : f.status().code());
      case EchoResult.Corrupted c -> statusOnly4(buf, c.status().code());
    };
  }

  /**
   * True when the kernel refused the echo's options (EINVAL: an option a ping socket may not send,
   * ...).
   */
  private static boolean badOptions(EchoResult.SendFailed f) {
    return "EINVAL".equals(f.errno()) && !f.request().ipOptions().isEmpty();
  }

  private static long align4(long n) {
    return (n + 3) & ~3L;
  }

  /** A status-only IPv4 reply: the struct zero-filled except {@code Status}. */
  static long statusOnly4(MemorySegment buf, int status) {
    MemorySegment s = scratch(S4);
    ICMP_ECHO_REPLY.Status(s, status);
    MemorySegment.copy(s, 0, buf, 0, S4);
    return S4;
  }

  /** Fills an IPv6 reply buffer from {@code result}. */
  static long fill6(MemorySegment buf, byte[] sent, EchoResult result) {
    MemorySegment s = scratch(S6);
    return switch (result) {
      case EchoResult.Reply r -> {
        if (buf.byteSize() < S6 + sent.length) yield statusOnly6(buf, IpExport.IP_GENERAL_FAILURE);
        address6(s, r.from());
        ICMPV6_ECHO_REPLY.Status(s, IpExport.IP_SUCCESS);
        ICMPV6_ECHO_REPLY.RoundTripTime(s, millis(r.rtt()));
        MemorySegment.copy(s, 0, buf, 0, S6);
        MemorySegment.copy(sent, 0, buf, JAVA_BYTE, S6, sent.length);
        yield S6 + sent.length;
      }
      case EchoResult.IcmpError e -> {
        address6(s, e.from());
        ICMPV6_ECHO_REPLY.Status(s, e.status().code());
        ICMPV6_ECHO_REPLY.RoundTripTime(s, millis(e.rtt()));
        MemorySegment.copy(s, 0, buf, 0, S6);
        yield S6;
      }
      case EchoResult.TimedOut t -> statusOnly6(buf, t.status().code());
      case EchoResult.SendFailed f -> statusOnly6(buf, f.status().code());
      case EchoResult.Corrupted c -> statusOnly6(buf, c.status().code());
    };
  }

  /**
   * A status-only IPv6 reply: the struct zero-filled (address {@code ::}) except {@code Status}.
   */
  static long statusOnly6(MemorySegment buf, int status) {
    MemorySegment s = scratch(S6);
    ICMPV6_ECHO_REPLY.Status(s, status);
    MemorySegment.copy(s, 0, buf, 0, S6);
    return S6;
  }

  /** Zeroed 8-byte aligned memory for one struct. */
  private static MemorySegment scratch(long size) {
    return MemorySegment.ofArray(new long[(int) ((size + 7) / 8)]).asSlice(0, size);
  }

  private static void address6(MemorySegment reply, InetAddress from) {
    if (!(from instanceof Inet6Address a)) return; // unknown or not IPv6: leave ::
    MemorySegment ex = ICMPV6_ECHO_REPLY.Address(reply);
    MemorySegment.copy(a.getAddress(), 0, IPV6_ADDRESS_EX.sin6_addr(ex), JAVA_BYTE, 0, 16);
    IPV6_ADDRESS_EX.sin6_scope_id(ex, a.getScopeId());
  }

  private static int ipAddr(InetAddress a) {
    return a instanceof Inet4Address ? Ws2_32.ipAddrOf(a) : 0;
  }

  /** Whole milliseconds, truncated, as an unsigned 32-bit value. */
  static int millis(Duration d) {
    if (d == null || d.isNegative()) return 0;
    long ms = d.toMillis();
    return (int) Math.min(ms, 0xFFFF_FFFFL);
  }
}
