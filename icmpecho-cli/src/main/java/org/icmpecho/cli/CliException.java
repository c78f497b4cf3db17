package org.icmpecho.cli;

/**
 * An expected failure of a command, with the exit status it ends in and the one line to print (no
 * stack trace unless {@code --stacktrace}).
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean usageHint;

  CliException(int status, String message, boolean usageHint) {
    super(message);
    this.status = status;
    this.usageHint = usageHint;
  }

  CliException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.usageHint = true;
  }

  int status() {
    return status;
  }

  boolean usageHint() {
    return usageHint;
  }
}
