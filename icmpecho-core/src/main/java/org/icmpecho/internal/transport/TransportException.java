package org.icmpecho.internal.transport;

import java.io.IOException;

/**
 * A failure of the transport, classified for the engine, which turns it into the public exception
 * ({@code IcmpException} and its permission and unsupported kinds). {@code operation} and {@code
 * errorName} name the system call and its error as the platform calls them (on Linux: {@code
 * "socket"}, {@code "EACCES"}), or null.
 */
public final class TransportException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What the engine (and the user) may do about a failure. */
  public enum Kind {
    /** Anything else: the operation failed. */
    FAILED,
    /** The process may not open ICMP sockets here; the message says how to grant it. */
    PERMISSION_DENIED,
    /** The platform lacks what was asked for (a family, an interface, a namespace). */
    UNSUPPORTED
  }

  private final Kind kind;
  private final String operation;
  private final String errorName;

  public TransportException(Kind kind, String message, String operation, String errorName) {
    super(message);
    this.kind = kind;
    this.operation = operation;
    this.errorName = errorName;
  }

  public Kind kind() {
    return kind;
  }

  /** The failed system call, or null. */
  public String operation() {
    return operation;
  }

  /** The platform's name of the error (errno name on Linux), or null. */
  public String errorName() {
    return errorName;
  }
}
