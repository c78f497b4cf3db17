package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place of this module that deals in raw addresses: handle values, NULL tests, the absolute
 * pointers a reply buffer holds, and the call of an APC routine through its address. Everything
 * else reads and writes memory only through bounds-checked segments.
 */
@SuppressWarnings("restricted") // the native layer: calls APC routines through their address
final class Native {
  private Native() {}

  /** {@code INVALID_HANDLE_VALUE}: the handle whose value is -1. */
  static final MemorySegment INVALID_HANDLE_VALUE = MemorySegment.ofAddress(-1L);

  /** {@code void (*)(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved)}. */
  static final FunctionDescriptor APC_SIGNATURE =
      FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT);

  private static final MethodHandle CALL_APC = Linker.nativeLinker().downcallHandle(APC_SIGNATURE);

  /** {@code void (*)(PVOID lpParameter, BOOLEAN TimerOrWaitFired)}. */
  static final FunctionDescriptor WAIT_CALLBACK_SIGNATURE =
      FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN);

  private static final MethodHandle CALL_WAIT_CALLBACK =
      Linker.nativeLinker().downcallHandle(WAIT_CALLBACK_SIGNATURE);

  /**
   * Addresses of the routine stubs this module made ({@code PIO_APC_ROUTINE}, {@code
   * WAITORTIMERCALLBACK}).
   */
  private static final ConcurrentHashMap<Long, Boolean> STUBS = new ConcurrentHashMap<>();

  /** Remembers a stub as callable until its arena closes. */
  static MemorySegment registerStub(MemorySegment stub, Arena arena) {
    long address = stub.address();
    STUBS.put(address, Boolean.TRUE);
    MemorySegment.NULL.reinterpret(arena, ignored -> STUBS.remove(address));
    return stub;
  }

  /**
   * True when the process can really call {@code routine}: a live stub of this module, or an
   * address inside an executable mapping of {@code /proc/self/maps} (a native function, another
   * upcall stub). Windows would simply crash on anything else; here that would be a SIGSEGV of the
   * JVM, so it is refused up front.
   */
  static boolean isCallable(MemorySegment routine) {
    if (!routine.isNative() || routine.address() == 0 || !routine.scope().isAlive()) return false;
    if (STUBS.containsKey(routine.address())) return true;
    return inMapping(routine.address(), 1, 2, 'x');
  }

  /**
   * The {@code size} bytes a raw pointer from a struct points at ({@code
   * IP_OPTION_INFORMATION.OptionsData}), or null when they are not all inside one readable mapping:
   * a pointer carries no bounds, so this is what keeps a bad one from crashing the JVM.
   */
  static byte[] readPointer(MemorySegment pointer, int size) {
    if (!pointer.isNative()
        || pointer.address() == 0
        || !inMapping(pointer.address(), size, 0, 'r')) return null;
    return pointer.reinterpret(size).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
  }

  /**
   * True when {@code [address, address + length)} lies in one mapping whose permission {@code
   * index} is {@code perm}.
   */
  private static boolean inMapping(long address, long length, int index, char perm) {
    List<String> maps;
    try {
      maps = Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException e) {
      return false;
    }
    for (String line : maps) { // "start-end perms offset dev inode path", addresses in hex
      int dash = line.indexOf('-');
      int space = line.indexOf(' ', dash);
      if (dash < 0
          || space < 0
          || line.length() < space + 5
          || line.charAt(space + 1 + index) != perm) continue;
      long start = Long.parseUnsignedLong(line, 0, dash, 16);
      long end = Long.parseUnsignedLong(line, dash + 1, space, 16);
      if (Long.compareUnsigned(address, start) >= 0
          && Long.compareUnsigned(address + length, end) <= 0) return true;
    }
    return false;
  }

  /**
   * A copy of the first {@code size} bytes of a struct argument in 8-byte aligned memory, so the
   * struct's accessors can read it whatever the argument's alignment or backing ({@code byte[]}, an
   * odd native address): Windows takes any pointer.
   *
   * @throws IndexOutOfBoundsException, IllegalStateException, WrongThreadException as {@link
   *     MemorySegment#copy}
   */
  static MemorySegment alignedCopy(MemorySegment struct, long size) {
    MemorySegment copy = MemorySegment.ofArray(new long[(int) ((size + 7) / 8)]);
    MemorySegment.copy(struct, 0, copy, 0, size);
    return copy;
  }

  /** True for Java null and for a native segment at address 0. A heap segment is never NULL. */
  static boolean isNull(MemorySegment s) {
    return s == null || (s.isNative() && s.address() == 0);
  }

  /**
   * The value of a handle argument, or 0 when it cannot be a handle at all (null, a heap segment).
   */
  static long handleValue(MemorySegment h) {
    return h == null || !h.isNative() ? 0 : h.address();
  }

  /** A handle with the given value. */
  static MemorySegment handle(long value) {
    return MemorySegment.ofAddress(value);
  }

  /** Writes a handle's value into a {@code HANDLE*} out parameter at any alignment. */
  static void storeHandle(MemorySegment out, MemorySegment handle) {
    out.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0, handle.address());
  }

  /**
   * The absolute address {@code offset} bytes into {@code base}, as a zero-length pointer segment.
   */
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
   * @throws IllegalArgumentException if the segment is not native or its address does not fit in 32
   *     bits
   */
  static int toPointer32(MemorySegment pointer) {
    if (!pointer.isNative() || (pointer.address() >>> 32) != 0) {
      throw new IllegalArgumentException(
          "address 0x" + Long.toHexString(pointer.address()) + " does not fit a POINTER_32");
    }
    return (int) pointer.address();
  }

  /**
   * An opaque pointer with the same address as {@code s} but no lifetime of its own (an {@code
   * ApcContext} is handed back as is, never dereferenced). NULL for null.
   */
  static MemorySegment opaque(MemorySegment s) {
    return s == null ? MemorySegment.NULL : MemorySegment.ofAddress(s.address());
  }

  /**
   * Calls the APC routine at {@code routine}'s address. The downcall keeps {@code routine}'s arena
   * alive for the call; when that arena is already closed, it throws {@link IllegalStateException}
   * and nothing is called.
   */
  static void callApc(
      MemorySegment routine, MemorySegment apcContext, MemorySegment ioStatusBlock, int reserved) {
    try {
      CALL_APC.invokeExact(routine, apcContext, ioStatusBlock, reserved);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("APC downcall failed", t);
    }
  }

  /**
   * Calls a {@code WAITORTIMERCALLBACK} at {@code routine}'s address; {@link IllegalStateException}
   * if its arena is closed.
   */
  static void callWaitCallback(
      MemorySegment routine, MemorySegment context, boolean timerOrWaitFired) {
    try {
      CALL_WAIT_CALLBACK.invokeExact(routine, context, timerOrWaitFired);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("wait callback downcall failed", t);
    }
  }
}
