package org.icmpecho.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.SocketMode;

/**
 * The fping personality: {@code fping ARGS} (a link to the launcher named {@code fping}), {@code
 * icmpecho fping ARGS}, and {@code icmpecho sweep ARGS} (the same under its own name and prefix,
 * API-CONTRACT §3.1). fping 5.1's options, texts, streams and exit statuses ({@link FpingOptions}),
 * its targets (arguments, {@code -f}, stdin when none, {@code -g} range or CIDR, IPv4 only as
 * fping; IPv6 too under the sweep's name), and the probing on the icmpecho engine ({@link
 * FpingLoop}).
 *
 * <p>Exit statuses, as fping really exits: 0 all alive (or {@code -x} satisfied), 1 some
 * unreachable or an invalid argument, 2 a name did not resolve, 4 a system failure.
 */
final class Fping {
  private static final int MAX_GENERATE = 100_000; // fping's cap on a -g range

  /** The sweep's name: {@code icmpecho sweep} is the fping personality under it. */
  static final String SWEEP = "icmpecho sweep";

  private Fping() {}

  /**
   * As {@link #run}, with a standard output that cannot be written ending the command as any
   * other's does ({@link Errors#stdoutFailed}), in the personality's words and status.
   */
  static int main(String prog, List<String> args, PrintWriter out, PrintWriter err, Env env) {
    try {
      int status = run(prog, args, out, err, env);
      out.flush();
      return status;
    } catch (Stdout.Failed e) { // outside picocli, so outside Errors: the same rule
      return Errors.stdoutFailed(e, prog + ": ", 4, err);
    }
  }

