package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The one place of this module that deals in raw addresses: handle values, NULL tests, the absolute pointers a
 * reply buffer holds, and the call of an APC routine through its address. Everything else reads and writes memory
 * only through bounds-checked segments.
 */
final class Native {
  private Native() {}

  /** {@code INVALID_HANDLE_VALUE}: the handle whose value is -1. */
  static final MemorySegment INVALID_HANDLE_VALUE = MemorySegment.ofAddress(-1L);

  /** {@code void (*)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved)}. */
  static final FunctionDescriptor APC_SIGNATURE = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT);

  private static final MethodHandle CALL_APC = Linker.nativeLinker().downcallHandle(APC_SIGNATURE);

  /** True for Java null and for a native segment at address 0. A heap segment is never NULL. */
  static boolean isNull(MemorySegment s) {
    return s == null || (s.isNative() && s.address() == 0);
  }

  /** The value of a handle argument, or 0 when it cannot be a handle at all (null, a heap segment). */
  static long handleValue(MemorySegment h) {
    return h == null || !h.isNative() ? 0 : h.address();
  }

  /** A handle with the given value. */
  static MemorySegment handle(long value) {
    return MemorySegment.ofAddress(value);
  }

  /** The absolute address {@code offset} bytes into {@code base}, as a zero-length pointer segment. */
  static MemorySegment pointerInto(MemorySegment base, long offset) {
    return MemorySegment.ofAddress(base.address() + offset);
  }

  /** A {@code POINTER_32} field's value as a zero-length segment (zero-extended). */
  static MemorySegment fromPointer32(int value) {
    return MemorySegment.ofAddress(Integer.toUnsignedLong(value));
  }

  /**
   * The value of a {@code POINTER_32} field for {@code pointer}.
   *
   * @throws IllegalArgumentException if the segment is not native or its address does not fit in 32 bits
   */
  static int toPointer32(MemorySegment pointer) {
    if (!pointer.isNative() || (pointer.address() >>> 32) != 0) {
      throw new IllegalArgumentException("address 0x" + Long.toHexString(pointer.address()) + " does not fit a POINTER_32");
    }
    return (int) pointer.address();
  }

  /**
   * An opaque pointer with the same address as {@code s} but no lifetime of its own (an {@code ApcContext} is
   * handed back as is, never dereferenced). NULL for null.
   */
  static MemorySegment opaque(MemorySegment s) {
    return s == null ? MemorySegment.NULL : MemorySegment.ofAddress(s.address());
  }

  /**
   * Calls the APC routine at {@code routine}'s address. The downcall keeps {@code routine}'s arena alive for the
   * call; when that arena is already closed, it throws {@link IllegalStateException} and nothing is called.
   */
  static void callApc(MemorySegment routine, MemorySegment apcContext, MemorySegment ioStatusBlock, int reserved) {
    try {
      CALL_APC.invokeExact(routine, apcContext, ioStatusBlock, reserved);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("APC downcall failed", t);
    }
  }
}
