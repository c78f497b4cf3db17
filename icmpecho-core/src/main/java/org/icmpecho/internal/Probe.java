package org.icmpecho.internal;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;

/**
 * One echo in the engine, and the future its caller holds: a single object per echo, which is also the node of the
 * submission queue and the entry of the timer heap, so an echo costs no allocation beyond itself and its result.
 * Fields other than {@link #next} are touched only by the I/O thread once the probe is queued.
 *
 * <p>64 bytes with compressed references, which is most of what an echo in flight costs (a million in flight is
 * the yardstick): the serial lives only in the socket's slot table, the sequence in a {@code char}, and a
 * duplicate listener (rare) in a subclass.
 */
class Probe extends CompletableFuture<EchoResult> {
  /** The request, or for {@code echoAsync(target, template)} the template whose target is not this one's. */
  final EchoRequest request;
  final InetAddress target;
  /** The I/O loop it was handed to, for cancellation. */
  IoLoop loop;

  /** Next node in the submission queue (written by producers, read by the I/O thread). */
  volatile Probe next;

  ChannelState channel;
  /** Send time on the RTT clock (CLOCK_REALTIME ns). */
  long sentAt;
  /** Deadline on the monotonic clock (ns). */
  long deadline;
  /** Position in the timer heap, -1 when not in it. */
  int heapIndex = -1;
  /** The echo's sequence number (valid once {@link #channel} is set). */
  char sequence;
  /** True once the I/O thread has recorded an outcome (completion may still be pending on the executor). */
  boolean finished;
  /**
   * True for the blocking {@code echo()} path: the future never leaves the client, so no user code can hang on it
   * and the I/O thread may complete it itself, saving a hand-off to the callback executor.
   */
  final boolean direct;

  Probe(EchoRequest request, InetAddress target, boolean direct) {
    this.request = request;
    this.target = target;
    this.direct = direct;
  }

  /** A probe whose later duplicate answers go to a listener. */
  static final class Listened extends Probe {
    private final Consumer<? super EchoResult.Reply> onDuplicate;

    Listened(EchoRequest request, InetAddress target, Consumer<? super EchoResult.Reply> onDuplicate) {
      super(request, target, false);
      this.onDuplicate = onDuplicate;
    }

    @Override
    Consumer<? super EchoResult.Reply> onDuplicate() {
      return onDuplicate;
    }
  }

  /** Where duplicate answers go, or null. */
  Consumer<? super EchoResult.Reply> onDuplicate() {
    return null;
  }

  /**
   * The request this echo answers, as results report it: the request itself, or for a template a copy with this
   * echo's target, made when the result is (so nothing per echo but this probe and the address is held in flight).
   */
  EchoRequest request() {
    return request.target() == target ? request : request.withTarget(target);
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
    return "Probe[" + target.getHostAddress() + (channel == null ? "" : " seq=" + (int) sequence) + "]";
  }
}
