package org.icmpecho.internal;

import java.time.Duration;
import java.util.Arrays;
import org.icmpecho.EchoRequest;
import org.icmpecho.IpStatus;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.SocketKind;

/**
 * What a client's echoes carry, and the verdict on each packet read against the in-flight table. It
 * completes nothing and counts nothing: {@link Exchange} acts on the verdict.
 *
 * <p>Matching (written down, as the house rules ask): a datagram socket's replies are already
 * filtered by the kernel on the identifier, a raw socket's are checked against the socket's
 * identifier; then the sequence selects the slot and the payload decides: the client's own payload
 * starts with a 4-byte client cookie (else: foreign) and the probe's 4-byte serial (else: a late
 * answer to an earlier probe that used the same sequence), and the rest must equal what was sent
 * (else: corrupted). An explicit payload must equal what was sent. An ICMP error is matched by the
 * identifier and sequence of the echo it quotes and by the quoted destination.
 */
final class Matcher {
  // Verdicts on one packet. The first four are only counted; the others concern the probe in the
  // packet's slot.
  static final int BAD_CHECKSUM = 0;
  static final int FOREIGN = 1;
  static final int LATE = 2;

  /** Nothing to do (a local error about a slot that is no longer in flight). */
  static final int IGNORED = 3;

  /**
   * A local error without a quoted echo: its MTU ({@code pk.info}) belongs to the send that just
   * failed.
   */
  static final int LOCAL_MTU = 4;

  /** Answers the probe in flight. */
  static final int REPLY = 5;

  /** Answers the probe in flight with a payload other than was sent. */
  static final int CORRUPTED = 6;

  /**
   * Answers a probe already answered: a duplicate, if within the duplicate window ({@link
   * #payloadOk} says whether it is intact).
   */
  static final int ANSWERED_AGAIN = 7;

  /** Would answer the probe in flight, but the kernel received it after the probe's timeout. */
  static final int AFTER_DEADLINE = 8;

  /** An ICMP error about the probe in flight ({@link #status}). */
  static final int ICMP_ERROR = 9;

  /** The platform reports that the probe's send failed. */
  static final int SEND_FAILED = 10;

  // Payload checks.
  private static final int OK = 0;
  private static final int NOT_OURS = 1;
  private static final int STALE = 2;
  private static final int CORRUPT = 3;

  private final int cookie;
  // Payload buffers: the client's pattern (cookie, serial, then i & 0xff) and a buffer for explicit
  // payloads. Both grow to the largest payload sent so far (most clients never pass 56 bytes; each
  // caller loop has its own).
  private byte[] pattern = pattern(EchoRequest.DEFAULT_PAYLOAD_SIZE + 8);
  private byte[] explicit = new byte[0];
  private int nextSerial = 1;

  // Details of the last verdict, read by the Exchange right after match().
  /** RTT of the last matched answer (ns, on the channel's clock). */
  long rtt;

  /** Status of the last ICMP_ERROR. */
  IpStatus status;

  /** Whether the last ANSWERED_AGAIN carried the payload that was sent. */
  boolean payloadOk;

  Matcher(int cookie) {
    this.cookie = cookie;
  }

  // ---------------------------------------------------------------- what is sent

  /** A new serial for the next echo (stored in its slot; part of the client's payload). */
  int nextSerial() {
    return nextSerial++;
  }

  /**
   * The payload of an echo of {@code r} with {@code serial}, in a buffer of at least {@code
   * r.payloadSize()}.
   */
  byte[] payload(EchoRequest r, int serial) {
    if (r.hasExplicitPayload()) {
      if (explicit.length < r.payloadSize()) explicit = new byte[r.payloadSize()];
      r.copyPayloadTo(explicit, 0);
      return explicit;
    }
    // The pattern only grows, so replies to earlier, longer echoes can still be checked against it.
    if (pattern.length < r.payloadSize()) pattern = pattern(r.payloadSize());
    writeTag(pattern, r.payloadSize(), serial);
    return pattern;
  }

