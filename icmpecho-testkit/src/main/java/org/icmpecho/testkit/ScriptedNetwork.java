package org.icmpecho.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IcmpUnsupportedException;
import org.icmpecho.internal.InternalAccess;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * A network that answers by script, under a real {@link IcmpClient}: the engine, its I/O thread,
 * its schedules and timeouts all run for real, only the sockets are replaced. Each echo sent is
 * shown to the script, which says what comes back (a reply or an ICMP error, after how long, with
 * how many duplicates) or nothing at all; the engine then reads those answers as it would a
 * socket's. Time is the real monotonic clock. For tests of code built on the client (the CLI's
 * commands) that need answers no loopback gives: routers, unreachable hosts, loss, duplicates.
 */
public final class ScriptedNetwork {
  /**
   * What comes back for one echo.
   *
   * @param result a {@link EchoResult.Reply} (its RTT, TTL, TOS, byte count and source are used),
   *     an {@link EchoResult.IcmpError} (source, type, code, info, RTT: the engine derives the
   *     status itself), a {@link EchoResult.SendFailed} (the send fails with its errno name,
   *     message and MTU), or null for silence
   * @param delayMillis real time before the answer is readable (the reported RTT is the result's
   *     own)
   * @param duplicates further copies of a reply
   */
  public record Answer(EchoResult result, long delayMillis, int duplicates) {}

  private final BiFunction<EchoRequest, Integer, Answer> script;
  private final Object lock = new Object();
  private final ScheduledExecutorService timer;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * Every echo handed to the engine, as a request with its real target, in order (a withdrawn one
   * may never leave).
   */
  public final List<EchoRequest> requests = Collections.synchronizedList(new ArrayList<>());

  /** {@link System#nanoTime()} of every send, in order. */
  public final List<Long> sendTimes = Collections.synchronizedList(new ArrayList<>());

  /** The most echoes in flight at once (until answered, or until their timeout for silence). */
  public final AtomicInteger maxInFlight = new AtomicInteger();

  /** When set, opening any socket fails with it (e.g. an {@code IcmpPermissionException}). */
  public volatile IcmpException openFailure;

  /**
   * When set, opening a socket bound to a source address or interface fails with it (e.g.
   * EADDRNOTAVAIL).
   */
  public volatile IcmpException boundOpenFailure;

