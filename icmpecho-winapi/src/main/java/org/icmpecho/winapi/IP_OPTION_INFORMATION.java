package org.icmpecho.winapi;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.*;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/**
 * {@code IP_OPTION_INFORMATION} ({@code ipexport.h}), the 64-bit form: 16 bytes, the IP options of
 * a request and of a reply. In a request, this layer uses {@code Ttl} (0 = the system default), the
 * {@link IpExport#IP_FLAG_DF} bit of {@code Flags} and the {@code OptionsSize} option bytes at
 * {@code OptionsData} (IPv4); {@code Tos} is ignored, as Windows documents (see the module README).
 * In a reply, {@code Ttl}, {@code Tos}, the DF bit in {@code Flags} and the options are those of
 * the answer as far as the socket mode sees them; {@code OptionsData} points into the reply buffer,
 * right after the {@link ICMP_ECHO_REPLY}.
 *
 * <pre>{@code
 * MemorySegment opts = IP_OPTION_INFORMATION.allocate(arena);
 * IP_OPTION_INFORMATION.Ttl(opts, (byte) 5);
 * IP_OPTION_INFORMATION.Flags(opts, (byte) IpExport.IP_FLAG_DF);
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class IP_OPTION_INFORMATION {
  private IP_OPTION_INFORMATION() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              JAVA_BYTE.withName("Ttl"),
              JAVA_BYTE.withName("Tos"),
              JAVA_BYTE.withName("Flags"),
              JAVA_BYTE.withName("OptionsSize"),
              MemoryLayout.paddingLayout(4),
              ADDRESS.withName("OptionsData"))
          .withName("ip_option_information");

  /** The layout of {@code IP_OPTION_INFORMATION}: 16 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(IP_OPTION_INFORMATION)}: 16 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code IP_OPTION_INFORMATION} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code IP_OPTION_INFORMATION} with {@code
   * allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code IP_OPTION_INFORMATION}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * IP_OPTION_INFORMATION} living in {@code arena}, with an optional {@code cleanup} (restricted,
   * like {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code IP_OPTION_INFORMATION} with the pointer's own lifetime
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

  /** {@code Ttl} (offset 0): the time to live (IPv6: hop limit). */
  public static byte Ttl(MemorySegment struct) {
    return struct.get(Ttl$LAYOUT, Ttl$OFFSET);
  }

  /** Sets {@code Ttl} (offset 0): the time to live (IPv6: hop limit). */
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

  private static final AddressLayout OptionsData$LAYOUT =
      (AddressLayout) $LAYOUT.select(groupElement("OptionsData"));
  private static final long OptionsData$OFFSET = $LAYOUT.byteOffset(groupElement("OptionsData"));

  /** The layout of {@code OptionsData}. */
  public static AddressLayout OptionsData$layout() {
    return OptionsData$LAYOUT;
  }

  /** The offset of {@code OptionsData}: 8. */
  public static long OptionsData$offset() {
    return OptionsData$OFFSET;
  }

  /**
   * {@code OptionsData} (offset 8), a zero-length segment at the address it holds: the option
   * bytes.
   */
  public static MemorySegment OptionsData(MemorySegment struct) {
    return struct.get(OptionsData$LAYOUT, OptionsData$OFFSET);
  }

  /**
   * Sets {@code OptionsData} (offset 8) to the address of {@code fieldValue} (a native segment):
   * the option bytes.
   */
  public static void OptionsData(MemorySegment struct, MemorySegment fieldValue) {
    struct.set(OptionsData$LAYOUT, OptionsData$OFFSET, fieldValue);
  }
}
