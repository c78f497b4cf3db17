package org.icmpecho.internal;

import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;
import org.icmpecho.IpOptions;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.TransportException;

/**
 * The echo exchange of one loop (an I/O thread's, or a caller loop's): sends probes, acts on the
 * {@link Matcher}'s verdict on every packet read, expires deadlines, and records each outcome in
 * the {@link OutcomeBatch}. It owns the loop's timer heap and counters; the loop that drives it
 * decides when to send, read and sleep. Used by the loop's owner only ({@link OwnerToken}).
 */
final class Exchange {
  private static final int RECEIVE_BATCH = 4096;
  private static final long SWEEP_INTERVAL = 1_000_000_000L;
  private static final int SEND_RETRIES = 8;

  /**
   * While detached, how often each socket's errors are read even when no send reported one pending.
   */
  private static final long DETACHED_ERROR_CHECK = 1_000_000L;

  final InFlightTable table;
  private final Matcher matcher;
  final OutcomeBatch batch;
  private final TimerHeap timers = new TimerHeap();

  /**
   * Echoes whose send found the socket's buffer full, tried again after the next poll (an I/O
   * thread's only).
   */
  private final ArrayDeque<Probe> deferred = new ArrayDeque<>();

  /** The engine's count of echoes it holds: decremented when one leaves. */
  private final AtomicLong outstanding;

  /** In {@link ChannelState#stamp} units. */
  private final int duplicateWindow;

  private final Channel.PacketSink packetSink = this::onPacket;

  /** Readiness is only collected during the poll; it is acted on once the loop is owned again. */
  private final Poller.ReadySink readySink = this::collectReady;

  private int[] readyTokens = new int[64];
  private boolean[] readyErrors = new boolean[64];
  private int readyCount;

  private Poller poller;
  private ChannelState current;

  /**
   * The send options of the last echo sent: reused while the settings repeat (no object per echo).
   */
  private SendOptions options = SendOptions.PLAIN;

  /** The IPv4 options object {@link #options} was made from. */
  private IpOptions optionsFrom = IpOptions.NONE;

  /** The probe being sent, until its send returns. */
  private Probe sending;

  /** MTU of the last local error reported apart from its send (a too-big echo), 0 when none. */
  private int localErrorMtu;

  /** The poller clock at the last send (a caller loop's once-a-second slot sweep goes by it). */
  private long lastSendClock;

  // Counters: written by the owner only, read through snapshot tasks or after a hand-over.
  long sent,
      replies,
      errors,
      timeouts,
      sendFailures,
      duplicates,
      late,
      foreign,
      corrupted,
      badChecksum;
  long inFlight;

  Exchange(
      InFlightTable table,
      Matcher matcher,
      OutcomeBatch batch,
      AtomicLong outstanding,
      Duration duplicateWindow) {
    this.table = table;
    this.matcher = matcher;
    this.batch = batch;
    this.outstanding = outstanding;
    this.duplicateWindow = ChannelState.stampWindow(Matcher.saturatedNanos(duplicateWindow));
  }

  /**
   * The poller this loop waits in, and its monotonic clock: deadlines are read from it and nowhere
   * else.
   */
  void usePoller(Poller p) {
    poller = p;
    table.usePoller(p);
  }

  Poller poller() {
    return poller;
  }

  // ---------------------------------------------------------------- sending

  /** Sends {@code p} (opening a socket when needed); its outcome, if already known, is recorded. */
  void start(Probe p) {
    sending =
        p; // a transport that throws ends the loop: its shutdown fails this probe too (failAll)
    send(p);
    sending = null;
    // A cancel that came while the probe was being started may have found no socket to tell. The
    // fence pairs with Probe.cancel's: the socket is published before the cancel is looked for, so
    // at least one side sees the other.
    VarHandle.fullFence();
    if (!p.finished && p.isCancelled()) withdraw(p);
  }

