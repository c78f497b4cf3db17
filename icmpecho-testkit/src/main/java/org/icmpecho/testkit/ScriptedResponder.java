package org.icmpecho.testkit;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.icmpecho.testkit.internal.Sys;

/**
 * A scripted ICMP echo responder: our own code answering echo requests inside a network namespace
 * whose kernel echo answers are switched off, with per-address {@link ResponderEffect}s (drop,
 * delay, duplicate, corrupt, wrong identifier or sequence, foreign source, reorder, any ICMP
 * error). MockWebServer's part for ICMP.
 *
 * <p>One platform thread ({@code icmpecho-testkit-responder}) enters the namespace with {@code
 * setns}, opens its raw sockets there (a socket stays in the namespace it was created in) and
 * serves both families: it reads echo requests from {@code SOCK_RAW}/{@code IPPROTO_ICMP[V6]}
 * sockets and writes whole IP packets through {@code IPPROTO_RAW} sockets (header included), so it
 * controls the source address and can send wrong checksums. Delayed answers wait in a timer queue
 * served by the same thread ({@code ppoll} with a nanosecond timeout).
 *
 * <p>Scripts may be changed from any thread at any time ({@link #script}); each address plays its
 * effects in rotation, one per request. Unscripted addresses get the {@linkplain #defaultEffect
 * default} ({@link ResponderEffect.Answer}). {@link #close()} stops the thread and closes the
 * sockets.
 *
 * <pre>{@code
 * ScriptedResponder r = topology.responder();      // in the topology's responder namespace
 * InetAddress a = topology.responderAddress(StandardProtocolFamily.INET, 0);
 * r.script(a, new ResponderEffect.Duplicate(2));
 * EchoResult res = client.echo(a);                  // a Reply; two duplicates follow
 * }</pre>
 */
public final class ScriptedResponder implements AutoCloseable {
  /**
   * Largest ICMP error sent for an IPv4 request (RFC 1812: the error's IP packet fits in 576
   * bytes).
   */
  private static final int V4_ERROR_LIMIT = 576;

  /** Largest ICMPv6 error (RFC 4443: the minimum IPv6 MTU). */
  private static final int V6_ERROR_LIMIT = 1280;

  private static final int REPLY_TTL = 64;
  private static final long MAX_POLL_NANOS = 20_000_000L;

  /** Timers due within this are waited for by spinning. */
  private static final long SPIN_NANOS = 300_000L;

  private final String namespace;
  private final Map<InetAddress, Script> scripts = new ConcurrentHashMap<>();
  private volatile Script defaultScript =
      new Script(new ResponderEffect[] {new ResponderEffect.Answer()});
  private volatile boolean running = true;
  private final Thread thread;
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile Throwable failure;

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong repliesSent = new AtomicLong();
  private final AtomicLong errorsSent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong delayedSent = new AtomicLong();
  private final AtomicLong latenessSum = new AtomicLong();
  private final AtomicLong latenessMax = new AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<InetAddress, Long> lateness =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ScriptedResponder(String namespace) {
    this.namespace = namespace;
    this.thread =
        Thread.ofPlatform()
            .name("icmpecho-testkit-responder-" + namespace)
            .daemon()
            .unstarted(this::run);
  }

