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
  private volatile Map<HoldKey, Long> holds;

  private record HoldKey(InetAddress address, int sequence) {}

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
   * From now on, remembers for every answer how long it was held here: from the kernel's receipt of
   * its request to its send, scripted delay included. The responder is a thread of the test's JVM,
   * so the JVM's pauses (GC) hold answers too; a test that counts timeouts can tell those apart.
   */
  public ScriptedResponder recordHolds() {
    if (holds == null) holds = new ConcurrentHashMap<>();
    return this;
  }

  /**
   * How long (ns) the first answer to the request for {@code address} with ICMP sequence {@code
   * sequence} was held here (see {@link #recordHolds}); -1 when none was sent (yet).
   */
  public long heldNanos(InetAddress address, int sequence) {
    Map<HoldKey, Long> h = holds;
    Long v = h == null ? null : h.get(new HoldKey(address, sequence & 0xffff));
    return v == null ? -1 : v;
  }

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

  /** A packet waiting for its send time. */
  @SuppressWarnings("ArrayRecordComponent") // never compared: only queued by due time and sent
  private record Pending(
      long due,
      long order,
      boolean ipv6,
      byte[] packet,
      byte[] dst,
      boolean delayed,
      InetAddress scripted,
      long rxTime,
      int sequence) {}

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
    ResponderPackets.Request rx = new ResponderPackets.Request();
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
                    : parse6(
                        rx,
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

  /** Reads an ICMPv6 request's addresses and hop limit from the socket's name and control data. */
  private static boolean parse6(
      ResponderPackets.Request rx,
      byte[] b,
      int len,
      MemorySegment name,
      MemorySegment control,
      long controlLen) {
    byte[] src = new byte[16];
    MemorySegment.copy(name, ValueLayout.JAVA_BYTE, 8, src, 0, 16);
    byte[] dst = null;
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
    return rx.set6(b, len, src, dst, hopLimit);
  }

  private void handle(ResponderPackets.Request rx, long rxTime) throws UnknownHostException {
    requests.incrementAndGet();
    InetAddress dstAddr = InetAddress.getByAddress(rx.dst);
    Script script = scripts.get(dstAddr);
    ResponderEffect effect = (script != null ? script : defaultScript).next();
    ResponderPackets.Plan plan = new ResponderPackets.Plan();
    plan.apply(effect);
    if (plan.drop) {
      dropped.incrementAndGet();
      return;
    }
    byte[] src = plan.from != null ? plan.from.getAddress() : rx.dst;
    byte[] packet;
    if (plan.error != null) {
      byte[] errSrc = plan.error.from() != null ? plan.error.from().getAddress() : rx.dst;
      packet =
          rx.ipv6
              ? ResponderPackets.error6(rx, plan.error, errSrc)
              : ResponderPackets.error4(rx, plan.error, errSrc);
    } else {
      packet =
          rx.ipv6 ? ResponderPackets.reply6(rx, plan, src) : ResponderPackets.reply4(rx, plan, src);
    }
    long due = rxTime + plan.delayNanos;
    for (int i = 0; i < plan.copies; i++) {
      Pending p =
          new Pending(
              due,
              order++,
              rx.ipv6,
              packet,
              rx.src,
              plan.delayNanos > 0,
              dstAddr,
              rxTime,
              ((rx.icmp[6] & 0xff) << 8) | (rx.icmp[7] & 0xff));
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
          new Pending(
              Math.max(now, p.due),
              order++,
              p.ipv6,
              p.packet,
              p.dst,
              false,
              p.scripted,
              p.rxTime,
              p.sequence);
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
    Map<HoldKey, Long> h = holds;
    if (h != null) {
      var _ = h.putIfAbsent(new HoldKey(p.scripted, p.sequence), System.nanoTime() - p.rxTime);
    }
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
}
