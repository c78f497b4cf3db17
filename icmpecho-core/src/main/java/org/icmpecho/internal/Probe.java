package org.icmpecho.internal;

import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;

/**
 * One echo in the engine, and the future its caller holds: a single object per echo, which is also
 * the node of the submission queue and the entry of the timer heap, so an echo costs no allocation
 * beyond itself and its result. Fields other than {@link #link} are touched only by the I/O thread
 * once the probe is queued.
 *
 * <p>48 bytes with compressed references (a template echo's with its IPv4 target as an int too),
 * which is most of what an echo in flight costs (a million in flight is the yardstick): the
 * serial lives only in the socket's slot table, the sequence in a {@code char}, the send time is
 * the deadline less the timeout, the queue link and the socket share a field, the socket knows the
 * loop, and a duplicate listener (rare) in a subclass.
 */
class Probe extends CompletableFuture<EchoResult> {
  /**
   * The request, or for {@code echoAsync(target, template)} the template whose target is not this
   * one's.
   */
  final EchoRequest request;

  /**
   * While queued, the next probe of the submission queue ({@link ProbeQueue}, which reads and
   * writes it with its own memory ordering); once started, the socket it is in flight on (a {@link
   * ChannelState}, which knows its I/O loop, for cancellation); null before, between and after. One
   * field for the two saves four bytes an echo.
   */
  Object link;

  /**
   * Deadline on the poller's monotonic clock (ns), counted from the send: the send time is this
   * less the timeout ({@link Matcher#sentAt}).
   */
  long deadline;

  /**
   * Position in the timer heap, -1 when not in it. Once answered, and so out of the timers for
   * good, the time it was answered instead ({@link ChannelState#stamp}), for telling duplicates
   * from late answers: the slot table then needs no column of its own for it.
   */
  int heapIndex = -1;

  /** The echo's sequence number (valid once {@link #channel()} is set). */
  char sequence;

  /**
   * True once the I/O thread has recorded an outcome (completion may still be pending on the
   * executor).
   */
  boolean finished;

  /**
   * True for the blocking {@code echo()} path: the future never leaves the client, so no user code
   * can hang on it and the I/O thread may complete it itself, saving a hand-off to the callback
   * executor.
   */
  final boolean direct;

  Probe(EchoRequest request, boolean direct) {
    this.request = request;
    this.direct = direct;
  }

  /** The socket this probe is in flight on (or was answered on), null while it has none. */
  final ChannelState channel() {
    return link instanceof ChannelState cs ? cs : null;
  }

  /** Puts the probe on {@code cs} (null: off any socket). Its loop's owner only. */
  final void channel(ChannelState cs) {
    link = cs;
  }

  /** The I/O loop whose socket it is on, or null (not started yet, or on a caller's own loop). */
  final IoThread loop() {
    return link instanceof ChannelState cs ? cs.owner : null;
  }

  /** A probe whose later duplicate answers go to a listener. */
  static final class Listened extends Probe {
    private final Consumer<? super EchoResult.Reply> onDuplicate;

    Listened(EchoRequest request, Consumer<? super EchoResult.Reply> onDuplicate) {
      super(request, false);
      this.onDuplicate = onDuplicate;
    }

    @Override
    Consumer<? super EchoResult.Reply> onDuplicate() {
      return onDuplicate;
    }
  }

  /**
   * An echo made from a template ({@code echoAsync(target, template)}): its request is the
   * template.
   */
  abstract static sealed class FromTemplate extends Probe permits Templated, Templated4, Scheduled {
    FromTemplate(EchoRequest template) {
      super(template, false);
    }

    @Override
    final boolean fromTemplate() {
      return true;
    }
  }

  /** An IPv6 echo made from a template: the template plus this echo's target. */
  static final class Templated extends FromTemplate {
    private final InetAddress target;

    Templated(EchoRequest template, InetAddress target) {
      super(template);
      this.target = target;
    }

    @Override
    InetAddress targetRef() {
      return target;
    }
  }

  /**
   * An IPv4 echo made from a template, holding its target as an {@code int}: the caller's {@code
   * InetAddress} (56 bytes) need not stay reachable while the echo is in flight. Results get an
   * equal address made with them.
   */
  static final class Templated4 extends FromTemplate {
    private final int address;

    Templated4(EchoRequest template, int address) {
      super(template);
      this.address = address;
    }

    @Override
    InetAddress targetRef() {
      return null;
    }

    @Override
    int address4() {
      return address;
    }

    @Override
    InetAddress target() {
      byte[] b = {
        (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
      };
      try {
        return InetAddress.getByAddress(b);
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e); // four bytes are always an address
      }
    }

    @Override
    boolean targetIs(org.icmpecho.internal.packet.Packet pk) {
      return pk.fromIs4(address);
    }

    @Override
    boolean quotedTargetIs(org.icmpecho.internal.packet.Packet pk) {
      return pk.quotedDstIs4(address);
    }

    @Override
    boolean targetIsMulticast() {
      return (address >>> 28) == 0xe;
    }