  /** Runs the personality under {@code prog} (its name in messages); returns the exit status. */
  static int run(String prog, List<String> args, PrintWriter out, PrintWriter err, Env env) {
    FpingOptions o = new FpingOptions(prog);
    Integer end = o.parse(args, out, err);
    if (end != null) return end;
    try {
      return probe(o, out, err, env);
    } catch (Stdout.Failed e) {
      throw e;
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
    // once it has its targets; here the engine does that per echo, so the same failures are found
    // first, in fping's words (not inside another namespace, whose interfaces and addresses are not
    // ours to look at)
    if (o.iface != null && o.netns == null && !localInterface(o.iface)) {
      err.println("binding to specific interface (SO_BINTODEVICE): No such device");
      err.flush();
      return 1;
    }
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
    Resolver resolver = env.resolver();
    if (!ops.isEmpty() && !o.generate) {
      Timeline.mark("targets read");
      addAll(o, resolver, ops, hosts, noAddress, out, err);
    } else if (file != null) {
      List<String> names;
      try {
        names = Targets.read(file, env.stdin().get());
      } catch (IOException e) {
        err.println(o.prog + ": fopen : " + e.getMessage());
        err.flush();
        return 4;
      }
      Timeline.mark("targets read");
      addAll(o, resolver, names, hosts, noAddress, out, err);
    } else {
      List<InetAddress> generated = new ArrayList<>();
      Integer status = generate(o, ops, generated, err);
      if (status != null) return status;
      Timeline.mark("targets read");
      for (InetAddress a : generated) {
        String text = Addr.text(a);
        if (o.name || o.rdns || !o.family.accepts(a)) {
          add(o, resolver, text, lookup(o, resolver, text), hosts, noAddress, out, err);
        } else {
          hosts.add(new FpingLoop.Host(text, chart(o, text), a)); // what add would make, at once
        }
      }
    }
    Timeline.mark("targets resolved");
    out.flush();
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
    // A large sweep keeps the kernel busy enough for a second socket, driven by a second I/O
    // thread, to pay on a machine with two or more cores (measured: +40-55 % answers/s on 2
    // cores). Small ones stay on one socket.
    int sockets =
        o.sockets != null
            ? o.sockets
            : hosts.size() > 1024 && Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
    Prober.Options po =
        new Prober.Options(
            o.netns, o.raw ? SocketMode.RAW : SocketMode.AUTO, o.window + 64, sockets);
    try (IcmpClient client = env.probers().open(po)) {
      try {
        if (v4) client.socketMode(StandardProtocolFamily.INET);
        if (v6) client.socketMode(StandardProtocolFamily.INET6);
      } catch (IcmpPermissionException e) {
        if (o.verbose || o.icmpechoName) {
          err.println(
              o.icmpechoName
                  ? o.prog + ": " + e.getMessage()
                  : o.prog + ": can't create socket (must run as root?)");
        }
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

  /**
   * -g: one operand is a CIDR block, two are a START END range; IPv4 only, as fping (IPv6 too under
   * the sweep's name).
   */
  private static Integer generate(
      FpingOptions o, List<String> ops, List<InetAddress> sink, PrintWriter err) {
    long first, last;
    if (ops.size() == 1) {
      String spec = ops.get(0);
      int slash = spec.indexOf('/');
      if (slash < 0) return o.usage(err, 1);
      String maskText = spec.substring(slash + 1);
      InetAddress a = Addr.parse(spec.substring(0, slash));
      if (a == null)
        return fail(
            err,
            o.prog
                + ", can't parse address "
                + spec.substring(0, slash)
                + ": Name or service not known");
      if (!(a instanceof Inet4Address)) {
        if (!o.icmpechoName) return fail(err, o.prog + ": -g works only with IPv4 addresses");
        return generate6(o, () -> Targets.cidr(spec, o.family, sink::add), err);
      }
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
      InetAddress a = Addr.parse(ops.get(0)), b = Addr.parse(ops.get(1));
      for (int i = 0; i < 2; i++) {
        InetAddress x = i == 0 ? a : b;
        if (x == null)
          return fail(
              err, o.prog + ": can't parse address " + ops.get(i) + ": Name or service not known");
      }
      if (!(a instanceof Inet4Address) || !(b instanceof Inet4Address)) {
        if (!o.icmpechoName) return fail(err, o.prog + ": -g works only with IPv4 addresses");
        return generate6(o, () -> Targets.range(ops.get(0), ops.get(1), o.family, sink::add), err);
      }
      first = v4(a);
      last = v4(b);
      if (last > first + MAX_GENERATE)
        return fail(err, o.prog + ": -g parameter generates too many addresses");
    } else {
      return o.usage(err, 1);
    }
    byte[] b = new byte[4];
    for (long x = first; x <= last; x++) {
      b[0] = (byte) (x >>> 24);
      b[1] = (byte) (x >>> 16);
      b[2] = (byte) (x >>> 8);
      b[3] = (byte) x;
      try {
        sink.add(InetAddress.getByAddress(b));
      } catch (UnknownHostException e) {
        throw new AssertionError(e); // 4 bytes
      }
    }
    return null;
  }

  /** The sweep's IPv6 -g (icmpecho's extension): {@link Targets}' block or range, its messages. */
  private static Integer generate6(FpingOptions o, Runnable targets, PrintWriter err) {
    try {
      targets.run();
      return null;
    } catch (IllegalArgumentException e) {
      return fail(err, o.prog + ": " + e.getMessage());
    }
  }

  /**
   * Resolves {@code names} and adds them in order; names (not literals) are looked up a few at a
   * time when there are several, as a list of host names in a file has them.
   */
  private static void addAll(
      FpingOptions o,
      Resolver r,
      List<String> names,
      List<FpingLoop.Host> hosts,
      int[] noAddress,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    int lookups = 0;
    for (String n : names) if (!Resolver.isLiteral(n) && ++lookups > 1) break;
    if (lookups < 2) {
      for (String n : names) add(o, r, n, lookup(o, r, n), hosts, noAddress, out, err);
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            8, Thread.ofPlatform().daemon().name("icmpecho-resolve-", 0).factory());
    try {
      List<Object> results = new ArrayList<>(names.size());
      for (String n : names) {
        if (Resolver.isLiteral(n)) results.add(lookup(o, r, n));
        else results.add(pool.submit(() -> lookup(o, r, n)));
      }
      for (int i = 0; i < names.size(); i++) {
        Object result = results.get(i);
        if (result instanceof Future<?> f) {
          try {
            result = f.get();
          } catch (ExecutionException e) {
            result = new UnknownHostException(names.get(i) + ": " + e.getCause());
          }
        }
        add(o, r, names.get(i), result, hosts, noAddress, out, err);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The addresses of {@code name} (all of them with -m), or the exception that says why none. */
  private static Object lookup(FpingOptions o, Resolver r, String name) {
    try {
      return o.multi ? r.resolveAll(name, o.family) : List.of(r.resolve(name, o.family));
    } catch (UnknownHostException e) {
      return e;
    }
  }

  /** fping's add_name: label (-A, -n, -d) the addresses a lookup found, or report the failure. */
  private static void add(
      FpingOptions o,
      Resolver r,
      String name,
      Object lookup,
      List<FpingLoop.Host> hosts,
      int[] noAddress,
      PrintWriter out,
      PrintWriter err) {
    if (lookup instanceof UnknownHostException e) {
      if (o.json)
        out.println(
            new Json().put("type", "error").put("target", name).put("message", e.getMessage()));
      if (!o.quiet) err.println(e.getMessage());
      noAddress[0]++;
      return;
    }
    @SuppressWarnings("unchecked")
    List<InetAddress> all = (List<InetAddress>) lookup;
    boolean literal = Resolver.isLiteral(name);
    for (InetAddress a : all) {
      String print = name;
      if ((o.name && literal) || o.rdns) print = r.reverse(a);
      String label = print;
      if (o.addr) label = (o.name || o.rdns) ? print + " (" + Addr.text(a) + ")" : Addr.text(a);
      hosts.add(new FpingLoop.Host(label, chart(o, name), a));
      if (hosts.size() > Targets.MAX)
        throw new CliException(1, "more than " + Targets.MAX + " targets", false);
    }
  }

  /** The name of a target's netdata charts (-N). */
  private static String chart(FpingOptions o, String name) {
    return o.netdata ? name.replaceAll("[^A-Za-z0-9]", "_") : name;
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
