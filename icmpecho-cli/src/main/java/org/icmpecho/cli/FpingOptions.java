package org.icmpecho.cli;

import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * fping 5.1's command line: its options (short and long), its checks in its order, its messages and
 * exit statuses, its usage text. Values are read the way fping reads them ({@code atoi}, {@code
 * sscanf}): {@code -c xxx} is a usage error, {@code -t 12abc} is 12 ms. Limits are those of fping's
 * default build (no {@code --enable-safe-limits}, so no "too risky for mere mortals" floor on
 * {@code -i}/{@code -p}: the engine paces any interval without root).
 *
 * <p>The fields are fping's flags after parsing; {@link #parse} fills them or says how the process
 * ends.
 */
final class FpingOptions {
  // icmpecho's extras, long options only (private-use letters stand for them inside the parser)
  static final char JSON = '\uE000',
      NETNS = '\uE001',
      RAW = '\uE002',
      STACKTRACE = '\uE003',
      RATE = '\uE004',
      MAX_IN_FLIGHT = '\uE005',
      SOCKETS = '\uE006';

  private static final String SHORTS =
      "46aAb:B:c:C:dDef:ghH:i:I:lmMnNoO:p:qQ:r:RsS:t:T:uvx:X:"
          + JSON
          + NETNS
          + ":"
          + RAW
          + STACKTRACE
          + RATE
          + ":"
          + MAX_IN_FLIGHT
          + ":"
          + SOCKETS
          + ":";
  private static final Map<String, Character> LONGS =
      Map.ofEntries(
          Map.entry("ipv4", '4'),
          Map.entry("ipv6", '6'),
          Map.entry("alive", 'a'),
          Map.entry("addr", 'A'),
          Map.entry("size", 'b'),
          Map.entry("backoff", 'B'),
          Map.entry("count", 'c'),
          Map.entry("vcount", 'C'),
          Map.entry("rdns", 'd'),
          Map.entry("timestamp", 'D'),
          Map.entry("elapsed", 'e'),
          Map.entry("file", 'f'),
          Map.entry("generate", 'g'),
          Map.entry("help", 'h'),
          Map.entry("ttl", 'H'),
          Map.entry("interval", 'i'),
          Map.entry("iface", 'I'),
          Map.entry("loop", 'l'),
          Map.entry("all", 'm'),
          Map.entry("dontfrag", 'M'),
          Map.entry("name", 'n'),
          Map.entry("netdata", 'N'),
          Map.entry("outage", 'o'),
          Map.entry("tos", 'O'),
          Map.entry("period", 'p'),
          Map.entry("quiet", 'q'),
          Map.entry("squiet", 'Q'),
          Map.entry("retry", 'r'),
          Map.entry("random", 'R'),
          Map.entry("stats", 's'),
          Map.entry("src", 'S'),
          Map.entry("timeout", 't'),
          Map.entry("unreach", 'u'),
          Map.entry("version", 'v'),
          Map.entry("reachable", 'x'),
          Map.entry("fast-reachable", 'X'),
          Map.entry("json", JSON),
          Map.entry("netns", NETNS),
          Map.entry("raw", RAW),
          Map.entry("stacktrace", STACKTRACE),
          Map.entry("rate", RATE),
          Map.entry("max-in-flight", MAX_IN_FLIGHT),
          Map.entry("sockets", SOCKETS));

  /**
   * An option as the parser knows it: its names (either may be null) and whether it takes a value.
   */
  record Name(String shortName, String longName, boolean value) {}

  /**
   * Every option, in fping's order, then icmpecho's: the model picocli's tree has of {@code
   * icmpecho sweep} (for completion; the parsing stays this class's).
   */
  static List<Name> names() {
    List<Name> names = new java.util.ArrayList<>();
    for (int i = 0; i < SHORTS.length(); i++) {
      char c = SHORTS.charAt(i);
      if (c == ':') continue;
      String longName = null;
      for (Map.Entry<String, Character> e : LONGS.entrySet())
        if (e.getValue() == c) longName = e.getKey();
      boolean value = i + 1 < SHORTS.length() && SHORTS.charAt(i + 1) == ':';
      names.add(
          new Name(c < 128 ? "-" + c : null, longName == null ? null : "--" + longName, value));
    }
    return names;
  }

