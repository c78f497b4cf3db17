package org.icmpecho.internal;

import org.icmpecho.IcmpException;
import org.icmpecho.IcmpPermissionException;
import org.icmpecho.IcmpUnsupportedException;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.transport.SocketKind;
import org.icmpecho.internal.transport.TransportException;

/** Where the transport's vocabulary becomes the public API's: its failures and its socket kinds. */
final class Failures {
  private Failures() {}

  /** The public exception for a transport failure, by its kind. */
  static IcmpException toPublic(TransportException e) {
    return switch (e.kind()) {
      case PERMISSION_DENIED ->
          new IcmpPermissionException(e.getMessage(), e.operation(), e.errorName());
      case UNSUPPORTED ->
          new IcmpUnsupportedException(e.getMessage(), e.operation(), e.errorName());
      case FAILED -> new IcmpException(e.getMessage(), e.operation(), e.errorName());
    };
  }

  /** {@code "client closed"}: what pending and later echoes of a closed client fail with. */
  static IcmpException clientClosed() {
    return new IcmpException("client closed", null, null);
  }

  static SocketKind kind(SocketMode mode) {
    return switch (mode) {
      case AUTO -> SocketKind.AUTO;
      case DATAGRAM -> SocketKind.DATAGRAM;
      case RAW -> SocketKind.RAW;
    };
  }

  static SocketMode mode(SocketKind kind) {
    return switch (kind) {
      case AUTO -> SocketMode.AUTO;
      case DATAGRAM -> SocketMode.DATAGRAM;
      case RAW -> SocketMode.RAW;
    };
  }
}
