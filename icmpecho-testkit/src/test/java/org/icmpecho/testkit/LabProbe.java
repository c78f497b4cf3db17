package org.icmpecho.testkit;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.icmpecho.testkit.internal.Sys;

/**
 * A minimal prober independent of the engine, for the lab's self-tests: sends echo requests from a
 * namespace through a header-included raw socket and collects every ICMP packet that answers them
 * (echo replies with the probe's identifier, errors quoting it) until the deadline. Runs on its own
 * platform thread (setns).
 */
final class LabProbe {
  private LabProbe() {}

  /**
   * For the prober's own test: how long the probing thread sleeps once its requests are sent, as a
   * loaded machine may leave it unscheduled past its deadline.
   */
  static volatile Duration stallAfterSend = Duration.ZERO;

  /** One ICMP packet received for a probe. */
  record Answer(
      int type,
      int code,
      InetAddress from,
      int id,
      int seq,
      long rttNanos,
      int info,
      boolean checksumOk,
      byte[] payload) {
    @Override
    public String toString() {
      return "Answer["
          + type
          + "/"
          + code
          + " from "
          + from.getHostAddress()
          + " id="
          + id
          + " seq="
          + seq
          + " rtt="
          + rttNanos / 1000
          + "us info="
          + info
          + (checksumOk ? "" : " BAD-CHECKSUM")
          + "]";
    }
  }

  /** One probe: the identifier used and what came back. */
  record Result(int id, List<Answer> answers) {
    Answer first() {
      return answers.isEmpty() ? null : answers.get(0);
    }
  }

  static Result probe(
      String ns,
      InetAddress src,
      InetAddress dst,
      int ttl,
      int payloadSize,
      boolean df,
      Duration wait)
      throws Exception {
    return probeMany(ns, src, dst, ttl, payloadSize, df, 1, 1, wait);
  }

  /**
   * Sends {@code count} requests (seq 1..count, same id) at once and collects the answers the
   * kernel received within {@code wait}, or until {@code expect} answers came.
   */
  static Result probeMany(
      String ns,
      InetAddress src,
      InetAddress dst,
      int ttl,
      int payloadSize,
      boolean df,
      int count,
      int expect,
      Duration wait)
      throws Exception {
    AtomicReference<Result> out = new AtomicReference<>();
    AtomicReference<Throwable> err = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .name("lab-probe")
            .start(
                () -> {
                  try {
                    out.set(run(ns, src, dst, ttl, payloadSize, df, count, expect, wait));
                  } catch (Throwable e) {
                    err.set(e);
                  }
                });
    t.join(wait.toMillis() + 10_000);
    if (err.get() != null) throw new ExecutionException(err.get());
    return out.get();
  }

