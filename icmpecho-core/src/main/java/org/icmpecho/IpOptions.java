package org.icmpecho;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * IPv4 options (RFC 791) as raw bytes: what an echo request carries and what came back in a reply's
 * IP header. At most {@link #MAX_SIZE} bytes. Options for a request are checked when made: every
 * option's length and pointer must be well formed, else {@link IllegalArgumentException}. Options
 * of a reply are taken as the kernel gave them.
 *
 * <p>Helpers make the options iputils' {@code ping -R} and {@code -T} send; {@link
 * #recordedRoute()} and {@link #timestamps()} decode what a reply carries:
 *
 * <pre>{@code
 * EchoRequest r = EchoRequest.to(target).ipOptions(IpOptions.recordRoute()).build();
 * if (client.echo(r) instanceof EchoResult.Reply reply) {
 *   reply.ipOptions().recordedRoute().forEach(hop -> System.out.println(hop.getHostAddress()));
 * }
 * }</pre>
 *
 * <p>Source routes ({@link #LSRR}, {@link #SSRR}) are given as Linux and Windows take them from a
 * program: the full route with the pointer at 4, first hop first; the kernel sends the echo to that
 * first hop and moves it out of the option (the target goes in the last slot). IPv6 has no such
 * options: a request with options must have an IPv4 target.
 *
 * @param bytes the option bytes, on-wire format, 0..40 bytes
 */
@SuppressWarnings(
    "ArrayRecordComponent") // copied in and out; equals and hashCode compare the contents (below)
public record IpOptions(byte[] bytes) {
  /** The most option bytes an IPv4 header holds. */
  public static final int MAX_SIZE = 40;

  /** End of option list. */
  public static final int EOL = 0x00;

  /** No operation (padding). */
  public static final int NOP = 0x01;

  /** Record route. */
  public static final int RR = 0x07;

  /** Internet timestamp. */
  public static final int TS = 0x44;

  /** Loose source and record route. */
  public static final int LSRR = 0x83;

  /** Strict source and record route. */
  public static final int SSRR = 0x89;

  /** Timestamp flags: timestamps only, address and timestamp, prespecified addresses. */
  public static final int TS_ONLY = 0, TS_AND_ADDRESS = 1, TS_PRESPECIFIED = 3;

  /** No options. */
  public static final IpOptions NONE = new IpOptions(new byte[0]);

  public IpOptions {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_SIZE) {
      throw new IllegalArgumentException(
          bytes.length + " bytes of IPv4 options, at most " + MAX_SIZE + " fit");
    }
    bytes = bytes.clone();
  }

  /**
   * Options for a request: {@code raw} checked option by option (type, length, pointer, timestamp
   * flags).
   *
   * @throws IllegalArgumentException naming the first malformed option
   */
  public static IpOptions of(byte[] raw) {
    IpOptions o = new IpOptions(raw);
    String problem = o.problem();
    if (problem != null) throw new IllegalArgumentException("malformed IPv4 options: " + problem);
    return o;
  }

  /** Record route with 9 slots (39 bytes, padded to 40), as {@code ping -R}. */
  public static IpOptions recordRoute() {
    return recordRoute(9);
  }

  /** Record route with {@code slots} empty address slots, 1..9. */
  public static IpOptions recordRoute(int slots) {
    if (slots < 1 || slots > 9)
      throw new IllegalArgumentException("record route slots " + slots + " not in 1..9");
    byte[] b = new byte[3 + 4 * slots];
    b[0] = (byte) RR;
    b[1] = (byte) b.length;
    b[2] = 4;
    return padded(b);
  }

  /** Timestamps only, 9 slots (40 bytes), as {@code ping -T tsonly}. */
  public static IpOptions timestampsOnly() {
    return timestamp(TS_ONLY, 9, List.of());
  }

  /**
   * Address and timestamp pairs, 4 slots (36 bytes, then 4 EOL: 40 as iputils sends), as {@code
   * ping -T tsandaddr}.
   */
  public static IpOptions timestampsAndAddresses() {
    return new IpOptions(Arrays.copyOf(timestamp(TS_AND_ADDRESS, 4, List.of()).bytes, MAX_SIZE));
  }

  /** Timestamps from the given hops only (1..4 addresses), as {@code ping -T tsprespec host...}. */
  public static IpOptions prespecifiedTimestamps(List<Inet4Address> hops) {
    if (hops.isEmpty() || hops.size() > 4) {
      throw new IllegalArgumentException(hops.size() + " prespecified timestamp hops, 1..4 fit");
    }
    return timestamp(TS_PRESPECIFIED, hops.size(), hops);
  }

  private static IpOptions timestamp(int flag, int slots, List<Inet4Address> hops) {
    int width = flag == TS_ONLY ? 4 : 8;
    byte[] b = new byte[4 + width * slots];
    b[0] = (byte) TS;
    b[1] = (byte) b.length;
    b[2] = 5;
    b[3] = (byte) flag;
    for (int i = 0; i < hops.size(); i++)
      System.arraycopy(hops.get(i).getAddress(), 0, b, 4 + 8 * i, 4);
    return padded(b);
  }

  /** {@code b} followed by EOL bytes up to a multiple of 4, as the header needs. */
  private static IpOptions padded(byte[] b) {
    return new IpOptions(Arrays.copyOf(b, (b.length + 3) & ~3));
  }

  /** A copy of the option bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of option bytes. */
  public int length() {
    return bytes.length;
  }

  /** True when there are no option bytes. */
  public boolean isEmpty() {
    return bytes.length == 0;
  }

  /**
   * The addresses a record-route option holds (those the pointer has passed), in order; empty
   * without one. For a source route, the addresses recorded so far.
   */
  public List<Inet4Address> recordedRoute() {
    int at = find(RR);
    if (at < 0) at = find(LSRR);
    if (at < 0) at = find(SSRR);
    List<Inet4Address> route = new ArrayList<>();
    if (at < 0) return route;
    int end = Math.min(at + (bytes[at + 2] & 0xFF) - 1, at + (bytes[at + 1] & 0xFF));
    for (int i = at + 3; i + 4 <= end; i += 4) route.add(address(i));
    return List.copyOf(route);
  }

  /**
   * One entry of a timestamp option.
   *
   * @param address the hop that stamped ({@code tsandaddr}, {@code tsprespec}), or null ({@code
   *     tsonly})
   * @param millis milliseconds since midnight UT; with the high bit set (see {@link #standard()})
   *     any value the hop chose
   */
  public record Timestamp(Inet4Address address, long millis) {
    /** False when the hop set the high bit: its time is not milliseconds since midnight UT. */
    public boolean standard() {
      return (millis & 0x8000_0000L) == 0;
    }
  }

  /** The entries of the timestamp option that were filled in, in order; empty without one. */
  public List<Timestamp> timestamps() {
    int at = find(TS);
    List<Timestamp> out = new ArrayList<>();
    if (at < 0 || (bytes[at + 1] & 0xFF) < 4) return out;
    boolean withAddress = (bytes[at + 3] & 0x0F) != TS_ONLY;
    int width = withAddress ? 8 : 4;
    int end = Math.min(at + (bytes[at + 2] & 0xFF) - 1, at + (bytes[at + 1] & 0xFF));
    for (int i = at + 4; i + width <= end; i += width) {
      Inet4Address a = withAddress ? address(i) : null;
      out.add(new Timestamp(a, u32(withAddress ? i + 4 : i)));
    }
    return List.copyOf(out);
  }

  /** The timestamp option's flag ({@link #TS_ONLY} ...), or -1 without one. */
  public int timestampFlag() {
    int at = find(TS);
    return at < 0 || (bytes[at + 1] & 0xFF) < 4 ? -1 : bytes[at + 3] & 0x0F;
  }

  /** The timestamp option's overflow count (hops that found no room), or 0 without one. */
  public int timestampOverflow() {
    int at = find(TS);
    return at < 0 || (bytes[at + 1] & 0xFF) < 4 ? 0 : (bytes[at + 3] & 0xF0) >>> 4;
  }

  /** The offset of the first option of {@code type} that is whole, or -1. */
  private int find(int type) {
    int i = 0;
    while (i < bytes.length) {
      int t = bytes[i] & 0xFF;
      if (t == EOL) return -1;
      if (t == NOP) {
        i++;
        continue;
      }
      if (i + 1 >= bytes.length) return -1;
      int len = bytes[i + 1] & 0xFF;
      if (len < 2 || i + len > bytes.length) return -1;
      if (t == type && len >= 3) return i;
      i += len;
    }
    return -1;
  }

  /** What is wrong with these bytes as options to send, or null when they are well formed. */
  private String problem() {
    int i = 0;
    while (i < bytes.length) {
      int t = bytes[i] & 0xFF;
      if (t == EOL) return null;
      if (t == NOP) {
        i++;
        continue;
      }
      if (i + 1 >= bytes.length) return "option 0x" + hex(t) + " at " + i + " has no length";
      int len = bytes[i + 1] & 0xFF;
      if (len < 2 || i + len > bytes.length)
        return "option 0x" + hex(t) + " at " + i + " has length " + len;
      String bad =
          switch (t) {
            case RR -> len < 7 || (len - 3) % 4 != 0 ? "length " + len : pointer(i, len, 4, 4);
            case LSRR, SSRR ->
                len < 7 || (len - 3) % 4 != 0
                    ? "length " + len
                    : (bytes[i + 2] & 0xFF) != 4
                        ? "pointer " + (bytes[i + 2] & 0xFF) + " (a route to send starts at 4)"
                        : null;
            case TS -> timestampProblem(i, len);
            default -> null;
          };
      if (bad != null) return "option 0x" + hex(t) + " at " + i + ": " + bad;
      i += len;
    }
    return null;
  }

  private String timestampProblem(int i, int len) {
    if (len < 8) return "length " + len;
    int flag = bytes[i + 3] & 0x0F;
    if (flag != TS_ONLY && flag != TS_AND_ADDRESS && flag != TS_PRESPECIFIED) return "flag " + flag;
    int width = flag == TS_ONLY ? 4 : 8;
    if ((len - 4) % width != 0) return "length " + len + " for flag " + flag;
    return pointer(i, len, 5, width);
  }

  /** Checks a pointer: from {@code first}, in steps of {@code width}, at most one past the end. */
  private String pointer(int i, int len, int first, int width) {
    int ptr = bytes[i + 2] & 0xFF;
    if (ptr < first || (ptr - first) % width != 0 || ptr > len + 1) return "pointer " + ptr;
    return null;
  }

  private Inet4Address address(int at) {
    try {
      return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(bytes, at, at + 4));
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always an address
    }
  }

  private long u32(int at) {
    return ((bytes[at] & 0xFFL) << 24)
        | ((bytes[at + 1] & 0xFFL) << 16)
        | ((bytes[at + 2] & 0xFFL) << 8)
        | (bytes[at + 3] & 0xFFL);
  }

  private static String hex(int v) {
    return HexFormat.of().toHexDigits((byte) v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpOptions other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "IpOptions[" + HexFormat.of().formatHex(bytes) + "]";
  }
}
