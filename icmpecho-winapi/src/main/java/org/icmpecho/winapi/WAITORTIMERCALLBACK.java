package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code WAITORTIMERCALLBACK} ({@code winnt.h}): {@code void (*)(PVOID lpParameter, BOOLEAN
 * TimerOrWaitFired)}, the callback of {@link Kernel32#RegisterWaitForSingleObject}. It runs on a
 * pool thread, once per signal of the object (or per timeout, then with {@code TimerOrWaitFired}
 * true). Shaped like {@link PIO_APC_ROUTINE}.
 *
 * <pre>{@code
 * MemorySegment cb = WAITORTIMERCALLBACK.allocate((ctx, timedOut) -> System.out.println("signaled"), arena);
 * MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
 * Kernel32.RegisterWaitForSingleObject(out, event, cb, MemorySegment.NULL, Kernel32.INFINITE,
 *     Kernel32.WT_EXECUTEONLYONCE);
 * }</pre>
 */
@SuppressWarnings("restricted") // the native layer: an upcall stub
public final class WAITORTIMERCALLBACK {
  private WAITORTIMERCALLBACK() {}

  /**
   * The Java side of the callback. An exception it throws does not cross the native frame: it goes
   * to the pool thread's uncaught-exception handler (an unhandled exception in a Windows pool
   * callback ends the process).
   */
  @FunctionalInterface
  public interface Function {
    /**
     * Called on a pool thread.
     *
     * @param lpParameter the {@code Context} given to {@code RegisterWaitForSingleObject} (a
     *     zero-length segment)
     * @param TimerOrWaitFired true when the wait timed out, false when the object was signaled
     */
    void apply(MemorySegment lpParameter, boolean TimerOrWaitFired);
  }

  private static final FunctionDescriptor UPCALL_DESC =
      FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN);

  private static final MethodHandle APPLY;

  static {
    try {
      APPLY =
          MethodHandles.lookup()
              .findVirtual(
                  Function.class,
                  "apply",
                  MethodType.methodType(void.class, MemorySegment.class, boolean.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The function descriptor of {@code WAITORTIMERCALLBACK}. */
  public static FunctionDescriptor descriptor() {
    return Native.WAIT_CALLBACK_SIGNATURE;
  }

  /**
   * Makes a native function pointer (an upcall stub) that calls {@code fi}; it lives as long as
   * {@code arena}.
   */
  public static MemorySegment allocate(Function fi, Arena arena) {
    Function guarded =
        (ctx, fired) -> {
          try {
            fi.apply(ctx, fired);
          } catch (Throwable t) {
            Apcs.upcallThrew(t);
          }
        };
    return Native.registerStub(
        Linker.nativeLinker().upcallStub(APPLY.bindTo(guarded), UPCALL_DESC, arena), arena);
  }

  /**
   * Calls the callback at {@code routine}'s address directly, as C code calling a {@code
   * WAITORTIMERCALLBACK} would.
   */
  public static void invoke(
      MemorySegment routine, MemorySegment lpParameter, boolean TimerOrWaitFired) {
    Native.callWaitCallback(routine, lpParameter, TimerOrWaitFired);
  }
}
