package org.icmpecho.cli;

import static org.icmpecho.cli.Harness.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Standard output that fails under a command ({@link Stdout}): a closed pipe ends even an endless
 * run, silently and with 141; a full device ends it with {@code write error: ...} and the command's
 * failure status. Scripted engine; the real pipes and {@code /dev/full} are in {@code
 * LauncherTest}.
 */
class OutputErrorTest {

  /**
   * Takes {@code room} bytes, then fails every write with {@code message} (as the kernel's EPIPE or
   * ENOSPC read).
   */
  static final class Failing extends OutputStream {
    private final String message;
    private long room;

    Failing(long room, String message) {
      this.room = room;
      this.message = message;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > room) throw new IOException(message);
      room -= len;
    }
  }

  static Harness.Result run(OutputStream stdout, String... args) {
    Harness h = new Harness((r, s) -> reply(r, s, 0.05));
    StringWriter err = new StringWriter();
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(new Stdout(stdout), StandardCharsets.UTF_8), false);
    int status =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20), // bounded: the old code never ended these
            () -> Main.run(args, out, new PrintWriter(err, true), h.env()));
    return new Harness.Result(status, "", err.toString());
  }

  @Test
  void aClosedPipeEndsEvenEndlessRunsSilentlyWith141() {
    for (String[] args :
        new String[][] {
          {"ping", "-i", "0.01", "127.0.0.1"},
          {"ping", "--json", "-i", "0.01", "127.0.0.1"},
          {"sweep", "-c", "100000", "-p", "10", "127.0.0.1"},
          {"sweep", "--json", "-c", "100000", "-p", "10", "127.0.0.1"},
          {"fping", "-c", "100000", "-p", "10", "127.0.0.1"}, // the personality, outside picocli
          {"trace", "-n", "-q", "1", "127.0.0.1"}
        }) {
      Harness.Result r =
          run(
              new Failing(args[0].equals("trace") ? 0 : 100, "Broken pipe"),
              args); // trace: 1 short line
      assertEquals(141, r.status(), String.join(" ", args) + "\n" + r);
      // Nothing said about it.
      assertEquals("", r.err(), String.join(" ", args));
    }
  }

  @Test
  void aFullDeviceIsAWriteErrorWithTheCommandsFailureStatus() {
    Harness.Result r =
        run(new Failing(0, "No space left on device"), "ping", "-i", "0.01", "127.0.0.1");
    assertEquals(2, r.status(), r::toString);
    assertEquals("ping: write error: No space left on device\n", r.err());

    r = run(new Failing(0, "No space left on device"), "ping", "-c", "1", "127.0.0.1");
    assertEquals(2, r.status(), r::toString);

    r = run(new Failing(0, "No space left on device"), "fping", "-c", "2", "-p", "20", "127.0.0.1");
    assertEquals(4, r.status(), r::toString);
    assertEquals("fping: write error: No space left on device\n", r.err());

    r = run(new Failing(0, "No space left on device"), "sweep", "-c", "2", "-p", "10", "127.0.0.1");
    assertEquals(4, r.status(), r::toString);
    assertEquals("icmpecho sweep: write error: No space left on device\n", r.err());

    // Output left in the buffer when the command returns is written before its status counts.
    r = run(new Failing(0, "No space left on device"), "generate-completion");
    assertEquals(2, r.status(), r::toString);
    assertEquals("icmpecho generate-completion: write error: No space left on device\n", r.err());
  }
}