  private void send(Probe p) {
    EchoRequest r = p.request;
    inFlight++;
    int serial = matcher.nextSerial();
    ChannelState cs;
    try {
      cs = table.acquire(r, p, serial);
    } catch (TransportException e) {
      inFlight--;
      finish(p, Failures.toPublic(e));
      return;
    }
    byte[] payload = matcher.payload(r, serial);
    // The deadline counts from the send, not from whenever the send returned.
    long sendClock = poller.nanoTime();
    lastSendClock = sendClock;
    SendOptions o = sendOptions(r);
    int status =
        cs.channel.send(o, p.targetRef(), p.address4(), p.sequence, payload, r.payloadSize());
    // A failed send may report an ICMP error that was queued (Linux: the socket's pending error):
    // the errors are read this turn, before deadlines are checked (the poller would only tell the
    // next poll, and a busy loop does not poll).
    if (status != Channel.SENT) cs.errorPending = true;
    // An ICMP error about an earlier echo may fail the next send, once; a genuine failure fails
    // every time. Errors keep arriving while echoes are in flight, so a few retries tell them apart
    // (see Channel#send).
    for (int attempt = 0; status > 0 && attempt < SEND_RETRIES; attempt++) {
      status =
          cs.channel.send(o, p.targetRef(), p.address4(), p.sequence, payload, r.payloadSize());
    }
    if (status == Channel.BUFFER_FULL) {
      // The socket's send buffer is full: not this echo's fault. Keep it and try again after the
      // next poll, for as long as its timeout: a queue that drops every packet (ENOBUFS, say a
      // one-packet qdisc) never makes room.
      InFlightTable.release(cs, p.sequence, ChannelState.EMPTY);
      p.channel(null);
      if (p.deadline != 0 && sendClock - p.deadline >= 0) {
        sendFailures++;
        finish(
            p,
            new EchoResult.SendFailed(
                p.request(),
                StatusMap.localErrno("ENOBUFS"),
                "ENOBUFS",
                "No buffer space available (no room to send for the echo's whole timeout)",
                p.sequence));
        return;
      }
      if (p.deadline == 0) p.deadline = sendClock + Matcher.saturatedNanos(r.timeout());
      inFlight--;
      deferred.addLast(p);
      return;
    }
    cs.sentSinceRead = true;
    sent++;
    if (p instanceof Probe.Scheduled s) s.run.sent(s, sendClock);
    if (status != Channel.SENT) {
      sendFailed(cs, p, status);
      return;
    }
    // The deadline counts from the send's own clock reading; the send time is the deadline less the
    // timeout (Matcher#sentAt), so a probe keeps one time, not two.
    p.deadline = cs.channel.lastSendTime() + Matcher.saturatedNanos(r.timeout());
    timers.add(p);
  }

  private void sendFailed(ChannelState cs, Probe p, int status) {
    if (cs.channel.reportsFailureDetail(status)) {
      // The platform reported the failure's detail apart (the path MTU of a too-big echo): read it
      // now, so the result says "mtu 1280" as iputils does. onPacket completes the probe from it.
      try {
        current = cs;
        cs.channel.receive(packetSink, 0, true);
      } catch (TransportException e) {
        throw new FatalIo(e);
      }
      if (p.finished) return;
    }
    InFlightTable.release(cs, p.sequence, ChannelState.EXPIRED);
    sendFailures++;
    String name = cs.channel.failureName(status);
    int mtu = localErrorMtu;
    localErrorMtu = 0;
    finish(
        p,
        new EchoResult.SendFailed(
            p.request(),
            StatusMap.localErrno(name),
            name,
            cs.channel.failureMessage(status),
            p.sequence,
            mtu));
  }

  /**
   * The request's IP settings as the transport takes them; the last value again while they repeat.
   */
  private SendOptions sendOptions(EchoRequest r) {
    SendOptions.Fragmentation f =
        switch (r.pathMtuDiscovery()) {
          case DEFAULT -> SendOptions.Fragmentation.DEFAULT;
          case DO -> SendOptions.Fragmentation.DO;
          case DONT -> SendOptions.Fragmentation.DONT;
          case WANT -> SendOptions.Fragmentation.WANT;
        };
    // IpOptions.bytes() copies: taken once per options object, the last one's bytes reused while it
    // repeats.
    IpOptions io = r.ipOptions();
    byte[] ob =
        io.isEmpty()
            ? SendOptions.NO_IP_OPTIONS
            : io == optionsFrom ? options.ipOptions() : io.bytes();
    optionsFrom = io;
    options = SendOptions.of(r.ttl(), r.tos(), f, ob, options);
    return options;
  }

