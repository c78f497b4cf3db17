package org.icmpecho.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Standard output that stops the command when it cannot be written: a {@link java.io.PrintWriter}
 * would swallow the error, and {@code icmpecho ping HOST | head -1} would then ping on forever into
 * a closed pipe. The first failed write throws {@link Failed} (unchecked, so it passes through
 * {@code PrintWriter} and ends the command), and so does every later one. {@link Errors} turns it
 * into the exit status: a closed pipe ({@code EPIPE}) ends silently with 141, as a C tool killed by
 * {@code SIGPIPE} does in a shell; any other error (a full disk, {@code /dev/full}) prints {@code
 * write error: REASON} and ends with the command's failure status.
 */
final class Stdout extends OutputStream {
  private final OutputStream os;
  private IOException failure;

  Stdout(OutputStream os) {
    this.os = os;
  }

  /** Standard output could not be written. */
  static final class Failed extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    Failed(IOException cause) {
      super(cause.getMessage(), cause);
    }

    /**
     * The reader went away (EPIPE): the JDK ignores SIGPIPE, so this is the error the write reports
     * instead.
     */
    boolean brokenPipe() {
      return "Broken pipe".equals(getCause().getMessage());
    }
  }

  @Override
  public synchronized void write(int b) {
    check();
    try {
      os.write(b);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    check();
    try {
      os.write(b, off, len);
    } catch (IOException e) {
      throw fail(e);
    }
  }

  @Override
  public synchronized void flush() {
    check();
    try {
      os.flush();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  private void check() {
    if (failure != null) throw new Failed(failure);
  }

  private Failed fail(IOException e) {
    failure = e;
    return new Failed(e);
  }
}
