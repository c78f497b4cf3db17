package org.icmpecho.winapi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.*;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * {@code IPV6_ADDRESS_EX} ({@code ipexport.h}, {@code #pragma pack(1)}): 26 bytes, the replying
 * host of an IPv6 reply. {@code sin6_addr} is the address as 16 bytes in network order (declared
 * {@code USHORT[8]}); port and flow information are 0 in replies; {@code sin6_scope_id} is the
 * scope of a link-local reply (as Linux reports it).
 *
 * <pre>{@code
 * MemorySegment a = ICMPV6_ECHO_REPLY.Address(reply);
 * byte[] ip = IPV6_ADDRESS_EX.sin6_addr(a).toArray(ValueLayout.JAVA_BYTE);
 * InetAddress from = InetAddress.getByAddress(ip);
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class IPV6_ADDRESS_EX {
  private IPV6_ADDRESS_EX() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_SHORT_UNALIGNED.withName("sin6_port"),
              JAVA_INT_UNALIGNED.withName("sin6_flowinfo"),
              MemoryLayout.sequenceLayout(8, JAVA_SHORT_UNALIGNED).withName("sin6_addr"),
              JAVA_INT_UNALIGNED.withName("sin6_scope_id"))
          .withName("ipv6_address_ex");

  /** The layout of {@code IPV6_ADDRESS_EX}: 26 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(IPV6_ADDRESS_EX)}: 26 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code IPV6_ADDRESS_EX} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code IPV6_ADDRESS_EX} with {@code allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code IPV6_ADDRESS_EX}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * IPV6_ADDRESS_EX} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code IPV6_ADDRESS_EX} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfShort sin6_port$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("sin6_port"));
  private static final long sin6_port$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_port"));

  /** The layout of {@code sin6_port}. */
  public static ValueLayout.OfShort sin6_port$layout() {
    return sin6_port$LAYOUT;
  }

  /** The offset of {@code sin6_port}: 0. */
  public static long sin6_port$offset() {
    return sin6_port$OFFSET;
  }

  /** {@code sin6_port} (offset 0): the port (0). */
  public static short sin6_port(MemorySegment struct) {
    return struct.get(sin6_port$LAYOUT, sin6_port$OFFSET);
  }

  /** Sets {@code sin6_port} (offset 0): the port (0). */
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

  /** The offset of {@code sin6_flowinfo}: 2. */
  public static long sin6_flowinfo$offset() {
    return sin6_flowinfo$OFFSET;
  }

  /** {@code sin6_flowinfo} (offset 2): the flow information (0). */
  public static int sin6_flowinfo(MemorySegment struct) {
    return struct.get(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET);
  }

  /** Sets {@code sin6_flowinfo} (offset 2): the flow information (0). */
  public static void sin6_flowinfo(MemorySegment struct, int fieldValue) {
    struct.set(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET, fieldValue);
  }

  private static final MemoryLayout sin6_addr$LAYOUT = $LAYOUT.select(groupElement("sin6_addr"));
  private static final long sin6_addr$OFFSET = $LAYOUT.byteOffset(groupElement("sin6_addr"));

  /** The layout of {@code sin6_addr}. */
  public static MemoryLayout sin6_addr$layout() {
    return sin6_addr$LAYOUT;
  }

  /** The offset of {@code sin6_addr}: 6. */
  public static long sin6_addr$offset() {
    return sin6_addr$OFFSET;
  }

  /**
   * {@code sin6_addr} (offset 6), a slice of {@code struct} (writes go through): the address, 16
   * bytes in network order.
   */
  public static MemorySegment sin6_addr(MemorySegment struct) {
    return struct.asSlice(sin6_addr$OFFSET, sin6_addr$LAYOUT.byteSize());
  }

  /**
   * Copies {@code fieldValue} ({@code sin6_addr}'s size in bytes) into {@code sin6_addr} (offset
   * 6): the address, 16 bytes in network order.
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

  /** The offset of {@code sin6_scope_id}: 22. */
  public static long sin6_scope_id$offset() {
    return sin6_scope_id$OFFSET;
  }

  /** {@code sin6_scope_id} (offset 22): the scope identifier. */
  public static int sin6_scope_id(MemorySegment struct) {
    return struct.get(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET);
  }

  /** Sets {@code sin6_scope_id} (offset 22): the scope identifier. */
  public static void sin6_scope_id(MemorySegment struct, int fieldValue) {
    struct.set(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET, fieldValue);
  }
}
