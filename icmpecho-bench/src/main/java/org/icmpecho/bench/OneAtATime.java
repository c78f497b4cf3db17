package org.icmpecho.bench;

import static org.icmpecho.bench.Driver.client;
import static org.icmpecho.bench.Driver.cpuNanos;
import static org.icmpecho.bench.Driver.d;
import static org.icmpecho.bench.Driver.i;
import static org.icmpecho.bench.Driver.requests;
import static org.icmpecho.bench.Driver.result;
import static org.icmpecho.bench.Driver.s;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.internal.InternalAccess;
import org.icmpecho.internal.packet.Packet;
import org.icmpecho.internal.transport.Channel;
import org.icmpecho.internal.transport.ChannelKey;
import org.icmpecho.internal.transport.SendOptions;
import org.icmpecho.internal.transport.SocketKind;

/**
 * {@link Driver}'s one-at-a-time modes: {@code sync} ({@code echo()}, or {@code echoAsync} and a
 * spin), {@code direct} (the engine's own {@link Channel} driven by the calling thread: the floor
 * under {@code echo()}) and {@code rtt} (every RTT, against iputils {@code ping}).
 */
final class OneAtATime {

  private OneAtATime() {}

  // ---------------------------------------------------------------- one at a time

  static void sync(Map<String, String> o) throws Exception {
    String variant = s(o, "variant", "get");
    double seconds = d(o, "seconds", 3);
    double warmup = d(o, "warmup", 1);
    long max = Long.parseLong(s(o, "max", "2000000"));
    EchoRequest req = requests(o, 1)[0];
    long[] rtts = new long[1 << 20];
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
      while (System.nanoTime() < warmEnd) once(client, req, variant);
      long n = 0, ok = 0;
      long c0 = cpuNanos(), t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
      while (n < max && ((n & 63) != 0 || System.nanoTime() < end)) {
        EchoResult r = once(client, req, variant);
        if (r instanceof EchoResult.Reply rep) {
          if (ok < rtts.length) rtts[(int) ok] = rep.rtt().toNanos();
          ok++;
        }
        n++;
      }
      long t1 = System.nanoTime(), c1 = cpuNanos();
      double secs = (t1 - t0) / 1e9;
      long[] s = Arrays.copyOf(rtts, (int) Math.min(ok, rtts.length));
      Arrays.sort(s);
      result(
          "sync",
          "variant",
          variant,
          "executor",
          s(o, "executor", "default"),
          "rate",
          Math.round(ok / secs),
          "us_per_rt",
          secs * 1e6 / Math.max(1, ok),
          "cpu_us_per_rt",
          (c1 - c0) / 1e3 / Math.max(1, ok),
          "rtt_median_us",
          s.length == 0 ? 0.0 : s[s.length / 2] / 1e3,
          "replies",
          ok,
          "sent",
          n);
    }
  }

  static EchoResult once(IcmpClient client, EchoRequest req, String variant) throws Exception {
    if ("get".equals(variant)) return client.echo(req);
    CompletableFuture<EchoResult> f = client.echoAsync(req);
    // Spin-then-park prototype of echo(): spin up to ~50 µs, then block.
    long spinEnd = System.nanoTime() + 50_000;
    while (!f.isDone() && System.nanoTime() < spinEnd) Thread.onSpinWait();
    return f.get(5, TimeUnit.SECONDS);
  }

  // --------------------------------------------------------- PROTOTYPE: caller-runs, no I/O thread

  /**
   * The engine's own {@link Channel} (socket, FFM send, {@code recvmmsg}, codec) driven by the
   * calling thread: the cost of one round trip when no hand-off happens at all. This is the ceiling
   * of a caller-runs fast path in {@code IcmpClient.echo()}.
   */
  static void direct(Map<String, String> o) throws Exception {
    double seconds = d(o, "seconds", 3);
    long max = Long.parseLong(s(o, "max", "2000000"));
    EchoRequest req = requests(o, 1)[0];
    Channel ch =
        InternalAccess.systemTransport()
            .open(
                new ChannelKey(false, null, null, 0),
                SocketKind.valueOf(s(o, "mode", "auto").toUpperCase(Locale.ROOT)),
                4 << 20);
    byte[] payload = new byte[req.payloadSize()];
    for (int k = 0; k < payload.length; k++) payload[k] = (byte) k;
    long[] got = new long[2]; // [0] = replies seen, [1] = last rx time
    int[] wantSeq = new int[1];
    Channel.PacketSink sink =
        (c, p) -> {
          if (p.kind == Packet.ECHO_REPLY && p.sequence == wantSeq[0]) {
            got[0]++;
            got[1] = p.rxTime;
          }
        };
    try {
      long lost = 0;
      long[] rtts = new long[1 << 20];
      long t0 = 0, c0 = 0, end = Long.MAX_VALUE;
      long warmEnd = System.nanoTime() + 1_000_000_000L;
      boolean measuring = false;
      long rt = 0;
      for (long k = 0; k < max + 5_000_000L; k++) {
        if (!measuring && System.nanoTime() >= warmEnd) {
          measuring = true;
          t0 = System.nanoTime();
          c0 = cpuNanos();
          end = t0 + (long) (seconds * 1e9);
        }
        if (measuring && (rt >= max || System.nanoTime() >= end)) break;
        int seq = (int) (k & 0xffff);
        wantSeq[0] = seq;
        long before = got[0];
        if (ch.send(SendOptions.PLAIN, req.target(), 0, seq, payload, payload.length)
            != Channel.SENT) {
          throw new IllegalStateException("send failed");
        }
        long sentAt = ch.lastSendTime();
        long giveUp = System.nanoTime() + 100_000_000L;
        while (got[0] == before && System.nanoTime() < giveUp) ch.receive(sink, 64, false);
        if (got[0] == before) {
          lost++;
          continue;
        }
        if (measuring) {
          if (rt < rtts.length) rtts[(int) rt] = got[1] - sentAt;
          rt++;
        }
      }
      long t1 = System.nanoTime(), c1 = cpuNanos();
      double secs = (t1 - t0) / 1e9;
      long[] s = Arrays.copyOf(rtts, (int) Math.min(rt, rtts.length));
      Arrays.sort(s);
      result(
          "direct",
          "rate",
          Math.round(rt / secs),
          "us_per_rt",
          secs * 1e6 / Math.max(1, rt),
          "cpu_us_per_rt",
          (c1 - c0) / 1e3 / Math.max(1, rt),
          "rtt_median_us",
          s.length == 0 ? 0.0 : s[s.length / 2] / 1e3,
          "replies",
          rt,
          "lost",
          lost,
          "socket",
          ch.kind());
    } finally {
      ch.close();
    }
  }

  // ---------------------------------------------------------------- RTT precision

  static void rtt(Map<String, String> o) throws Exception {
    int count = i(o, "count", 400);
    double interval = d(o, "interval-ms", 5);
    EchoRequest req = requests(o, 1)[0];
    long[] rtts = new long[count];
    int ok = 0;
    try (IcmpClient client = client(o)) {
      client.socketMode(java.net.StandardProtocolFamily.INET);
      // Warm the path until the JIT has compiled it (an interpreted send path puts tens of µs
      // between the clock read and sendmsg): back to back for ~2 s, bounded by count. Not measured.
      long warmEnd = System.nanoTime() + (long) (d(o, "warmup", 2) * 1e9);
      for (int k = 0; k < 400_000 && System.nanoTime() < warmEnd; k++) client.echo(req);
      long next = System.nanoTime();
      for (int k = 0; k < count; k++) {
        next += (long) (interval * 1e6);
        if (client.echo(req) instanceof EchoResult.Reply r) rtts[ok++] = r.rtt().toNanos();
        long wait = next - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    long[] s = Arrays.copyOf(rtts, ok);
    Arrays.sort(s);
    StringBuilder all = new StringBuilder();
    for (int k = 0; k < ok; k++)
      all.append(k == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", rtts[k] / 1e3));
    System.out.println("RTTS_US " + all);
    result(
        "rtt",
        "count",
        ok,
        "median_us",
        ok == 0 ? 0.0 : s[ok / 2] / 1e3,
        "p10_us",
        ok == 0 ? 0.0 : s[ok / 10] / 1e3,
        "p90_us",
        ok == 0 ? 0.0 : s[ok * 9 / 10] / 1e3);
  }
}
