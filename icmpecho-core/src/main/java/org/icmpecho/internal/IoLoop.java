package org.icmpecho.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.icmpecho.ClientStats;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpException;
import org.icmpecho.IpOptions;
import org.icmpecho.IpStatus;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * One I/O thread with its sockets, in-flight table and timer heap: the single writer of all three. Callers hand
 * probes over through a lock-free queue and wake the thread through the poller (an eventfd) only when it sleeps.
 * The thread never runs user code: outcomes are collected in a batch and handed to the callback executor once per
 * loop iteration.
 *
 * <p>Matching (written down, as the house rules ask): a datagram socket's replies are already filtered by the kernel
 * on the identifier, a raw socket's are checked against the socket's identifier; then the sequence selects the slot
 * and the payload decides: the client's own payload starts with a 4-byte client cookie (else: foreign) and the
 * probe's 4-byte serial (else: a late answer to an earlier probe that used the same sequence), and the rest must
 * equal what was sent (else: corrupted). An explicit payload must equal what was sent. An ICMP error is matched by
 * the identifier and sequence of the echo it quotes and by the quoted destination.
 */
final class IoLoop implements Runnable {
  private static final int SUBMIT_BATCH = 1024;
  /** Sends per call of {@link #startChunk}: the per-echo loop lives in a method called often enough to compile. */
  private static final int START_CHUNK = 32;
  private static final int RECEIVE_BATCH = 4096;
  private static final long SWEEP_INTERVAL = 1_000_000_000L;
  /** How long a full send buffer is given to drain before deferred echoes are sent again. */
  private static final long DEFER_WAIT = 1_000_000L;
  private static final int SEND_RETRIES = 8;
  /**
   * Sends since the loop last slept after which its sockets leave the epoll set until it next sleeps (see {@link
   * #detach}). A shorter busy spell (a few echoes now and then) would pay the two epoll_ctl calls per socket for
   * little.
   */
  static final int DETACH_AFTER = 64;
  /** While detached, how often each socket's error queue is read even when no send reported a pending error. */
  private static final long DETACHED_ERROR_CHECK = 1_000_000L;
  /** Whether {@link Preload} has run for the echo path's classes (any thread; a second run is harmless). */
  private static volatile boolean echoPathInitialised;

  /**
   * Probes submitted to this loop and not yet taken off its queue; approximate (the I/O thread subtracts once per
   * chunk), read by {@link Engine} to spread a sweep's template echoes over the loops by how fast each drains.
   * Counted only when there is another loop to choose ({@link #countsBacklog}).
   */
  final AtomicInteger backlog = new AtomicInteger();
  /** Several loops per family: the backlog is read, so it is kept (with one loop, an atomic per echo for nothing). */
  private final boolean countsBacklog;

  /** Null for a caller loop: a long-lived thread's caller slot must not keep a closed client's engine alive. */
  private final Engine engine;
  /** The engine's count of echoes in flight (what {@link Engine#released} decrements for the I/O loops). */
  private final java.util.concurrent.atomic.AtomicLong outstanding;
  private final EngineConfig config;
  private final TransportFactory transport;
  /** The caller's executor for completions, or null for the loop's own {@link CompletionThread}. */
  private final Executor executor;
  private final CompletionThread completions;
  private final int cookie;
  final Thread thread;

  private final ProbeQueue queue = new ProbeQueue();
  /** Echoes whose send found the socket's buffer full, tried again after the next poll. */
  private final java.util.ArrayDeque<Probe> deferred = new java.util.ArrayDeque<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private volatile boolean sleeping;
  private final AtomicBoolean wakeRequested = new AtomicBoolean();
  private volatile boolean stopping;
  /** Set when the thread has ended; later submissions fail at once. */
  volatile boolean terminated;
  final CompletableFuture<Void> started = new CompletableFuture<>();

  private Poller poller;
  private final TimerHeap timers = new TimerHeap();
  /** The {@code PingSchedule}s this loop runs (I/O thread only). */
  private final Schedules schedules = new Schedules();
  private final List<ChannelState> channels = new ArrayList<>();
  private final ChannelGroup[] defaultGroups = new ChannelGroup[2];
  private final Map<ChannelKey, ChannelGroup> keyedGroups = new HashMap<>();
  private final SocketKind[] resolvedMode = new SocketKind[2];
  /** The send options of the last echo sent: reused while the settings repeat (no object per echo). */
  private SendOptions options = SendOptions.PLAIN;
  /** The IPv4 options object {@link #options} was made from. */
  private IpOptions optionsFrom = IpOptions.NONE;
  private final Channel.PacketSink packetSink = this::onPacket;
  /** Readiness is only collected during the poll; it is acted on once the loop owns its structures again. */
  private final Poller.ReadySink readySink = this::collectReady;
  private int[] readyTokens = new int[64];
  private boolean[] readyErrors = new boolean[64];
  private int readyCount;

  /**
   * Who may touch the sockets, the in-flight table, the timer heap and the counters: the I/O thread ({@link #IO}),
   * nobody while the I/O thread sleeps in the poller ({@link #FREE}), or a blocking {@code echo()} caller that took
   * them for its own send and receive ({@link #CALLER}). The single-writer rule becomes a single-owner rule; the
   * compare-and-set of the hand-over orders every access before it with every access after it.
   */
  private final java.util.concurrent.atomic.AtomicInteger owner = new java.util.concurrent.atomic.AtomicInteger(IO);
  private static final int IO = 0;
  private static final int FREE = 1;
  private static final int CALLER = 2;
  /** A caller loop whose socket is closed: nobody takes it any more. */
  private static final int CLOSED = 3;
  /** True for a caller loop ({@link #forCaller}): no thread, no completion thread, one echo at a time. */
  private final boolean caller;
  private ChannelState current;
  /** MTU of the last local error reported apart from its send (a too-big echo), 0 when none. */
  private int localErrorMtu;
  /** When the loop last sent something (poller clock), for the spin decision. */
  private long lastBusy = Long.MIN_VALUE / 2;
  /** The loop's sockets are out of the epoll set: it is busy and reads them itself every turn ({@link #detach}). */
  private boolean detached;
  /** Echoes sent since the loop last slept: a busy spell long enough to detach for ({@link #DETACH_AFTER}). */
  private int busySent;
  /** The poller clock at the last send (a caller loop's once-a-second slot sweep goes by it). */
  private long lastSendClock;

