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
 * {@code ICMPV6_ECHO_REPLY} ({@code ICMPV6_ECHO_REPLY_LH}, {@code ipexport.h}): 36 bytes, the head
 * of an IPv6 reply buffer; the echoed data follows at offset 36 (its length is not stored: it is
 * the length sent).
 *
 * <pre>{@code
 * if (IcmpApi.Icmp6SendEcho2(h, NULL, NULL, NULL, src, dst, data, 32, NULL, reply, 36 + 32, 1000) == 1) {
 *   MemorySegment echoed = reply.asSlice(ICMPV6_ECHO_REPLY.sizeof(), 32);
 * }
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class ICMPV6_ECHO_REPLY {
  private ICMPV6_ECHO_REPLY() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              IPV6_ADDRESS_EX.layout().withName("Address"),
              MemoryLayout.paddingLayout(2),
              JAVA_INT.withName("Status"),
              JAVA_INT.withName("RoundTripTime"))
          .withName("icmpv6_echo_reply_lh");

  /** The layout of {@code ICMPV6_ECHO_REPLY}: 36 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(ICMPV6_ECHO_REPLY)}: 36 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code ICMPV6_ECHO_REPLY} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code ICMPV6_ECHO_REPLY} with {@code
   * allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code ICMPV6_ECHO_REPLY}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * ICMPV6_ECHO_REPLY} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code ICMPV6_ECHO_REPLY} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final MemoryLayout Address$LAYOUT = $LAYOUT.select(groupElement("Address"));
  private static final long Address$OFFSET = $LAYOUT.byteOffset(groupElement("Address"));

  /** The layout of {@code Address}. */
  public static MemoryLayout Address$layout() {
    return Address$LAYOUT;
  }

  /** The offset of {@code Address}: 0. */
  public static long Address$offset() {
    return Address$OFFSET;
  }

  /**
   * {@code Address} (offset 0), a slice of {@code struct} (writes go through): the replying host
   * (or the reporting router), an {@link IPV6_ADDRESS_EX}.
   */
  public static MemorySegment Address(MemorySegment struct) {
    return struct.asSlice(Address$OFFSET, Address$LAYOUT.byteSize());
  }

  /**
   * Copies {@code fieldValue} ({@code Address}'s size in bytes) into {@code Address} (offset 0):
   * the replying host (or the reporting router), an {@link IPV6_ADDRESS_EX}.
   */
  public static void Address(MemorySegment struct, MemorySegment fieldValue) {
    MemorySegment.copy(fieldValue, 0L, struct, Address$OFFSET, Address$LAYOUT.byteSize());
  }

  private static final ValueLayout.OfInt Status$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Status"));
  private static final long Status$OFFSET = $LAYOUT.byteOffset(groupElement("Status"));

  /** The layout of {@code Status}. */
  public static ValueLayout.OfInt Status$layout() {
    return Status$LAYOUT;
  }

  /** The offset of {@code Status}: 28. */
  public static long Status$offset() {
    return Status$OFFSET;
  }

  /** {@code Status} (offset 28): the {@code IP_STATUS} of the reply. */
  public static int Status(MemorySegment struct) {
    return struct.get(Status$LAYOUT, Status$OFFSET);
  }

  /** Sets {@code Status} (offset 28): the {@code IP_STATUS} of the reply. */
  public static void Status(MemorySegment struct, int fieldValue) {
    struct.set(Status$LAYOUT, Status$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt RoundTripTime$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("RoundTripTime"));
  private static final long RoundTripTime$OFFSET =
      $LAYOUT.byteOffset(groupElement("RoundTripTime"));

  /** The layout of {@code RoundTripTime}. */
  public static ValueLayout.OfInt RoundTripTime$layout() {
    return RoundTripTime$LAYOUT;
  }

  /** The offset of {@code RoundTripTime}: 32. */
  public static long RoundTripTime$offset() {
    return RoundTripTime$OFFSET;
  }

  /** {@code RoundTripTime} (offset 32): the round-trip time in whole milliseconds. */
  public static int RoundTripTime(MemorySegment struct) {
    return struct.get(RoundTripTime$LAYOUT, RoundTripTime$OFFSET);
  }

  /** Sets {@code RoundTripTime} (offset 32): the round-trip time in whole milliseconds. */
  public static void RoundTripTime(MemorySegment struct, int fieldValue) {
    struct.set(RoundTripTime$LAYOUT, RoundTripTime$OFFSET, fieldValue);
  }
}