  /**
   * @param script the answer to the n-th echo (from 1) sent with {@code request}
   */
  public ScriptedNetwork(BiFunction<EchoRequest, Integer, Answer> script) {
    this.script = script;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "scripted-network");
              t.setDaemon(true);
              return t;
            });
  }

  /** Makes {@code builder}'s client use this network instead of sockets. */
  public IcmpClient.Builder configure(IcmpClient.Builder builder) {
    return InternalAccess.configure(
        builder, c -> c.withTransportFactory(new Transport()).withSubmitted(this::submitted));
  }

  /**
   * Requests handed to the engine and not yet seen on the wire, per target: the wire shows no
   * timeout and no explicit payload, so a send is matched to its request (by target and per-send
   * settings) here.
   */
  private final java.util.Map<InetAddress, java.util.ArrayDeque<EchoRequest>> submitted =
      new java.util.HashMap<>();

  private void submitted(EchoRequest r) {
    requests.add(r);
    synchronized (submitted) {
      submitted.computeIfAbsent(r.target(), k -> new java.util.ArrayDeque<>()).add(r);
    }
  }

  /**
   * The request of an echo now on the wire: the first submitted to {@code target} with these
   * settings.
   */
  private EchoRequest sentRequest(InetAddress target, SendOptions o) {
    synchronized (submitted) {
      java.util.ArrayDeque<EchoRequest> q = submitted.get(target);
      if (q != null) {
        for (java.util.Iterator<EchoRequest> it = q.iterator(); it.hasNext(); ) {
          EchoRequest r = it.next();
          if (r.ttl() == o.ttl() && r.tos() == o.tos()) {
            it.remove();
            return r;
          }
        }
      }
    }
    throw new IllegalStateException("an echo to " + target + " that the engine was not asked for");
  }

  private static TransportException toTransport(IcmpException e) {
    TransportException.Kind kind =
        e instanceof IcmpPermissionException
            ? TransportException.Kind.PERMISSION_DENIED
            : e instanceof IcmpUnsupportedException
                ? TransportException.Kind.UNSUPPORTED
                : TransportException.Kind.FAILED;
    return new TransportException(kind, e.getMessage(), e.syscall(), e.errno());
  }

  private final class Transport implements TransportFactory {
    @Override
    public void enterNamespace(String name) {}

    @Override
    public Poller newPoller() {
      return new ScriptedPoller();
    }

    @Override
    public Channel open(ChannelKey key, SocketKind kind, int receiveBufferSize)
        throws TransportException {
      IcmpException f = openFailure;
      if (f == null && (key.source() != null || key.interfaceName() != null)) f = boundOpenFailure;
      if (f != null) throw toTransport(f);
      return new ScriptedChannel(
          key.ipv6(), kind == SocketKind.RAW ? SocketKind.RAW : SocketKind.DATAGRAM);
    }
  }

  private final class ScriptedPoller implements Poller {
    private final List<ScriptedChannel> watched = new ArrayList<>();
    private boolean woken;

    @Override
    public void register(Channel channel, int token) {
      synchronized (lock) {
        ((ScriptedChannel) channel).token = token;
        watched.add((ScriptedChannel) channel);
      }
    }

    @Override
    public void unregister(Channel channel) {
      synchronized (lock) {
        watched.remove(channel);
      }
    }

    @Override
    public int await(long timeoutNanos, ReadySink sink) {
      List<ScriptedChannel> ready = new ArrayList<>();
      synchronized (lock) {
        long end = timeoutNanos < 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        while (true) {
          for (ScriptedChannel c : watched) if (!c.inbox.isEmpty()) ready.add(c);
          long left = end - System.nanoTime();
          if (!ready.isEmpty() || woken || left <= 0 || timeoutNanos == 0) break;
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, Math.min(left, 1_000_000_000L));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        woken = false;
      }
      for (ScriptedChannel c : ready) sink.ready(c.token, false);
      return ready.size();
    }

    @Override
    public void wakeup() {
      synchronized (lock) {
        woken = true;
        lock.notifyAll();
      }
    }

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void close() {}
  }

  private final class ScriptedChannel implements Channel {
    private static final AtomicInteger IDS = new AtomicInteger(4000);
    private final boolean ipv6;
    private final SocketKind kind;
    private final int identifier = IDS.incrementAndGet() & 0xffff;
    private final java.util.ArrayDeque<Packet> inbox = new java.util.ArrayDeque<>();
    private int token;
    private long lastSend;

    /**
     * Failure codes handed out (code = index + 1): what {@link #failureName} and the rest describe.
     */
    private final List<EchoResult.SendFailed> failures = new ArrayList<>();

    /**
     * The last send that failed: the engine sends it again a few times before it believes the
     * failure.
     */
    private InetAddress failedTarget;

    private int failedSequence = -1;
    private int failedCode;

    /** The path MTU of the last failure, read as a local error report right after it (then 0). */
    private int pendingMtu;

    ScriptedChannel(boolean ipv6, SocketKind kind) {
      this.ipv6 = ipv6;
      this.kind = kind;
    }

    @Override
    public SocketKind kind() {
      return kind;
    }

    @Override
    public boolean ipv6() {
      return ipv6;
    }

    @Override
    public int identifier() {
      return identifier;
    }

    @Override
    public int send(
        SendOptions options,
        InetAddress target,
        int address4,
        int sequence,
        byte[] payload,
        int length) {
      if (target == null) target = v4(address4);
      if (sequence == failedSequence && target.equals(failedTarget))
        return failedCode; // the engine's retry
      failedSequence = -1;
      EchoRequest actual = sentRequest(target, options);
      long now = System.nanoTime();
      lastSend = now;
      sendTimes.add(now);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Answer a = script.apply(actual, count.incrementAndGet());
      EchoResult r = a == null ? null : a.result();
      long timeoutMs = actual.timeout().toMillis();
      if (r == null) {
        var _ =
            timer.schedule(
                inFlight::decrementAndGet,
                timeoutMs,
                TimeUnit.MILLISECONDS); // a counter, nothing to fail
        return 0;
      }
      if (r instanceof EchoResult.SendFailed f) {
        inFlight.decrementAndGet();
        failures.add(f);
        failedTarget = target;
        failedSequence = sequence;
        failedCode = failures.size();
        pendingMtu = f.mtu();
        return failedCode;
      }
      byte[] data = java.util.Arrays.copyOf(payload, length);
      List<Packet> answers = new ArrayList<>();
      int copies = r instanceof EchoResult.Reply ? 1 + a.duplicates() : 1;
      for (int i = 0; i < copies; i++) answers.add(packet(r, target, sequence, data, now));
      Runnable deliver =
          () -> {
            inFlight.decrementAndGet();
            synchronized (lock) {
              inbox.addAll(answers);
              lock.notifyAll();
            }
          };
      long delay = Math.min(a.delayMillis(), timeoutMs + 1);
      if (delay <= 0) deliver.run();
      else {
        var _ =
            timer.schedule(
                deliver, delay, TimeUnit.MILLISECONDS); // queues packets, nothing to fail
      }
      return 0;
    }

    private Packet packet(
        EchoResult r, InetAddress target, int sequence, byte[] data, long sentAt) {
      Packet p = new Packet();
      p.clear();
      p.ipv6 = ipv6;
      p.identifier = identifier;
      p.sequence = sequence;
      InetAddress from;
      switch (r) {
        case EchoResult.Reply reply -> {
          p.kind = Packet.ECHO_REPLY;
          from = reply.from();
          p.data = data;
          p.dataLength = data.length;
          p.icmpLength = reply.bytes();
          p.ttl = reply.ttl();
          p.tos = reply.tos();
          p.rxTime = sentAt + reply.rtt().toNanos();
        }
        case EchoResult.IcmpError e -> {
          p.kind = Packet.ICMP_ERROR;
          from = e.from();
          byte[] dst = target.getAddress();
          System.arraycopy(dst, 0, p.quotedDst, 0, dst.length);
          p.quotedDstLen = dst.length;
          p.icmpType = e.icmpType();
          p.icmpCode = e.icmpCode();
          p.info = e.info();
          p.ttl = e.ttl(); // -1: unknown, as a kernel that did not say
          p.rxTime = sentAt + e.rtt().toNanos();
        }
        default ->
            throw new IllegalArgumentException(
                "a script answers with a Reply, an IcmpError or null: " + r);
      }
      byte[] f = from.getAddress();
      p.setFrom(f, 0, f.length, 0);
      return p;
    }

    private static InetAddress v4(int a) {
      try {
        return InetAddress.getByAddress(
            new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
      } catch (UnknownHostException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public long lastSendTime() {
      return lastSend;
    }

    @Override
    public long rttClockNow() {
      return System.nanoTime();
    }

    @Override
    public int receive(PacketSink sink, int max, boolean errorQueue) {
      int n = 0;
      if (errorQueue
          && pendingMtu
              > 0) { // the detail of a failed send: its path MTU, for no echo in particular
        Packet p = new Packet();
        p.clear();
        p.kind = Packet.LOCAL_ERROR;
        p.ipv6 = ipv6;
        p.info = pendingMtu;
        pendingMtu = 0;
        sink.accept(this, p);
        n++;
      }
      while (n < max) {
        Packet p;
        synchronized (lock) {
          p = inbox.poll();
        }
        if (p == null) break;
        sink.accept(this, p);
        n++;
      }
      return n;
    }

    @Override
    public boolean reportsFailureDetail(int code) {
      return failures.get(code - 1).mtu() > 0;
    }

    @Override
    public String failureName(int code) {
      return failures.get(code - 1).errno();
    }

    @Override
    public String failureMessage(int code) {
      return failures.get(code - 1).message();
    }

    @Override
    public void close() {}
  }
}
