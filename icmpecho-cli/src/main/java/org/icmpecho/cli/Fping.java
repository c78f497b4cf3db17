package org.icmpecho.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.SocketMode;

/**
 * The fping personality: {@code fping ARGS} (a link to the launcher named {@code fping}), {@code
 * icmpecho fping ARGS}, and {@code icmpecho sweep ARGS} (the same under its own name). fping 5.1's
 * options, texts, streams and exit statuses ({@link FpingOptions}), its targets (arguments, {@code
 * -f}, stdin when none, {@code -g} range or CIDR, IPv4 only), and the probing on the icmpecho
 * engine ({@link FpingLoop}).
 *
 * <p>Exit statuses, as fping really exits: 0 all alive (or {@code -x} satisfied), 1 some
 * unreachable or an invalid argument, 2 a name did not resolve, 4 a system failure.
 */
final class Fping {
  private static final int MAX_GENERATE = 100_000; // fping's cap on a -g range

  private Fping() {}

  /** Runs the personality under {@code prog} (its name in messages); returns the exit status. */
  static int run(String prog, List<String> args, PrintWriter out, PrintWriter err, Env env) {
    FpingOptions o = new FpingOptions(prog);
    Integer end = o.parse(args, out, err);
    if (end != null) return end;
    try {
      return probe(o, out, err, env);
    } catch (CliException e) {
      out.flush();
      err.println(prog + ": " + e.getMessage());
      if (o.stacktrace) e.printStackTrace(err);
      err.flush();
      return e.status();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 4;
    } catch (RuntimeException e) {
      out.flush();
      err.println(prog + ": internal error: " + e);
      if (o.stacktrace) e.printStackTrace(err);
      err.flush();
      return 4;
    }
  }

  private static int probe(FpingOptions o, PrintWriter out, PrintWriter err, Env env)
      throws InterruptedException {
    // fping binds its sockets to -I's interface while it reads the options, and to -S's address
    // once it has its
    // targets; here the engine does that per echo, so the same failures are found first, in fping's
    // words (not inside
    // another namespace, whose interfaces and addresses are not ours to look at)
    if (o.iface != null && o.netns == null && !localInterface(o.iface)) {
      err.println("binding to specific interface (SO_BINTODEVICE): No such device");
      err.flush();
      return 1;
    }
    List<String> names = new ArrayList<>();
    List<String> ops = o.operands;
    String file = o.file;
    if ((!ops.isEmpty() && file != null)
        || (file != null && o.generate)
        || (o.generate && ops.isEmpty())) {
      return o.usage(err, 1);
    }
    if (ops.isEmpty() && file == null && !o.generate) file = "-";
    List<FpingLoop.Host> hosts = new ArrayList<>();
    int[] noAddress = {0};
    if (!ops.isEmpty() && !o.generate) {
      names.addAll(ops);
    } else if (file != null) {
      try {
        names.addAll(Targets.read(file, env.stdin().get()));
      } catch (IOException e) {
        err.println(o.prog + ": fopen : " + e.getMessage());
        err.flush();
        return 4;
      }
    } else {
      Integer status = generate(o, ops, names, err);
      if (status != null) return status;
    }
    Timeline.mark("targets read");
    for (String n : names) add(o, env.resolver(), n, hosts, noAddress, err);
    Timeline.mark("targets resolved");
    err.flush();
    if (hosts.isEmpty()) return noAddress[0] > 0 ? 2 : 1;
    for (InetAddress src : new InetAddress[] {o.src4, o.src6}) {
      if (src != null && o.netns == null && !localAddress(src)) {
        err.println(o.prog + ": cannot bind source address : Cannot assign requested address");
        err.flush();
        return 4;
      }
    }

    boolean v4 = false, v6 = false;
    for (FpingLoop.Host h : hosts) {
      if (h.address() instanceof Inet4Address) v4 = true;
      else v6 = true;
    }
    int window = FpingLoop.WINDOW;
    int sockets = hosts.size() > 1024 && Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
    Prober.Options po =
        new Prober.Options(o.netns, o.raw ? SocketMode.RAW : SocketMode.AUTO, window + 64, sockets);
    try (IcmpClient client = env.probers().open(po)) {
      try {
        if (v4) client.socketMode(StandardProtocolFamily.INET);
        if (v6) client.socketMode(StandardProtocolFamily.INET6);
      } catch (IcmpPermissionException e) {
        if (o.verbose) err.println(o.prog + ": can't create socket (must run as root?)");
        err.flush();
        return 4;
      } catch (IOException e) {
        throw new CliException(4, e.getMessage(), false);
      }
      Timeline.mark("socket open");
      int status = new FpingLoop(o, hosts, noAddress[0], client, out, err, env).run();
      Timeline.mark("summary written");
      return status;
    }
  }