  // Payload buffers: the client's pattern (cookie, serial, then i & 0xff) and a buffer for explicit payloads. Both
  // grow to the largest payload sent so far (most clients never pass 56 bytes; each caller loop has its own).
  private byte[] pattern = pattern(EchoRequest.DEFAULT_PAYLOAD_SIZE + 8);
  private byte[] explicit = new byte[0];
  private int nextSerial = 1;

  // Outcomes waiting to be handed to the executor: (target, value) pairs.
  private Object[] batchTargets = new Object[256];
  private Object[] batchValues = new Object[256];
  private int batchSize;

  // Counters: written by this thread only, read through snapshot tasks (or directly once the thread has ended).
  long sent, replies, errors, timeouts, sendFailures, duplicates, late, foreign, corrupted, badChecksum;
  long inFlight;

  IoLoop(Engine engine, java.util.concurrent.atomic.AtomicLong outstanding, EngineConfig config, int index,
      int cookie) {
    this(engine, outstanding, config, index, cookie, false);
  }

  private IoLoop(Engine engine, java.util.concurrent.atomic.AtomicLong outstanding, EngineConfig config, int index,
      int cookie, boolean caller) {
    this.engine = engine;
    this.outstanding = outstanding;
    this.config = config;
    this.countsBacklog = !caller && config.socketsPerFamily() > 1;
    this.transport = config.transportFactory();
    this.executor = config.callbackExecutor();
    this.completions = executor == null && !caller
        ? new CompletionThread(index == 0 ? "icmpecho-callback" : "icmpecho-callback-" + index)
        : null;
    this.cookie = cookie;
    this.caller = caller;
    this.thread = caller ? null : Thread.ofPlatform()
        .name(index == 0 ? "icmpecho-io" : "icmpecho-io-" + index)
        .daemon(true)
        .unstarted(this);
  }

  /**
   * A loop without a thread of its own, for the blocking echoes of one platform thread: see {@link #runCaller}. Its
   * socket is opened by an I/O thread (which sits in the client's network namespace) and handed over with {@link
   * #adoptCallerChannel}.
   */
  static IoLoop forCaller(java.util.concurrent.atomic.AtomicLong outstanding, EngineConfig config, int cookie) {
    IoLoop l = new IoLoop(null, outstanding, config, -1, cookie, true);
    l.owner.set(FREE);
    return l;
  }

  // ---------------------------------------------------------------- any thread

  /** Hands a probe to this loop. */
  void submit(Probe p) {
    p.loop = this;
    if (countsBacklog) backlog.incrementAndGet();
    queue.offer(p);
    wake();
    if (terminated) {
      // The thread ended between our check and the offer: nobody will take the probe from the queue.
      engine.failLate(p);
    }
  }

  /** Runs {@code task} on the I/O thread soon. */
  void execute(Runnable task) {
    tasks.add(task);
    wake();
  }

  void cancelled(Probe p) {
    if (caller) return; // only its owner cancels, after withdrawing the probe itself
    execute(() -> withdraw(p));
  }

  private void wake() {
    if (sleeping && !wakeRequested.getAndSet(true)) {
      Poller pl = poller;
      if (pl != null) pl.wakeup();
    }
  }

  void stop() {
    stopping = true;
    execute(() -> {});
    Poller pl = poller;
    if (pl != null) pl.wakeup();
  }

  // ---------------------------------------------------------------- the I/O thread

  @Override
  public void run() {
    Throwable fatal = null;
    try {
      if (config.networkNamespace() != null) transport.enterNamespace(config.networkNamespace());
      if (config.ioThreadSetup() != null) config.ioThreadSetup().run();
      poller = transport.newPoller();
      started.complete(null);
      loop();
    } catch (Throwable t) {
      fatal = t;
      started.completeExceptionally(t);
    } finally {
      shutdown(fatal);
    }
  }

  private void loop() throws TransportException {
    while (!stopping) {
      runTasks();
      // Schedules first, so that what they send this turn leaves with the rest (clock read only when they exist).
      long scheduled = schedules.isEmpty() ? Long.MAX_VALUE : schedules.run(poller.nanoTime());
      int sentNow = drainSubmissions();
      long now = poller.nanoTime();
      // Before any deadline is declared passed: what the sockets hold (answers, ICMP errors) is read.
      if (sentNow > 0 || detached) readSockets(now);
      expire(now);
      sweep(now);
      flushBatch();
      long timeout;
      if (sentNow > 0) lastBusy = now;
      boolean scheduleDue = scheduled != Long.MAX_VALUE && scheduled - now <= 0;
      if (!queue.isEmpty() || !tasks.isEmpty() || scheduleDue || spinForWork(now)) {
        timeout = 0;
        busySent += sentNow;
        if (detached || busySent >= DETACH_AFTER) {
          // Busy: no poll at all. The sockets are read above, every turn; nothing else needs the poller now.
          if (!detached) detach();
          continue;
        }
      } else {
        busySent = 0;
        if (detached) attach();
        Probe first = timers.peek();
        timeout = first == null ? -1 : undershoot(Math.max(0, first.deadline - poller.nanoTime()));
        if (!deferred.isEmpty()) timeout = timeout < 0 ? DEFER_WAIT : Math.min(timeout, DEFER_WAIT);
        if (scheduled != Long.MAX_VALUE) {
          long s = undershoot(Math.max(0, scheduled - poller.nanoTime()));
          timeout = timeout < 0 ? s : Math.min(timeout, s);
        }
        sleeping = true;
        // Re-check after publishing "sleeping": a producer that saw sleeping == false has already queued.
        if (!queue.isEmpty() || !tasks.isEmpty()) timeout = 0;
      }
      readyCount = 0;
      owner.set(FREE);
      try {
        poller.await(timeout, readySink);
      } finally {
        while (!owner.compareAndSet(FREE, IO)) {
          Thread.onSpinWait(); // a caller holds the loop for one send and receive: microseconds
        }
      }
      sleeping = false;
      wakeRequested.set(false);
      for (int i = 0; i < readyCount; i++) onReady(readyTokens[i], readyErrors[i]);
      flushBatch(); // answers read while polling complete now, not after the next round of sends
    }
  }

