package org.icmpecho.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IpStatus;

/** Runs commands in-process (the {@link Main#commandLine} factory) with a scripted engine, resolver and Ctrl-C. */
final class Harness {

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

  /** One scripted answer: the outcome (null = never answers), after how long, how many duplicates, or a failure. */
  record Answer(EchoResult result, long delayMillis, int duplicates, Throwable failure) {}

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

  /** An engine whose answers come from a script; records every request. */
  static final class FakeProber implements Prober {
    final List<EchoRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Long> sendTimes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final BiFunction<EchoRequest, Integer, Answer> script;
    private final ScheduledExecutorService timer;
    volatile Exception openFailure;
    volatile Prober.Options options;
    private final AtomicInteger seq = new AtomicInteger();

    /** @param threads how many threads complete the echoes (the real engine: one per socket) */
    FakeProber(BiFunction<EchoRequest, Integer, Answer> script, int threads) {
      this.script = script;
      this.timer = Executors.newScheduledThreadPool(threads, r -> {
        Thread t = new Thread(r, "fake-engine");
        t.setDaemon(true);
        return t;
      });
    }

    @Override
    public CompletableFuture<EchoResult> echo(EchoRequest request, Consumer<EchoResult.Reply> onDuplicate) {
      int s = seq.incrementAndGet();
      requests.add(request);
      sendTimes.add(System.nanoTime());
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      Answer a = script.apply(request, s);
      CompletableFuture<EchoResult> f = new CompletableFuture<>();
      if (a.failure() != null) {
        timer.schedule(() -> {
          inFlight.decrementAndGet();
          f.completeExceptionally(a.failure());
        }, a.delayMillis(), TimeUnit.MILLISECONDS);
        return f;
      }
      EchoResult r = a.result() != null ? a.result() : new EchoResult.TimedOut(request, request.timeout(), s);
      long delay = a.result() != null ? a.delayMillis() : request.timeout().toMillis();
      timer.schedule(() -> {
        inFlight.decrementAndGet(); // before completing: the command may send the next one at once
        f.complete(r);
        if (r instanceof EchoResult.Reply reply && onDuplicate != null) {
          for (int i = 0; i < a.duplicates(); i++) onDuplicate.accept(reply);
        }
      }, delay, TimeUnit.MILLISECONDS);
      return f;
    }

    @Override
    public void open(StandardProtocolFamily family) throws java.io.IOException {
      if (openFailure instanceof java.io.IOException io) throw io;
    }

    final AtomicInteger closed = new AtomicInteger();

    @Override
    public void close() {
      closed.incrementAndGet(); // the timer (a daemon thread) lives on: one harness may run several commands
    }
  }

  // --- answers

  static Answer reply(EchoRequest r, int seq, double rttMs) {
    return new Answer(new EchoResult.Reply(r, r.target(), ms(rttMs), 64, 0, r.payloadSize() + 8, seq), 1, 0, null);
  }

  static Answer replyWithDuplicates(EchoRequest r, int seq, double rttMs, int dups) {
    return new Answer(new EchoResult.Reply(r, r.target(), ms(rttMs), 64, 0, r.payloadSize() + 8, seq), 1, dups, null);
  }

  static Answer icmpError(EchoRequest r, int seq, IpStatus status, String from, int type, int code, int info) {
    return new Answer(new EchoResult.IcmpError(r, status, addr(from), ms(0.5), type, code, info, seq), 1, 0, null);
  }

  static Answer silence() {
    return new Answer(null, 0, 0, null);
  }

  static Answer failure(Throwable t) {
    return new Answer(null, 0, 0, t);
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
  volatile String stdin = "";

  Harness(BiFunction<EchoRequest, Integer, Answer> script) {
    this(script, Map.of("localhost", "127.0.0.1", "router.test", "10.0.0.1"));
  }

  Harness(BiFunction<EchoRequest, Integer, Answer> script, Map<String, String> names) {
    this(script, names, 1);
  }

  Harness(BiFunction<EchoRequest, Integer, Answer> script, Map<String, String> names, int engineThreads) {
    this.prober = new FakeProber(script, engineThreads);
    this.names = names;
  }

  Env env() {
    Resolver fake = new Resolver() {
      @Override
      public InetAddress resolve(String host, Family family) throws UnknownHostException {
        String literal = names.getOrDefault(host, host);
        if (!Resolver.isLiteral(literal)) throw new UnknownHostException(host + ": Name or service not known");
        InetAddress a = InetAddress.ofLiteral(literal.replace("[", "").replace("]", ""));
        if (!family.accepts(a)) throw new UnknownHostException(host + ": Address family for hostname not supported");
        return a;
      }

      @Override
      public String reverse(InetAddress address) {
        String literal = Addr.text(address);
        return names.entrySet().stream().filter(e -> e.getValue().equals(literal)).map(Map.Entry::getKey).findFirst().orElse(literal);
      }
    };
    return new Env(
        o -> {
          prober.options = o;
          return prober;
        },
        fake,
        () -> new ByteArrayInputStream(stdin.getBytes()),
        signals,
        () -> false,
        () -> netRaw);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env());
    return new Result(status, out.toString(), err.toString());
  }

  /** Runs in-process with the real engine and resolver: for loopback only. */
  static Result real(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Env.system());
    return new Result(status, out.toString(), err.toString());
  }

  static IcmpPermissionException noPermission() {
    return new IcmpPermissionException(
        "no ICMP socket: ping sockets are off (net.ipv4.ping_group_range = 1 0 excludes group 1000) and CAP_NET_RAW is missing",
        "socket",
        "EACCES");
  }
}
