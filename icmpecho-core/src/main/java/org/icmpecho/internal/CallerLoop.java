package org.icmpecho.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.icmpecho.ClientStats;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * The blocking echoes of one platform thread, run on that thread, on a ping socket of its own:
 * send, read what the kernel queued during the send (on loopback: the answer), else sleep in this
 * loop's own poller until the answer, an ICMP error or the deadline. Nothing crosses threads, so a
 * round trip costs the two system calls a C loop makes plus the clock reads. Matching, late answers
 * and duplicates (read at a later echo) follow the same rules as on the I/O threads: the same
 * {@link Exchange}. The socket is opened by an I/O thread (which sits in the client's network
 * namespace) and handed over with {@link #adopt}. Holds no reference to its engine: a long-lived
 * thread's slot must not keep a closed client alive.
 */
final class CallerLoop {
  /**
   * Sequence slots of a caller's socket: one echo in flight at a time, the rest remember recent
   * answers.
   */
  private static final int SLOTS = 1024;

  /** The longest a caller sleeps in one poll: how soon it notices {@code Thread.interrupt()}. */
  private static final long SLICE = 20_000_000L;

  private final TransportFactory transport;
  private final Exchange exchange;
  private final OwnerToken owner = OwnerToken.free();

  /**
   * Set by {@link #close}: the echo running now fails with "client closed", and the loop closes
   * after it.
   */
  private volatile boolean stopping;

  /** Set once the sockets are closed; the thread's next echo claims another loop. */
  volatile boolean terminated;

  CallerLoop(EngineConfig config, int cookie, AtomicLong outstanding) {
    this.transport = config.transportFactory();
    InFlightTable table =
        new InFlightTable(transport, Failures.kind(config.socketMode()), 0, true, null);
    exchange =
        new Exchange(
            table,
            new Matcher(cookie),
            OutcomeBatch.inline(),
            outstanding,
            config.duplicateWindow());
  }

  /** True when this loop has its socket for the family. Owner thread only. */
  boolean has(boolean v6) {
    return exchange.table.has(v6);
  }

  /** Sockets of this loop (from any thread; for the test lab, so only roughly synchronised). */
  int socketCount() {
    owner.observe();
    return terminated ? 0 : exchange.table.defaultCount();
  }

  /**
   * Gives this loop its socket for a family; returns false (and closes {@code ch}) when the loop
   * was closed.
   */
  boolean adopt(Channel ch) {
    if (!owner.tryTake()) {
      ch.close();
      return false;
    }
    try {
      if (exchange.poller() == null) exchange.usePoller(transport.newPoller());
      exchange.table.adopt(ch, SLOTS);
      return true;
    } catch (TransportException e) {
      ch.close();
      // a poller that cannot be made: give this loop up, echoes take the shared path
      stopping = true;
      return false;
    } finally {
      release();
    }
  }

  /**
   * Runs a blocking echo start to end on the calling thread. Returns false, having sent nothing,
   * when the loop is closed; otherwise the probe has its outcome (or the thread was interrupted,
   * and the probe is withdrawn).
   */
  boolean run(Probe p) throws InterruptedException {
    if (!owner.tryTake()) return false;
    Exchange x = exchange;
    try {
      if (stopping) return false;
      x.start(p);
      awaitRoom(p);
      if (p.finished) return true;
      ChannelState cs = p.channel();
      // What the kernel queued during the send, one packet per call: the answer usually, sometimes
      // after a late answer or a duplicate of an earlier echo.
      while (!p.finished && x.readOne(cs) > 0) {
        // read until the answer or nothing is left
      }
      if (!p.finished) await(p, cs);
      x.sweep(
          x.lastSendClock()); // a clock reading per echo saved: the slots' sweep runs once a second
    } catch (TransportException | Exchange.FatalIo failure) {
      x.fail(
          p,
          Failures.toPublic(
              failure instanceof Exchange.FatalIo f ? f.getCause() : (TransportException) failure));
      stopping = true; // a socket that failed this way is given up; the next echo opens another
    } finally {
      release();
    }
    return true;
  }

  /**
   * A send the kernel refused for want of room (a full buffer, ENOBUFS) is tried again every {@link
   * IoThread#DEFER_WAIT} until it goes out or its timeout ends it: this loop has no I/O thread to
   * do it.
   */
  private void awaitRoom(Probe p) throws InterruptedException {
    Exchange x = exchange;
    while (!p.finished && p.channel() == null) {
      if (stopping) {
        x.failDeferred(p, Failures.clientClosed());
        return;
      }
      if (Thread.interrupted()) {
        x.withdrawDeferred(p);
        throw new InterruptedException();
      }
      LockSupport.parkNanos(IoThread.DEFER_WAIT);
      x.startDeferred();
    }
  }

  /**
   * Sleeps in the loop's poller, its socket watched only meanwhile, until {@code p} has its
   * outcome.
   */
  private void await(Probe p, ChannelState cs) throws TransportException, InterruptedException {
    Exchange x = exchange;
    x.poller().register(cs.channel, cs.token);
    try {
      while (!p.finished) {
        long now = x.poller().nanoTime();
        x.expire(now);
        if (p.finished) break;
        if (stopping) {
          x.fail(p, Failures.clientClosed());
          break;
        }
        if (Thread.interrupted()) {
          x.withdraw(p);
          throw new InterruptedException();
        }
        x.awaitReady(Math.min(p.deadline - now, SLICE));
        x.readReady();
      }
    } finally {
      // Always: a socket left watched makes the thread's next waiting echo fail to register it.
      try {
        x.poller().unregister(cs.channel);
      } catch (TransportException e) {
        stopping = true; // given up; the next echo opens another
      }
    }
  }

  /** Hands the loop back, closing it when {@link #close} came meanwhile. */
  private void release() {
    owner.release();
    if (stopping && owner.closeIfFree()) closeResources();
  }

  /**
   * Closes the loop from any thread: at once when no echo runs on it, else when that echo ends
   * (woken now; it fails with "client closed"). With {@code ownerDead}, closes even if the owner
   * died holding it.
   */
  void close(boolean ownerDead) {
    stopping = true;
    if (owner.closeIfFree() || (ownerDead && owner.forceClose())) {
      closeResources();
      return;
    }
    var pl = exchange.poller();
    if (pl != null) pl.wakeup();
  }

  private void closeResources() {
    terminated = true;
    exchange.table.closeAll(); // a dead thread's slot may outlive the loop: keep it small
    var pl = exchange.poller();
    if (pl != null) pl.close();
  }

  /** Counters, from any thread: exact up to the last finished echo. */
  ClientStats snapshot() {
    owner.observe(); // sees every counter written before the owner last handed the loop back
    return exchange.snapshot();
  }

  @Override
  public String toString() {
    return "icmpecho-caller" + exchange.table;
  }
}
