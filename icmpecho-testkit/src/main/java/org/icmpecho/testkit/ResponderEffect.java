package org.icmpecho.testkit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link ScriptedResponder} does with one echo request. Effects compose with {@link #all};
 * a script of several effects for one address is played in rotation, one effect per request.
 *
 * <pre>{@code
 * responder.script(addr, ResponderEffect.delay(Duration.ofMillis(20)));
 * responder.script(addr2, ResponderEffect.all(new Duplicate(3), new CorruptPayload(-1)));
 * responder.script(addr3, new SendError(12, 0, 20, null));          // parameter problem, pointer 20
 * }</pre>
 */
public sealed interface ResponderEffect {

  /** A normal echo reply from the pinged address, at once. */
  record Answer() implements ResponderEffect {}

  /** No answer at all. */
  record Drop() implements ResponderEffect {}

  /**
   * Answer after {@code delay}, measured from the moment the responder read the request. Use a
   * delay beyond the request's timeout for a late answer ({@link #late}).
   */
  record Delay(Duration delay) implements ResponderEffect {
    public Delay {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) throw new IllegalArgumentException("negative delay " + delay);
    }
  }

  /** Answer, then send {@code copies} more identical answers right after it. */
  record Duplicate(int copies) implements ResponderEffect {
    public Duplicate {
      if (copies < 1 || copies > 1000)
        throw new IllegalArgumentException("copies " + copies + " not in 1..1000");
    }
  }

  /** Answer with a wrong ICMP checksum (the rest of the packet is intact). */
  record CorruptChecksum() implements ResponderEffect {}

  /**
   * Answer with one echo payload byte flipped (XOR 0xFF) and a checksum that is correct for the
   * changed packet.
   *
   * @param offset the byte in the echo payload (after the 8-byte ICMP header); negative counts from
   *     the end (-1 is the last byte). An answer whose payload is shorter is sent unchanged.
   */
  record CorruptPayload(int offset) implements ResponderEffect {}

  /** Answer with a different echo identifier (the request's XOR 0x5555). */
  record WrongIdentifier() implements ResponderEffect {}

  /** Answer with a different sequence number (the request's XOR 0x8000). */
  record WrongSequence() implements ResponderEffect {}

  /**
   * Answer from {@code from} instead of the pinged address (any address routed into the lab; same
   * family).
   */
  record AnswerFrom(InetAddress from) implements ResponderEffect {
    public AnswerFrom {
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * Hold answers to this address and release them in reverse order: when {@code depth} are held, or
   * when the oldest has been held for {@code maxHold}.
   */
  record Reorder(int depth, Duration maxHold) implements ResponderEffect {
    public Reorder {
      if (depth < 2) throw new IllegalArgumentException("depth " + depth + " < 2");
      Objects.requireNonNull(maxHold, "maxHold");
    }
  }

  /**
   * Instead of a reply, an ICMP error quoting the request (its IP header and as much of the echo as
   * fits in 576 bytes for IPv4, 1280 for IPv6).
   *
   * @param type ICMP (IPv4 request) or ICMPv6 (IPv6 request) type, 0..255
   * @param code the code, 0..255
   * @param info the type's 32-bit field: the MTU for IPv4 3/4 (written in the low 16 bits) and
   *     ICMPv6 2, the pointer for IPv4 12 (written in the first byte) and ICMPv6 4, a gateway for
   *     IPv4 5, else usually 0
   * @param from the error's source address, or null for the pinged address
   */
  record SendError(int type, int code, int info, InetAddress from) implements ResponderEffect {
    public SendError {
      if (type < 0 || type > 255 || code < 0 || code > 255) {
        throw new IllegalArgumentException("ICMP type/code " + type + "/" + code + " out of range");
      }
    }
  }

  /** All of {@code effects}, applied to the same request in order (e.g. delay + duplicate). */
  record All(List<ResponderEffect> effects) implements ResponderEffect {
    public All {
      effects = List.copyOf(effects);
    }
  }

  static ResponderEffect answer() {
    return new Answer();
  }

  static ResponderEffect drop() {
    return new Drop();
  }

  static ResponderEffect delay(Duration d) {
    return new Delay(d);
  }

  /** An answer 100 ms after {@code requestTimeout}: late for a request sent with that timeout. */
  static ResponderEffect late(Duration requestTimeout) {
    return new Delay(requestTimeout.plusMillis(100));
  }

  static ResponderEffect duplicate(int copies) {
    return new Duplicate(copies);
  }

  static ResponderEffect error(int type, int code) {
    return new SendError(type, code, 0, null);
  }

  static ResponderEffect all(ResponderEffect... effects) {
    return new All(List.of(effects));
  }
}