  static final int MAX_PING_DATA =
      65488; // fping: 65535 - a 20-byte IP header - 8-byte ICMP header, less 19
  static final long AUTOTUNE_TIMEOUT_MAX_NS = 2_000_000_000L;

  final String prog;

  /**
   * Run under an icmpecho name ({@code icmpecho sweep}) rather than as fping: its extensions apply
   * (IPv6 {@code -g}, the progress line, the extra usage lines).
   */
  final boolean icmpechoName;

  Resolver.Family family = Resolver.Family.ANY;
  boolean alive,
      addr,
      rdns,
      name,
      timestamp,
      elapsed,
      generate,
      loop,
      multi,
      dontFrag,
      netdata,
      outage,
      quiet;
  boolean random,
      stats,
      unreach,
      verbose = true,
      perRecv,
      reportAllRtts,
      backoffOn = true,
      countMode,
      timeoutSet;
  boolean json, raw, stacktrace, intervalSet;
  int size = 56, count, retry = 3, ttl, tos = -1, minReachable;
  boolean fastReachable;
  double backoff = 1.5;
  long intervalNs = 10_000_000L, periodNs = 1_000_000_000L, timeoutNs = 500_000_000L, reportNs;
  String file, iface, netns;
  InetAddress src4, src6;
  Double rate;
  int window = FpingLoop.WINDOW;
  Integer sockets;
  List<String> operands;

  FpingOptions(String prog) {
    this.prog = prog;
    this.icmpechoName = !prog.equals("fping");
  }

  /**
   * Reads {@code args} as fping does. Returns null to go on and probe, or the exit status when the
   * command ends here (help, version, a bad option: the text is already printed).
   */
  Integer parse(List<String> args, PrintWriter out, PrintWriter err) {
    // fping answers a lone -h / --help before anything else
    if (args.size() == 1 && (args.get(0).equals("-h") || args.get(0).equals("--help")))
      return usage(out, 0);
    Getopt.Parsed parsed;
    try {
      parsed = new Getopt(SHORTS, LONGS).parse(args);
    } catch (Getopt.Failure f) {
      err.println(prog + ": " + f.getMessage());
      err.println("see '" + prog + " -h' for usage information");
      return 1;
    }
    for (Getopt.Opt o : parsed.options()) {
      Integer end = option(o.letter(), o.arg(), out, err);
      if (end != null) return end;
    }
    operands = parsed.operands();
    return validate(err);
  }

