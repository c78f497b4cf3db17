package org.icmpecho.internal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Links C library functions. Every function that can set errno is linked with {@code
 * captureCallState("errno")}: the JVM's own system calls may overwrite errno between a downcall and
 * a later read, so errno is captured into a segment the caller passes, one per thread (never one
 * shared static segment).
 */
@SuppressWarnings("restricted") // the native layer: links C functions
public final class Native {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
  private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private Native() {}

  /**
   * The one shape every C function here is linked with: six 64-bit integer arguments, a 64-bit
   * result. A function with fewer parameters gets zeros for the rest; an {@code int} travels
   * widened, a pointer as its address.
   *
   * <p>Why one shape: each distinct {@link FunctionDescriptor} makes the JVM generate a stub with
   * its classes (about 3 ms each at start-up, plus their compilation, which delays the compilation
   * of the echo path); with one shape a command pays for two stubs (with and without errno) instead
   * of fifteen.
   *
   * <p>Why it is exact for the non-variadic functions linked with it, on Linux's LP64 ABIs (x86-64
   * System V and AAPCS64): up to six integer and pointer arguments travel in registers, a callee
   * reads only the registers of the parameters it declares (the extra ones are never looked at) and
   * only the low 32 bits of a register that holds an {@code int} parameter; a result of type {@code
   * int} is the low half of the result register, which the wrappers take with an {@code (int)}
   * cast. This is how the C library's own {@code syscall(2)} passes its arguments.
   */
  private static final FunctionDescriptor WORDS =
      FunctionDescriptor.of(
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_LONG);

  /**
   * A downcall handle for the non-variadic C function {@code name} in the shape {@link #WORDS};
   * with {@code errno}, its first parameter is the errno capture segment.
   */
  static MethodHandle downcall(String name, boolean errno) {
    return errno
        ? LINKER.downcallHandle(find(name), WORDS, CAPTURE_ERRNO)
        : LINKER.downcallHandle(find(name), WORDS);
  }

  /** As {@link #downcall}, or null when the C library lacks the symbol. */
  static MethodHandle optionalDowncall(String name, boolean errno) {
    return LIBC.find(name).isPresent() ? downcall(name, errno) : null;
  }

  private static MemorySegment find(String name) {
    return LIBC.find(name)
        .orElseThrow(() -> new LinkageError("C library symbol not found: " + name));
  }

  /** A fresh errno capture segment; allocate one per thread (per I/O loop, per channel). */
  public static MemorySegment allocateErrno(Arena arena) {
    return arena.allocate(CAPTURE_LAYOUT);
  }

  /** The errno captured by the last call that used {@code state}. */
  public static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
  static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;
  static final java.lang.foreign.AddressLayout C_POINTER = ValueLayout.ADDRESS;
}