  /**
   * Starts a responder in the network namespace {@code /var/run/netns/NAMESPACE}. The namespace
   * should have {@code net.ipv4.icmp_echo_ignore_all=1} and {@code net.ipv6.icmp.echo_ignore_all=1}
   * (the topologies of {@link NetLab} set them), or the kernel answers too.
   *
   * @throws NetLabException if the namespace cannot be entered or the raw sockets cannot be opened
   */
  public static ScriptedResponder start(String namespace) {
    ScriptedResponder r = new ScriptedResponder(Objects.requireNonNull(namespace, "namespace"));
    r.thread.start();
    try {
      if (!r.started.await(10, TimeUnit.SECONDS)) {
        r.close();
        throw new NetLabException("responder in " + namespace + " did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.close();
      throw new NetLabException("interrupted while starting the responder", e);
    }
    if (r.failure != null) {
      r.close();
      throw new NetLabException(
          "responder in " + namespace + " failed to start: " + r.failure.getMessage(), r.failure);
    }
    return r;
  }

  /** The namespace this responder serves. */
  public String namespace() {
    return namespace;
  }

  /**
   * Scripts {@code address}: request k to it gets {@code effects[k % effects.length]} (k counts
   * from the script's installation). Replaces an earlier script for that address.
   */
  public ScriptedResponder script(InetAddress address, ResponderEffect... effects) {
    Objects.requireNonNull(address, "address");
    if (effects.length == 0)
      throw new IllegalArgumentException("no effects for " + address.getHostAddress());
    for (ResponderEffect e : effects) check(address, e);
    scripts.put(address, new Script(effects.clone()));
    return this;
  }

  /** The effects for unscripted addresses (default: {@link ResponderEffect.Answer}). */
  public ScriptedResponder defaultEffect(ResponderEffect... effects) {
    if (effects.length == 0) throw new IllegalArgumentException("no effects");
    defaultScript = new Script(effects.clone());
    return this;
  }

  /** Removes every script (unscripted addresses answer with the default effect). */
  public void clearScripts() {
    scripts.clear();
  }

  /** Requests seen for {@code address} since it was scripted (0 when it is not scripted). */
  public long requestsFor(InetAddress address) {
    Script s = scripts.get(address);
    return s == null ? 0 : s.counter.get();
  }

  /**
   * Counters of this responder.
   *
   * @param requests echo requests read
   * @param replies echo reply packets sent (duplicates included)
   * @param errors ICMP error packets sent
   * @param dropped requests dropped on purpose
   * @param sendFailures packets the kernel refused ({@code sendto} failed)
   * @param ignored packets read that were not echo requests of the family (should stay 0)
   * @param delayed packets sent after a scripted delay
   * @param meanLatenessNanos how late those left on average (send time minus due time)
   * @param maxLatenessNanos how late the latest one left
   */
  public record Stats(
      long requests,
      long replies,
      long errors,
      long dropped,
      long sendFailures,
      long ignored,
      long delayed,
      long meanLatenessNanos,
      long maxLatenessNanos) {}

  /**
   * How late (ns) the last delayed answer for {@code address} left, after its scripted delay; 0
   * when there was none. A test that checks measured RTTs against scripted delays subtracts it: the
   * responder's own wake-up is not the engine's error.
   */
  public long latenessOf(InetAddress address) {
    return lateness.getOrDefault(address, 0L);
  }

  public Stats stats() {
    long d = delayedSent.get();
    return new Stats(
        requests.get(),
        repliesSent.get(),
        errorsSent.get(),
        dropped.get(),
        sendFailures.get(),
        ignored.get(),
        d,
        d == 0 ? 0 : latenessSum.get() / d,
        latenessMax.get());
  }

  /** Stops the thread and closes the sockets; waits up to 5 s. Idempotent. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive())
      throw new NetLabException("responder thread in " + namespace + " did not stop");
  }

  @Override
  public String toString() {
    return "ScriptedResponder[" + namespace + ", " + stats() + "]";
  }

  private static void check(InetAddress address, ResponderEffect e) {
    switch (e) {
      case ResponderEffect.AnswerFrom f -> {
        if ((f.from() instanceof Inet4Address) != (address instanceof Inet4Address)) {
          throw new IllegalArgumentException(
              "AnswerFrom " + f.from() + " is not of the family of " + address);
        }
      }
      case ResponderEffect.SendError s -> {
        if (s.from() != null
            && (s.from() instanceof Inet4Address) != (address instanceof Inet4Address)) {
          throw new IllegalArgumentException(
              "SendError from " + s.from() + " is not of the family of " + address);
        }
      }
      case ResponderEffect.All all -> all.effects().forEach(x -> check(address, x));
      default -> {}
    }
  }

  private static final class Script {
    final ResponderEffect[] effects;
    final AtomicLong counter = new AtomicLong();

    Script(ResponderEffect[] effects) {
      this.effects = effects;
    }

    ResponderEffect next() {
      long k = counter.getAndIncrement();
      return effects[(int) (k % effects.length)];
    }
  }

  /** What one request turns into: folded from its effect. */
  private static final class Plan {
    boolean drop;
    long delayNanos;
    int copies = 1;
    boolean badChecksum;
    Integer corruptOffset;
    boolean wrongId;
    boolean wrongSeq;
    InetAddress from;
    ResponderEffect.SendError error;
    ResponderEffect.Reorder reorder;

    void apply(ResponderEffect e) {
      switch (e) {
        case ResponderEffect.Answer a -> {}
        case ResponderEffect.Drop d -> drop = true;
        case ResponderEffect.Delay d -> delayNanos += d.delay().toNanos();
        case ResponderEffect.Duplicate d -> copies += d.copies();
        case ResponderEffect.CorruptChecksum c -> badChecksum = true;
        case ResponderEffect.CorruptPayload c -> corruptOffset = c.offset();
        case ResponderEffect.WrongIdentifier w -> wrongId = true;
        case ResponderEffect.WrongSequence w -> wrongSeq = true;
        case ResponderEffect.AnswerFrom f -> from = f.from();
        case ResponderEffect.Reorder r -> reorder = r;
        case ResponderEffect.SendError s -> error = s;
        case ResponderEffect.All all -> all.effects().forEach(this::apply);
      }
    }
  }

  /** A packet waiting for its send time. */
  @SuppressWarnings("ArrayRecordComponent") // never compared: only queued by due time and sent
  private record Pending(
      long due,
      long order,
      boolean ipv6,
      byte[] packet,
      byte[] dst,
      boolean delayed,
      InetAddress scripted) {}

  /** Answers held for reordering, per address. */
  private static final class Held {
    final List<Pending> packets = new ArrayList<>();
    long since;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The responder thread

  private int rx4 = -1, rx6 = -1, tx4 = -1, tx6 = -1;
  private final PriorityQueue<Pending> timers =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private final Map<InetAddress, Held> held = new HashMap<>();
  private final ArrayDeque<Pending> ready = new ArrayDeque<>();
  private long order;

  private void run() {
    try (Arena arena = Arena.ofConfined()) {
      try {
        Sys.enterNetworkNamespace("/var/run/netns/" + namespace);
        openSockets(arena);
        // Delays are promises: wake on time even on a loaded machine (best effort; the thread
        // mostly sleeps).
        if (!Sys.realtimeScheduling(10)) {
          System.err.println(
              "icmpecho-testkit: responder runs without SCHED_FIFO: delays may be late under load");
        }
      } catch (Throwable t) {
        failure = t;
        started.countDown();
        closeSockets();
        return;
      }
      started.countDown();
      try {
        loop(arena);
      } catch (Throwable t) {
        failure = t;
        System.err.println("icmpecho-testkit: responder in " + namespace + " died: " + t);
        t.printStackTrace();
      } finally {
        closeSockets();
      }
    }
  }

  private void openSockets(Arena arena) throws IOException {
    rx4 = Sys.socket(Sys.AF_INET, Sys.SOCK_RAW, Sys.IPPROTO_ICMP);
    // ICMP_FILTER: a set bit blocks that type; let only echo requests (8) through.
    Sys.setsockopt(
        rx4, Sys.SOL_RAW, Sys.ICMP_FILTER, arena.allocateFrom(ValueLayout.JAVA_INT, ~(1 << 8)));
    Sys.setsockoptInt(rx4, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, 8 << 20);
    Sys.setsockoptInt(rx4, Sys.SOL_SOCKET, Sys.SO_TIMESTAMPNS, 1);
    rx6 = Sys.socket(Sys.AF_INET6, Sys.SOCK_RAW, Sys.IPPROTO_ICMPV6);
    // ICMP6_FILTER: 256 bits, a set bit blocks; pass only echo requests (128).
    MemorySegment filter = arena.allocate(32, 4);
    for (int i = 0; i < 8; i++) filter.set(ValueLayout.JAVA_INT, i * 4L, -1);
    filter.set(ValueLayout.JAVA_INT, 4 * 4L, ~1); // type 128: word 128 / 32 = 4, bit 128 % 32 = 0
    Sys.setsockopt(rx6, Sys.IPPROTO_ICMPV6, Sys.ICMP6_FILTER, filter);
    Sys.setsockoptInt(rx6, Sys.IPPROTO_IPV6, Sys.IPV6_RECVPKTINFO, 1);
    Sys.setsockoptInt(rx6, Sys.IPPROTO_IPV6, Sys.IPV6_RECVHOPLIMIT, 1);
    Sys.setsockoptInt(rx6, Sys.SOL_SOCKET, Sys.SO_RCVBUFFORCE, 8 << 20);
    Sys.setsockoptInt(rx6, Sys.SOL_SOCKET, Sys.SO_TIMESTAMPNS, 1);
    tx4 = Sys.socket(Sys.AF_INET, Sys.SOCK_RAW, Sys.IPPROTO_RAW); // IPPROTO_RAW implies IP_HDRINCL
    Sys.setsockoptInt(tx4, Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, 8 << 20);
    tx6 =
        Sys.socket(Sys.AF_INET6, Sys.SOCK_RAW, Sys.IPPROTO_RAW); // header included on Linux >= 4.5
    Sys.setsockoptInt(tx6, Sys.SOL_SOCKET, Sys.SO_SNDBUFFORCE, 8 << 20);
  }

  private void closeSockets() {
    Sys.closeSocket(rx4);
    Sys.closeSocket(rx6);
    Sys.closeSocket(tx4);
    Sys.closeSocket(tx6);
    rx4 = rx6 = tx4 = tx6 = -1;
  }

  private void loop(Arena arena) throws IOException {
    MemorySegment pollfds = arena.allocate(16, 4);
    pollfds.set(ValueLayout.JAVA_INT, 0, rx4);
    pollfds.set(ValueLayout.JAVA_INT, 8, rx6);
    MemorySegment ts = arena.allocate(16, 8);
    byte[] buf = new byte[65536];
    MemorySegment data = arena.allocate(65536, 8);
    MemorySegment name = arena.allocate(128, 8);
    MemorySegment control = arena.allocate(256, 8);
    MemorySegment iov = arena.allocate(Sys.IOVEC);
    MemorySegment msg = arena.allocate(Sys.MSGHDR);
    MemorySegment out = arena.allocate(65600, 8);
    MemorySegment sa = arena.allocate(128, 8);
    Rx rx = new Rx();
    while (running) {
      long now = System.nanoTime();
      long wait = MAX_POLL_NANOS;
      Pending first = timers.peek();
      if (first != null) {
        long until = first.due - now;
        if (until <= SPIN_NANOS) {
          // The last stretch is spun, not slept: a sleeping thread wakes up to a few hundred
          // microseconds late.
          while (System.nanoTime() < first.due) Thread.onSpinWait();
          until = 0;
        } else {
          until -= SPIN_NANOS;
        }
        wait = Math.min(wait, until);
      }
      long holdDue = nextHoldDue();
      if (holdDue != Long.MAX_VALUE) wait = Math.max(0, Math.min(wait, holdDue - now));
      pollfds.set(ValueLayout.JAVA_SHORT, 4, (short) Sys.POLLIN);
      pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
      pollfds.set(ValueLayout.JAVA_SHORT, 12, (short) Sys.POLLIN);
      pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
      int n = Sys.ppoll(pollfds, 2, ts, wait);
      if (n < 0 && -n != Sys.EINTR) throw new IOException("ppoll failed: " + Sys.strerror(-n));
      if (n > 0) {
        for (int fam = 0; fam < 2; fam++) {
          int fd = fam == 0 ? rx4 : rx6;
          for (int burst = 0; burst < 512; burst++) {
            iov.set(ValueLayout.ADDRESS, 0, data);
            iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
            msg.fill((byte) 0);
            msg.set(ValueLayout.ADDRESS, 0, name);
            msg.set(ValueLayout.JAVA_INT, Sys.MSG_NAMELEN, (int) name.byteSize());
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1L);
            msg.set(ValueLayout.ADDRESS, 32, control);
            msg.set(ValueLayout.JAVA_LONG, Sys.MSG_CONTROLLEN, control.byteSize());
            long len = Sys.recvmsg(fd, msg, Sys.MSG_DONTWAIT);
            if (len < 0) {
              if (-len == Sys.EAGAIN || -len == Sys.EINTR) break;
              throw new IOException("recvmsg failed: " + Sys.strerror((int) -len));
            }
            long rxTime =
                kernelReceiveTime(control, msg.get(ValueLayout.JAVA_LONG, Sys.MSG_CONTROLLEN));
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, buf, 0, (int) len);
            boolean ok =
                fam == 0
                    ? rx.parse4(buf, (int) len)
                    : rx.parse6(
                        buf,
                        (int) len,
                        name,
                        control,
                        msg.get(ValueLayout.JAVA_LONG, Sys.MSG_CONTROLLEN));
            if (ok) {
              handle(rx, rxTime);
            } else {
              ignored.incrementAndGet();
            }
          }
        }
      }
      flushHolds(System.nanoTime(), false);
      now = System.nanoTime();
      while (!timers.isEmpty() && timers.peek().due <= now) ready.add(timers.poll());
      while (!ready.isEmpty()) send(ready.poll(), out, sa);
    }
  }

  /**
   * When the kernel received the packet ({@code SCM_TIMESTAMPNS}, wall clock), on the {@link
   * System#nanoTime()} clock; now when the timestamp is missing. Delays count from there, so the
   * responder's own wake-up latency does not add to them.
   */
  private static long kernelReceiveTime(MemorySegment control, long controlLen) {
    long nowNano = System.nanoTime();
    long off = 0;
    while (off + Sys.CMSG_HEADER <= controlLen) {
      long cmsgLen = control.get(ValueLayout.JAVA_LONG, off);
      if (cmsgLen < Sys.CMSG_HEADER) break;
      if (control.get(ValueLayout.JAVA_INT, off + 8) == Sys.SOL_SOCKET
          && control.get(ValueLayout.JAVA_INT, off + 12) == Sys.SCM_TIMESTAMPNS) {
        long sec = control.get(ValueLayout.JAVA_LONG, off + Sys.CMSG_HEADER);
        long nsec = control.get(ValueLayout.JAVA_LONG, off + Sys.CMSG_HEADER + 8);
        java.time.Instant wall = java.time.Instant.now();
        long age = (wall.getEpochSecond() - sec) * 1_000_000_000L + (wall.getNano() - nsec);
        return age > 0 && age < 1_000_000_000L ? nowNano - age : nowNano;
      }
      off += (cmsgLen + 7) & ~7L;
    }
    return nowNano;
  }

  /** One parsed echo request. */
  private static final class Rx {
    boolean ipv6;
    byte[] src;
    byte[] dst;
    byte[] ipHeader; // as received (IPv4) or rebuilt (IPv6)
    byte[] icmp; // the whole echo request message

    boolean parse4(byte[] b, int len) {
      if (len < 20 || (b[0] >> 4) != 4) return false;
      int ihl = (b[0] & 0x0f) * 4;
      if (ihl < 20 || len < ihl + 8 || b[9] != 1) return false;
      if ((b[ihl] & 0xff) != 8 || b[ihl + 1] != 0) return false;
      ipv6 = false;
      src = Arrays.copyOfRange(b, 12, 16);
      dst = Arrays.copyOfRange(b, 16, 20);
      ipHeader = Arrays.copyOfRange(b, 0, ihl);
      icmp = Arrays.copyOfRange(b, ihl, len);
      return true;
    }

    boolean parse6(byte[] b, int len, MemorySegment name, MemorySegment control, long controlLen) {
      if (len < 8 || (b[0] & 0xff) != 128 || b[1] != 0) return false;
      ipv6 = true;
      src = new byte[16];
      MemorySegment.copy(name, ValueLayout.JAVA_BYTE, 8, src, 0, 16);
      dst = null;
      int hopLimit = 64;
      long off = 0;
      while (off + Sys.CMSG_HEADER <= controlLen) {
        long cmsgLen = control.get(ValueLayout.JAVA_LONG, off);
        int level = control.get(ValueLayout.JAVA_INT, off + 8);
        int type = control.get(ValueLayout.JAVA_INT, off + 12);
        if (cmsgLen < Sys.CMSG_HEADER) break;
        if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_PKTINFO) {
          dst = new byte[16];
          MemorySegment.copy(control, ValueLayout.JAVA_BYTE, off + Sys.CMSG_HEADER, dst, 0, 16);
        } else if (level == Sys.IPPROTO_IPV6 && type == Sys.IPV6_HOPLIMIT) {
          hopLimit = control.get(ValueLayout.JAVA_INT, off + Sys.CMSG_HEADER);
        }
        off += (cmsgLen + 7) & ~7L;
      }
      if (dst == null) return false;
      icmp = Arrays.copyOf(b, len);
      ipHeader = ipv6Header(src, dst, len, hopLimit);
      return true;
    }
  }

