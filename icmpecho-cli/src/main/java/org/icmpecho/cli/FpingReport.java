package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.icmpecho.EchoResult;

/**
 * What fping prints besides the per-echo lines: the end (unreachable targets, per-target summaries,
 * {@code -C} lists, {@code -o} outage, {@code -s} totals, {@code -x} verdict, the exit status), the
 * {@code -Q} interval reports and SIGQUIT snapshots, netdata charts ({@code -N}), {@code -D}
 * timestamps, and icmpecho's {@code --json} lines.
 */
final class FpingReport {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final FpingOptions o;
  private final FpingLoop s;
  private final FpingLoop.Host[] hosts;
  private final int width;
  private final PrintWriter out, err;
  private boolean chartsSent;

  FpingReport(
      FpingOptions o,
      FpingLoop s,
      FpingLoop.Host[] hosts,
      int width,
      PrintWriter out,
      PrintWriter err) {
    this.o = o;
    this.s = s;
    this.hosts = hosts;
    this.width = width;
    this.out = out;
    this.err = err;
  }

  /** fping's {@code %-*s}: the label padded to the longest one. */
  StringBuilder padded(StringBuilder sb, int h) {
    String l = hosts[h].label();
    sb.append(l);
    for (int i = l.length(); i < width; i++) sb.append(' ');
    return sb;
  }

  /** {@code -D}: {@code [1733550000.12345] }, seconds since the epoch with five decimals. */
  void stamp(StringBuilder sb) {
    Instant t = Instant.now();
    sb.append('[').append(t.getEpochSecond()).append('.');
    String frac = Long.toString(100_000L + t.getNano() / 10_000);
    sb.append(frac, 1, 6).append("] ");
  }

  /** {@code 0% loss} or, when more replies than echoes came, {@code 200% return}. */
  StringBuilder lossOrReturn(StringBuilder sb, int h) {
    if (s.recv[h] <= s.sent[h])
      return sb.append((s.sent[h] - s.recv[h]) * 100 / s.sent[h]).append("% loss");
    return sb.append(s.recvTotal[h] * 100 / s.sent[h]).append("% return");
  }

