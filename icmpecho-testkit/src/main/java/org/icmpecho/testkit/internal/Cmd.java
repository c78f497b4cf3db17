package org.icmpecho.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.icmpecho.testkit.NetLabException;

/**
 * Runs one command ({@code ip}, {@code nft}, {@code sysctl}) with an argument vector (never a shell
 * line), optional standard input, and a bounded wait. A non-zero exit or a timeout throws a {@link
 * NetLabException} carrying the command, its exit code and its standard error.
 */
public final class Cmd {
  private Cmd() {}

  /** The default bound for one command. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  public static String run(List<String> argv) {
    return run(argv, null, TIMEOUT);
  }

  public static String run(List<String> argv, String stdin) {
    return run(argv, stdin, TIMEOUT);
  }

  /** Runs {@code argv}, feeding {@code stdin} (or nothing), and returns its standard output. */
  public static String run(List<String> argv, String stdin, Duration timeout) {
    Result r = tryRun(argv, stdin, timeout);
    if (r.exitCode != 0) {
      throw new NetLabException(
          "command failed (exit "
              + r.exitCode
              + "): "
              + String.join(" ", argv)
              + (r.stderr.isBlank()
                  ? ""
                  : "\n  stderr: " + r.stderr.strip().replace("\n", "\n          "))
              + (stdin == null ? "" : "\n  stdin:\n" + indent(stdin)));
    }
    return r.stdout;
  }

  /**
   * The outcome of a command that may fail (exit code, stdout, stderr); throws only when it cannot
   * run at all.
   */
  public record Result(int exitCode, String stdout, String stderr) {}

  public static Result tryRun(List<String> argv, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("LC_ALL", "C");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new NetLabException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread tOut = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    Thread tErr = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the command exited early; its exit code and stderr say why
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        throw new NetLabException(
            "command timed out after " + timeout.toMillis() + " ms: " + String.join(" ", argv));
      }
      tOut.join(2000);
      tErr.join(2000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new NetLabException("interrupted while running " + String.join(" ", argv), e);
    }
    synchronized (out) {
      synchronized (err) {
        return new Result(
            p.exitValue(),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream sink) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        synchronized (sink) {
          sink.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // stream closed: nothing more to read
    }
  }

  private static String indent(String s) {
    StringBuilder sb = new StringBuilder();
    String[] lines = s.lines().toArray(String[]::new);
    for (int i = 0; i < Math.min(lines.length, 40); i++)
      sb.append("    ").append(lines[i]).append('\n');
    if (lines.length > 40)
      sb.append("    ... (").append(lines.length - 40).append(" more lines)\n");
    return sb.toString();
  }
}