  private void handle(Rx rx, long rxTime) throws UnknownHostException {
    requests.incrementAndGet();
    InetAddress dstAddr = InetAddress.getByAddress(rx.dst);
    Script script = scripts.get(dstAddr);
    ResponderEffect effect = (script != null ? script : defaultScript).next();
    Plan plan = new Plan();
    plan.apply(effect);
    if (plan.drop) {
      dropped.incrementAndGet();
      return;
    }
    byte[] src = plan.from != null ? plan.from.getAddress() : rx.dst;
    byte[] packet;
    if (plan.error != null) {
      byte[] errSrc = plan.error.from() != null ? plan.error.from().getAddress() : rx.dst;
      packet = rx.ipv6 ? error6(rx, plan.error, errSrc) : error4(rx, plan.error, errSrc);
    } else {
      packet = rx.ipv6 ? reply6(rx, plan, src) : reply4(rx, plan, src);
    }
    long due = rxTime + plan.delayNanos;
    for (int i = 0; i < plan.copies; i++) {
      Pending p = new Pending(due, order++, rx.ipv6, packet, rx.src, plan.delayNanos > 0, dstAddr);
      if (plan.reorder != null) {
        Held h = held.computeIfAbsent(dstAddr, k -> new Held());
        if (h.packets.isEmpty()) h.since = rxTime;
        h.packets.add(p);
        if (h.packets.size() >= plan.reorder.depth()) release(h);
      } else if (plan.delayNanos == 0) {
        ready.add(p);
      } else {
        timers.add(p);
      }
    }
    if (plan.reorder != null) reorderMaxHold.put(dstAddr, plan.reorder.maxHold().toNanos());
  }

