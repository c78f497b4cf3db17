package org.icmpecho;

import java.io.IOException;

/**
 * A system failure of the ICMP engine: a socket that cannot be opened or configured, a namespace
 * that cannot be entered, an I/O thread that died. The failure of a single echo is an {@link
 * EchoResult}, not this.
 */
public class IcmpException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The symbolic errno, or null. */
  private final String errno;

  /** The failing system call, or null. */
  private final String syscall;

  /**
   * A failure of a system call.
   *
   * @param message what failed, with the hint to fix it
   * @param syscall the failing system call, or null
   * @param errno the symbolic errno (e.g. {@code "EACCES"}), or null
   */
  public IcmpException(String message, String syscall, String errno) {
    super(message);
    this.syscall = syscall;
    this.errno = errno;
  }

  /** A failure with an underlying cause (no system call of its own). */
  public IcmpException(String message, Throwable cause) {
    super(message, cause);
    this.syscall = null;
    this.errno = null;
  }

  /** The symbolic errno of the failing call (e.g. {@code "EACCES"}), or null. */
  public String errno() {
    return errno;
  }

  /** The failing system call, or null. */
  public String syscall() {
    return syscall;
  }
}