  /**
   * Takes the loop's sockets out of the epoll set for a busy spell. A socket in an epoll set costs every packet that
   * arrives on it a callback under the epoll's lock, even when nobody waits (the kernel's loopback round trip, ~7 us
   * on two busy cores, grows by ~0.35 us: `bench/kernel_features ... EP`); a busy loop reads its sockets anyway.
   * While detached, the loop neither polls nor hands itself to callers ({@link #tryRunDirect} needs it asleep), and
   * {@link #readSockets} reads every socket each turn. {@link #attach} puts them back before the loop sleeps;
   * EPOLL_CTL_ADD reports what is already readable, so nothing that arrived meanwhile is slept through.
   */
  private void detach() throws TransportException {
    long now = poller.nanoTime();
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      if (cs.watched) {
        poller.unregister(cs.channel);
        cs.watched = false;
        cs.errorsCheckedAt = now;
      }
    }
    detached = true;
  }

  private void attach() throws TransportException {
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      if (!cs.watched) {
        poller.register(cs.channel, cs.token);
        cs.watched = true;
      }
    }
    detached = false;
  }

  /**
   * How long to sleep towards a deadline {@code t} ns away. The kernel lets a timed {@code epoll_wait} run late by
   * 0.1 % of its timeout (select_estimate_accuracy: the "slack", up to 100 ms), so a 20 s timeout could fire 20 ms
   * after its deadline. A long wait is therefore slept in two steps: 99.8 % of it, whose slack cannot pass the
   * deadline (the slack is also at least the thread's timer slack, 50 us), then the rest, whose slack is 0.1 % of a
   * small remainder (at most 40 us for a 20 s timeout).
   */
  static long undershoot(long t) {
    return t > 10_000_000L ? t - Math.max(t / 500, 100_000L) : t;
  }

  /**
   * After recent work, spins up to {@link Engine#SPIN_NANOS} for the next submission before sleeping in the poller:
   * a caller sending one echo at a time submits again within microseconds, and waking a sleeping thread through
   * the eventfd costs more than that. Returns true when work arrived.
   */
  private boolean spinForWork(long now) {
    if (Engine.SPIN_NANOS <= 0 || now - lastBusy > Engine.SPIN_NANOS * 10) return false;
    long end = System.nanoTime() + Engine.SPIN_NANOS;
    while (System.nanoTime() - end < 0) {
      if (!queue.isEmpty() || !tasks.isEmpty()) return true;
      Thread.onSpinWait();
    }
    return false;
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) r.run();
  }

  private int drainSubmissions() {
    int n = 0;
    Probe p;
    for (int i = deferred.size(); i > 0; i--) {
      p = deferred.pollFirst();
      if (p.isDone()) {
        outstanding.decrementAndGet();
        continue;
      }
      start(p);
      n++;
    }
    // The per-echo loop is in a per-chunk method: this one runs once per turn of the I/O loop (a few dozen times in a
    // CLI's /16 sweep, 1,024 sends each), too seldom to be compiled before its loop has run interpreted for tens of
    // thousands of sends (it used to be compiled on the stack near a sweep's end). A method called every 32 sends
    // is compiled after a few hundred echoes, or taken compiled from the launcher's AOT cache at once.
    while (n < SUBMIT_BATCH) {
      int started = startChunk();
      if (started < 0) break;
      n += started;
    }
    return n;
  }

  /** Takes up to {@link #START_CHUNK} probes off the queue and starts them: how many it started, -1 if it was empty. */
  private int startChunk() {
    int n = 0;
    int taken = 0;
    for (; taken < START_CHUNK; taken++) {
      int r = startNext();
      if (r < 0) break;
      n += r;
    }
    if (countsBacklog && taken > 0) backlog.addAndGet(-taken); // once per chunk; read by Engine.loopFor
    return taken == 0 ? -1 : n;
  }

  /** Starts the next queued probe: 1 when one was sent, 0 when it had been cancelled, -1 when the queue is empty. */
  private int startNext() {
    Probe p = queue.poll();
    if (p == null) return -1;
    if (p.isDone()) { // cancelled before it was sent
      outstanding.decrementAndGet();
      return 0;
    }
    start(p);
    return 1;
  }

  private void start(Probe p) {
    EchoRequest r = p.request;
    inFlight++;
    int serial = nextSerial++;
    ChannelState cs;
    try {
      cs = acquire(r, p, serial);
    } catch (TransportException e) {
      inFlight--;
      finish(p, Failures.toPublic(e));
      return;
    }
    byte[] payload;
    if (r.hasExplicitPayload()) {
      if (explicit.length < r.payloadSize()) explicit = new byte[r.payloadSize()];
      r.copyPayloadTo(explicit, 0);
      payload = explicit;
    } else {
      // The pattern only grows, so replies to earlier, longer echoes can still be checked against it.
      if (pattern.length < r.payloadSize()) pattern = pattern(r.payloadSize());
      writeTag(pattern, r.payloadSize(), serial);
      payload = pattern;
    }
    // The deadline counts from the send, not from whenever the send returned.
    long sendClock = poller.nanoTime();
    lastSendClock = sendClock;
    SendOptions o = sendOptions(r);
    int status = cs.channel.send(o, p.targetRef(), p.address4(), p.sequence, payload, r.payloadSize());
    // A failed send may report an ICMP error that was queued (Linux: the socket's pending error): the errors are
    // read this turn, before deadlines are checked (the poller would only tell the next poll, and a busy loop does
    // not poll).
    if (status != Channel.SENT) cs.errorPending = true;
    // An ICMP error about an earlier echo may fail the next send, once; a genuine failure fails every time. Errors
    // keep arriving while echoes are in flight, so a few retries tell them apart (see Channel#send).
    for (int attempt = 0; status > 0 && attempt < SEND_RETRIES; attempt++) {
      status = cs.channel.send(o, p.targetRef(), p.address4(), p.sequence, payload, r.payloadSize());
    }
    if (status == Channel.BUFFER_FULL) {
      // The socket's send buffer is full: not this echo's fault. Keep it and try again after the next poll.
      release(cs, p.sequence, ChannelState.EMPTY);
      p.channel = null;
      inFlight--;
      deferred.addLast(p);
      return;
    }
    cs.sentSinceRead = true;
    sent++;
    if (status != Channel.SENT) {
      if (cs.channel.reportsFailureDetail(status)) {
        // The platform reported the failure's detail apart (the path MTU of a too-big echo): read it now, so the
        // result says "mtu 1280" as iputils does. onPacket completes the probe from it.
        try {
          current = cs;
          cs.channel.receive(packetSink, 0, true);
        } catch (TransportException e) {
          throw new FatalIo(e);
        }
        if (p.finished) return;
      }
      release(cs, p.sequence, ChannelState.EXPIRED);
      sendFailures++;
      String name = cs.channel.failureName(status);
      int mtu = localErrorMtu;
      localErrorMtu = 0;
      finish(p, new EchoResult.SendFailed(p.request(), StatusMap.localErrno(name), name,
          cs.channel.failureMessage(status), p.sequence, mtu));
      return;
    }
    p.sentAt = cs.channel.lastSendTime();
    p.deadline = sendClock + saturatedNanos(r.timeout());
    timers.add(p);
  }

  /** The request's IP settings as the transport takes them; the last value again while they repeat. */
  private SendOptions sendOptions(EchoRequest r) {
    SendOptions.Fragmentation f = switch (r.pathMtuDiscovery()) {
      case DEFAULT -> SendOptions.Fragmentation.DEFAULT;
      case DO -> SendOptions.Fragmentation.DO;
      case DONT -> SendOptions.Fragmentation.DONT;
      case WANT -> SendOptions.Fragmentation.WANT;
    };
    // IpOptions.bytes() copies: taken once per options object, the last one's bytes reused while it repeats.
    IpOptions io = r.ipOptions();
    byte[] ob = io.isEmpty() ? SendOptions.NO_IP_OPTIONS : io == optionsFrom ? options.ipOptions() : io.bytes();
    optionsFrom = io;
    return options = SendOptions.of(r.ttl(), r.tos(), f, ob, options);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** A pattern buffer of {@code size} bytes: byte i is {@code i & 0xff} from byte 8 on (before: cookie, serial). */
  private static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 8; i < size; i++) b[i] = (byte) i;
    return b;
  }

  private void writeTag(byte[] b, int len, int serial) {
    int c = cookie;
    for (int i = 0; i < 4 && i < len; i++) b[i] = (byte) (c >>> (24 - 8 * i));
    for (int i = 4; i < 8 && i < len; i++) b[i] = (byte) (serial >>> (56 - 8 * i));
  }

  /** Finds (opening when needed) a socket with a free sequence for {@code r}, and takes the sequence. */
  private ChannelState acquire(EchoRequest r, Probe p, int serial) throws TransportException {
    boolean v6 = r.isIpv6();
    ChannelGroup g;
    if (r.source() == null && r.interfaceName() == null) {
      g = defaultGroups[v6 ? 1 : 0];
      if (g == null) g = defaultGroups[v6 ? 1 : 0] = new ChannelGroup(new ChannelKey(v6, null, null, 0));
    } else {
      ChannelKey k = new ChannelKey(v6, r.source(), r.interfaceName(), 0);
      g = keyedGroups.computeIfAbsent(k, ChannelGroup::new);
    }
    return g.take(p, serial);
  }

  /** The sockets that share one key: a second opens only when the first has all 65,536 sequences in flight. */
  private final class ChannelGroup {
    final ChannelKey key;
    final List<ChannelState> members = new ArrayList<>(1);
    int cursor;

    ChannelGroup(ChannelKey key) {
      this.key = key;
    }

    ChannelState take(Probe p, int serial) throws TransportException {
      int n = members.size();
      for (int i = 0; i < n; i++) {
        ChannelState cs = members.get((cursor + i) % n);
        int seq = cs.allocate();
        if (seq >= 0) {
          cursor = (cursor + i) % n;
          occupy(cs, seq, p, serial);
          return cs;
        }
      }
      ChannelState cs = openMember();
      cursor = members.size() - 1;
      occupy(cs, cs.allocate(), p, serial);
      return cs;
    }

    ChannelState openMember() throws TransportException {
      if (caller) {
        throw new TransportException(TransportException.Kind.FAILED, "every sequence of the caller's socket is in flight",
            null, null);
      }
      ChannelKey k = new ChannelKey(key.ipv6(), key.source(), key.interfaceName(), members.size());
      int fam = key.ipv6() ? 1 : 0;
      SocketKind kind = resolvedMode[fam] != null ? resolvedMode[fam] : Failures.kind(config.socketMode());
      Channel ch = transport.open(k, kind, config.receiveBufferSize());
      if (!echoPathInitialised) {
        echoPathInitialised = true;
        Preload.initialise(EchoResult.class, EchoResult.Reply.class, EchoResult.TimedOut.class, Probe.class,
            Probe.Templated4.class, IcmpCodec.class);
      }
      resolvedMode[fam] = ch.kind();
      ChannelState cs = new ChannelState(ch, k, channels.size());
      if (detached) {
        cs.watched = false; // joins the others: read every turn until the loop sleeps
        cs.errorsCheckedAt = poller.nanoTime();
      } else {
        poller.register(ch, cs.token);
      }
      channels.add(cs);
      members.add(cs);
      return cs;
    }

    /** True when some member has a free sequence, so {@link #take} will not open a socket. */
    boolean hasRoom() {
      for (int i = 0, n = members.size(); i < n; i++) {
        if (members.get(i).inFlight < members.get(i).capacity) return true;
      }
      return false;
    }

    ChannelState first() throws TransportException {
      return members.isEmpty() ? openMember() : members.get(0);
    }
  }

  private void occupy(ChannelState cs, int seq, Probe p, int serial) {
    cs.probes[seq] = p;
    cs.serials[seq] = serial;
    cs.states[seq] = ChannelState.IN_FLIGHT;
    cs.inFlight++;
    p.channel = cs;
    p.sequence = (char) seq;
  }

  private void release(ChannelState cs, int seq, byte newState) {
    cs.inFlight--;
    cs.states[seq] = newState;
    if (newState != ChannelState.ANSWERED) cs.probes[seq] = null;
  }

  /** Opens the default socket of a family (for {@code IcmpClient.socketMode}). */
  SocketKind openDefault(boolean v6) throws TransportException {
    ChannelGroup g = defaultGroups[v6 ? 1 : 0];
    if (g == null) g = defaultGroups[v6 ? 1 : 0] = new ChannelGroup(new ChannelKey(v6, null, null, 0));
    return g.first().channel.kind();
  }

  /**
   * Reads, once, each socket sent on since its last read (on loopback the kernel queues the answer inside our own
   * send: read it now rather than after a poll) and, while the loop is detached, each that expects something (echoes
   * in flight or answers remembered; answers from elsewhere arrive at any time, and no poll reports them). A socket's
   * error queue is read with it when a send reported a pending error ({@link ChannelState#errorPending}; otherwise a
   * receive fails with that error and reads the queue itself) and, while detached, every {@link
   * #DETACHED_ERROR_CHECK} as a backstop. An idle socket (say IPv6 during an IPv4 sweep) costs no system call.
   */
  private void readSockets(long now) throws TransportException {
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      boolean expects = !cs.watched && (cs.inFlight > 0 || cs.answered > 0);
      if (!cs.sentSinceRead && !expects) continue;
      boolean errors = cs.errorPending || (expects && now - cs.errorsCheckedAt >= DETACHED_ERROR_CHECK);
      if (errors) cs.errorsCheckedAt = now;
      cs.sentSinceRead = false;
      cs.errorPending = false;
      current = cs;
      cs.channel.receive(packetSink, RECEIVE_BATCH, errors);
    }
  }


  /** Turns input readiness of a group's sockets on or off. */
  private void setArmed(ChannelGroup g, boolean on) throws TransportException {
    for (int i = 0, n = g.members.size(); i < n; i++) {
      ChannelState cs = g.members.get(i);
      poller.arm(cs.channel, cs.token, on);
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

  /**
   * The caller-runs fast path of a blocking {@code echo()}: when the I/O thread is asleep in the poller, the
   * calling thread takes the loop, sends the echo on the shared socket and reads what the kernel already queued
   * (on loopback and fast LANs, the answer), then hands the loop back. One thread and no wake-up per round trip
   * instead of two hand-offs. Returns false, changing nothing, when the loop is busy or its socket for this
   * request is not open yet (sockets are opened only by the I/O thread, inside its network namespace); the caller
   * then queues the probe as usual.
   */
  boolean tryRunDirect(Probe p) {
    EchoRequest r = p.request;
    if (r.source() != null || r.interfaceName() != null) return false;
    if (!owner.compareAndSet(FREE, CALLER)) {
      // The loop is awake: often only because the previous echo's answer made the socket readable, and it goes
      // back to sleep within microseconds. Wait that long for it before queueing.
      long end = System.nanoTime() + Engine.SPIN_NANOS;
      do {
        if (System.nanoTime() - end > 0 || stopping) return false;
        Thread.onSpinWait();
      } while (!owner.compareAndSet(FREE, CALLER));
    }
    boolean ran = false;
    try {
      ChannelGroup g = defaultGroups[r.isIpv6() ? 1 : 0];
      if (stopping || terminated || g == null || !g.hasRoom()) return false;
      p.loop = this;
      ran = true;
      // While this thread sends and reads, the sleeping loop must not be woken by the answer it reads itself:
      // input readiness of this family's sockets is off for that span (epoll is level-triggered, so whatever is
      // still unread when it is turned back on wakes the loop then).
      setArmed(g, false);
      try {
        start(p);
        if (!p.finished) readSockets(lastSendClock); // attached: no error backstop, so no clock needed
        flushBatch();
      } finally {
        setArmed(g, true);
      }
    } catch (TransportException | FatalIo failure) {
      // The I/O thread would have died of this; here only this echo learns of it, and the loop finds out itself.
      IcmpException e = Failures.toPublic(failure instanceof FatalIo f ? f.getCause() : (TransportException) failure);
      if (!p.finished) {
        p.finished = true;
        inFlight--;
        outstanding.decrementAndGet();
        p.completeExceptionally(e);
      }
    } finally {
      owner.set(FREE);
    }
    if (ran && !p.finished) {
      // Still waiting: the sleeping loop must take the new deadline into its poll timeout.
      poller.wakeup();
    }
    return ran;
  }

  // ---------------------------------------------------------------- caller loops (blocking echo() on its own socket)

  /** Sequence slots of a caller's socket: one echo in flight at a time, the rest remember recent answers. */
  private static final int CALLER_SLOTS = 1024;
  /** The longest a caller sleeps in one poll: how soon it notices {@code Thread.interrupt()}. */
  private static final long CALLER_SLICE = 20_000_000L;
  /** Receive buffer of a caller's socket: one echo at a time needs little. */
  private static final int CALLER_RECEIVE_BUFFER = 256 << 10;

  /**
   * Opens a ping socket for a caller loop; runs on this I/O thread, which sits in the client's namespace. Null when
   * the family resolves to raw sockets: a raw socket receives every ICMP message of the namespace, so one per
   * thread would multiply the work and count the other sockets' answers as foreign.
   */
  Channel openForCaller(boolean v6) throws TransportException {
    if (openDefault(v6) != SocketKind.DATAGRAM) return null;
    return transport.open(new ChannelKey(v6, null, null, 0), SocketKind.DATAGRAM, CALLER_RECEIVE_BUFFER);
  }

  /** Sockets of this caller loop (from any thread; for the test lab, so only roughly synchronised). */
  int callerChannelCount() {
    owner.get();
    return (defaultGroups[0] != null ? 1 : 0) + (defaultGroups[1] != null ? 1 : 0);
  }

  /** True when this caller loop has its socket for the family. Owner thread only. */
  boolean hasCallerChannel(boolean v6) {
    return defaultGroups[v6 ? 1 : 0] != null;
  }

  /**
   * Gives this caller loop its socket for a family. Owner thread only; returns false (and closes {@code ch}) when
   * the loop was closed meanwhile.
   */
  boolean adoptCallerChannel(Channel ch) {
    if (!owner.compareAndSet(FREE, CALLER)) {
      ch.close();
      return false;
    }
    try {
      if (poller == null) poller = transport.newPoller();
      ChannelKey k = new ChannelKey(ch.ipv6(), null, null, 0);
      // Not registered with the poller yet: only an echo whose answer is not there at once waits in it (see
      // runCaller). A socket in an epoll set costs every arriving packet a callback under the epoll's lock.
      ChannelState cs = new ChannelState(ch, k, channels.size(), CALLER_SLOTS);
      channels.add(cs);
      ChannelGroup g = new ChannelGroup(k);
      g.members.add(cs);
      defaultGroups[ch.ipv6() ? 1 : 0] = g;
      resolvedMode[ch.ipv6() ? 1 : 0] = SocketKind.DATAGRAM;
      return true;
    } catch (TransportException e) {
      ch.close();
      stopping = true; // an epoll that cannot be made or used: give this loop up, echoes take the shared path
      return false;
    } finally {
      releaseCaller();
    }
  }

  /**
   * Runs a blocking echo start to end on the calling thread, on this caller loop's own ping socket: send, read
   * what the kernel queued during the send (on loopback: the answer), else sleep in this loop's own epoll until
   * the answer, an ICMP error or the deadline. Nothing crosses threads, so a round trip costs the two system calls
   * a C loop makes plus the clock reads. Matching, late answers and duplicates (read at a later echo) follow the
   * same rules as on the I/O threads. Returns false, having sent nothing, when the loop is closed.
   */
  boolean runCaller(Probe p) throws InterruptedException {
    if (!owner.compareAndSet(FREE, CALLER)) return false;
    try {
      if (stopping) return false;
      p.loop = this;
      start(p);
      ChannelState cs = p.channel;
      // What the kernel queued during the send, one packet per call: the answer usually, sometimes after a late
      // answer or a duplicate of an earlier echo.
      while (!p.finished) {
        current = cs;
        boolean errors = cs.errorPending;
        cs.errorPending = false;
        if (cs.channel.receive(packetSink, 1, errors) == 0) break;
      }
      boolean registered = false;
      while (!p.finished) {
        long now = poller.nanoTime();
        expire(now);
        if (p.finished) break;
        if (stopping) {
          failCaller(p, Failures.clientClosed());
          break;
        }
        if (Thread.interrupted()) {
          withdraw(p);
          if (registered) unwatchCaller(cs); // else the thread's next waiting echo finds it there (EEXIST)
          throw new InterruptedException();
        }
        if (!registered) {
          poller.register(cs.channel, cs.token);
          registered = true;
        }
        readyCount = 0;
        poller.await(Math.min(p.deadline - now, CALLER_SLICE), readySink);
        for (int i = 0; i < readyCount; i++) onReady(readyTokens[i], readyErrors[i]);
      }
      if (registered) unwatchCaller(cs);
      sweep(lastSendClock); // a clock reading per echo saved: the slots' sweep runs once a second
    } catch (TransportException | FatalIo failure) {
      failCaller(p, Failures.toPublic(failure instanceof FatalIo f ? f.getCause() : (TransportException) failure));
      stopping = true; // a socket that failed this way is given up; the next echo opens another
    } finally {
      releaseCaller();
    }
    return true;
  }

  /** Takes a caller socket out of the caller's poller; a socket that cannot be is given up (the next echo opens one). */
  private void unwatchCaller(ChannelState cs) {
    try {
      poller.unregister(cs.channel);
    } catch (TransportException e) {
      stopping = true;
    }
  }

  private void failCaller(Probe p, IcmpException e) {
    if (p.finished) return;
    if (p.channel != null) {
      timers.remove(p);
      release(p.channel, p.sequence, ChannelState.EXPIRED);
    }
    finish(p, e);
  }

  /** Hands a caller loop back, closing it when {@link #closeCaller} came meanwhile. */
  private void releaseCaller() {
    owner.set(FREE);
    if (stopping && owner.compareAndSet(FREE, CLOSED)) releaseCallerResources();
  }

  /**
   * Closes a caller loop from any thread: at once when no echo runs on it, else when that echo ends (woken now;
   * it fails with "client closed"). With {@code ownerDead}, closes even if the owner died holding it.
   */
  void closeCaller(boolean ownerDead) {
    stopping = true;
    if (owner.compareAndSet(FREE, CLOSED) || ownerDead && owner.getAndSet(CLOSED) != CLOSED) {
      releaseCallerResources();
      return;
    }
    Poller pl = poller;
    if (pl != null) pl.wakeup();
  }

  private void releaseCallerResources() {
    terminated = true;
    for (ChannelState cs : channels) cs.channel.close();
    channels.clear();
    defaultGroups[0] = defaultGroups[1] = null; // a dead thread's slot may outlive the loop: keep it small
    if (poller != null) poller.close();
  }

  /** Counters of a caller loop, from any thread: exact up to its last finished echo. */
  ClientStats callerSnapshot() {
    owner.get(); // a volatile read: sees every counter written before the owner last handed the loop back
    return snapshot();
  }

  private void onReady(int token, boolean error) {
    ChannelState cs = channels.get(token);
    current = cs;
    try {
      cs.channel.receive(packetSink, RECEIVE_BATCH, error);
    } catch (TransportException e) {
      throw new FatalIo(e);
    }
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

  private void onPacket(Channel ch, Packet pk) {
    ChannelState cs = current;
    if (!pk.checksumOk) {
      badChecksum++;
      return;
    }
    if (ch.kind() == SocketKind.RAW && pk.identifier != ch.identifier()) {
      foreign++;
      return;
    }
    int seq = pk.sequence;
    if (pk.kind == Packet.LOCAL_ERROR && seq < 0) {
      localErrorMtu = pk.info;
      return;
    }
    if (seq < 0 || seq >= cs.capacity) {
      foreign++;
      return;
    }
    byte state = cs.states[seq];
    Probe p = cs.probes[seq];
    switch (pk.kind) {
      case Packet.ECHO_REPLY -> onReply(cs, seq, state, p, pk);
      case Packet.ICMP_ERROR -> onError(cs, seq, state, p, pk);
      case Packet.LOCAL_ERROR -> {
        if (state == ChannelState.IN_FLIGHT && p != null) {
          timers.remove(p);
          release(cs, seq, ChannelState.EXPIRED);
          sendFailures++;
          String name = ch.failureName(pk.failureCode);
          finish(p, new EchoResult.SendFailed(p.request(), StatusMap.localErrno(name), name,
              ch.failureMessage(pk.failureCode), seq, pk.info));
        }
      }
      default -> foreign++;
    }
  }

  private void onReply(ChannelState cs, int seq, byte state, Probe p, Packet pk) {
    if (state == ChannelState.EMPTY) {
      foreign++;
      return;
    }
    int serial = cs.serials[seq];
    EchoRequest r = p != null ? p.request : null;
    int verdict = r == null ? checkTagOnly(pk, serial) : verify(r, pk, serial);
    if (verdict == FOREIGN) {
      foreign++;
      return;
    }
    if (verdict == STALE || state == ChannelState.EXPIRED || p == null) {
      late++;
      return;
    }
    if (!p.targetIs(pk) && !p.targetIsMulticast()) {
      // A unicast echo is answered by its target; a reply from elsewhere (spoofed, NAT gone wrong) is not ours.
      foreign++;
      return;
    }
    long rtt = rttNanos(cs, p, pk);
    if (state == ChannelState.IN_FLIGHT && arrivedAfterDeadline(r, rtt)) {
      expireLate(cs, seq, p);
      return;
    }
    if (state == ChannelState.ANSWERED) {
      if (poller.nanoTime() - cs.answeredAt[seq] > duplicateWindow()) {
        late++;
        return;
      }
      duplicates++;
      Consumer<? super EchoResult.Reply> listener = p.onDuplicate();
      if (listener != null && verdict == OK) {
        InetAddress t = p.target();
        addBatch(listener, new EchoResult.Reply(p.request(t), pk.fromAddress(t), Duration.ofNanos(rtt), pk.ttl, pk.tos,
            pk.icmpLength, seq, ipOptions(pk), pk.ipFlags));
      }
      return;
    }
    // In flight: this answers it.
    timers.remove(p);
    if (verdict == OK) {
      release(cs, seq, ChannelState.ANSWERED);
      cs.answered++;
      cs.answeredAt[seq] = poller.nanoTime();
      replies++;
      InetAddress t = p.target();
      finish(p, new EchoResult.Reply(p.request(t), pk.fromAddress(t), Duration.ofNanos(rtt), pk.ttl, pk.tos, pk.icmpLength,
          seq, ipOptions(pk), pk.ipFlags));
    } else {
      release(cs, seq, ChannelState.EXPIRED);
      corrupted++;
      InetAddress t = p.target();
      finish(p, new EchoResult.Corrupted(p.request(t), pk.fromAddress(t), Duration.ofNanos(rtt), corruption(r, pk, serial),
          seq));
    }
  }

  /** The packet's IPv4 options as a value: the shared empty one when there are none (no allocation per reply). */
  private static IpOptions ipOptions(Packet pk) {
    return pk.optionsLength == 0 ? IpOptions.NONE : new IpOptions(Arrays.copyOf(pk.options, pk.optionsLength));
  }

  private void onError(ChannelState cs, int seq, byte state, Probe p, Packet pk) {
    if (state != ChannelState.IN_FLIGHT || p == null) {
      if (state == ChannelState.EMPTY) foreign++;
      else late++;
      return;
    }
    if (!p.quotedTargetIs(pk)) {
      foreign++;
      return;
    }
    IpStatus status = pk.ipv6 ? StatusMap.icmpv6(pk.icmpType, pk.icmpCode) : StatusMap.icmpv4(pk.icmpType, pk.icmpCode);
    if (status == null) {
      foreign++;
      return;
    }
    long rtt = rttNanos(cs, p, pk);
    if (arrivedAfterDeadline(p.request, rtt)) {
      expireLate(cs, seq, p);
      return;
    }
    timers.remove(p);
    release(cs, seq, ChannelState.EXPIRED);
    errors++;
    InetAddress t = p.target();
    finish(p, new EchoResult.IcmpError(p.request(t), status, pk.fromAddress(t), Duration.ofNanos(rtt), pk.icmpType,
        pk.icmpCode, pk.info, seq, pk.ttl));
  }

  /**
   * True when the kernel received the answer after the echo's timeout: when the I/O thread lags (a burst, a GC
   * pause) the timer may not have fired yet, but the answer is late all the same. A zero timeout means "whatever is
   * already there", which a loopback reply queued during the send is.
   */
  private static boolean arrivedAfterDeadline(EchoRequest r, long rtt) {
    long timeout = saturatedNanos(r.timeout());
    return timeout > 0 && rtt > timeout;
  }

  private void expireLate(ChannelState cs, int seq, Probe p) {
    timers.remove(p);
    release(cs, seq, ChannelState.EXPIRED);
    late++;
    timeouts++;
    finish(p, new EchoResult.TimedOut(p.request(), p.request.timeout(), seq));
  }

  private long duplicateWindow() {
    return saturatedNanos(config.duplicateWindow());
  }

  private static long rttNanos(ChannelState cs, Probe p, Packet pk) {
    long rx = pk.rxTime != Long.MIN_VALUE ? pk.rxTime : cs.channel.rttClockNow();
    return Math.max(0, rx - p.sentAt);
  }

  private static final int OK = 0;
  private static final int FOREIGN = 1;
  private static final int STALE = 2;
  private static final int CORRUPT = 3;

  /** Checks a reply's payload against what {@code r} sent with {@code serial}. */
  private int verify(EchoRequest r, Packet pk, int serial) {
    if (r.hasExplicitPayload()) {
      return r.payloadEquals(pk.data, pk.dataOffset, pk.dataLength) ? OK : CORRUPT;
    }
    int tag = checkTagOnly(pk, serial);
    if (tag != OK) return tag;
    int len = pk.dataLength;
    if (len != r.payloadSize()) return CORRUPT;
    if (len > 8 && Arrays.mismatch(pattern, 8, len, pk.data, pk.dataOffset + 8, pk.dataOffset + len) >= 0) {
      return CORRUPT;
    }
    return OK;
  }

  /** Cookie and serial of the client's own payload (bytes 0..3 and 4..7, as far as the payload goes). */
  private int checkTagOnly(Packet pk, int serial) {
    byte[] d = pk.data;
    int o = pk.dataOffset;
    int len = pk.dataLength;
    if (d == null) return len == 0 ? OK : FOREIGN;
    for (int i = 0; i < 4 && i < len; i++) {
      if (d[o + i] != (byte) (cookie >>> (24 - 8 * i))) return FOREIGN;
    }
    for (int i = 4; i < 8 && i < len; i++) {
      if (d[o + i] != (byte) (serial >>> (56 - 8 * i))) return STALE;
    }
    return OK;
  }

  private String corruption(EchoRequest r, Packet pk, int serial) {
    byte[] sent = new byte[r.payloadSize()];
    if (r.hasExplicitPayload()) {
      r.copyPayloadTo(sent, 0);
    } else {
      System.arraycopy(pattern, 0, sent, 0, sent.length);
      writeTag(sent, sent.length, serial);
    }
    if (pk.dataLength != sent.length) {
      return "reply carries " + pk.dataLength + " payload bytes, sent " + sent.length;
    }
    int i = Arrays.mismatch(sent, 0, sent.length, pk.data, pk.dataOffset, pk.dataOffset + pk.dataLength);
    return String.format("payload byte %d is 0x%02x, sent 0x%02x", i, pk.data[pk.dataOffset + i] & 0xff,
        sent[i] & 0xff);
  }

  private void expire(long now) {
    Probe p;
    while ((p = timers.peek()) != null && p.deadline - now <= 0) {
      timers.poll();
      ChannelState cs = p.channel;
      release(cs, p.sequence, ChannelState.EXPIRED);
      timeouts++;
      finish(p, new EchoResult.TimedOut(p.request(), p.request.timeout(), p.sequence));
    }
  }

  private void sweep(long now) {
    for (int i = 0, n = channels.size(); i < n; i++) {
      ChannelState cs = channels.get(i);
      if (now - cs.nextSweep >= 0) {
        cs.nextSweep = now + SWEEP_INTERVAL;
        cs.sweep(now, duplicateWindow());
      }
    }
  }

  /** A cancelled probe leaves its slot and the timer heap (task run on the I/O thread). */
  private void withdraw(Probe p) {
    if (p.finished || p.channel == null) return;
    timers.remove(p);
    ChannelState cs = p.channel;
    if (cs.probes[p.sequence] == p && cs.states[p.sequence] == ChannelState.IN_FLIGHT) {
      release(cs, p.sequence, ChannelState.EXPIRED);
    }
    p.finished = true;
    inFlight--;
    outstanding.decrementAndGet();
  }

  /**
   * Records the outcome of a probe; the future completes on the executor when the batch is flushed, or here for
   * the blocking path, whose future no user code can see.
   */
  private void finish(Probe p, Object outcome) {
    if (p.finished) return;
    p.finished = true;
    inFlight--;
    outstanding.decrementAndGet();
    if (p.direct) {
      if (outcome instanceof Throwable t) p.completeExceptionally(t);
      else p.complete((EchoResult) outcome);
    } else if (p instanceof Probe.Scheduled s) {
      s.run.returned(this, s, outcome); // its schedule's home loop reports it
    } else {
      addBatch(p, outcome);
    }
  }

  /** Queues an outcome for the callback executor (this loop's thread only). */
  void addBatch(Object target, Object value) {
    if (batchSize == batchTargets.length) {
      batchTargets = Arrays.copyOf(batchTargets, batchSize * 2);
      batchValues = Arrays.copyOf(batchValues, batchSize * 2);
    }
    batchTargets[batchSize] = target;
    batchValues[batchSize] = value;
    batchSize++;
  }

  private void flushBatch() {
    if (batchSize == 0) return;
    if (caller) { // only duplicate listeners of direct probes, i.e. none; complete here all the same
      Object[] targets = Arrays.copyOf(batchTargets, batchSize);
      Object[] values = Arrays.copyOf(batchValues, batchSize);
      clearBatch();
      Engine.complete(targets, values);
      return;
    }
    if (completions != null) {
      CompletionThread.Batch b = completions.take();
      for (int i = 0; i < batchSize; i++) b.add(batchTargets[i], batchValues[i]);
      clearBatch();
      completions.publish(b);
      return;
    }
    Object[] targets = Arrays.copyOf(batchTargets, batchSize);
    Object[] values = Arrays.copyOf(batchValues, batchSize);
    clearBatch();
    Runnable batch = () -> Engine.complete(targets, values);
    try {
      executor.execute(batch);
    } catch (RuntimeException e) {
      // A rejecting executor must not strand callers: complete here rather than lose the outcomes.
      batch.run();
    }
  }

  private void clearBatch() {
    Arrays.fill(batchTargets, 0, batchSize, null);
    Arrays.fill(batchValues, 0, batchSize, null);
    batchSize = 0;
  }

  private void shutdown(Throwable fatal) {
    IcmpException cause = fatal == null
        ? Failures.clientClosed()
        : fatal instanceof TransportException te ? Failures.toPublic(te)
        : fatal instanceof FatalIo fi ? Failures.toPublic(fi.getCause())
        : new IcmpException("icmpecho I/O thread failed: " + fatal, fatal);
    engine.failed(cause, fatal != null); // before terminated: who sees the loop ended finds the cause set
    terminated = true;
    schedules.fail(cause);
    for (Probe p : timers.drain()) finish(p, cause);
    for (Probe p : deferred) {
      inFlight++; // counted out when it was deferred
      finish(p, cause);
    }
    deferred.clear();
    Probe p;
    while ((p = queue.poll()) != null) {
      inFlight++;
      finish(p, cause);
    }
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException ignored) {
        // Tasks after shutdown only complete their own futures; nothing to do about a failure.
      }
    }
    schedules.fail(cause); // those whose start was still queued
    flushBatch();
    if (completions != null) completions.stop();
    for (ChannelState cs : channels) cs.channel.close();
    channels.clear();
    if (poller != null) poller.close();
  }

  Schedules schedules() {
    return schedules;
  }

  /** The loop's monotonic clock (I/O thread). */
  long now() {
    return poller.nanoTime();
  }

  ClientStats snapshot() {
    return new ClientStats(sent, replies, errors, timeouts, sendFailures, duplicates, late, foreign, corrupted,
        badChecksum, inFlight);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(caller ? "icmpecho-caller" : thread.getName());
    for (int f = 0; f < 2; f++) {
      if (resolvedMode[f] != null) sb.append(f == 0 ? " IPv4 " : " IPv6 ").append(resolvedMode[f]);
    }
    return sb.toString();
  }
}