  private Integer option(char c, String arg, PrintWriter out, PrintWriter err) {
    switch (c) {
      case '4', '6' -> {
        Resolver.Family f = c == '4' ? Resolver.Family.V4 : Resolver.Family.V6;
        if (family != Resolver.Family.ANY && family != f)
          return fail(err, "can't specify both -4 and -6");
        family = f;
      }
      case 'M' -> dontFrag = true;
      case 't' -> {
        Double v = Getopt.scanFloat(arg);
        if (v == null || v < 0) return usage(err, 1);
        timeoutNs = (long) (v.floatValue() * 1_000_000.0);
        timeoutSet = true;
      }
      case 'r' -> {
        Long v = Getopt.scanUnsigned(arg);
        if (v == null) return usage(err, 1);
        retry = (int) Math.min(v, Integer.MAX_VALUE);
      }
      case 'i', 'p' -> {
        Double v = Getopt.scanFloat(arg);
        if (v == null || v < 0) return usage(err, 1);
        long ns = (long) (v.floatValue() * 1_000_000.0);
        if (c == 'i') {
          intervalNs = ns;
          intervalSet = true;
        } else {
          periodNs = ns;
        }
      }
      case 'c', 'C' -> {
        count = (int) Getopt.atoi(arg);
        if (count == 0) return usage(err, 1);
        countMode = true;
        if (c == 'C') reportAllRtts = true;
      }
      case 'b' -> {
        Long v = Getopt.scanUnsigned(arg);
        if (v == null) return usage(err, 1);
        size = (int) Math.min(v, Integer.MAX_VALUE);
      }
      case 'h' -> {
        return usage(out, 0);
      }
      case 'q' -> {
        verbose = false;
        quiet = true;
      }
      case 'Q' -> {
        verbose = false;
        quiet = true;
        Double v = Getopt.scanFloat(arg);
        if (v == null || v < 0) return usage(err, 1);
        reportNs = (long) (v.floatValue() * 1e9);
      }
      case 'e' -> elapsed = true;
      case 'm' -> multi = true;
      case 'N' -> netdata = true;
      case 'n' -> {
        name = true;
        if (rdns) return fail(err, "use either one of -d or -n");
      }
      case 'd' -> {
        rdns = true;
        if (name) return fail(err, "use either one of -d or -n");
      }
      case 'A' -> addr = true;
      case 'B' -> {
        Double v = Getopt.scanFloat(arg); // atof: 0 when nothing reads
        backoff = v == null ? 0 : v;
        if (backoff == 0) return usage(err, 1);
      }
      case 's' -> stats = true;
      case 'D' -> timestamp = true;
      case 'R' -> random = true;
      case 'l' -> {
        loop = true;
        backoffOn = false;
      }
      case 'u' -> unreach = true;
      case 'a' -> alive = true;
      case 'H' -> {
        ttl = (int) Getopt.atoi(arg);
        if (ttl == 0) return usage(err, 1);
      }
      case 'v' -> {
        out.println(
            prog
                + ": Version 5.1"
                + (icmpechoName ? " (icmpecho " + VersionProvider.version() + ")" : ""));
        out.flush();
        return 0;
      }
      case 'x', 'X' -> {
        minReachable = (int) Getopt.atoi(arg);
        if (minReachable == 0) return usage(err, 1);
        fastReachable = c == 'X';
      }
      case 'f' -> file = arg;
      case 'g' -> generate = true;
      case 'S' -> {
        InetAddress a = literal(arg);
        if (a == null) return fail(err, "can't parse source address: " + arg);
        if (a instanceof Inet4Address) src4 = a;
        else src6 = a;
      }
      case 'I' -> iface = arg;
      case 'T' -> {} // ignored, as fping does (select timeout of fping 2.4)
      case 'O' -> {
        Long v = scanInt(arg);
        if (v == null) return usage(err, 1);
        tos = (int) (long) v;
      }
      case 'o' -> outage = true;
      case JSON -> json = true;
      case NETNS -> netns = arg;
      case RAW -> raw = true;
      case STACKTRACE -> stacktrace = true;
      case RATE -> {
        Double v = Getopt.scanFloat(arg);
        if (v == null || !(v > 0) || v.isInfinite())
          return fail(err, "--rate " + arg + ": must be more than 0");
        rate = v;
      }
      case MAX_IN_FLIGHT -> {
        long v = whole(arg);
        if (v < 1 || v > 1_000_000)
          return fail(err, "--max-in-flight " + arg + ": must be 1..1000000");
        window = (int) v;
      }
      case SOCKETS -> {
        long v = whole(arg);
        if (v < 1 || v > 8) return fail(err, "--sockets " + arg + ": must be 1..8");
        sockets = (int) v;
      }
      default -> throw new AssertionError(c);
    }
    return null;
  }

