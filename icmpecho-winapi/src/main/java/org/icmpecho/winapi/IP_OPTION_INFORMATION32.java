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
 * {@code IP_OPTION_INFORMATION32} ({@code ipexport.h}, {@code _WIN64} only): the 8-byte form with a
 * 32-bit {@code OptionsData} pointer ({@code POINTER_32}). The send functions of this 64-bit layer
 * take the native 16-byte {@link IP_OPTION_INFORMATION}, as 64-bit Windows callers do in practice;
 * an 8-byte segment there is too short ({@link WinError#ERROR_NOACCESS}).
 *
 * <pre>{@code
 * MemorySegment opts = IP_OPTION_INFORMATION32.allocate(arena);
 * IP_OPTION_INFORMATION32.Ttl(opts, (byte) 64);
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class IP_OPTION_INFORMATION32 {
  private IP_OPTION_INFORMATION32() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_BYTE.withName("Ttl"),
              JAVA_BYTE.withName("Tos"),
              JAVA_BYTE.withName("Flags"),
              JAVA_BYTE.withName("OptionsSize"),
              JAVA_INT.withName("OptionsData"))
          .withName("ip_option_information32");

  /** The layout of {@code IP_OPTION_INFORMATION32}: 8 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(IP_OPTION_INFORMATION32)}: 8 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code IP_OPTION_INFORMATION32} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code IP_OPTION_INFORMATION32} with {@code
   * allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code IP_OPTION_INFORMATION32}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * IP_OPTION_INFORMATION32} living in {@code arena}, with an optional {@code cleanup} (restricted,
   * like {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code IP_OPTION_INFORMATION32} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfByte Ttl$LAYOUT =
      (ValueLayout.OfByte) $LAYOUT.select(groupElement("Ttl"));
  private static final long Ttl$OFFSET = $LAYOUT.byteOffset(groupElement("Ttl"));

  /** The layout of {@code Ttl}. */
  public static ValueLayout.OfByte Ttl$layout() {
    return Ttl$LAYOUT;
  }

  /** The offset of {@code Ttl}: 0. */
  public static long Ttl$offset() {
    return Ttl$OFFSET;
  }

  /** {@code Ttl} (offset 0): the time to live. */
  public static byte Ttl(MemorySegment struct) {
    return struct.get(Ttl$LAYOUT, Ttl$OFFSET);
  }

  /** Sets {@code Ttl} (offset 0): the time to live. */
  public static void Ttl(MemorySegment struct, byte fieldValue) {
    struct.set(Ttl$LAYOUT, Ttl$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfByte Tos$LAYOUT =
      (ValueLayout.OfByte) $LAYOUT.select(groupElement("Tos"));
  private static final long Tos$OFFSET = $LAYOUT.byteOffset(groupElement("Tos"));

  /** The layout of {@code Tos}. */
  public static ValueLayout.OfByte Tos$layout() {
    return Tos$LAYOUT;
  }

  /** The offset of {@code Tos}: 1. */
  public static long Tos$offset() {
    return Tos$OFFSET;
  }

  /** {@code Tos} (offset 1): the type of service. */
  public static byte Tos(MemorySegment struct) {
    return struct.get(Tos$LAYOUT, Tos$OFFSET);
  }

  /** Sets {@code Tos} (offset 1): the type of service. */
  public static void Tos(MemorySegment struct, byte fieldValue) {
    struct.set(Tos$LAYOUT, Tos$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfByte Flags$LAYOUT =
      (ValueLayout.OfByte) $LAYOUT.select(groupElement("Flags"));
  private static final long Flags$OFFSET = $LAYOUT.byteOffset(groupElement("Flags"));

  /** The layout of {@code Flags}. */
  public static ValueLayout.OfByte Flags$layout() {
    return Flags$LAYOUT;
  }

  /** The offset of {@code Flags}: 2. */
  public static long Flags$offset() {
    return Flags$OFFSET;
  }

  /** {@code Flags} (offset 2): the IP_FLAG_* bits. */
  public static byte Flags(MemorySegment struct) {
    return struct.get(Flags$LAYOUT, Flags$OFFSET);
  }

  /** Sets {@code Flags} (offset 2): the IP_FLAG_* bits. */
  public static void Flags(MemorySegment struct, byte fieldValue) {
    struct.set(Flags$LAYOUT, Flags$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfByte OptionsSize$LAYOUT =
      (ValueLayout.OfByte) $LAYOUT.select(groupElement("OptionsSize"));
  private static final long OptionsSize$OFFSET = $LAYOUT.byteOffset(groupElement("OptionsSize"));

  /** The layout of {@code OptionsSize}. */
  public static ValueLayout.OfByte OptionsSize$layout() {
    return OptionsSize$LAYOUT;
  }

  /** The offset of {@code OptionsSize}: 3. */
  public static long OptionsSize$offset() {
    return OptionsSize$OFFSET;
  }

  /** {@code OptionsSize} (offset 3): the size of the option bytes. */
  public static byte OptionsSize(MemorySegment struct) {
    return struct.get(OptionsSize$LAYOUT, OptionsSize$OFFSET);
  }

  /** Sets {@code OptionsSize} (offset 3): the size of the option bytes. */
  public static void OptionsSize(MemorySegment struct, byte fieldValue) {
    struct.set(OptionsSize$LAYOUT, OptionsSize$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfInt OptionsData$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("OptionsData"));
  private static final long OptionsData$OFFSET = $LAYOUT.byteOffset(groupElement("OptionsData"));

  /** The layout of {@code OptionsData}, a 32-bit pointer ({@code POINTER_32}). */
  public static ValueLayout.OfInt OptionsData$layout() {
    return OptionsData$LAYOUT;
  }

  /** The offset of {@code OptionsData}: 4. */
  public static long OptionsData$offset() {
    return OptionsData$OFFSET;
  }

  /**
   * {@code OptionsData} (offset 4), a {@code POINTER_32} zero-extended into a zero-length segment:
   * the option bytes.
   */
  public static MemorySegment OptionsData(MemorySegment struct) {
    return Native.fromPointer32(struct.get(OptionsData$LAYOUT, OptionsData$OFFSET));
  }

  /**
   * Sets {@code OptionsData} (offset 4) to the address of {@code fieldValue}, which must fit in 32
   * bits: the option bytes.
   *
   * @throws IllegalArgumentException if the address does not fit a {@code POINTER_32}, or the
   *     segment is not native
   */
  public static void OptionsData(MemorySegment struct, MemorySegment fieldValue) {
    struct.set(OptionsData$LAYOUT, OptionsData$OFFSET, Native.toPointer32(fieldValue));
  }
}