  private final Map<InetAddress, Long> reorderMaxHold = new HashMap<>();

  private long nextHoldDue() {
    long due = Long.MAX_VALUE;
    for (Map.Entry<InetAddress, Held> e : held.entrySet()) {
      if (!e.getValue().packets.isEmpty()) {
        due = Math.min(due, e.getValue().since + reorderMaxHold.getOrDefault(e.getKey(), 0L));
      }
    }
    return due;
  }

  private void flushHolds(long now, boolean all) {
    for (Map.Entry<InetAddress, Held> e : held.entrySet()) {
      Held h = e.getValue();
      if (!h.packets.isEmpty()
          && (all || now - h.since >= reorderMaxHold.getOrDefault(e.getKey(), 0L))) {
        release(h);
      }
    }
  }

  /** Sends the held answers newest first. */
  private void release(Held h) {
    long now = System.nanoTime();
    for (int i = h.packets.size() - 1; i >= 0; i--) {
      Pending p = h.packets.get(i);
      Pending q =
          new Pending(Math.max(now, p.due), order++, p.ipv6, p.packet, p.dst, false, p.scripted);
      if (q.due <= now) ready.add(q);
      else timers.add(q);
    }
    h.packets.clear();
  }

  private void send(Pending p, MemorySegment out, MemorySegment sa) {
    MemorySegment.copy(p.packet, 0, out, ValueLayout.JAVA_BYTE, 0, p.packet.length);
    int saLen;
    sa.fill((byte) 0);
    if (p.ipv6) {
      sa.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET6);
      MemorySegment.copy(p.dst, 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
      saLen = 28;
    } else {
      sa.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET);
      MemorySegment.copy(p.dst, 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
      saLen = 16;
    }
    long n = Sys.sendto(p.ipv6 ? tx6 : tx4, out, p.packet.length, sa, saLen);
    if (p.delayed) {
      long late = System.nanoTime() - p.due;
      delayedSent.incrementAndGet();
      latenessSum.addAndGet(late);
      latenessMax.accumulateAndGet(late, Math::max);
      lateness.put(p.scripted, late);
    }
    if (n < 0) {
      sendFailures.incrementAndGet();
      return;
    }
    int type = p.ipv6 ? p.packet[40] & 0xff : p.packet[20] & 0xff;
    if (type == 0 || type == 129) repliesSent.incrementAndGet();
    else errorsSent.incrementAndGet();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Packet building (RFC 791 / 8200 headers, RFC 792 / 4443 messages, RFC 1071 checksums)

  private static byte[] reply4(Rx rx, Plan plan, byte[] src) {
    byte[] icmp = rx.icmp.clone();
    icmp[0] = 0; // echo reply
    icmp[1] = 0;
    mutate(icmp, plan);
    setChecksum4(icmp, plan.badChecksum);
    byte[] p = ipv4Packet(src, rx.src, icmp);
    // The request's DF bit comes back, as from hosts that echo it (Linux does not): a raw client
    // can see it.
    p[6] |= (byte) (rx.ipHeader[6] & 0x40);
    p[10] = 0;
    p[11] = 0;
    int sum = checksum(p, 0, 20, 0);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    return p;
  }

  private static byte[] reply6(Rx rx, Plan plan, byte[] src) {
    byte[] icmp = rx.icmp.clone();
    icmp[0] = (byte) 129;
    icmp[1] = 0;
    mutate(icmp, plan);
    setChecksum6(icmp, src, rx.src, plan.badChecksum);
    return ipv6Packet(src, rx.src, icmp);
  }

  private static void mutate(byte[] icmp, Plan plan) {
    if (plan.wrongId) {
      icmp[4] ^= 0x55;
      icmp[5] ^= 0x55;
    }
    if (plan.wrongSeq) icmp[6] ^= (byte) 0x80;
    if (plan.corruptOffset != null) {
      int payload = icmp.length - 8;
      int at = plan.corruptOffset >= 0 ? plan.corruptOffset : payload + plan.corruptOffset;
      if (at >= 0 && at < payload) icmp[8 + at] ^= (byte) 0xff;
    }
  }

  private static byte[] error4(Rx rx, ResponderEffect.SendError e, byte[] src) {
    int quote = Math.min(rx.ipHeader.length + rx.icmp.length, V4_ERROR_LIMIT - 20 - 8);
    byte[] icmp = new byte[8 + quote];
    icmp[0] = (byte) e.type();
    icmp[1] = (byte) e.code();
    if (e.type() == 12) {
      icmp[4] = (byte) e.info(); // pointer
    } else if (e.type() == 3 && e.code() == 4) {
      icmp[6] = (byte) (e.info() >> 8); // next-hop MTU (RFC 1191)
      icmp[7] = (byte) e.info();
    } else {
      putInt(icmp, 4, e.info());
    }
    byte[] original = concat(rx.ipHeader, rx.icmp);
    System.arraycopy(original, 0, icmp, 8, quote);
    setChecksum4(icmp, false);
    return ipv4Packet(src, rx.src, icmp);
  }

  private static byte[] error6(Rx rx, ResponderEffect.SendError e, byte[] src) {
    int quote = Math.min(rx.ipHeader.length + rx.icmp.length, V6_ERROR_LIMIT - 40 - 8);
    byte[] icmp = new byte[8 + quote];
    icmp[0] = (byte) e.type();
    icmp[1] = (byte) e.code();
    putInt(icmp, 4, e.info());
    byte[] original = concat(rx.ipHeader, rx.icmp);
    System.arraycopy(original, 0, icmp, 8, quote);
    setChecksum6(icmp, src, rx.src, false);
    return ipv6Packet(src, rx.src, icmp);
  }

  private static byte[] ipv4Packet(byte[] src, byte[] dst, byte[] icmp) {
    byte[] p = new byte[20 + icmp.length];
    p[0] = 0x45;
    int total = p.length;
    p[2] = (byte) (total >> 8);
    p[3] = (byte) total;
    p[8] = (byte) REPLY_TTL;
    p[9] = 1; // ICMP
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int sum = checksum(p, 0, 20, 0);
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    System.arraycopy(icmp, 0, p, 20, icmp.length);
    return p;
  }

  private static byte[] ipv6Packet(byte[] src, byte[] dst, byte[] icmp) {
    byte[] p = ipv6Header(src, dst, icmp.length, REPLY_TTL);
    return concat(p, icmp);
  }

  private static byte[] ipv6Header(byte[] src, byte[] dst, int payloadLength, int hopLimit) {
    byte[] h = new byte[40];
    h[0] = 0x60;
    h[4] = (byte) (payloadLength >> 8);
    h[5] = (byte) payloadLength;
    h[6] = 58; // ICMPv6
    h[7] = (byte) hopLimit;
    System.arraycopy(src, 0, h, 8, 16);
    System.arraycopy(dst, 0, h, 24, 16);
    return h;
  }

  private static void setChecksum4(byte[] icmp, boolean corrupt) {
    icmp[2] = 0;
    icmp[3] = 0;
    int sum = checksum(icmp, 0, icmp.length, 0);
    if (corrupt) sum ^= 0x5a5a;
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
  }

  private static void setChecksum6(byte[] icmp, byte[] src, byte[] dst, boolean corrupt) {
    icmp[2] = 0;
    icmp[3] = 0;
    byte[] pseudo = new byte[40];
    System.arraycopy(src, 0, pseudo, 0, 16);
    System.arraycopy(dst, 0, pseudo, 16, 16);
    putInt(pseudo, 32, icmp.length);
    pseudo[39] = 58;
    long partial = sum16(pseudo, 0, 40, 0);
    int sum = checksum(icmp, 0, icmp.length, partial);
    if (corrupt) sum ^= 0x5a5a;
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
  }

  private static long sum16(byte[] b, int off, int len, long acc) {
    int i = off;
    for (; i + 1 < off + len; i += 2) acc += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    if (i < off + len) acc += (b[i] & 0xff) << 8;
    return acc;
  }

  /** RFC 1071 Internet checksum of {@code b[off, off+len)} plus an already summed part. */
  static int checksum(byte[] b, int off, int len, long partial) {
    long acc = sum16(b, off, len, partial);
    while ((acc >> 16) != 0) acc = (acc & 0xffff) + (acc >> 16);
    return (int) (~acc & 0xffff);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >> 24);
    b[off + 1] = (byte) (v >> 16);
    b[off + 2] = (byte) (v >> 8);
    b[off + 3] = (byte) v;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
