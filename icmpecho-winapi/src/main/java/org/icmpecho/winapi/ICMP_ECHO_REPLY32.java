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
 * {@code ICMP_ECHO_REPLY32} ({@code ipexport.h}, {@code _WIN64} only): the 28-byte form with 32-bit
 * pointers, which Windows writes for 32-bit callers. This 64-bit layer always writes the 40-byte
 * {@link ICMP_ECHO_REPLY}; the class is here for code that reads buffers made by 32-bit programs.
 *
 * <pre>{@code
 * MemorySegment r = ICMP_ECHO_REPLY32.allocate(arena);
 * int status = ICMP_ECHO_REPLY32.Status(r);
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class ICMP_ECHO_REPLY32 {
  private ICMP_ECHO_REPLY32() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("Address"),
              JAVA_INT.withName("Status"),
              JAVA_INT.withName("RoundTripTime"),
              JAVA_SHORT.withName("DataSize"),
              JAVA_SHORT.withName("Reserved"),
              JAVA_INT.withName("Data"),
              IP_OPTION_INFORMATION32.layout().withName("Options"))
          .withName("icmp_echo_reply32");

  /** The layout of {@code ICMP_ECHO_REPLY32}: 28 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(ICMP_ECHO_REPLY32)}: 28 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code ICMP_ECHO_REPLY32} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code ICMP_ECHO_REPLY32} with {@code
   * allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code ICMP_ECHO_REPLY32}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * ICMP_ECHO_REPLY32} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code ICMP_ECHO_REPLY32} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfInt Address$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Address"));
  private static final long Address$OFFSET = $LAYOUT.byteOffset(groupElement("Address"));

  /** The layout of {@code Address}. */
  public static ValueLayout.OfInt Address$layout() {
    return Address$LAYOUT;
  }

  /** The offset of {@code Address}: 0. */
  public static long Address$offset() {
    return Address$OFFSET;
  }

  /** {@code Address} (offset 0): the replying host, an {@code IPAddr} in network order. */
  public static int Address(MemorySegment struct) {
    return struct.get(Address$LAYOUT, Address$OFFSET);
  }

  /** Sets {@code Address} (offset 0): the replying host, an {@code IPAddr} in network order. */
  public static void Address(MemorySegment struct, int fieldValue) {
    struct.set(Address$LAYOUT, Address$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt Status$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Status"));
  private static final long Status$OFFSET = $LAYOUT.byteOffset(groupElement("Status"));

  /** The layout of {@code Status}. */
  public static ValueLayout.OfInt Status$layout() {
    return Status$LAYOUT;
  }

  /** The offset of {@code Status}: 4. */
  public static long Status$offset() {
    return Status$OFFSET;
  }

  /** {@code Status} (offset 4): the {@code IP_STATUS} of the reply. */
  public static int Status(MemorySegment struct) {
    return struct.get(Status$LAYOUT, Status$OFFSET);
  }

  /** Sets {@code Status} (offset 4): the {@code IP_STATUS} of the reply. */
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

  /** The offset of {@code RoundTripTime}: 8. */
  public static long RoundTripTime$offset() {
    return RoundTripTime$OFFSET;
  }

  /** {@code RoundTripTime} (offset 8): the round-trip time in milliseconds. */
  public static int RoundTripTime(MemorySegment struct) {
    return struct.get(RoundTripTime$LAYOUT, RoundTripTime$OFFSET);
  }

  /** Sets {@code RoundTripTime} (offset 8): the round-trip time in milliseconds. */
  public static void RoundTripTime(MemorySegment struct, int fieldValue) {
    struct.set(RoundTripTime$LAYOUT, RoundTripTime$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfShort DataSize$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("DataSize"));
  private static final long DataSize$OFFSET = $LAYOUT.byteOffset(groupElement("DataSize"));

  /** The layout of {@code DataSize}. */
  public static ValueLayout.OfShort DataSize$layout() {
    return DataSize$LAYOUT;
  }

  /** The offset of {@code DataSize}: 12. */
  public static long DataSize$offset() {
    return DataSize$OFFSET;
  }

  /** {@code DataSize} (offset 12): the number of echoed data bytes. */
  public static short DataSize(MemorySegment struct) {
    return struct.get(DataSize$LAYOUT, DataSize$OFFSET);
  }

  /** Sets {@code DataSize} (offset 12): the number of echoed data bytes. */
  public static void DataSize(MemorySegment struct, short fieldValue) {
    struct.set(DataSize$LAYOUT, DataSize$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfShort Reserved$LAYOUT =
      (ValueLayout.OfShort) $LAYOUT.select(groupElement("Reserved"));
  private static final long Reserved$OFFSET = $LAYOUT.byteOffset(groupElement("Reserved"));

  /** The layout of {@code Reserved}. */
  public static ValueLayout.OfShort Reserved$layout() {
    return Reserved$LAYOUT;
  }

  /** The offset of {@code Reserved}: 14. */
  public static long Reserved$offset() {
    return Reserved$OFFSET;
  }

  /** {@code Reserved} (offset 14): the reply count until {@code IcmpParseReplies}. */
  public static short Reserved(MemorySegment struct) {
    return struct.get(Reserved$LAYOUT, Reserved$OFFSET);
  }

  /** Sets {@code Reserved} (offset 14): the reply count until {@code IcmpParseReplies}. */
  public static void Reserved(MemorySegment struct, short fieldValue) {
    struct.set(Reserved$LAYOUT, Reserved$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt Data$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("Data"));
  private static final long Data$OFFSET = $LAYOUT.byteOffset(groupElement("Data"));

  /** The layout of {@code Data}, a 32-bit pointer ({@code POINTER_32}). */
  public static ValueLayout.OfInt Data$layout() {
    return Data$LAYOUT;
  }

  /** The offset of {@code Data}: 16. */
  public static long Data$offset() {
    return Data$OFFSET;
  }

  /**
   * {@code Data} (offset 16), a {@code POINTER_32} zero-extended into a zero-length segment: the
   * echoed data.
   */
  public static MemorySegment Data(MemorySegment struct) {
    return Native.fromPointer32(struct.get(Data$LAYOUT, Data$OFFSET));
  }

  /**
   * Sets {@code Data} (offset 16) to the address of {@code fieldValue}, which must fit in 32 bits:
   * the echoed data.
   *
   * @throws IllegalArgumentException if the address does not fit a {@code POINTER_32}, or the
   *     segment is not native
   */
  public static void Data(MemorySegment struct, MemorySegment fieldValue) {
    struct.set(Data$LAYOUT, Data$OFFSET, Native.toPointer32(fieldValue));
  }

  private static final MemoryLayout Options$LAYOUT = $LAYOUT.select(groupElement("Options"));
  private static final long Options$OFFSET = $LAYOUT.byteOffset(groupElement("Options"));

  /** The layout of {@code Options}. */
  public static MemoryLayout Options$layout() {
    return Options$LAYOUT;
  }

  /** The offset of {@code Options}: 20. */
  public static long Options$offset() {
    return Options$OFFSET;
  }

  /**
   * {@code Options} (offset 20), a slice of {@code struct} (writes go through): the IP options of
   * the reply, an {@link IP_OPTION_INFORMATION32}.
   */
  public static MemorySegment Options(MemorySegment struct) {
    return struct.asSlice(Options$OFFSET, Options$LAYOUT.byteSize());
  }

  /**
   * Copies {@code fieldValue} ({@code Options}'s size in bytes) into {@code Options} (offset 20):
   * the IP options of the reply, an {@link IP_OPTION_INFORMATION32}.
   */
  public static void Options(MemorySegment struct, MemorySegment fieldValue) {
    MemorySegment.copy(fieldValue, 0L, struct, Options$OFFSET, Options$LAYOUT.byteSize());
  }
}