  /** fping's checks after the options, in its order; derives the output flags. */
  private Integer validate(PrintWriter err) {
    if (rate != null) {
      if (intervalSet) return fail(err, "-i and --rate exclude each other");
      intervalNs = (long) Math.floor(1e9 / rate);
    }
    if (ttl > 255) return fail(err, "ttl " + ttl + " out of range");
    if (unreach && alive) return fail(err, "specify only one of a, u");
    if (countMode && loop) return fail(err, "specify only one of c, l");
    if (size > MAX_PING_DATA) {
      return fail(err, "data size " + size + " not valid, must be lower than " + MAX_PING_DATA);
    }
    if (backoff > 5.0 || backoff < 1.0) {
      return fail(
          err,
          "backoff factor "
              + String.format("%.1f", backoff)
              + " not valid, must be between 1.0 and 5.0");
    }
    if (alive || unreach || minReachable > 0) verbose = false;
    if (countMode) {
      if (verbose) perRecv = true;
      alive = unreach = verbose = false;
    }
    if (loop) {
      if (reportNs == 0) perRecv = true;
      alive = unreach = verbose = false;
    }
    if ((loop || countMode) && !timeoutSet) timeoutNs = Math.min(periodNs, AUTOTUNE_TIMEOUT_MAX_NS);
    if (json) perRecv = verbose = false; // JSON lines replace the human per-echo lines
    return null;
  }

  private Integer fail(PrintWriter err, String message) {
    err.println(prog + ": " + message);
    err.flush();
    return 1;
  }

  /** fping's usage text; on stdout for -h (status 0), on stderr after a bad value (status 1). */
  Integer usage(PrintWriter w, int status) {
    w.print(usageText());
    w.flush();
    return status;
  }