  /** The end of the run: prints what fping prints and returns its exit status. */
  int finish(long elapsedNanos) {
    int unreachable = 0;
    for (int h = 0; h < hosts.length; h++) {
      if (s.recv[h] > 0) continue;
      unreachable++;
      if ((o.verbose || o.unreach) && !o.json)
        out.println(o.verbose ? hosts[h].label() + " is unreachable" : hosts[h].label());
    }
    out.flush();
    if (o.json) {
      for (int h = 0; h < hosts.length; h++) {
        // -a / -u choose whose summaries come (in the default mode, as they choose the lines)
        if ((o.alive && s.recv[h] == 0) || (o.unreach && s.recv[h] > 0)) continue;
        jsonSummary(h);
      }
    } else if (o.countMode || o.loop) {
      perTarget();
    }
    if (o.stats) stats(unreachable, elapsedNanos);
    int reachable = hosts.length - unreachable;
    int status;
    if (o.minReachable > 0) {
      boolean enough = reachable >= o.minReachable;
      if (!o.json) // JSON Lines stay JSON: the status tells
      out.println(
            (enough ? "Enough" : "Not enough")
                + " hosts reachable (required: "
                + o.minReachable
                + ", reachable: "
                + reachable
                + ")");
      status = enough ? 0 : 1;
    } else {
      status = s.unknown > 0 ? 2 : s.alive != hosts.length ? 1 : 0;
    }
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The per-target summaries on stderr. One line per target (65,534 for a /16), written in large
   * chunks: println per line costs more than the formatting in a JVM that has not compiled this
   * code yet. Each chunk goes through one reused char[]: a String per chunk would be copied twice
   * more (PrintWriter's write(String) makes a char[] of it), on fresh pages the kernel first has to
   * fault in.
   */
  private void perTarget() {
    if (o.verbose || o.perRecv) err.println();
    StringBuilder sb = new StringBuilder(CHUNK);
    char[] chunk = new char[CHUNK];
    String nl = System.lineSeparator();
    for (int h = 0; h < hosts.length; h++) {
      padded(sb, h).append(" :");
      if (o.reportAllRtts) {
        for (int j = 0; j < s.sent[h] && j < s.resp[h].length; j++) {
          long r = s.resp[h][j];
          if (r >= 0) Fmt.fpingMs(sb.append(' '), r);
          else sb.append(" -");
        }
      } else {
        counts(sb, s.sent[h], s.recv[h]);
        if (s.recv[h] > 0) minAvgMax(sb, s.minReply[h], s.totalTime[h] / s.recv[h], s.maxReply[h]);
      }
      sb.append(nl);
      if (sb.length() > CHUNK - 256 || h == hosts.length - 1) {
        int len = sb.length();
        if (len > chunk.length) chunk = new char[len]; // a line longer than a chunk (-C, names)
        sb.getChars(0, len, chunk, 0);
        err.write(chunk, 0, len);
        sb.setLength(0);
      }
    }
    err.flush();
  }

  private static final int CHUNK = 1 << 16;

  private void counts(StringBuilder sb, int sent, int recv) {
    if (recv <= sent) {
      sb.append(" xmt/rcv/%loss = ")
          .append(sent)
          .append('/')
          .append(recv)
          .append('/')
          .append(sent > 0 ? (sent - recv) * 100 / sent : 0)
          .append('%');
      if (o.outage) sb.append(", outage(ms) = ").append((long) ((sent - recv) * o.periodNs / 1e6));
    } else {
      sb.append(" xmt/rcv/%return = ")
          .append(sent)
          .append('/')
          .append(recv)
          .append('/')
          .append(sent > 0 ? recv * 100 / sent : 0)
          .append('%');
    }
  }

  private static void minAvgMax(StringBuilder sb, long min, long avg, long max) {
    Fmt.fpingMs(sb.append(", min/avg/max = "), min).append('/');
    Fmt.fpingMs(sb, avg).append('/');
    Fmt.fpingMs(sb, max);
  }

  /**
   * A {@code -Q} report or a SIGQUIT snapshot: the interval's counts per target, on stderr; starts
   * a new interval.
   */
  void splits() {
    if (o.verbose || o.perRecv) err.println();
    err.println("[" + LocalTime.now(ZoneId.systemDefault()).format(CLOCK) + "]");
    StringBuilder sb = new StringBuilder(128);
    for (int h = 0; h < hosts.length; h++) {
      sb.setLength(0);
      padded(sb, h).append(" :");
      counts(sb, s.sentI[h], s.recvI[h]);
      if (s.recvI[h] > 0) minAvgMax(sb, s.minI[h], s.totalI[h] / s.recvI[h], s.maxI[h]);
      err.println(sb);
      resetInterval(h);
    }
    err.flush();
  }

  /** {@code -N}: netdata's external plugin protocol on stdout, the charts defined once. */
  void netdata() {
    long every = Math.round(o.reportNs / 1e9);
    for (int h = 0; h < hosts.length; h++) {
      String c = hosts[h].chart(), l = hosts[h].label();
      if (!chartsSent) {
        out.println(
            "CHART fping."
                + c
                + "_packets '' 'FPing Packets for host "
                + l
                + "' packets '"
                + l
                + "' fping.packets line 110020 "
                + every);
        out.println("DIMENSION xmt sent absolute 1 1");
        out.println("DIMENSION rcv received absolute 1 1");
      }
      out.println("BEGIN fping." + c + "_packets");
      out.println("SET xmt = " + s.sentI[h]);
      out.println("SET rcv = " + s.recvI[h]);
      out.println("END");
      if (!chartsSent) {
        out.println(
            "CHART fping."
                + c
                + "_quality '' 'FPing Quality for host "
                + l
                + "' percentage '"
                + l
                + "' fping.quality area 110010 "
                + every);
        out.println("DIMENSION returned '' absolute 1 1");
      }
      out.println("BEGIN fping." + c + "_quality");
      out.println("SET returned = " + (s.sentI[h] > 0 ? s.recvI[h] * 100 / s.sentI[h] : 0));
      out.println("END");
      if (!chartsSent) {
        out.println(
            "CHART fping."
                + c
                + "_latency '' 'FPing Latency for host "
                + l
                + "' ms '"
                + l
                + "' fping.latency area 110000 "
                + every);
        out.println("DIMENSION min minimum absolute 1 1000000");
        out.println("DIMENSION max maximum absolute 1 1000000");
        out.println("DIMENSION avg average absolute 1 1000000");
      }
      out.println("BEGIN fping." + c + "_latency");
      if (s.recvI[h] > 0) {
        out.println("SET min = " + s.minI[h]);
        out.println("SET avg = " + s.totalI[h] / s.recvI[h]);
        out.println("SET max = " + s.maxI[h]);
      }
      out.println("END");
      resetInterval(h);
    }
    chartsSent = true;
    out.flush();
  }

  private void resetInterval(int h) {
    s.sentI[h] = s.recvI[h] = 0;
    s.minI[h] = s.maxI[h] = s.totalI[h] = 0;
  }

  /** {@code -s}: fping's totals on stderr. */
  // fping's average: its C divides int64 nanoseconds as integers
  @SuppressWarnings("NarrowCalculation")
  private void stats(int unreachable, long elapsedNanos) {
    err.println();
    err.printf(" %7d targets%n", hosts.length);
    err.printf(" %7d alive%n", s.alive);
    err.printf(" %7d unreachable%n", unreachable);
    err.printf(" %7d unknown addresses%n", s.unknown);
    err.println();
    err.printf(" %7d timeouts (waiting for response)%n", s.timeouts);
    err.printf(" %7d ICMP Echos sent%n", s.pingsSent);
    err.printf(" %7d ICMP Echo Replies received%n", s.pingsReceived);
    err.printf(" %7d other ICMP received%n", s.otherIcmp);
    err.println();
    long count = Math.max(1, s.allCount);
    err.println(" " + Fmt.fpingMs(s.allMin) + " ms (min round trip time)");
    err.println(" " + Fmt.fpingMs((double) (s.allSum / count)) + " ms (avg round trip time)");
    err.println(" " + Fmt.fpingMs(s.allMax) + " ms (max round trip time)");
    err.printf(" %12s sec (elapsed real time)%n", Fmt.fixed(elapsedNanos / 1e9, 3));
    err.println();
    err.flush();
  }

  /**
   * {@code --json}: one line per outcome (none with {@code -q}), the contract's fields (§3): the
   * target's address, {@code host} when it was given by another name, {@code seq} from 1.
   */
  void json(int h, int index, EchoResult r, boolean duplicate) {
    if (!o.json || o.quiet) return;
    s.printing();
    String target = Addr.text(hosts[h].address());
    Json j = new Json().put("type", "reply").put("target", target);
    InetAddress from =
        switch (r) {
          case EchoResult.Reply x -> x.from();
          case EchoResult.IcmpError x -> x.from();
          case EchoResult.Corrupted x -> x.from();
          default -> null;
        };
    j.put("from", from == null ? null : Addr.text(from)).put("seq", index + 1);
    j.put("status", r.status().name()).put("status_code", r.status().code());
    long rtt =
        switch (r) {
          case EchoResult.Reply x -> x.rtt().toNanos();
          case EchoResult.IcmpError x -> x.rtt().toNanos();
          case EchoResult.Corrupted x -> x.rtt().toNanos();
          default -> -1;
        };
    j.putRaw("rtt_ms", rtt < 0 ? null : Fmt.jsonMs(rtt));
    if (r instanceof EchoResult.Reply x) j.put("ttl", x.ttl()).put("bytes", x.bytes());
    else if (r instanceof EchoResult.IcmpError x && x.ttl() >= 0)
      j.put("ttl", x.ttl()).put("bytes", o.size + 8);
    else j.putNull("ttl").put("bytes", o.size + 8);
    if (duplicate) j.put("duplicate", true);
    if (!hosts[h].label().equals(target)) j.put("host", hosts[h].label());
    if (r instanceof EchoResult.IcmpError e)
      j.put("icmp_type", e.icmpType()).put("icmp_code", e.icmpCode());
    out.println(j);
  }

  /** {@code --json}: a target's summary, the contract's fields (§3) and icmpecho's. */
  private void jsonSummary(int h) {
    String target = Addr.text(hosts[h].address());
    int sent = s.sent[h], recv = s.recv[h];
    Json j = new Json().put("type", "summary").put("target", target);
    if (!hosts[h].label().equals(target)) j.put("host", hosts[h].label());
    j.put("sent", sent)
        .put("received", recv)
        .put("duplicates", Math.max(0, s.recvTotal[h] - recv))
        .put("errors", s.errors[h])
        .put("loss_pct", Fmt.pct(Math.max(0, sent - recv), sent))
        .put("alive", recv > 0);
    if (recv > 0) {
      double mean = (double) s.totalTime[h] / recv;
      double mdev = Math.sqrt(Math.max(0, s.sumSquares[h] / recv - mean * mean));
      j.putRaw("rtt_min_ms", Fmt.jsonMs(s.minReply[h]))
          .putRaw("rtt_avg_ms", Fmt.jsonMs(mean))
          .putRaw("rtt_max_ms", Fmt.jsonMs(s.maxReply[h]))
          .putRaw("rtt_mdev_ms", Fmt.jsonMs(mdev));
    } else {
      j.putNull("rtt_min_ms").putNull("rtt_avg_ms").putNull("rtt_max_ms").putNull("rtt_mdev_ms");
    }
    out.println(j);
  }
}
