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
 * Links C library functions. Every function that can set errno is linked with {@code captureCallState("errno")}:
 * the JVM's own system calls may overwrite errno between a downcall and a later read, so errno is captured into a
 * segment the caller passes, one per thread (never one shared static segment).
 */
public final class Native {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
  private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private Native() {}

  /** A downcall handle for {@code name} whose first parameter is the errno capture segment. */
  static MethodHandle downcallErrno(String name, FunctionDescriptor desc) {
    return LINKER.downcallHandle(find(name), desc, CAPTURE_ERRNO);
  }

  /** A downcall handle for {@code name} capturing errno, or null when the C library lacks the symbol. */
  static MethodHandle optionalDowncallErrno(String name, FunctionDescriptor desc) {
    return LIBC.find(name).map(a -> LINKER.downcallHandle(a, desc, CAPTURE_ERRNO)).orElse(null);
  }

  /** A downcall handle for {@code name} that does not capture errno. */
  static MethodHandle downcall(String name, FunctionDescriptor desc) {
    return LINKER.downcallHandle(find(name), desc);
  }

  private static MemorySegment find(String name) {
    return LIBC.find(name).orElseThrow(() -> new LinkageError("C library symbol not found: " + name));
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
