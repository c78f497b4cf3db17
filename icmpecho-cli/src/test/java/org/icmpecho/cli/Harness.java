package org.icmpecho.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IpStatus;
import org.icmpecho.testkit.ScriptedNetwork;
import org.junit.jupiter.api.Assertions;

/**
 * Runs commands in-process (the {@link Main#commandLine} factory) with a scripted engine, resolver
 * and Ctrl-C.
 */
final class Harness {
  /**
   * Kills a started command and all it started. The launcher runs the fping and ping JVMs in a
   * session of their own (setsid), which outlives a killed launcher: a looping fping would go on
   * for ever.
   */
  static void destroyTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly); // first: a dead parent has none
    p.destroyForcibly();
  }

  /**
   * Runs {@code pb} (an fping loop: {@code -l -p 100 127.0.0.1}) and drives it as fping's users do:
   * SIGQUIT prints the interval counts and keeps it running (no HotSpot thread dump), SIGINT ends
   * it with exit 0 and the final counts. {@code whileRunning} checks the live process once its
   * first answers are out.
   */
  static void checkFpingLoopSignals(
      ProcessBuilder pb, java.util.function.Consumer<Process> whileRunning) throws Exception {
    java.nio.file.Path out = java.nio.file.Files.createTempFile("fping-loop", ".out");
    java.nio.file.Path err = java.nio.file.Files.createTempFile("fping-loop", ".err");
    Process p =
        pb.redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    try {
      long end = System.nanoTime() + 60_000_000_000L;
      while (java.nio.file.Files.readString(out).split("\n", -1).length < 3
          && System.nanoTime() < end) Thread.sleep(20);
      String first = java.nio.file.Files.readString(out);
      Assertions.assertTrue(
          first.startsWith("127.0.0.1 : [0], 64 bytes, "),
          first + java.nio.file.Files.readString(err));
      whileRunning.accept(p);
      new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor();
      end = System.nanoTime() + 20_000_000_000L;
      while (!java.nio.file.Files.readString(err).contains("xmt/rcv") && System.nanoTime() < end)
        Thread.sleep(20);
      String o = java.nio.file.Files.readString(out);
      String head = o.substring(0, Math.min(o.length(), 600));
      Assertions.assertTrue(
          java.nio.file.Files.readString(err).contains("xmt/rcv"),
          "no counts on SIGQUIT; stdout:\n" + head);
      Assertions.assertFalse(o.contains("Full thread dump"), head);
      Assertions.assertTrue(p.isAlive(), "SIGQUIT does not end the loop");
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      Assertions.assertTrue(
          p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "SIGINT ends the loop");
      Assertions.assertEquals(0, p.exitValue());
      String e = java.nio.file.Files.readString(err);
      Assertions.assertTrue(
          e.matches(
              "(?s)\n\\[\\d\\d:\\d\\d:\\d\\d]\n127\\.0\\.0\\.1 : xmt/rcv/%loss = \\d+/\\d+/0%, min/avg/max = .*\n"
                  + "\n127\\.0\\.0\\.1 : xmt/rcv/%loss = \\d+/\\d+/0%, min/avg/max = [\\d./]+\n"),
          e);
    } finally {
      destroyTree(p);
      java.nio.file.Files.deleteIfExists(out);
      java.nio.file.Files.deleteIfExists(err);
    }
  }

  /** What one command run printed and returned. */
  record Result(int status, String out, String err) {
    List<String> outLines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Override
    public String toString() {
      return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /**
   * One scripted answer: the outcome (null = never answers), after how long, how many duplicates.
   */
  record Answer(EchoResult result, long delayMillis, int duplicates) {}

  /** Ctrl-C under the test's control. */
  static final class ManualSignals implements Env.Signals {
    final AtomicReference<Runnable> action = new AtomicReference<>();

    @Override
    public Runnable onInterrupt(Runnable a) {
      action.set(a);
      return () -> action.set(null);
    }

    void interrupt() {
      Runnable a = action.get();
      if (a != null) a.run();
    }
  }

  /**
   * The engine over a scripted network ({@link ScriptedNetwork}): a real {@code IcmpClient}, its
   * schedules and timeouts, whose answers come from the script; records every request the commands'
   * echoes carried.
   */
  static final class FakeProber {
    final ScriptedNetwork network;
    final List<EchoRequest> requests;
    final List<Long> sendTimes;
    final AtomicInteger maxInFlight;

    /** Opening a socket fails with this (e.g. {@link #noPermission()}). */
    volatile IcmpException openFailure;

    /** Opening a socket bound to a source address or interface fails with this. */
    volatile IcmpException boundOpenFailure;

    volatile Prober.Options options;

    FakeProber(BiFunction<EchoRequest, Integer, Answer> script) {
      this.network =
          new ScriptedNetwork(
              (r, n) -> {
                Answer a = script.apply(r, n);
                return new ScriptedNetwork.Answer(a.result(), a.delayMillis(), a.duplicates());
              });
      this.requests = network.requests;
      this.sendTimes = network.sendTimes;
      this.maxInFlight = network.maxInFlight;
    }

    IcmpClient open(Prober.Options o) {
      options = o;
      network.openFailure = openFailure;
      network.boundOpenFailure = boundOpenFailure;
      return network.configure(o.builder()).build();
    }
  }

  // --- answers

  static Answer reply(EchoRequest r, int seq, double rttMs) {
    return new Answer(
        new EchoResult.Reply(r, r.target(), ms(rttMs), 64, 0, r.payloadSize() + 8, seq), 0, 0);
  }

  static Answer replyWithDuplicates(EchoRequest r, int seq, double rttMs, int dups) {
    return new Answer(
        new EchoResult.Reply(r, r.target(), ms(rttMs), 64, 0, r.payloadSize() + 8, seq), 0, dups);
  }

  static Answer icmpError(
      EchoRequest r, int seq, IpStatus status, String from, int type, int code, int info) {
    return new Answer(
        new EchoResult.IcmpError(r, status, addr(from), ms(0.5), type, code, info, seq), 0, 0);
  }

  static Answer silence() {
    return new Answer(null, 0, 0);
  }

  static Duration ms(double ms) {
    return Duration.ofNanos((long) (ms * 1e6));
  }

  static InetAddress addr(String literal) {
    return InetAddress.ofLiteral(literal);
  }

  // --- running

  final FakeProber prober;
  final ManualSignals signals = new ManualSignals();
  final Map<String, String> names; // forward: name -> literal; reverse is the inverse
  volatile boolean netRaw = true;
  volatile boolean terminal; // stderr is a terminal (icmpecho sweep's progress line)
  volatile String stdin = "";

  Harness(BiFunction<EchoRequest, Integer, Answer> script) {
    this(script, Map.of("localhost", "127.0.0.1", "router.test", "10.0.0.1"));
  }

  Harness(BiFunction<EchoRequest, Integer, Answer> script, Map<String, String> names) {
    this.prober = new FakeProber(script);
    this.names = names;
  }

  Env env() {
    Resolver fake =
        new Resolver() {
          @Override
          public InetAddress resolve(String host, Family family) throws UnknownHostException {
            String literal = names.getOrDefault(host, host);
            if (!Resolver.isLiteral(literal))
              throw new UnknownHostException(host + ": Name or service not known");
            InetAddress a = InetAddress.ofLiteral(literal.replace("[", "").replace("]", ""));
            if (!family.accepts(a))
              throw new UnknownHostException(host + ": Address family for hostname not supported");
            return a;
          }

          @Override
          public String reverse(InetAddress address) {
            String literal = Addr.text(address);
            return names.entrySet().stream()
                .filter(e -> e.getValue().equals(literal))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(literal);
          }
        };
    return new Env(
        prober::open,
        fake,
        () -> new ByteArrayInputStream(stdin.getBytes()),
        signals,
        () -> terminal,
        () -> netRaw);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env());
    return new Result(status, out.toString(), err.toString());
  }

  /** A command running on a thread of its own (to be interrupted): what it printed so far. */
  record Running(Thread thread, StringWriter out, StringWriter err, AtomicInteger status) {
    /** Waits for the end (at most 5 s); the exit status, -1 if it has not ended. */
    int join() throws InterruptedException {
      thread.join(5000);
      return status.get();
    }
  }

  /** Starts a command through {@link Main#commandLine} (picocli's tree) on a thread of its own. */
  Running start(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread t =
        Thread.ofPlatform()
            .start(
                () ->
                    status.set(
                        Main.commandLine(
                                new PrintWriter(out, true), new PrintWriter(err, true), env())
                            .execute(args)));
    return new Running(t, out, err, status);
  }

  /** Runs in-process with the real engine and resolver: for loopback only. */
  static Result real(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int status =
        Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Env.system());
    return new Result(status, out.toString(), err.toString());
  }

  static IcmpPermissionException noPermission() {
    return new IcmpPermissionException(
        "no ICMP socket: ping sockets are off (net.ipv4.ping_group_range = 1 0 excludes group 1000) and CAP_NET_RAW is missing",
        "socket",
        "EACCES");
  }
}