  /** The text of {@link #usage}: fping's, and under an icmpecho name, icmpecho's own options. */
  @SuppressWarnings("StringConcatToTextBlock") // fping's help, line for line as its C prints it
  String usageText() {
    String p = prog;
    String fping =
        "Usage: "
            + p
            + " [options] [targets...]\n\n"
            + "Probing options:\n"
            + "   -4, --ipv4         only ping IPv4 addresses\n"
            + "   -6, --ipv6         only ping IPv6 addresses\n"
            + "   -b, --size=BYTES   amount of ping data to send, in bytes (default: 56)\n"
            + "   -B, --backoff=N    set exponential backoff factor to N (default: 1.5)\n"
            + "   -c, --count=N      count mode: send N pings to each target\n"
            + "   -f, --file=FILE    read list of targets from a file ( - means stdin)\n"
            + "   -g, --generate     generate target list (only if no -f specified)\n"
            + "                      (give start and end IP in the target list, or a CIDR address)\n"
            + "                      (ex. "
            + p
            + " -g 192.168.1.0 192.168.1.255 or "
            + p
            + " -g 192.168.1.0/24)\n"
            + "   -H, --ttl=N        set the IP TTL value (Time To Live hops)\n"
            + "   -I, --iface=IFACE  bind to a particular interface\n"
            + "   -l, --loop         loop mode: send pings forever\n"
            + "   -m, --all          use all IPs of provided hostnames (e.g. IPv4 and IPv6), use with -A\n"
            + "   -M, --dontfrag     set the Don't Fragment flag\n"
            + "   -O, --tos=N        set the type of service (tos) flag on the ICMP packets\n"
            + "   -p, --period=MSEC  interval between ping packets to one target (in ms)\n"
            + "                      (in loop and count modes, default: "
            + Math.round(periodNs / 1e6)
            + " ms)\n"
            + "   -r, --retry=N      number of retries (default: 3)\n"
            + "   -R, --random       random packet data (to foil link data compression)\n"
            + "   -S, --src=IP       set source address\n"
            + "   -t, --timeout=MSEC individual target initial timeout (default: "
            + Math.round(timeoutNs / 1e6)
            + " ms,\n"
            + "                      except with -l/-c/-C, where it's the -p period up to 2000 ms)\n"
            + "\n"
            + "Output options:\n"
            + "   -a, --alive        show targets that are alive\n"
            + "   -A, --addr         show targets by address\n"
            + "   -C, --vcount=N     same as -c, report results in verbose format\n"
            + "   -d, --rdns         show targets by name (force reverse-DNS lookup)\n"
            + "   -D, --timestamp    print timestamp before each output line\n"
            + "   -e, --elapsed      show elapsed time on return packets\n"
            + "   -i, --interval=MSEC  interval between sending ping packets (default: "
            + Math.round(intervalNs / 1e6)
            + " ms)\n"
            + "   -n, --name         show targets by name (reverse-DNS lookup for target IPs)\n"
            + "   -N, --netdata      output compatible for netdata (-l -Q are required)\n"
            + "   -o, --outage       show the accumulated outage time (lost packets * packet interval)\n"
            + "   -q, --quiet        quiet (don't show per-target/per-ping results)\n"
            + "   -Q, --squiet=SECS  same as -q, but add interval summary every SECS seconds\n"
            + "   -s, --stats        print final stats\n"
            + "   -u, --unreach      show targets that are unreachable\n"
            + "   -v, --version      show version\n"
            + "   -x, --reachable=N  shows if >=N hosts are reachable or not\n";
    // fping 5.1's text ends there, byte for byte; icmpecho's own options follow under its own
    // names (sweep)
    if (!icmpechoName) return fping;
    return fping
        + "   -X, --fast-reachable=N exits true immediately when N hosts are found\n"
        + "\n"
        + "icmpecho's own options (long only; run as fping too):\n"
        + "   --json             JSON Lines on stdout: each answer or timeout, then a summary per target\n"
        + "   --rate=PPS         send at most PPS echoes per second in all (instead of -i)\n"
        + "   --max-in-flight=N  at most N echoes outstanding at once (default: "
        + FpingLoop.WINDOW
        + ")\n"
        + "   --sockets=N        sockets (and I/O threads) per address family, 1..8 (default: 2 for\n"
        + "                      more than 1024 targets on 2 or more cores, else 1)\n"
        + "   --netns=NAME       send from inside network namespace NAME (needs CAP_SYS_ADMIN)\n"
        + "   --raw              raw sockets (CAP_NET_RAW) instead of unprivileged ping sockets\n"
        + "   --stacktrace       on a failure, print the stack trace too\n"
        + "   -g also takes an IPv6 block or range here (ex. "
        + p
        + " -g 2001:db8::/120)\n"
        + "\n"
        + "Exit status (as fping): 0 all targets alive, 1 some unreachable or invalid arguments,\n"
        + "2 a name did not resolve, 4 system failure (no privilege, socket error).\n";
  }

  /** A whole number, all of {@code s} (icmpecho's own options are read strictly); -1 if not. */
  private static long whole(String s) {
    if (s.isEmpty() || s.length() > 12 || !s.chars().allMatch(Character::isDigit)) return -1;
    return Long.parseLong(s);
  }

  /** {@code sscanf("%i")}: decimal, 0x hex or 0 octal prefix; null when nothing reads. */
  private static Long scanInt(String s) {
    String t = s.strip();
    boolean neg = t.startsWith("-");
    if (neg || t.startsWith("+")) t = t.substring(1);
    int radix = 10, i = 0;
    if (t.startsWith("0x") || t.startsWith("0X")) {
      radix = 16;
      i = 2;
    } else if (t.startsWith("0") && t.length() > 1) {
      radix = 8;
      i = 1;
    }
    int j = i;
    while (j < t.length() && Character.digit(t.charAt(j), radix) >= 0 && j - i < 12) j++;
    if (j == i) return radix == 8 ? Long.valueOf(0) : null;
    long v = Long.parseLong(t.substring(i, j), radix);
    return neg ? -v : v;
  }

  private static InetAddress literal(String s) {
    try {
      return InetAddress.ofLiteral(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
