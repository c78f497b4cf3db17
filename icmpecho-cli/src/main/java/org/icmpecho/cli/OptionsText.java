package org.icmpecho.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.icmpecho.IpOptions;

/**
 * A reply's IPv4 options as iputils' {@code ping -R} / {@code -T} prints them ({@code pr_options}):
 * an {@code RR:} block, or {@code (same route)} after the reply line when the route did not change,
 * and a {@code TS:} block whose first time is absolute and the others relative to the one before,
 * then {@code Unrecorded hops: N}. Also their {@code --json} fields. One per ping run (it remembers
 * the last route).
 */
final class OptionsText {
  private List<Inet4Address> lastRoute;

  /**
   * Adds what {@code o} prints: a suffix to the reply line in {@code line}, and the lines of its
   * blocks (each block ends with an empty line) to {@code after}.
   */
  void format(
      IpOptions o, StringBuilder line, List<String> after, Function<InetAddress, String> who) {
    if (o.isEmpty()) return;
    List<Inet4Address> route = o.recordedRoute();
    if (!route.isEmpty()) {
      if (route.equals(lastRoute)) {
        line.append("\t(same route)");
      } else {
        lastRoute = route;
        for (int i = 0; i < route.size(); i++)
          after.add((i == 0 ? "RR: \t" : "\t") + who.apply(route.get(i)));
        after.add("");
      }
    }
    List<IpOptions.Timestamp> ts = o.timestamps();
    if (!ts.isEmpty()) {
      long std = 0;
      long nonStd = 0;
      for (int i = 0; i < ts.size(); i++) {
        IpOptions.Timestamp t = ts.get(i);
        StringBuilder sb = new StringBuilder(i == 0 ? "TS: " : "");
        if (t.address() != null) sb.append('\t').append(who.apply(t.address()));
        long v = t.millis() & 0x7FFF_FFFFL;
        if (!t.standard()) {
          sb.append('\t')
              .append(nonStd == 0 ? v + " absolute not-standard" : (v - nonStd) + " not-standard");
          nonStd = v;
        } else {
          sb.append('\t').append(std == 0 ? v + " absolute" : Long.toString(v - std));
          std = v;
        }
        after.add(sb.toString());
      }
      if (o.timestampOverflow() > 0) after.add("Unrecorded hops: " + o.timestampOverflow());
      after.add("");
    }
  }

  /**
   * The {@code --json} fields: {@code rr} (addresses), {@code ts} (address or null, ms, standard),
   * {@code ts_unrecorded}.
   */
  static void json(IpOptions o, Json j) {
    if (o.isEmpty()) return;
    List<Inet4Address> route = o.recordedRoute();
    if (!route.isEmpty()) {
      StringBuilder a = new StringBuilder("[");
      for (Inet4Address r : route) {
        if (a.length() > 1) a.append(',');
        Json.quote(a, r.getHostAddress());
      }
      j.putRaw("rr", a.append(']').toString());
    }
    List<IpOptions.Timestamp> ts = o.timestamps();
    if (o.timestampFlag() >= 0) {
      List<String> items = new ArrayList<>();
      for (IpOptions.Timestamp t : ts) {
        items.add(
            new Json()
                .put("address", t.address() == null ? null : t.address().getHostAddress())
                .put("ms", t.millis() & 0x7FFF_FFFFL)
                .put("standard", t.standard())
                .toString());
      }
      j.putRaw("ts", "[" + String.join(",", items) + "]")
          .put("ts_unrecorded", o.timestampOverflow());
    }
  }
}
