package org.icmpecho.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.icmpecho.EchoRequest;
import org.icmpecho.IcmpException;
import org.icmpecho.internal.transport.Channel;

/**
 * The caller loops of one engine: a blocking {@code echo()} from a platform thread runs on a loop
 * of that thread's own, on a ping socket of its own ({@link CallerLoop}). This class hands the
 * loops out (at most {@code callerSockets} at a time), opens their sockets through the first I/O
 * thread (so they sit in the client's namespace), takes loops back from threads that died, keeps
 * the counters of closed ones, and closes them all with the client. Safe for concurrent use: its
 * state is guarded by {@link #slots}, each thread's claim is its own.
 */
final class CallerLoops {
  /** How long a thread that found every caller socket taken waits before it asks again (ns). */
  private static final long RETRY = 1_000_000_000L;

  /** Opens a ping socket for a caller loop; the future's value is null when only raw ones exist. */
  @FunctionalInterface
  interface Opener {
    CompletableFuture<Channel> open(boolean v6);
  }

  /**
   * A thread's claim on a caller loop; {@code loop} is null when none was free (then ask again at
   * {@code retryAt}).
   */
  private record Slot(Thread thread, CallerLoop loop, long retryAt) {}

  /**
   * What a thread keeps of its claim: the loop only weakly, because the thread may outlive the
   * client (the loop is held by {@link #slots} while it is in use), and its stale entry stays in
   * the thread's map until it is cleaned out, long after the client closed.
   */
  private record Claim(WeakReference<CallerLoop> loop, long retryAt) {
    CallerLoop get() {
      return loop == null ? null : loop.get();
    }
  }

  private final EngineConfig config;
  private final int cookie;
  private final AtomicLong outstanding;
  private final Opener opener;

  @SuppressWarnings(
      "ThreadLocalUsage") // per client on purpose: a thread has a caller socket in each client
  private final ThreadLocal<Claim> claims = new ThreadLocal<>();

  /** Every caller loop handed out and not yet closed; guarded by itself. */
  private final List<Slot> slots = new ArrayList<>();

  /**
   * Counters of caller loops already closed, so that the client's stats never go backwards; guarded
   * by slots.
   */
  private final long[] retiredCounts = new long[12];

  /** Per family: true once the family resolved to raw sockets, which caller loops do not use. */
  private final boolean[] noSocket = new boolean[2];

  /** Guarded by slots. */
  private boolean closed;

  CallerLoops(EngineConfig config, int cookie, AtomicLong outstanding, Opener opener) {
    this.config = config;
    this.cookie = cookie;
    this.outstanding = outstanding;
    this.opener = opener;
  }

  /**
   * The calling platform thread's own loop for a blocking echo of {@code r} (default source and
   * interface), opening its socket on first use; null when the echo must take the shared path: raw
   * sockets, or all caller sockets taken.
   */
  CallerLoop get(EchoRequest r) throws InterruptedException {
    boolean v6 = r.isIpv6();
    if (noSocket[v6 ? 1 : 0]) return null;
    Claim claim = claims.get();
    CallerLoop l = claim == null ? null : claim.get();
    if (l == null || l.terminated) {
      if (claim != null && claim.loop() == null && System.nanoTime() - claim.retryAt() < 0)
        return null;
      Slot slot = claim(Thread.currentThread());
      l = slot.loop();
      claims.set(new Claim(l == null ? null : new WeakReference<>(l), slot.retryAt()));
      if (l == null) return null;
    }
    if (!l.has(v6)) {
      Channel ch = open(v6);
      if (ch == null || !l.adopt(ch)) return null;
    }
    return l;
  }

  /** Caller sockets open now (for the test lab). */
  int socketCount() {
    synchronized (slots) {
      int n = 0;
      for (Slot s : slots) n += s.loop().socketCount();
      return n;
    }
  }

  private Slot claim(Thread t) {
    synchronized (slots) {
      if (closed) return new Slot(t, null, Long.MAX_VALUE);
      if (slots.size() >= config.callerSockets()) {
        // Threads die without telling anyone: their loops are closed when room is needed.
        for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
          Slot s = it.next();
          if (!s.thread().isAlive() || s.loop().terminated) {
            retire(s.loop(), !s.thread().isAlive());
            it.remove();
          }
        }
      }
      if (slots.size() >= config.callerSockets())
        return new Slot(t, null, System.nanoTime() + RETRY);
      Slot slot = new Slot(t, new CallerLoop(config, cookie, outstanding), 0);
      slots.add(slot);
      return slot;
    }
  }

  /** Closes a caller loop and keeps its counters. Holds slots. */
  private void retire(CallerLoop l, boolean ownerDead) {
    l.close(ownerDead);
    Engine.addCounts(retiredCounts, l.snapshot());
    retiredCounts[10] = 0; // in flight: none once closed
  }

  /** Has the first I/O thread open a ping socket for a caller loop. */
  private Channel open(boolean v6) throws InterruptedException {
    CompletableFuture<Channel> opening = opener.open(v6);
    try {
      Channel ch = Engine.await(opening);
      if (ch == null) noSocket[v6 ? 1 : 0] = true;
      return ch;
    } catch (IcmpException | InterruptedException e) {
      // Given up waiting (interrupted, or 30 s): the I/O thread may still open it, and then nobody
      // else would close it.
      var _ =
          opening.thenAccept(
              ch -> { // closing is all there is to do: nothing waits for it
                if (ch != null) ch.close();
              });
      if (e instanceof InterruptedException ie) throw ie;
      return null; // the shared path reports whatever is wrong with the sockets
    }
  }

  /** Adds the counters of every caller loop, open or closed, to {@code sum}. */
  void addCounts(long[] sum) {
    synchronized (slots) {
      for (int i = 0; i < sum.length; i++) sum[i] += retiredCounts[i];
      for (Slot s : slots) Engine.addCounts(sum, s.loop().snapshot());
    }
  }

  /**
   * Closes every caller loop: a caller in the middle of an echo is woken and fails it with "client
   * closed"; its socket closes after. No loop is handed out afterwards.
   */
  void close() {
    synchronized (slots) {
      closed = true;
      for (Slot s : slots) retire(s.loop(), !s.thread().isAlive());
      slots.clear();
    }
  }
}