  private static Result run(
      String ns,
      InetAddress src,
      InetAddress dst,
      int ttl,
      int payloadSize,
      boolean df,
      int count,
      int expect,
      Duration wait)
      throws IOException {
    Sys.enterNetworkNamespace("/var/run/netns/" + ns);
    boolean v6 = !(dst instanceof Inet4Address);
    int id = ThreadLocalRandom.current().nextInt(1, 65535);
    int rx =
        Sys.socket(
            v6 ? Sys.AF_INET6 : Sys.AF_INET,
            Sys.SOCK_RAW,
            v6 ? Sys.IPPROTO_ICMPV6 : Sys.IPPROTO_ICMP);
    int tx = -1;
    List<Answer> answers = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      tx = Sys.socket(v6 ? Sys.AF_INET6 : Sys.AF_INET, Sys.SOCK_RAW, Sys.IPPROTO_RAW);
      Sys.setsockoptInt(rx, Sys.SOL_SOCKET, Sys.SO_TIMESTAMPNS, 1);
      long[] sent = new long[count + 1];
      for (int seq = 1; seq <= count; seq++) {
        byte[] icmp = new byte[8 + payloadSize];
        icmp[0] = (byte) (v6 ? 128 : 8);
        icmp[4] = (byte) (id >> 8);
        icmp[5] = (byte) id;
        icmp[6] = (byte) (seq >> 8);
        icmp[7] = (byte) seq;
        for (int i = 0; i < payloadSize; i++) icmp[8 + i] = (byte) i;
        byte[] packet =
            v6
                ? packet6(src.getAddress(), dst.getAddress(), icmp, ttl)
                : packet4(src.getAddress(), dst.getAddress(), icmp, ttl, df);
        MemorySegment buf = arena.allocate(packet.length);
        MemorySegment.copy(packet, 0, buf, ValueLayout.JAVA_BYTE, 0, packet.length);
        MemorySegment sa = sockaddr(arena, dst);
        sent[seq] = wallNanos();
        long n = Sys.sendto(tx, buf, packet.length, sa, (int) sa.byteSize());
        if (n < 0) throw new IOException("sendto: " + Sys.strerror((int) -n));
      }
      long deadline = System.nanoTime() + wait.toNanos();
      // What came within the wait is decided by the kernel's receive time, not by when this thread
      // got to read it: on a loaded machine it may wake after the deadline, the answers queued.
      long wallDeadline = wallNanos() + wait.toNanos();
      Duration stall = stallAfterSend;
      if (!stall.isZero()) {
        try {
          Thread.sleep(stall);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      MemorySegment pollfd = arena.allocate(8, 4);
      MemorySegment ts = arena.allocate(16, 8);
      MemorySegment data = arena.allocate(65536);
      MemorySegment name = arena.allocate(128);
      MemorySegment iov = arena.allocate(Sys.IOVEC);
      MemorySegment msg = arena.allocate(Sys.MSGHDR);
      MemorySegment control = arena.allocate(256, 8);
      while (answers.size() < expect) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          pollfd.set(ValueLayout.JAVA_INT, 0, rx);
          pollfd.set(ValueLayout.JAVA_SHORT, 4, (short) Sys.POLLIN);
          pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
          if (Sys.ppoll(pollfd, 1, ts, left) <= 0) continue;
        }
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
        msg.fill((byte) 0);
        msg.set(ValueLayout.ADDRESS, 0, name);
        msg.set(ValueLayout.JAVA_INT, 8, 128);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, 1L);
        msg.set(ValueLayout.ADDRESS, 32, control);
        msg.set(ValueLayout.JAVA_LONG, 40, 256L);
        long len = Sys.recvmsg(rx, msg, Sys.MSG_DONTWAIT);
        if (len <= 0) {
          if (left <= 0) break; // past the deadline, and nothing more is queued
          continue;
        }
        long now = kernelTime(control, msg.get(ValueLayout.JAVA_LONG, 40));
        if (now - wallDeadline > 0) {
          if (left <= 0) break; // received after the wait, and so is all that is queued behind
          continue;
        }
        byte[] b = new byte[(int) len];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, b, 0, b.length);
        Answer a = v6 ? parse6(b, name, id, sent, now) : parse4(b, id, sent, now);
        if (a != null) answers.add(a);
      }
    } finally {
      Sys.closeSocket(rx);
      Sys.closeSocket(tx);
    }
    return new Result(id, answers);
  }

  private static Answer parse4(byte[] b, int id, long[] sent, long now) throws IOException {
    int ihl = (b[0] & 0xf) * 4;
    byte[] icmp = Arrays.copyOfRange(b, ihl, b.length);
    InetAddress from = InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
    int type = icmp[0] & 0xff;
    boolean ok = ResponderPackets.checksum(icmp, 0, icmp.length, 0) == 0;
    if (type == 0) {
      int rid = u16(icmp, 4), seq = u16(icmp, 6);
      if (rid != id && rid != (id ^ 0x5555)) return null;
      return new Answer(
          type,
          icmp[1] & 0xff,
          from,
          rid,
          seq,
          rtt(sent, seq, now),
          0,
          ok,
          Arrays.copyOfRange(icmp, 8, icmp.length));
    }
    if (type == 8 || icmp.length < 8 + 20 + 8) return null;
    int qihl = (icmp[8] & 0xf) * 4;
    int q = 8 + qihl;
    if (icmp.length < q + 8 || icmp[q] != 8 || u16(icmp, q + 4) != id) return null;
    int seq = u16(icmp, q + 6);
    int info = type == 3 && icmp[1] == 4 ? u16(icmp, 6) : type == 12 ? icmp[4] & 0xff : 0;
    return new Answer(type, icmp[1] & 0xff, from, id, seq, rtt(sent, seq, now), info, ok, null);
  }

  private static Answer parse6(byte[] icmp, MemorySegment name, int id, long[] sent, long now)
      throws IOException {
    byte[] fromBytes = new byte[16];
    MemorySegment.copy(name, ValueLayout.JAVA_BYTE, 8, fromBytes, 0, 16);
    InetAddress from = InetAddress.getByAddress(fromBytes);
    int type = icmp[0] & 0xff;
    if (type == 129) {
      int rid = u16(icmp, 4), seq = u16(icmp, 6);
      if (rid != id && rid != (id ^ 0x5555)) return null;
      return new Answer(
          type,
          icmp[1] & 0xff,
          from,
          rid,
          seq,
          rtt(sent, seq, now),
          0,
          true,
          Arrays.copyOfRange(icmp, 8, icmp.length));
    }
    if (type >= 128 || icmp.length < 8 + 40 + 8) return null;
    int q = 8 + 40;
    if ((icmp[q] & 0xff) != 128 || u16(icmp, q + 4) != id) return null;
    int seq = u16(icmp, q + 6);
    int info =
        ((icmp[4] & 0xff) << 24)
            | ((icmp[5] & 0xff) << 16)
            | ((icmp[6] & 0xff) << 8)
            | (icmp[7] & 0xff);
    return new Answer(type, icmp[1] & 0xff, from, id, seq, rtt(sent, seq, now), info, true, null);
  }

  private static long wallNanos() {
    java.time.Instant i = java.time.Instant.now();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** The kernel's receive timestamp (SCM_TIMESTAMPNS, wall clock ns), or now. */
  private static long kernelTime(MemorySegment control, long len) {
    for (long off = 0; off + 16 <= len; ) {
      long cl = control.get(ValueLayout.JAVA_LONG, off);
      if (cl < 16) break;
      if (control.get(ValueLayout.JAVA_INT, off + 8) == Sys.SOL_SOCKET
          && control.get(ValueLayout.JAVA_INT, off + 12) == Sys.SCM_TIMESTAMPNS) {
        return control.get(ValueLayout.JAVA_LONG, off + 16) * 1_000_000_000L
            + control.get(ValueLayout.JAVA_LONG, off + 24);
      }
      off += (cl + 7) & ~7L;
    }
    return wallNanos();
  }

  private static long rtt(long[] sent, int seq, long now) {
    return seq >= 1 && seq < sent.length ? now - sent[seq] : -1;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static MemorySegment sockaddr(Arena arena, InetAddress dst) {
    if (dst instanceof Inet4Address) {
      MemorySegment sa = arena.allocate(16);
      sa.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET);
      MemorySegment.copy(dst.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 4, 4);
      return sa;
    }
    MemorySegment sa = arena.allocate(28);
    sa.set(ValueLayout.JAVA_SHORT, 0, (short) Sys.AF_INET6);
    MemorySegment.copy(dst.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, 8, 16);
    return sa;
  }

  private static byte[] packet4(byte[] src, byte[] dst, byte[] icmp, int ttl, boolean df) {
    int sum = ResponderPackets.checksum(icmp, 0, icmp.length, 0);
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
    byte[] p = new byte[20 + icmp.length];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    if (df) p[6] = 0x40;
    p[8] = (byte) ttl;
    p[9] = 1;
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    System.arraycopy(icmp, 0, p, 20, icmp.length);
    return p;
  }

  private static byte[] packet6(byte[] src, byte[] dst, byte[] icmp, int hops) {
    byte[] pseudo = new byte[40 + icmp.length];
    System.arraycopy(src, 0, pseudo, 0, 16);
    System.arraycopy(dst, 0, pseudo, 16, 16);
    pseudo[34] = (byte) (icmp.length >> 8);
    pseudo[35] = (byte) icmp.length;
    pseudo[39] = 58;
    System.arraycopy(icmp, 0, pseudo, 40, icmp.length);
    int sum = ResponderPackets.checksum(pseudo, 0, pseudo.length, 0);
    icmp[2] = (byte) (sum >> 8);
    icmp[3] = (byte) sum;
    byte[] p = new byte[40 + icmp.length];
    p[0] = 0x60;
    p[4] = (byte) (icmp.length >> 8);
    p[5] = (byte) icmp.length;
    p[6] = 58;
    p[7] = (byte) hops;
    System.arraycopy(src, 0, p, 8, 16);
    System.arraycopy(dst, 0, p, 24, 16);
    System.arraycopy(icmp, 0, p, 40, icmp.length);
    return p;
  }
}
