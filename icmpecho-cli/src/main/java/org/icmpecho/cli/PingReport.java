package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.icmpecho.EchoResult;
import org.icmpecho.IpStatus;

/**
 * What {@code icmpecho ping} prints: iputils' lines, or JSON Lines with {@code --json}. Fed
 * outcomes in the order they arrive; one thread only.
 */
final class PingReport {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final boolean quiet;
  private final boolean stamps;
  private final boolean outstanding;
  private final String host;
  private final InetAddress target;
  private final Function<InetAddress, String> names; // null: numeric output
  private final Map<InetAddress, String> nameCache = new HashMap<>();
  private final OptionsText options = new OptionsText();

  /**
   * @param host the host as the user gave it
   * @param names reverse lookup for the human lines, or null for numeric output ({@code -n}, or a
   *     literal target)
   */
  PingReport(
      PrintWriter out,
      PrintWriter err,
      boolean json,
      boolean quiet,
      boolean stamps,
      boolean outstanding,
      String host,
      InetAddress target,
      Function<InetAddress, String> names) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.quiet = quiet;
    this.stamps = stamps;
    this.outstanding = outstanding;
    this.host = host;
    this.target = target;
    this.names = names;
  }

  /**
   * {@code PING host (addr) 56(84) bytes of data.}; for IPv6 {@code PING host (addr) 56 data
   * bytes}.
   *
   * @param from the {@code from ADDR IFACE} part for {@code -I}, or null
   */
  void header(int payloadSize, int optionBytes, byte[] pattern, String from) {
    if (json) return;
    if (pattern != null) out.println("PATTERN: 0x" + HexFormat.of().formatHex(pattern));
    StringBuilder sb =
        new StringBuilder("PING ").append(host).append(" (").append(Addr.text(target)).append(") ");
    if (from != null) sb.append("from ").append(from).append(": ");
    if (target instanceof Inet6Address) sb.append(payloadSize).append(" data bytes");
    else
      sb.append(payloadSize)
          .append('(')
          .append(payloadSize + 28 + optionBytes)
          .append(") bytes of data.");
    line(out, sb.toString());
  }

  void reply(long seq, EchoResult.Reply r, boolean duplicate) {
    if (quiet) return;
    if (json) {
      Json j = event(seq, r.status(), r.from()).putRaw("rtt_ms", Fmt.jsonMs(r.rtt().toNanos()));
      if (r.ttl() >= 0) j.put("ttl", r.ttl());
      else j.putNull("ttl");
      j.put("bytes", r.bytes());
      if (duplicate) j.put("duplicate", true);
      OptionsText.json(r.ipOptions(), j);
      json(j);
      return;
    }
    StringBuilder sb = new StringBuilder(96);
    sb.append(r.bytes())
        .append(" bytes from ")
        .append(who(r.from()))
        .append(": icmp_seq=")
        .append(seq);
    if (r.ttl() >= 0) sb.append(" ttl=").append(r.ttl());
    sb.append(" time=").append(Fmt.pingTime(r.rtt().toNanos())).append(" ms");
    if (duplicate) sb.append(" (DUP!)");
    List<String> after = new ArrayList<>(0);
    options.format(r.ipOptions(), sb, after, this::who);
    stamped(sb.toString());
    for (String l : after) line(out, l);
  }

  void error(long seq, EchoResult.IcmpError e) {
    if (quiet) return;
    if (json) {
      Json j = event(seq, e.status(), e.from()).putRaw("rtt_ms", Fmt.jsonMs(e.rtt().toNanos()));
      // the TTL the error arrived with (how far away its sender is), where the kernel told it
      if (e.ttl() >= 0) j.put("ttl", e.ttl());
      else j.putNull("ttl");
      j.put("bytes", e.request().payloadSize() + 8)
          .put("icmp_type", e.icmpType())
          .put("icmp_code", e.icmpCode());
      if (e.status() == IpStatus.IP_PACKET_TOO_BIG) j.put("mtu", e.info());
      if (e.status() == IpStatus.IP_PARAM_PROBLEM) j.put("pointer", e.info());
      json(j.put("message", IcmpText.ping(e)));
      return;
    }
    stamped("From " + who(e.from()) + " icmp_seq=" + seq + " " + IcmpText.ping(e));
  }

  void timeout(long seq, EchoResult.TimedOut t) {
    if (quiet) return;
    if (json) {
      json(
          event(seq, t.status(), null)
              .putNull("rtt_ms")
              .putNull("ttl")
              .put("bytes", t.request().payloadSize() + 8));
    } else if (outstanding) {
      stamped("no answer yet for icmp_seq=" + seq);
    }
  }

  void sendFailed(long seq, EchoResult.SendFailed f) {
    if (json) {
      if (quiet) return;
      Json j =
          event(seq, f.status(), null)
              .putNull("rtt_ms")
              .putNull("ttl")
              .put("bytes", f.request().payloadSize() + 8)
              .put("errno", f.errno())
              .put("message", f.message());
      // Not a ternary: "mtu > 0 ? mtu : null" is an Integer that put(String, long) unboxes, null
      // included.
      json(f.mtu() > 0 ? j.put("mtu", f.mtu()) : j.putNull("mtu"));
      return;
    }
    // iputils reports a refused send on stderr, whatever -q says.
    out.flush();
    String mtu = f.mtu() > 0 ? ", mtu=" + f.mtu() : "";
    line(err, "icmpecho ping: sendmsg: " + f.message() + mtu + " (icmp_seq=" + seq + ")");
  }

  void corrupted(long seq, EchoResult.Corrupted c) {
    if (quiet) return;
    if (json) {
      json(
          event(seq, c.status(), c.from())
              .putRaw("rtt_ms", Fmt.jsonMs(c.rtt().toNanos()))
              .putNull("ttl")
              .put("bytes", c.request().payloadSize() + 8)
              .put("message", c.reason()));
      return;
    }
    stamped("From " + who(c.from()) + " icmp_seq=" + seq + " corrupted reply: " + c.reason());
  }

  /** The statistics block, or the JSON summary. */
  void summary(
      long sent,
      long received,
      long duplicates,
      long corrupted,
      long errors,
      long timeMs,
      RttStats rtt) {
    if (json) {
      Json j =
          new Json()
              .put("type", "summary")
              .put("target", Addr.text(target))
              .put("host", host)
              .put("sent", sent)
              .put("received", received)
              .put("duplicates", duplicates)
              .put("corrupted", corrupted)
              .put("errors", errors)
              .put("loss_pct", Fmt.pct(sent - received, sent))
              .put("time_ms", timeMs);
      json(rtt.putTo(j));
      return;
    }
    out.println();
    out.println("--- " + host + " ping statistics ---");
    StringBuilder sb = new StringBuilder();
    sb.append(sent).append(" packets transmitted, ").append(received).append(" received");
    if (duplicates > 0) sb.append(", +").append(duplicates).append(" duplicates");
    if (corrupted > 0) sb.append(", +").append(corrupted).append(" corrupted");
    if (errors > 0) sb.append(", +").append(errors).append(" errors");
    if (sent > 0)
      sb.append(", ").append(Fmt.cg((sent - received) * 100.0 / sent)).append("% packet loss");
    sb.append(", time ").append(timeMs).append("ms");
    out.println(sb);
    if (rtt.count() > 0) {
      out.println(
          "rtt min/avg/max/mdev = "
              + Fmt.ms3(rtt.min())
              + "/"
              + Fmt.ms3(rtt.mean())
              + "/"
              + Fmt.ms3(rtt.max())
              + "/"
              + Fmt.ms3(rtt.mdev())
              + " ms");
    }
    out.flush();
  }

  private Json event(long seq, IpStatus status, InetAddress from) {
    Json j = new Json().put("type", "reply").put("target", Addr.text(target));
    j.put("from", from == null ? null : Addr.text(from)).put("seq", seq);
    j.put("status", status.name()).put("status_code", status.code());
    return j;
  }

  private void json(Json j) {
    if (stamps) j.putRaw("timestamp", Fmt.epochSeconds(Instant.now()));
    line(out, j.toString());
  }

  private void stamped(String s) {
    line(out, stamps ? Fmt.stamp(Instant.now()) + s : s);
  }

  private String who(InetAddress a) {
    if (a == null) return "?";
    String literal = Addr.text(a);
    if (names == null) return literal;
    String name = nameCache.computeIfAbsent(a, names);
    return name.equals(literal) ? literal : name + " (" + literal + ")";
  }

  private static void line(PrintWriter w, String s) {
    w.println(s);
    w.flush();
  }
}
