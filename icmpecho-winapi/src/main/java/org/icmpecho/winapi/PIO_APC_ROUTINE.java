package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * {@code PIO_APC_ROUTINE} ({@code winternl.h}): {@code void (*)(PVOID ApcContext, PIO_STATUS_BLOCK
 * IoStatusBlock, ULONG Reserved)}, the routine an asynchronous {@code IcmpSendEcho2} / {@code
 * IcmpSendEcho2Ex} / {@code Icmp6SendEcho2} queues to the issuing thread when it completes without
 * an event.
 *
 * <p>The routine runs on the thread that issued the request, only while that thread waits alertably
 * ({@link Kernel32#SleepEx SleepEx(..., true)}, {@link Kernel32#WaitForSingleObjectEx
 * WaitForSingleObjectEx(..., true)}), one at a time in completion order. {@code IoStatusBlock} is
 * valid only during the call; {@code Reserved} is 0. The layer calls the routine through its
 * address, so any native function pointer of this signature works too.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofConfined()) {
 *   MemorySegment apc = PIO_APC_ROUTINE.allocate((ctx, iosb, reserved) ->
 *       System.out.println("done, " + IO_STATUS_BLOCK.Information(iosb) + " bytes"), arena);
 *   IcmpApi.IcmpSendEcho2(h, MemorySegment.NULL, apc, MemorySegment.NULL, dst, data, 32, MemorySegment.NULL,
 *       reply, replySize, 1000);
 *   Kernel32.SleepEx(Kernel32.INFINITE, true); // runs the routine, returns WAIT_IO_COMPLETION
 * }
 * }</pre>
 */
@SuppressWarnings("restricted") // the native layer: an upcall stub and its pointer layout
public final class PIO_APC_ROUTINE {
  private PIO_APC_ROUTINE() {}

  /**
   * The Java side of an APC routine. An exception it throws does not cross the native frame: it is
   * caught and thrown again from the {@code SleepEx} / {@code WaitForSingleObjectEx} that ran the
   * routine (as an exception raised in a Windows APC unwinds out of the alertable wait); APCs still
   * queued stay queued.
   */
  @FunctionalInterface
  public interface Function {
    /**
     * Called on the issuing thread inside one of its alertable waits.
     *
     * @param ApcContext the {@code ApcContext} given to the send function (a zero-length segment)
     * @param IoStatusBlock the {@link IO_STATUS_BLOCK} of the completion, 16 bytes, valid during
     *     the call
     * @param Reserved 0
     */
    void apply(MemorySegment ApcContext, MemorySegment IoStatusBlock, int Reserved);
  }

  private static final FunctionDescriptor UPCALL_DESC =
      FunctionDescriptor.ofVoid(
          ADDRESS, ADDRESS.withTargetLayout(IO_STATUS_BLOCK.layout()), JAVA_INT);

  private static final MethodHandle APPLY;

  static {
    try {
      APPLY =
          MethodHandles.lookup()
              .findVirtual(
                  Function.class,
                  "apply",
                  MethodType.methodType(
                      void.class, MemorySegment.class, MemorySegment.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The function descriptor of {@code PIO_APC_ROUTINE}. */
  public static FunctionDescriptor descriptor() {
    return Native.APC_SIGNATURE;
  }

  /**
   * Makes a native function pointer (an upcall stub) that calls {@code fi}; it lives as long as
   * {@code arena}. If the arena is closed before a queued APC runs, that APC is dropped.
   */
  public static MemorySegment allocate(Function fi, Arena arena) {
    Function guarded =
        (ctx, iosb, reserved) -> {
          try {
            fi.apply(ctx, iosb, reserved);
          } catch (Throwable t) {
            Apcs.upcallThrew(t);
          }
        };
    return Native.registerStub(
        Linker.nativeLinker().upcallStub(APPLY.bindTo(guarded), UPCALL_DESC, arena), arena);
  }

  /**
   * Calls the routine at {@code routine}'s address directly, as C code calling a {@code
   * PIO_APC_ROUTINE} would (not through the APC queue).
   */
  public static void invoke(
      MemorySegment routine, MemorySegment ApcContext, MemorySegment IoStatusBlock, int Reserved) {
    Apcs.callThrowing(routine, ApcContext, IoStatusBlock, Reserved);
  }
}