  long lastSendClock() {
    return lastSendClock;
  }

  /**
   * Sends again what found a full buffer last turn; returns how many were taken (cancelled ones
   * leave).
   */
  int startDeferred() {
    int n = 0;
    for (int i = deferred.size(); i > 0; i--) {
      Probe p = deferred.pollFirst();
      if (p.isDone()) {
        outstanding.decrementAndGet();
        continue;
      }
      start(p);
      n++;
    }
    return n;
  }

  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /**
   * Takes a deferred probe back (its caller gave up waiting for room): it leaves uncounted, as it
   * was never in flight.
   */
  void withdrawDeferred(Probe p) {
    if (p.finished || !deferred.remove(p)) return;
    p.finished = true;
    outstanding.decrementAndGet();
  }

  /** Fails a deferred probe with {@code cause} (the loop is closing). */
  void failDeferred(Probe p, IcmpException cause) {
    if (deferred.remove(p)) failUnsent(p, cause);
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads, once, each socket sent on since its last read (on loopback the kernel queues the answer
   * inside our own send: read it now rather than after a poll) and, while the table is detached,
   * each that expects something (echoes in flight or answers remembered; answers from elsewhere
   * arrive at any time, and no poll reports them). A socket's errors are read with it when a send
   * reported one pending and, while detached, every {@link #DETACHED_ERROR_CHECK} as a backstop. An
   * idle socket (say IPv6 during an IPv4 sweep) costs no system call.
   */
  void readSockets(long now) throws TransportException {
    for (int i = 0, n = table.size(); i < n; i++) {
      ChannelState cs = table.get(i);
      boolean expects = !cs.watched && (cs.inFlight > 0 || cs.answered > 0);
      if (!cs.sentSinceRead && !expects) continue;
      boolean errors =
          cs.errorPending || (expects && now - cs.errorsCheckedAt >= DETACHED_ERROR_CHECK);
      if (errors) cs.errorsCheckedAt = now;
      cs.sentSinceRead = false;
      cs.errorPending = false;
      current = cs;
      cs.channel.receive(packetSink, RECEIVE_BATCH, errors);
    }
  }

  /**
   * Reads one packet from {@code cs} (with its errors, if a send reported one pending); returns how
   * many came.
   */
  int readOne(ChannelState cs) throws TransportException {
    current = cs;
    boolean errors = cs.errorPending;
    cs.errorPending = false;
    return cs.channel.receive(packetSink, 1, errors);
  }

  /**
   * Waits in the poller up to {@code timeoutNanos}, collecting which sockets are ready ({@link
   * #readReady}).
   */
  void awaitReady(long timeoutNanos) throws TransportException {
    readyCount = 0;
    poller.await(timeoutNanos, readySink);
  }

  /** Reads the sockets the last {@link #awaitReady} found ready. */
  void readReady() {
    for (int i = 0; i < readyCount; i++) {
      ChannelState cs = table.get(readyTokens[i]);
      current = cs;
      try {
        cs.channel.receive(packetSink, RECEIVE_BATCH, readyErrors[i]);
      } catch (TransportException e) {
        throw new FatalIo(e);
      }
    }
  }

  private void collectReady(int token, boolean error) {
    if (readyCount == readyTokens.length) {
      readyTokens = Arrays.copyOf(readyTokens, readyCount * 2);
      readyErrors = Arrays.copyOf(readyErrors, readyCount * 2);
    }
    readyTokens[readyCount] = token;
    readyErrors[readyCount++] = error;
  }

  /** Carries a fatal I/O error out of a sink callback. */
  static final class FatalIo extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalIo(TransportException cause) {
      super(cause);
    }

    @Override
    public synchronized TransportException getCause() {
      return (TransportException) super.getCause();
    }
  }

  // ---------------------------------------------------------------- acting on verdicts

  private void onPacket(Channel ch, Packet pk) {
    ChannelState cs = current;
    int verdict = matcher.match(cs, ch, pk);
    switch (verdict) {
      case Matcher.BAD_CHECKSUM -> badChecksum++;
      case Matcher.FOREIGN -> foreign++;
      case Matcher.LATE -> late++;
      case Matcher.IGNORED -> {}
      case Matcher.LOCAL_MTU -> localErrorMtu = pk.info;
      case Matcher.ANSWERED_AGAIN -> answeredAgain(cs, pk);
      default -> settle(verdict, cs, ch, pk);
    }
  }

  /** A verdict on the probe in flight in the packet's slot: its outcome. */
  private void settle(int verdict, ChannelState cs, Channel ch, Packet pk) {
    int seq = pk.sequence;
    Probe p = cs.probes[seq];
    timers.remove(p);
    switch (verdict) {
      case Matcher.REPLY -> {
        InFlightTable.release(cs, seq, ChannelState.ANSWERED);
        cs.answered++;
        p.heapIndex = ChannelState.stamp(poller.nanoTime()); // out of the timers: see Probe
        replies++;
        finish(p, reply(p, pk, seq));
      }
      case Matcher.CORRUPTED -> {
        InetAddress t = p.target();
        InFlightTable.release(cs, seq, ChannelState.EXPIRED);
        corrupted++;
        finish(
            p,
            new EchoResult.Corrupted(
                p.request(t),
                pk.fromAddress(t),
                Duration.ofNanos(matcher.rtt),
                matcher.corruption(p.request, pk, cs.serials[seq]),
                seq));
      }
      case Matcher.AFTER_DEADLINE -> {
        InFlightTable.release(cs, seq, ChannelState.EXPIRED);
        late++;
        timeouts++;
        finish(p, new EchoResult.TimedOut(p.request(), p.request.timeout(), seq));
      }
      case Matcher.ICMP_ERROR -> {
        InetAddress t = p.target();
        InFlightTable.release(cs, seq, ChannelState.EXPIRED);
        errors++;
        finish(
            p,
            new EchoResult.IcmpError(
                p.request(t),
                matcher.status,
                pk.fromAddress(t),
                Duration.ofNanos(matcher.rtt),
                pk.icmpType,
                pk.icmpCode,
                pk.info,
                seq,
                pk.ttl));
      }
      case Matcher.SEND_FAILED -> {
        InFlightTable.release(cs, seq, ChannelState.EXPIRED);
        sendFailures++;
        String name = ch.failureName(pk.failureCode);
        finish(
            p,
            new EchoResult.SendFailed(
                p.request(),
                StatusMap.localErrno(name),
                name,
                ch.failureMessage(pk.failureCode),
                seq,
                pk.info));
      }
      default -> throw new AssertionError("verdict " + verdict);
    }
  }

  /**
   * Another answer to an answered probe: a duplicate within the window (its listener hears of it),
   * else late.
   */
  private void answeredAgain(ChannelState cs, Packet pk) {
    int seq = pk.sequence;
    if (cs.answeredBefore(seq, poller.nanoTime(), duplicateWindow)) {
      late++;
      return;
    }
    duplicates++;
    Probe p = cs.probes[seq];
    Consumer<? super EchoResult.Reply> listener = p.onDuplicate();
    if (listener != null && matcher.payloadOk) {
      batch.add(listener, reply(p, pk, seq));
    }
  }

  /** The reply that packet {@code pk} makes for probe {@code p}, with the matcher's RTT. */
  private EchoResult.Reply reply(Probe p, Packet pk, int seq) {
    InetAddress t = p.target();
    return new EchoResult.Reply(
        p.request(t),
        pk.fromAddress(t),
        Duration.ofNanos(matcher.rtt),
        pk.ttl,
        pk.tos,
        pk.icmpLength,
        seq,
        ipOptions(pk),
        pk.ipFlags);
  }

  /**
   * The packet's IPv4 options as a value: the shared empty one when there are none (no allocation
   * per reply).
   */
  private static IpOptions ipOptions(Packet pk) {
    return pk.optionsLength == 0
        ? IpOptions.NONE
        : new IpOptions(Arrays.copyOf(pk.options, pk.optionsLength));
  }

  /** Times out every probe whose deadline has passed. */
  void expire(long now) {
    Probe p;
    while ((p = timers.peek()) != null && p.deadline - now <= 0) {
      var _ = timers.poll(); // p itself, peeked above
      InFlightTable.release(p.channel(), p.sequence, ChannelState.EXPIRED);
      timeouts++;
      finish(p, new EchoResult.TimedOut(p.request(), p.request.timeout(), p.sequence));
    }
  }

  /** The earliest deadline (poller clock), or {@code Long.MAX_VALUE} when nothing waits. */
  long nextDeadline() {
    Probe first = timers.peek();
    return first == null ? Long.MAX_VALUE : first.deadline;
  }

  /** Forgets, once a second per socket, answers older than the duplicate window. */
  void sweep(long now) {
    for (int i = 0, n = table.size(); i < n; i++) {
      ChannelState cs = table.get(i);
      if (now - cs.nextSweep >= 0) {
        cs.nextSweep = now + SWEEP_INTERVAL;
        cs.sweep(now, duplicateWindow);
      }
    }
  }

  /**
   * A cancelled (or interrupted) probe leaves its slot and the timer heap; its future is already
   * settled.
   */
  void withdraw(Probe p) {
    ChannelState cs = p.channel();
    if (p.finished || cs == null) return;
    timers.remove(p);
    if (cs.probes[p.sequence] == p && cs.states[p.sequence] == ChannelState.IN_FLIGHT) {
      InFlightTable.release(cs, p.sequence, ChannelState.EXPIRED);
    }
    p.finished = true;
    inFlight--;
    outstanding.decrementAndGet();
  }

  /**
   * Records the outcome of a probe; the future completes when the batch is handed over, or here for
   * the blocking path, whose future no user code can see.
   */
  void finish(Probe p, Object outcome) {
    if (p.finished) return;
    p.finished = true;
    inFlight--;
    outstanding.decrementAndGet();
    if (p.direct) {
      if (outcome instanceof Throwable th) p.completeExceptionally(th);
      else p.complete((EchoResult) outcome);
    } else if (p instanceof Probe.Scheduled s) {
      s.run.returned(this, s, outcome); // its schedule's home loop reports it
    } else {
      batch.add(p, outcome);
    }
  }

  /** Fails a probe that may hold a slot (a blocking echo whose loop failed or closed). */
  void fail(Probe p, IcmpException e) {
    if (p.finished) return;
    ChannelState cs = p.channel();
    if (cs != null) {
      timers.remove(p);
      InFlightTable.release(cs, p.sequence, ChannelState.EXPIRED);
    }
    finish(p, e);
  }

  /**
   * A probe that was never counted in flight (still queued, or deferred) fails with {@code cause}.
   */
  void failUnsent(Probe p, IcmpException cause) {
    if (p.finished) return;
    inFlight++;
    finish(p, cause);
  }

  /** Fails every probe in flight or deferred with {@code cause} (the loop ends). */
  void failAll(IcmpException cause) {
    Probe s = sending;
    sending = null;
    if (s != null) fail(s, cause);
    for (Probe p : timers.drain()) finish(p, cause);
    for (Probe p : deferred) failUnsent(p, cause); // counted out when it was deferred
    deferred.clear();
  }

  ClientStats snapshot() {
    long drops = 0;
    for (int i = 0, n = table.size(); i < n; i++) drops += table.get(i).channel.receiveDrops();
    return new ClientStats(
        sent,
        replies,
        errors,
        timeouts,
        sendFailures,
        duplicates,
        late,
        foreign,
        corrupted,
        badChecksum,
        inFlight,
        drops);
  }
}
