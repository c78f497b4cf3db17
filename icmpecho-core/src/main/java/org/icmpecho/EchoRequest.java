package org.icmpecho;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * One ICMP echo request: where to, what to carry and with which IP options. Immutable and validated
 * when built, so a bad argument fails at once in the caller's thread, never later on the engine's.
 *
 * <p>The payload is either explicit bytes ({@link Builder#payload(byte[])}), echoed back and
 * compared byte for byte, or, by default, {@code payloadSize} bytes that the client fills itself:
 * an 8-byte random cookie of that client followed by a counting pattern. The cookie lets a raw
 * socket reject echo replies that belong to someone else.
 *
 * <pre>{@code
 * EchoRequest r = EchoRequest.to(InetAddress.getByName("127.0.0.1"))
 *     .ttl(64).payloadSize(56).timeout(Duration.ofSeconds(1)).build();
 * }</pre>
 *
 * @param target the address to ping (never null)
 * @param payload explicit payload bytes, or null for the client's own pattern of {@code
 *     payloadSize} bytes
 * @param payloadSize bytes after the 8-byte ICMP header: 0..65507 for IPv4, 0..65527 for IPv6
 * @param ttl TTL / hop limit 1..255, or {@link #SYSTEM_DEFAULT}
 * @param tos IPv4 TOS / IPv6 traffic class 0..255, or {@link #SYSTEM_DEFAULT}
 * @param pathMtuDiscovery the don't-fragment policy
 * @param source the source address to send from, or null for the kernel's choice
 * @param interfaceName the interface to send through ({@code SO_BINDTODEVICE}), or null
 * @param timeout how long to wait for an answer after the send; zero means "only what is already
 *     there"
 * @param ipOptions IPv4 options sent with this echo ({@link IpOptions#NONE} for none; IPv4 targets
 *     only), as a per-message control message, so one socket carries echoes with and without
 *     options
 */
// The payload array is copied in and out, and equals/hashCode/toString compare and show its
// contents (below).
@SuppressWarnings("ArrayRecordComponent")
public record EchoRequest(
    InetAddress target,
    byte[] payload,
    int payloadSize,
    int ttl,
    int tos,
    PathMtuDiscovery pathMtuDiscovery,
    InetAddress source,
    String interfaceName,
    Duration timeout,
    IpOptions ipOptions) {

  /** The value of {@link #ttl()} and {@link #tos()} that leaves the kernel's default in place. */
  public static final int SYSTEM_DEFAULT = -1;

  /** The default payload size, as iputils' {@code ping}: 56 bytes, 64 with the ICMP header. */
  public static final int DEFAULT_PAYLOAD_SIZE = 56;

  /** The default timeout: one second. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** The largest IPv4 payload: 65535 - 20 (IP header) - 8 (ICMP header). */
  public static final int MAX_PAYLOAD_V4 = 65507;

  /**
   * The largest IPv6 payload: 65535 - 8 (ICMPv6 header); the IPv6 header is not counted in the
   * length field.
   */
  public static final int MAX_PAYLOAD_V6 = 65527;

  /** An echo without IP options (the constructor of the record before options existed). */
  public EchoRequest(
      InetAddress target,
      byte[] payload,
      int payloadSize,
      int ttl,
      int tos,
      PathMtuDiscovery pathMtuDiscovery,
      InetAddress source,
      String interfaceName,
      Duration timeout) {
    this(
        target,
        payload,
        payloadSize,
        ttl,
        tos,
        pathMtuDiscovery,
        source,
        interfaceName,
        timeout,
        IpOptions.NONE);
  }

  /**
   * Validates and copies (the payload); see the builder, {@link #to}, for the usual way to make
   * one.
   */
  public EchoRequest {
    Objects.requireNonNull(target, "target");
    if (ipOptions == null) ipOptions = IpOptions.NONE;
    if (!ipOptions.isEmpty() && target instanceof Inet6Address) {
      throw new IllegalArgumentException(
          "IPv4 options cannot go to the IPv6 target " + target.getHostAddress());
    }
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(pathMtuDiscovery, "pathMtuDiscovery");
    int max = target instanceof Inet6Address ? MAX_PAYLOAD_V6 : MAX_PAYLOAD_V4;
    if (payload != null) {
      payload = payload.clone();
      payloadSize = payload.length;
    }
    if (payloadSize < 0 || payloadSize > max) {
      throw new IllegalArgumentException(
          "payload of "
              + payloadSize
              + " bytes is out of range 0.."
              + max
              + " for "
              + family(target));
    }
    if (ttl != SYSTEM_DEFAULT) checkTtl(ttl);
    if (tos != SYSTEM_DEFAULT) checkTos(tos);
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout " + timeout + " is negative");
    }
    if (source != null && (source instanceof Inet6Address) != (target instanceof Inet6Address)) {
      throw new IllegalArgumentException(
          "source "
              + source.getHostAddress()
              + " is not of the target's family ("
              + family(target)
              + ")");
    }
    if (interfaceName != null && (interfaceName.isEmpty() || interfaceName.length() > 15)) {
      throw new IllegalArgumentException(
          "interface name '" + interfaceName + "' must be 1..15 characters");
    }
  }

  /** A builder for an echo to {@code target} with the defaults (56-byte payload, 1 s timeout). */
  public static Builder to(InetAddress target) {
    return new Builder(target);
  }

  /** An echo to {@code target} with all defaults. */
  public static EchoRequest of(InetAddress target) {
    return new Builder(target).build();
  }

  /**
   * This request sent to another target, every other setting kept; validated again, as limits
   * depend on the family. {@link IcmpClient#echoAsync(InetAddress, EchoRequest)} uses a request
   * this way as a template.
   */
  public EchoRequest withTarget(InetAddress target) {
    return new EchoRequest(
        target,
        payload,
        payloadSize,
        ttl,
        tos,
        pathMtuDiscovery,
        source,
        interfaceName,
        timeout,
        ipOptions);
  }

  /** A builder starting from this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder(target);
    b.payload = payload;
    b.payloadSize = payloadSize;
    b.ttl = ttl;
    b.tos = tos;
    b.pmtu = pathMtuDiscovery;
    b.source = source;
    b.interfaceName = interfaceName;
    b.timeout = timeout;
    b.ipOptions = ipOptions;
    return b;
  }

  /** A copy of the explicit payload, or null when the client fills the payload itself. */
  @Override
  public byte[] payload() {
    return payload == null ? null : payload.clone();
  }

  /** True for an IPv6 target. */
  public boolean isIpv6() {
    return target instanceof Inet6Address;
  }

  /** True when the payload is explicit bytes rather than the client's own pattern. */
  public boolean hasExplicitPayload() {
    return payload != null;
  }

  /**
   * Copies the explicit payload into {@code dst} at {@code offset}; does nothing for the client's
   * pattern.
   */
  public void copyPayloadTo(byte[] dst, int offset) {
    if (payload != null) {
      System.arraycopy(payload, 0, dst, offset, payload.length);
    }
  }

  /** True when {@code len} bytes of {@code buf} at {@code offset} equal the explicit payload. */
  public boolean payloadEquals(byte[] buf, int offset, int len) {
    return payload != null
        && len == payload.length
        && Arrays.equals(payload, 0, payload.length, buf, offset, offset + len);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EchoRequest r
        && target.equals(r.target)
        && Arrays.equals(payload, r.payload)
        && payloadSize == r.payloadSize
        && ttl == r.ttl
        && tos == r.tos
        && pathMtuDiscovery == r.pathMtuDiscovery
        && Objects.equals(source, r.source)
        && Objects.equals(interfaceName, r.interfaceName)
        && timeout.equals(r.timeout)
        && ipOptions.equals(r.ipOptions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        target,
        Arrays.hashCode(payload),
        payloadSize,
        ttl,
        tos,
        pathMtuDiscovery,
        source,
        interfaceName,
        timeout,
        ipOptions);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("EchoRequest[").append(target.getHostAddress());
    sb.append(", ").append(payloadSize).append(payload == null ? " bytes" : " explicit bytes");
    if (ttl != SYSTEM_DEFAULT) sb.append(", ttl=").append(ttl);
    if (tos != SYSTEM_DEFAULT) sb.append(", tos=").append(tos);
    if (pathMtuDiscovery != PathMtuDiscovery.DEFAULT) sb.append(", pmtu=").append(pathMtuDiscovery);
    if (source != null) sb.append(", source=").append(source.getHostAddress());
    if (interfaceName != null) sb.append(", interface=").append(interfaceName);
    if (!ipOptions.isEmpty()) sb.append(", options=").append(ipOptions.length()).append(" bytes");
    return sb.append(", timeout=").append(timeout).append(']').toString();
  }

  // The one place each range is checked: the builder's setters (to fail at once) and the
  // constructor call these.
  private static void checkTtl(int ttl) {
    if (ttl < 1 || ttl > 255)
      throw new IllegalArgumentException("ttl " + ttl + " is out of range 1..255");
  }

  private static void checkTos(int tos) {
    if (tos < 0 || tos > 255)
      throw new IllegalArgumentException("tos " + tos + " is out of range 0..255");
  }

  private static String family(InetAddress a) {
    return a instanceof Inet4Address ? "IPv4" : "IPv6";
  }

  /** Builds an {@link EchoRequest}; not thread-safe. */
  public static final class Builder {
    private final InetAddress target;
    private byte[] payload;
    private int payloadSize = DEFAULT_PAYLOAD_SIZE;
    private int ttl = SYSTEM_DEFAULT;
    private int tos = SYSTEM_DEFAULT;
    private PathMtuDiscovery pmtu = PathMtuDiscovery.DEFAULT;
    private InetAddress source;
    private String interfaceName;
    private Duration timeout = DEFAULT_TIMEOUT;
    private IpOptions ipOptions = IpOptions.NONE;

    private Builder(InetAddress target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /** Explicit payload bytes (copied), echoed back and verified byte for byte. */
    public Builder payload(byte[] bytes) {
      this.payload = Objects.requireNonNull(bytes, "payload").clone();
      this.payloadSize = bytes.length;
      return this;
    }

    /** A payload of {@code size} bytes filled by the client (cookie + pattern). */
    public Builder payloadSize(int size) {
      this.payload = null;
      this.payloadSize = size;
      return this;
    }

    /** TTL / hop limit, 1..255. */
    public Builder ttl(int ttl) {
      checkTtl(ttl);
      this.ttl = ttl;
      return this;
    }

    /** IPv4 TOS / IPv6 traffic class, 0..255. */
    public Builder tos(int tos) {
      checkTos(tos);
      this.tos = tos;
      return this;
    }

    /**
     * The don't-fragment policy, as {@code ping -M}: {@link PathMtuDiscovery#DO}, {@code DONT} or
     * {@code WANT}.
     */
    public Builder pathMtuDiscovery(PathMtuDiscovery mode) {
      this.pmtu = Objects.requireNonNull(mode, "pathMtuDiscovery");
      return this;
    }

    /**
     * Sends from this local address; the echo fails with an {@link IcmpException} if it is not
     * local.
     */
    public Builder source(InetAddress source) {
      this.source = source;
      return this;
    }

    /** Sends through this interface ({@code SO_BINDTODEVICE}). */
    public Builder interfaceName(String name) {
      this.interfaceName = name;
      return this;
    }

    /**
     * How long to wait for an answer after the send (zero: only what is already there); must not be
     * negative.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * IPv4 options to send ({@link IpOptions#recordRoute()}, {@link IpOptions#timestampsOnly()},
     * {@link IpOptions#of} ...); {@link IpOptions#NONE} or null for none.
     */
    public Builder ipOptions(IpOptions options) {
      this.ipOptions = options == null ? IpOptions.NONE : options;
      return this;
    }

    /** The request, validated (an {@link IllegalArgumentException} names the first bad value). */
    public EchoRequest build() {
      return new EchoRequest(
          target, payload, payloadSize, ttl, tos, pmtu, source, interfaceName, timeout, ipOptions);
    }
  }
}
