package org.icmpecho.internal;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.Poller;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * An in-memory transport with a manual clock: the engine's real I/O thread runs against it, tests
 * see every echo sent and inject any answer (replies, duplicates, errors, garbage) at any time.
 * Time moves only by {@link #advance}, so timeouts are deterministic.
 */
final class FakeTransport implements TransportFactory {
  /** One echo the engine sent. */
  record Sent(
      FakeChannel channel,
      InetAddress target,
      SendOptions options,
      int sequence,
      byte[] payload,
      long sentAt) {
    boolean ipv6() {
      return target instanceof java.net.Inet6Address;
    }
  }

  private final Object lock = new Object();
  private long now = 1_000_000_000L;
  private boolean woken;
  final List<FakeChannel> channels = new ArrayList<>();
  final List<Sent> sent = new ArrayList<>();
  int sendErrno;

  /**
   * While set and shut, every send waits on it (an I/O thread stuck in the kernel, its queue
   * growing).
   */
  volatile java.util.concurrent.CountDownLatch sendGate;

  boolean denyAll;

  /** Every echo is answered during its send, as on loopback. */
  volatile boolean answerAtOnce;

  /**
   * Called on the I/O thread at the start of every send with its number (1 for the first send of
   * the test): lets a test act at a precise point of the loop's turn, e.g. queue an ICMP error and
   * move the clock.
   */
  volatile java.util.function.IntConsumer onSend;

  volatile TransportException failPoller;

  @Override
  public void enterNamespace(String name) {}

  @Override
  public Poller newPoller() {
    return new FakePoller();
  }

  @Override
  public Channel open(ChannelKey key, SocketKind kind, int receiveBufferSize)
      throws TransportException {
    synchronized (lock) {
      if (denyAll) {
        throw new TransportException(
            TransportException.Kind.PERMISSION_DENIED, "denied by the fake", "socket", "EACCES");
      }
      FakeChannel c =
          new FakeChannel(
              key.ipv6(),
              kind == SocketKind.AUTO ? SocketKind.DATAGRAM : kind,
              1000 + channels.size());
      channels.add(c);
      return c;
    }
  }

  /** Moves the clock forward and lets the engine see it. */
  void advance(long nanos) {
    synchronized (lock) {
      now += nanos;
      woken = true;
      lock.notifyAll();
    }
  }

  long now() {
    synchronized (lock) {
      return now;
    }
  }

  /**
   * Waits (real time, bounded) until the engine has sent {@code n} echoes in all; returns the n-th.
   */
  Sent awaitSent(int n) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (lock) {
      while (sent.size() < n) {
        long left = end - System.nanoTime();
        if (left <= 0)
          throw new AssertionError("engine sent " + sent.size() + " echoes, expected " + n);
        lock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
      return sent.get(n - 1);
    }
  }

  /** Reads a channel's poller bookkeeping under the lock. */
  int[] watchState(FakeChannel c) {
    synchronized (lock) {
      return new int[] {c.watched ? 1 : 0, c.unregistered, c.readUnwatched};
    }
  }

  /** A channel's readiness bookkeeping under the lock: {input armed (1/0), arm calls}. */
  int[] armState(FakeChannel c) {
    synchronized (lock) {
      return new int[] {c.inputArmed ? 1 : 0, c.armCalls};
    }
  }

  /** How many sockets the engine opened. */
  int channelCount() {
    synchronized (lock) {
      return channels.size();
    }
  }

  /** Every echo sent so far, in order. */
  List<Sent> allSent() {
    synchronized (lock) {
      return List.copyOf(sent);
    }
  }

  /** Queues an answer on the channel and wakes the engine. */
  void inject(FakeChannel c, Packet p) {
    synchronized (lock) {
      c.inbox.add(p);
      woken = true;
      lock.notifyAll();
    }
  }

  /**
   * Queues an ICMP error as the kernel does with IP_RECVERR: on the channel's error queue (read
   * only by a receive that asks for it, or by one that a pending error fails), with the socket's
   * pending error set, which the next send or receive reports once.
   */
  void injectError(FakeChannel c, Packet p) {
    synchronized (lock) {
      c.errorInbox.add(p);
      c.pendingError = 113; // EHOSTUNREACH
      woken = true;
      lock.notifyAll();
    }
  }

  /** A well-formed echo reply to {@code s}, arriving {@code rttNanos} after it was sent. */
  Packet replyTo(Sent s, long rttNanos) {
    Packet p = new Packet();
    p.clear();
    p.kind = Packet.ECHO_REPLY;
    p.ipv6 = s.ipv6();
    p.identifier = s.channel().identifier();
    p.sequence = s.sequence();
    byte[] addr = s.target().getAddress();
    p.setFrom(addr, 0, addr.length, 0);
    p.data = s.payload().clone();
    p.dataOffset = 0;
    p.dataLength = p.data.length;
    p.icmpLength = p.dataLength + 8;
    p.ttl = 64;
    p.tos = 0;
    p.rxTime = s.sentAt() + rttNanos;
    return p;
  }

  /** An ICMP error about {@code s} from {@code reporter}. */
  Packet errorAbout(Sent s, InetAddress reporter, int type, int code, int info) {
    Packet p = new Packet();
    p.clear();
    p.kind = Packet.ICMP_ERROR;
    p.ipv6 = s.ipv6();
    p.identifier = s.channel().identifier();
    p.sequence = s.sequence();
    byte[] addr = reporter.getAddress();
    p.setFrom(addr, 0, addr.length, 0);
    byte[] dst = s.target().getAddress();
    System.arraycopy(dst, 0, p.quotedDst, 0, dst.length);
    p.quotedDstLen = dst.length;
    p.icmpType = type;
    p.icmpCode = code;
    p.info = info;
    p.rxTime = s.sentAt() + 1000;
    return p;
  }

  final class FakePoller implements Poller {
    private final List<FakeChannel> registered = new ArrayList<>();

    @Override
    public void register(Channel channel, int token) {
      synchronized (lock) {
        FakeChannel c = (FakeChannel) channel;
        if (registered.contains(c)) throw new AssertionError("registered twice"); // EEXIST
        c.token = token;
        c.watched = true;
        c.inputArmed = true;
        registered.add(c);
      }
    }

    @Override
    public void arm(Channel channel, int token, boolean on) {
      synchronized (lock) {
        FakeChannel c = (FakeChannel) channel;
        if (!registered.contains(c)) throw new AssertionError("not registered"); // ENOENT
        c.inputArmed = on;
        c.armCalls++;
        lock.notifyAll();
      }
    }

    @Override
    public void unregister(Channel channel) {
      synchronized (lock) {
        if (!registered.remove(channel)) throw new AssertionError("not registered"); // ENOENT
        ((FakeChannel) channel).watched = false;
        ((FakeChannel) channel).unregistered++;
      }
    }

    @Override
    public int await(long timeoutNanos, ReadySink sink) throws TransportException {
      List<FakeChannel> ready = new ArrayList<>();
      synchronized (lock) {
        long deadline = timeoutNanos < 0 ? Long.MAX_VALUE : now + timeoutNanos;
        long realEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
          if (failPoller != null) throw failPoller;
          for (FakeChannel c : registered)
            if ((c.inputArmed && !c.inbox.isEmpty()) || !c.errorInbox.isEmpty()) ready.add(c);
          if (!ready.isEmpty() || woken || now - deadline >= 0 || timeoutNanos == 0) break;
          // Real time is only a safety net: the manual clock decides timeouts.
          if (System.nanoTime() - realEnd > 0) break;
          try {
            lock.wait(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        woken = false;
      }
      for (FakeChannel c : ready) sink.ready(c.token, !c.errorInbox.isEmpty()); // EPOLLERR
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
      return now();
    }

    @Override
    public void close() {}
  }

  final class FakeChannel implements Channel {
    final boolean ipv6;
    final SocketKind mode;
    final int identifier;
    final Queue<Packet> inbox = new ArrayDeque<>();

    /** ICMP errors queued by {@link #injectError}: the socket's error queue. */
    final Queue<Packet> errorInbox = new ArrayDeque<>();

    /** The socket's pending error (sk_err): reported once by the next send or receive. */
    int pendingError;

    /** In the poller's set; guarded by the transport's lock. */
    boolean watched;

    /** The poller reports its input (EPOLLIN; errors are always reported); guarded by the lock. */
    boolean inputArmed;

    /** How often the engine turned input readiness on or off; guarded by the lock. */
    int armCalls;

    /** How often the poller stopped watching it; guarded by the transport's lock. */
    int unregistered;

    /**
     * Packets a receive delivered while the poller was not watching the channel; guarded by the
     * lock.
     */
    int readUnwatched;

    int token;
    long lastSend;
    boolean closed;

    FakeChannel(boolean ipv6, SocketKind mode, int identifier) {
      this.ipv6 = ipv6;
      this.mode = mode;
      this.identifier = identifier;
    }

    @Override
    public SocketKind kind() {
      return mode;
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
        java.net.InetAddress target,
        int address4,
        int sequence,
        byte[] payload,
        int length) {
      if (target == null) {
        try {
          target =
              java.net.InetAddress.getByAddress(
                  new byte[] {
                    (byte) (address4 >>> 24),
                    (byte) (address4 >>> 16),
                    (byte) (address4 >>> 8),
                    (byte) address4
                  });
        } catch (java.net.UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
      java.util.function.IntConsumer hook = onSend;
      if (hook != null) {
        int n;
        synchronized (lock) {
          n = sent.size() + 1;
        }
        hook.accept(n);
      }
      java.util.concurrent.CountDownLatch gate = sendGate;
      if (gate != null) {
        try {
          if (!gate.await(10, TimeUnit.SECONDS))
            throw new AssertionError("the send gate stayed shut");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      synchronized (lock) {
        lastSend = now;
        if (pendingError
            != 0) { // as the kernel's sock_alloc_send_pskb: the pending error fails this send, once
          int e = pendingError;
          pendingError = 0;
          return e;
        }
        if (sendErrno != 0) return sendErrno;
        byte[] copy = java.util.Arrays.copyOf(payload, length);
        Sent s = new Sent(this, target, options, sequence, copy, now);
        sent.add(s);
        if (answerAtOnce) inbox.add(replyTo(s, 20_000)); // loopback: queued before send returns
        lock.notifyAll();
        return 0;
      }
    }

    @Override
    public long lastSendTime() {
      return lastSend;
    }

    @Override
    public long rttClockNow() {
      return now();
    }

    @Override
    public int receive(PacketSink sink, int max, boolean errorQueue) {
      boolean errors;
      synchronized (lock) {
        // A pending error fails the normal receive; the real channel then reads the error queue
        // (LinuxChannel).
        errors = errorQueue || pendingError != 0;
        pendingError = 0;
      }
      return (errors ? deliver(errorInbox, Integer.MAX_VALUE, sink) : 0)
          + deliver(inbox, max, sink);
    }

    /**
     * Hands up to {@code max} packets of {@code queue} to {@code sink}, one at a time, as the
     * engine reads them.
     */
    private int deliver(Queue<Packet> queue, int max, PacketSink sink) {
      int n = 0;
      while (n < max) {
        Packet p;
        synchronized (lock) {
          p = queue.poll();
          if (p != null && !watched) readUnwatched++;
        }
        if (p == null) break;
        sink.accept(this, p);
        n++;
      }
      return n;
    }

    @Override
    public boolean reportsFailureDetail(int code) {
      return code == 90 && mode == SocketKind.DATAGRAM; // EMSGSIZE, as the kernel with IP_RECVERR
    }

    @Override
    public String failureName(int errno) {
      return switch (errno) {
        case 90 -> "EMSGSIZE";
        case 101 -> "ENETUNREACH";
        case 113 -> "EHOSTUNREACH";
        default -> "errno " + errno;
      };
    }

    @Override
    public String failureMessage(int errno) {
      return "fake " + failureName(errno);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
