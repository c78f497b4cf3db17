package org.icmpecho.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;

/**
 * One echo in the engine, and the future its caller holds: a single object per echo, which is also the node of the
 * submission queue and the entry of the timer heap, so an echo costs no allocation beyond itself and its result.
 * Fields other than {@link #next} are touched only by the I/O thread once the probe is queued.
 */
final class Probe extends CompletableFuture<EchoResult> {
  final EchoRequest request;
  final Consumer<? super EchoResult.Reply> onDuplicate;
  /** The I/O loop it was handed to, for cancellation. */
  IoLoop loop;

  /** Next node in the submission queue (written by producers, read by the I/O thread). */
  volatile Probe next;

  ChannelState channel;
  int sequence = -1;
  int serial;
  /** Send time on the RTT clock (CLOCK_REALTIME ns). */
  long sentAt;
  /** Deadline on the monotonic clock (ns). */
  long deadline;
  /** Position in the timer heap, -1 when not in it. */
  int heapIndex = -1;
  /** True once the I/O thread has recorded an outcome (completion may still be pending on the executor). */
  boolean finished;
  /**
   * True for the blocking {@code echo()} path: the future never leaves the client, so no user code can hang on it
   * and the I/O thread may complete it itself, saving a hand-off to the callback executor.
   */
  final boolean direct;

  Probe(EchoRequest request, Consumer<? super EchoResult.Reply> onDuplicate, boolean direct) {
    this.request = request;
    this.onDuplicate = onDuplicate;
    this.direct = direct;
  }

  /** Withdraws the echo: the future is cancelled now, the I/O thread frees its slot and timer entry soon after. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    IoLoop l = loop;
    if (cancelled && l != null) {
      l.cancelled(this);
    }
    return cancelled;
  }

  @Override
  public String toString() {
    return "Probe[" + request.target().getHostAddress() + " seq=" + sequence + "]";
  }
}