    @Override
    int targetHash() {
      // Inet4Address.hashCode(): the same loop as the same address given as a request
      return address;
    }
  }

  /**
   * An echo of a {@link ScheduleRun}: its target lives in the schedule's arrays (IPv4 template
   * targets go by int, as {@link Templated4}), its outcome goes back to the schedule's home loop
   * ({@link ScheduleRun#returned}) instead of completing a future, and the schedule's listener
   * hears it when the batch runs {@link #complete}.
   */
  static final class Scheduled extends FromTemplate {
    final ScheduleRun run;
    final int index;
    final long number;

    /** When the schedule had this echo due (monotonic ns), for its lateness. */
    final long due;

    /** Slot in the schedule's table of echoes in flight, -1 once out of it (home loop only). */
    int liveIndex = -1;

    /** Written by the loop that finished the echo before it hands the probe home. */
    Object outcome;

    Scheduled(EchoRequest request, ScheduleRun run, int index, long number, long due) {
      super(request);
      this.run = run;
      this.index = index;
      this.number = number;
      this.due = due;
    }

    @Override
    InetAddress targetRef() {
      return run.targets.isV4(index) ? null : run.targets.target(index);
    }

    @Override
    int address4() {
      return run.targets.address4(index);
    }

    @Override
    InetAddress target() {
      return run.targets.target(index); // the caller's own object: nothing made per result
    }

    @Override
    boolean targetIs(org.icmpecho.internal.packet.Packet pk) {
      return run.targets.isV4(index) ? pk.fromIs4(address4()) : pk.fromIs(targetRef());
    }

    @Override
    boolean quotedTargetIs(org.icmpecho.internal.packet.Packet pk) {
      return run.targets.isV4(index) ? pk.quotedDstIs4(address4()) : pk.quotedDstIs(targetRef());
    }

    @Override
    boolean targetIsMulticast() {
      return run.targets.target(index).isMulticastAddress();
    }

    @Override
    int targetHash() {
      return run.targets.target(index).hashCode();
    }

    @Override
    Consumer<? super EchoResult.Reply> onDuplicate() {
      return reply -> run.duplicate(this, reply);
    }

    /**
     * The batch's delivery of this echo's outcome: the schedule's listener, on the callback
     * executor.
     */
    @Override
    public boolean complete(EchoResult result) {
      run.deliver(this, result);
      return true;
    }

    /**
     * The engine refused the echo at once (on the home loop, while sending): the schedule fails.
     */
    @Override
    public boolean completeExceptionally(Throwable failure) {
      run.fail(failure);
      return true;
    }
  }

  /**
   * The target as the caller gave it, or null when this probe holds it only as an int ({@link
   * #address4}).
   */
  InetAddress targetRef() {
    return request.target();
  }

  /** The IPv4 target as an int, for a probe whose {@link #targetRef} is null. */
  int address4() {
    return 0;
  }

  /** The target; may be made on each call (a {@link Templated4}), so call it once per result. */
  InetAddress target() {
    return targetRef();
  }

  /** True when {@code pk} came from the target. */
  boolean targetIs(org.icmpecho.internal.packet.Packet pk) {
    return pk.fromIs(targetRef());
  }

  /** True when the ICMP error {@code pk} quotes an echo to the target. */
  boolean quotedTargetIs(org.icmpecho.internal.packet.Packet pk) {
    return pk.quotedDstIs(targetRef());
  }

  boolean targetIsMulticast() {
    return targetRef().isMulticastAddress();
  }

  /**
   * Made from a template ({@code echoAsync(target, template)}): may go to another loop than its
   * target's.
   */
  boolean fromTemplate() {
    return false;
  }

  /** Picks the I/O loop: equal targets go to the same loop however they were given. */
  int targetHash() {
    return targetRef().hashCode();
  }

  /** Where duplicate answers go, or null. */
  Consumer<? super EchoResult.Reply> onDuplicate() {
    return null;
  }

  /**
   * The request this echo answers, as results report it: the request itself, or for a template a
   * copy with this echo's target, made when the result is (so nothing per echo but this probe and
   * the address is held in flight).
   */
  EchoRequest request() {
    return request(target());
  }

  /** As {@link #request()}, with the target already at hand. */
  EchoRequest request(InetAddress target) {
    return request.target() == target ? request : request.withTarget(target);
  }

  /**
   * Withdraws the echo: the future is cancelled now, the I/O thread frees its slot and timer entry
   * soon after.
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    // A probe still queued is dropped when its loop takes it (it is done); one in flight is
    // withdrawn by its loop. One being started just now is caught by the loop's own check after
    // the send (Exchange#start); the two fences make sure one side sees the other (Dekker).
    VarHandle.fullFence();
    IoThread l = loop();
    if (cancelled && l != null) {
      l.cancelled(this);
    }
    return cancelled;
  }

  @Override
  public String toString() {
    return "Probe["
        + target().getHostAddress()
        + (channel() == null ? "" : " seq=" + (int) sequence)
        + "]";
  }
}