  /**
   * A pattern buffer of {@code size} bytes: byte i is {@code i & 0xff} from byte 8 on (before:
   * cookie, serial).
   */
  private static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 8; i < size; i++) b[i] = (byte) i;
    return b;
  }

  private void writeTag(byte[] b, int len, int serial) {
    int c = cookie;
    for (int i = 0; i < 4 && i < len; i++) b[i] = (byte) (c >>> (24 - 8 * i));
    for (int i = 4; i < 8 && i < len; i++) b[i] = (byte) (serial >>> (56 - 8 * i));
  }

  // ---------------------------------------------------------------- what is read

  /** The verdict on {@code pk}, read from {@code ch} whose slots are {@code cs}. */
  int match(ChannelState cs, Channel ch, Packet pk) {
    if (!pk.checksumOk) return BAD_CHECKSUM;
    if (ch.kind() == SocketKind.RAW && pk.identifier != ch.identifier()) return FOREIGN;
    int seq = pk.sequence;
    if (pk.kind == Packet.LOCAL_ERROR && seq < 0) return LOCAL_MTU;
    if (seq < 0 || seq >= cs.capacity) return FOREIGN;
    byte state = cs.states[seq];
    Probe p = cs.probes[seq];
    return switch (pk.kind) {
      case Packet.ECHO_REPLY -> matchReply(cs, seq, state, p, pk);
      case Packet.ICMP_ERROR -> matchError(cs, state, p, pk);
      case Packet.LOCAL_ERROR ->
          state == ChannelState.IN_FLIGHT && p != null ? SEND_FAILED : IGNORED;
      default -> FOREIGN;
    };
  }

  private int matchReply(ChannelState cs, int seq, byte state, Probe p, Packet pk) {
    if (state == ChannelState.EMPTY) return FOREIGN;
    int serial = cs.serials[seq];
    EchoRequest r = p != null ? p.request : null;
    int payload = r == null ? checkTagOnly(pk, serial) : verify(r, pk, serial);
    if (payload == NOT_OURS) return FOREIGN;
    if (payload == STALE || state == ChannelState.EXPIRED || p == null) return LATE;
    // A unicast echo is answered by its target; a reply from elsewhere (spoofed, NAT gone wrong) is
    // not ours.
    if (!p.targetIs(pk) && !p.targetIsMulticast()) return FOREIGN;
    rtt = rttNanos(cs, p, pk);
    if (state == ChannelState.IN_FLIGHT && arrivedAfterDeadline(r, rtt)) return AFTER_DEADLINE;
    if (state == ChannelState.ANSWERED) {
      payloadOk = payload == OK;
      return ANSWERED_AGAIN;
    }
    return payload == OK ? REPLY : CORRUPTED;
  }

  private int matchError(ChannelState cs, byte state, Probe p, Packet pk) {
    if (state != ChannelState.IN_FLIGHT || p == null)
      return state == ChannelState.EMPTY ? FOREIGN : LATE;
    if (!p.quotedTargetIs(pk)) return FOREIGN;
    status =
        pk.ipv6
            ? StatusMap.icmpv6(pk.icmpType, pk.icmpCode)
            : StatusMap.icmpv4(pk.icmpType, pk.icmpCode);
    if (status == null) return FOREIGN;
    rtt = rttNanos(cs, p, pk);
    return arrivedAfterDeadline(p.request, rtt) ? AFTER_DEADLINE : ICMP_ERROR;
  }

  /**
   * True when the kernel received the answer after the echo's timeout: when the loop lags (a burst,
   * a GC pause) the timer may not have fired yet, but the answer is late all the same. A zero
   * timeout means "whatever is already there", which a loopback reply queued during the send is.
   */
  private static boolean arrivedAfterDeadline(EchoRequest r, long rtt) {
    long timeout = saturatedNanos(r.timeout());
    return timeout > 0 && rtt > timeout;
  }

  private static long rttNanos(ChannelState cs, Probe p, Packet pk) {
    long rx = pk.rxTime != Long.MIN_VALUE ? pk.rxTime : cs.channel.rttClockNow();
    return Math.max(0, rx - sentAt(p));
  }

  /**
   * When {@code p} was sent (poller clock): its deadline less its timeout, the deadline being
   * counted from the send's clock reading ({@code Channel#lastSendTime}).
   */
  static long sentAt(Probe p) {
    return p.deadline - saturatedNanos(p.request.timeout());
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** Checks a reply's payload against what {@code r} sent with {@code serial}. */
  private int verify(EchoRequest r, Packet pk, int serial) {
    if (r.hasExplicitPayload()) {
      return r.payloadEquals(pk.data, pk.dataOffset, pk.dataLength) ? OK : CORRUPT;
    }
    int tag = checkTagOnly(pk, serial);
    if (tag != OK) return tag;
    int len = pk.dataLength;
    if (len != r.payloadSize()) return CORRUPT;
    if (len > 8
        && Arrays.mismatch(pattern, 8, len, pk.data, pk.dataOffset + 8, pk.dataOffset + len) >= 0) {
      return CORRUPT;
    }
    return OK;
  }

  /**
   * Cookie and serial of the client's own payload (bytes 0..3 and 4..7, as far as the payload
   * goes).
   */
  private int checkTagOnly(Packet pk, int serial) {
    byte[] d = pk.data;
    int o = pk.dataOffset;
    int len = pk.dataLength;
    if (d == null) return len == 0 ? OK : NOT_OURS;
    for (int i = 0; i < 4 && i < len; i++) {
      if (d[o + i] != (byte) (cookie >>> (24 - 8 * i))) return NOT_OURS;
    }
    for (int i = 4; i < 8 && i < len; i++) {
      if (d[o + i] != (byte) (serial >>> (56 - 8 * i))) return STALE;
    }
    return OK;
  }

  /** How a CORRUPTED reply differs from what {@code r} sent with {@code serial}. */
  String corruption(EchoRequest r, Packet pk, int serial) {
    byte[] sent = new byte[r.payloadSize()];
    if (r.hasExplicitPayload()) {
      r.copyPayloadTo(sent, 0);
    } else {
      System.arraycopy(pattern, 0, sent, 0, sent.length);
      writeTag(sent, sent.length, serial);
    }
    if (pk.dataLength != sent.length) {
      return "reply carries " + pk.dataLength + " payload bytes, sent " + sent.length;
    }
    int i =
        Arrays.mismatch(
            sent, 0, sent.length, pk.data, pk.dataOffset, pk.dataOffset + pk.dataLength);
    return String.format(
        "payload byte %d is 0x%02x, sent 0x%02x",
        i, pk.data[pk.dataOffset + i] & 0xff, sent[i] & 0xff);
  }
}
