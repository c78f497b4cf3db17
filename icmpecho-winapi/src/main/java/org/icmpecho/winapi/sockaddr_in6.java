package org.icmpecho.winapi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.*;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.util.function.Consumer;

/**
 * {@code sockaddr_in6} ({@code ws2ipdef.h}): 28 bytes, the source and destination of {@link
 * IcmpApi#Icmp6SendEcho2}. {@code sin6_family} may be {@link Ws2_32#AF_INET6} (23, Windows), 10
 * (Linux's {@code AF_INET6}) or 0 (taken as IPv6, as Wine does for zero-filled structs). Port and
 * flow information are ignored.
 *
 * <pre>{@code
 * MemorySegment dst = sockaddr_in6.of(arena, (Inet6Address) InetAddress.getByName("::1"));
 * MemorySegment src = sockaddr_in6.allocate(arena); // :: = any source
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class sockaddr_in6 {
  private sockaddr_in6() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_SHORT.withName("sin6_family"),
              JAVA_SHORT.withName("sin6_port"),
              JAVA_INT.withName("sin6_flowinfo"),
              MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
              JAVA_INT.withName("sin6_scope_id"))
          .withName("sockaddr_in6");

  /** The layout of {@code sockaddr_in6}: 28 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(sockaddr_in6)}: 28 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code sockaddr_in6} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code sockaddr_in6} with {@code allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code sockaddr_in6}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * sockaddr_in6} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code sockaddr_in6} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfShort sin6_family$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("sin6_family"));
  private static final long sin6_family$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_family"));

  /** The layout of {@code sin6_family}. */
  public static ValueLayout.OfShort sin6_family$layout() {
    return sin6_family$LAYOUT;
  }

  /** The offset of {@code sin6_family}: 0. */
  public static long sin6_family$offset() {
    return sin6_family$OFFSET;
  }

  /** {@code sin6_family} (offset 0): the address family. */
  public static short sin6_family(MemorySegment struct) {
    return struct.get(sin6_family$LAYOUT, sin6_family$OFFSET);
  }

  /** Sets {@code sin6_family} (offset 0): the address family. */
  public static void sin6_family(MemorySegment struct, short fieldValue) {
    struct.set(sin6_family$LAYOUT, sin6_family$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfShort sin6_port$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("sin6_port"));
  private static final long sin6_port$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_port"));

  /** The layout of {@code sin6_port}. */
  public static ValueLayout.OfShort sin6_port$layout() {
    return sin6_port$LAYOUT;
  }

  /** The offset of {@code sin6_port}: 2. */
  public static long sin6_port$offset() {
    return sin6_port$OFFSET;
  }

  /** {@code sin6_port} (offset 2): the port, in network order. */
  public static short sin6_port(MemorySegment struct) {
    return struct.get(sin6_port$LAYOUT, sin6_port$OFFSET);
  }

  /** Sets {@code sin6_port} (offset 2): the port, in network order. */
  public static void sin6_port(MemorySegment struct, short fieldValue) {
    struct.set(sin6_port$LAYOUT, sin6_port$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt sin6_flowinfo$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("sin6_flowinfo"));
  private static final long sin6_flowinfo$OFFSET =
      $LAYOUT.byteOffset(groupElement("sin6_flowinfo"));

  /** The layout of {@code sin6_flowinfo}. */
  public static ValueLayout.OfInt sin6_flowinfo$layout() {
    return sin6_flowinfo$LAYOUT;
  }

  /** The offset of {@code sin6_flowinfo}: 4. */
  public static long sin6_flowinfo$offset() {
    return sin6_flowinfo$OFFSET;
  }

  /** {@code sin6_flowinfo} (offset 4): the flow information. */
  public static int sin6_flowinfo(MemorySegment struct) {
    return struct.get(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET);
  }

  /** Sets {@code sin6_flowinfo} (offset 4): the flow information. */
  public static void sin6_flowinfo(MemorySegment struct, int fieldValue) {
    struct.set(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET, fieldValue);
  }

  private static final MemoryLayout sin6_addr$LAYOUT = $LAYOUT.select(groupElement("sin6_addr"));
  private static final long sin6_addr$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_addr"));

  /** The layout of {@code sin6_addr}. */
  public static MemoryLayout sin6_addr$layout() {
    return sin6_addr$LAYOUT;
  }

  /** The offset of {@code sin6_addr}: 8. */
  public static long sin6_addr$offset() {
    return sin6_addr$OFFSET;
  }

  /**
   * {@code sin6_addr} (offset 8), a slice of {@code struct} (writes go through): the address, 16
   * bytes in network order ({@code struct in6_addr}).
   */
  public static MemorySegment sin6_addr(MemorySegment struct) {
    return struct.asSlice(sin6_addr$OFFSET, sin6_addr$LAYOUT.byteSize());
  }

  /**
   * Copies {@code fieldValue} ({@code sin6_addr}'s size in bytes) into {@code sin6_addr} (offset
   * 8): the address, 16 bytes in network order ({@code struct in6_addr}).
   */
  public static void sin6_addr(MemorySegment struct, MemorySegment fieldValue) {
    MemorySegment.copy(fieldValue, 0L, struct, sin6_addr$OFFSET, sin6_addr$LAYOUT.byteSize());
  }

  private static final ValueLayout.OfInt sin6_scope_id$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("sin6_scope_id"));
  private static final long sin6_scope_id$OFFSET =
      $LAYOUT.byteOffset(groupElement("sin6_scope_id"));

  /** The layout of {@code sin6_scope_id}. */
  public static ValueLayout.OfInt sin6_scope_id$layout() {
    return sin6_scope_id$LAYOUT;
  }

  /** The offset of {@code sin6_scope_id}: 24. */
  public static long sin6_scope_id$offset() {
    return sin6_scope_id$OFFSET;
  }

  /**
   * {@code sin6_scope_id} (offset 24): the scope identifier (interface index of a link-local
   * address).
   */
  public static int sin6_scope_id(MemorySegment struct) {
    return struct.get(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET);
  }

  /**
   * Sets {@code sin6_scope_id} (offset 24): the scope identifier (interface index of a link-local
   * address).
   */
  public static void sin6_scope_id(MemorySegment struct, int fieldValue) {
    struct.set(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET, fieldValue);
  }

  /**
   * Allocates a {@code sockaddr_in6} for {@code address} with {@code allocator}: family {@link
   * Ws2_32#AF_INET6} (23), port and flow information 0, the address bytes, and the address's scope
   * id (0 when it has none).
   */
  public static MemorySegment of(SegmentAllocator allocator, Inet6Address address) {
    MemorySegment s = allocate(allocator);
    sin6_family(s, (short) Ws2_32.AF_INET6);
    MemorySegment.copy(address.getAddress(), 0, s, JAVA_BYTE, sin6_addr$OFFSET, 16);
    sin6_scope_id(s, address.getScopeId());
    return s;
  }
}
