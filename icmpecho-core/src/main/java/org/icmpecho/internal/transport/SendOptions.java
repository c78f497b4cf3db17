package org.icmpecho.internal.transport;

/**
 * The per-echo IP settings a channel applies to one send: TTL (hop limit), TOS (traffic class), the
 * don't-fragment policy and IPv4 options. {@link #PLAIN} (all system defaults) is the common case,
 * shared so that a plain echo costs no object; an engine keeps the last value it made and reuses it
 * while the settings repeat.
 *
 * @param ttl 1..255, or {@link #SYSTEM_DEFAULT}
 * @param tos 0..255, or {@link #SYSTEM_DEFAULT}
 * @param fragmentation the don't-fragment policy
 * @param ipOptions IPv4 options as sent (RFC 791 bytes, checked by whoever made them; at most 40),
 *     or {@link #NO_IP_OPTIONS}; not copied, never written
 */
@SuppressWarnings(
    "ArrayRecordComponent") // shared read-only bytes; of() compares their contents where it matters
public record SendOptions(int ttl, int tos, Fragmentation fragmentation, byte[] ipOptions) {
  /** The system's value: no per-send setting. */
  public static final int SYSTEM_DEFAULT = -1;

  /** No IPv4 options. */
  public static final byte[] NO_IP_OPTIONS = new byte[0];

  /** Everything at the system default. */
  public static final SendOptions PLAIN =
      new SendOptions(SYSTEM_DEFAULT, SYSTEM_DEFAULT, Fragmentation.DEFAULT, NO_IP_OPTIONS);

  /**
   * Don't-fragment policy of one send (IPv4 path MTU discovery; IPv6 only distinguishes DO and
   * DONT).
   */
  public enum Fragmentation {
    DEFAULT,
    /** Set DF, never fragment locally. */
    DO,
    /** Never set DF. */
    DONT,
    /** Set DF on packets that fit the known path MTU. */
    WANT
  }

  public SendOptions {
    if (fragmentation == null) throw new NullPointerException("fragmentation");
    if (ipOptions == null) throw new NullPointerException("ipOptions");
  }

  /**
   * These settings, as {@code previous} when it has them already (no new object while settings
   * repeat).
   */
  public static SendOptions of(
      int ttl, int tos, Fragmentation fragmentation, byte[] ipOptions, SendOptions previous) {
    if (previous.ttl == ttl
        && previous.tos == tos
        && previous.fragmentation == fragmentation
        && (previous.ipOptions == ipOptions
            || java.util.Arrays.equals(previous.ipOptions, ipOptions))) {
      return previous;
    }
    if (ttl == SYSTEM_DEFAULT
        && tos == SYSTEM_DEFAULT
        && fragmentation == Fragmentation.DEFAULT
        && ipOptions.length == 0) {
      return PLAIN;
    }
    return new SendOptions(ttl, tos, fragmentation, ipOptions);
  }

  /** True when nothing differs from the system's defaults. */
  public boolean plain() {
    return this == PLAIN
        || (ttl == SYSTEM_DEFAULT
            && tos == SYSTEM_DEFAULT
            && fragmentation == Fragmentation.DEFAULT
            && ipOptions.length == 0);
  }
}