  /** -g: one operand is a CIDR block, two are a START END range; IPv4 only, as fping. */
  private static Integer generate(
      FpingOptions o, List<String> ops, List<String> names, PrintWriter err) {
    long first, last;
    if (ops.size() == 1) {
      String spec = ops.get(0);
      int slash = spec.indexOf('/');
      if (slash < 0) return o.usage(err, 1);
      String maskText = spec.substring(slash + 1);
      InetAddress a = numeric(spec.substring(0, slash));
      if (a == null)
        return fail(
            err,
            o.prog
                + ", can't parse address "
                + spec.substring(0, slash)
                + ": Name or service not known");
      if (!(a instanceof Inet4Address))
        return fail(err, o.prog + ": -g works only with IPv4 addresses");
      long mask = Getopt.atoi(maskText);
      if (mask < 1 || mask > 32)
        return fail(err, o.prog + ": netmask must be between 1 and 32 (is: " + maskText + ")");
      long bits = (0xFFFF_FFFFL << (32 - mask)) & 0xFFFF_FFFFL;
      first = v4(a) & bits;
      last = first + (1L << (32 - mask)) - 1;
      if (mask < 31) { // no network and broadcast address
        first++;
        last--;
      }
      if (last - first >= Targets.MAX)
        return fail(err, o.prog + ": -g parameter generates too many addresses");
    } else if (ops.size() == 2) {
      InetAddress a = numeric(ops.get(0)), b = numeric(ops.get(1));
      for (int i = 0; i < 2; i++) {
        InetAddress x = i == 0 ? a : b;
        if (x == null)
          return fail(
              err, o.prog + ": can't parse address " + ops.get(i) + ": Name or service not known");
        if (!(x instanceof Inet4Address))
          return fail(err, o.prog + ": -g works only with IPv4 addresses");
      }
      first = v4(a);
      last = v4(b);
      if (last > first + MAX_GENERATE)
        return fail(err, o.prog + ": -g parameter generates too many addresses");
    } else {
      return o.usage(err, 1);
    }
    for (long x = first; x <= last; x++) {
      names.add((x >>> 24) + "." + ((x >>> 16) & 255) + "." + ((x >>> 8) & 255) + "." + (x & 255));
    }
    return null;
  }

  /** fping's add_name: resolve, label (-A, -n, -d), one address or all of them (-m). */
  private static void add(
      FpingOptions o,
      Resolver r,
      String name,
      List<FpingLoop.Host> hosts,
      int[] noAddress,
      PrintWriter err) {
    List<InetAddress> all;
    try {
      all = o.multi ? r.resolveAll(name, o.family) : List.of(r.resolve(name, o.family));
    } catch (UnknownHostException e) {
      if (!o.quiet) err.println(e.getMessage());
      noAddress[0]++;
      return;
    }
    boolean literal = Resolver.isLiteral(name);
    for (InetAddress a : all) {
      String print = name;
      if ((o.name && literal) || o.rdns) print = r.reverse(a);
      String label = print;
      if (o.addr) label = (o.name || o.rdns) ? print + " (" + Addr.text(a) + ")" : Addr.text(a);
      String chart = o.netdata ? name.replaceAll("[^A-Za-z0-9]", "_") : name;
      hosts.add(new FpingLoop.Host(label, chart, a));
      if (hosts.size() > Targets.MAX)
        throw new CliException(1, "more than " + Targets.MAX + " targets", false);
    }
  }

  private static boolean localInterface(String name) {
    try {
      return java.net.NetworkInterface.getByName(name) != null;
    } catch (java.net.SocketException e) {
      return true; // cannot tell: let the engine's send report it
    }
  }

  private static boolean localAddress(InetAddress a) {
    try {
      return a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  private static InetAddress numeric(String s) {
    try {
      return InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static long v4(InetAddress a) {
    byte[] b = a.getAddress();
    return ((b[0] & 255L) << 24) | ((b[1] & 255L) << 16) | ((b[2] & 255L) << 8) | (b[3] & 255L);
  }

  private static Integer fail(PrintWriter err, String line) {
    err.println(line);
    err.flush();
    return 1;
  }
}
