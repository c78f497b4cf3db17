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
 * {@code IO_STATUS_BLOCK} ({@code winternl.h}), the 64-bit form: 16 bytes, the outcome of a
 * completed asynchronous request as its APC routine receives it: {@code Status} is an {@code
 * NTSTATUS} ({@link NtStatus}) and {@code Information} the number of bytes written to the reply
 * buffer. {@code Status} and {@code Pointer} share the first 8 bytes (a union).
 *
 * <pre>{@code
 * PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) -> {
 *   int status = IO_STATUS_BLOCK.Status(iosb);
 *   long written = IO_STATUS_BLOCK.Information(iosb);
 * }, arena);
 * }</pre>
 */
@SuppressWarnings({"unused", "restricted"}) // restricted: reinterpret, as jextract renders it
public final class IO_STATUS_BLOCK {
  private IO_STATUS_BLOCK() {}

  private static final GroupLayout $LAYOUT =
      MemoryLayout.structLayout(
              MemoryLayout.unionLayout(JAVA_INT.withName("Status"), ADDRESS.withName("Pointer"))
                  .withName("$anon$0"),
              JAVA_LONG.withName("Information"))
          .withName("_IO_STATUS_BLOCK");

  /** The layout of {@code IO_STATUS_BLOCK}: 16 bytes. */
  public static GroupLayout layout() {
    return $LAYOUT;
  }

  /** {@code sizeof(IO_STATUS_BLOCK)}: 16 bytes. */
  public static long sizeof() {
    return $LAYOUT.byteSize();
  }

  /** Allocates one zero-filled {@code IO_STATUS_BLOCK} with {@code allocator}. */
  public static MemorySegment allocate(SegmentAllocator allocator) {
    return allocator.allocate($LAYOUT);
  }

  /**
   * Allocates an array of {@code count} zero-filled {@code IO_STATUS_BLOCK} with {@code allocator}.
   */
  public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
    return allocator.allocate(MemoryLayout.sequenceLayout(count, $LAYOUT));
  }

  /** The element {@code index} of an array of {@code IO_STATUS_BLOCK}. */
  public static MemorySegment asSlice(MemorySegment array, long index) {
    return array.asSlice($LAYOUT.byteSize() * index, $LAYOUT);
  }

  /**
   * Reinterprets a pointer (e.g. a zero-length segment from native code) as one {@code
   * IO_STATUS_BLOCK} living in {@code arena}, with an optional {@code cleanup} (restricted, like
   * {@link MemorySegment#reinterpret}).
   */
  public static MemorySegment reinterpret(
      MemorySegment addr, Arena arena, Consumer<MemorySegment> cleanup) {
    return addr.reinterpret($LAYOUT.byteSize(), arena, cleanup);
  }

  /**
   * Reinterprets a pointer as one {@code IO_STATUS_BLOCK} with the pointer's own lifetime
   * (restricted).
   */
  public static MemorySegment reinterpret(MemorySegment addr) {
    return addr.reinterpret($LAYOUT.byteSize());
  }

  private static final ValueLayout.OfInt Status$LAYOUT =
      (ValueLayout.OfInt) $LAYOUT.select(groupElement("$anon$0"), groupElement("Status"));
  private static final long Status$OFFSET =
      $LAYOUT.byteOffset(groupElement("$anon$0"), groupElement("Status"));

  /** The layout of {@code Status}. */
  public static ValueLayout.OfInt Status$layout() {
    return Status$LAYOUT;
  }

  /** The offset of {@code Status}: 0. */
  public static long Status$offset() {
    return Status$OFFSET;
  }

  /** {@code Status} (offset 0): the {@code NTSTATUS} of the completion. */
  public static int Status(MemorySegment struct) {
    return struct.get(Status$LAYOUT, Status$OFFSET);
  }

  /** Sets {@code Status} (offset 0): the {@code NTSTATUS} of the completion. */
  public static void Status(MemorySegment struct, int fieldValue) {
    struct.set(Status$LAYOUT, Status$OFFSET, fieldValue);
  }

  private static final AddressLayout Pointer$LAYOUT =
      (AddressLayout) $LAYOUT.select(groupElement("$anon$0"), groupElement("Pointer"));
  private static final long Pointer$OFFSET =
      $LAYOUT.byteOffset(groupElement("$anon$0"), groupElement("Pointer"));

  /** The layout of {@code Pointer}. */
  public static AddressLayout Pointer$layout() {
    return Pointer$LAYOUT;
  }

  /** The offset of {@code Pointer}: 0. */
  public static long Pointer$offset() {
    return Pointer$OFFSET;
  }

  /**
   * {@code Pointer} (offset 0), a zero-length segment at the address it holds: the union's pointer
   * view of {@code Status}.
   */
  public static MemorySegment Pointer(MemorySegment struct) {
    return struct.get(Pointer$LAYOUT, Pointer$OFFSET);
  }

  /**
   * Sets {@code Pointer} (offset 0) to the address of {@code fieldValue} (a native segment): the
   * union's pointer view of {@code Status}.
   */
  public static void Pointer(MemorySegment struct, MemorySegment fieldValue) {
    struct.set(Pointer$LAYOUT, Pointer$OFFSET, fieldValue);
  }

  private static final ValueLayout.OfLong Information$LAYOUT =
      (ValueLayout.OfLong) $LAYOUT.select(groupElement("Information"));
  private static final long Information$OFFSET = $LAYOUT.byteOffset(groupElement("Information"));

  /** The layout of {@code Information}. */
  public static ValueLayout.OfLong Information$layout() {
    return Information$LAYOUT;
  }

  /** The offset of {@code Information}: 8. */
  public static long Information$offset() {
    return Information$OFFSET;
  }

  /** {@code Information} (offset 8): the bytes written to the reply buffer. */
  public static long Information(MemorySegment struct) {
    return struct.get(Information$LAYOUT, Information$OFFSET);
  }

  /** Sets {@code Information} (offset 8): the bytes written to the reply buffer. */
  public static void Information(MemorySegment struct, long fieldValue) {
    struct.set(Information$LAYOUT, Information$OFFSET, fieldValue);
  }
}
