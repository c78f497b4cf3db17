package org.icmpecho;

/**
 * The system cannot do what was asked: no IPv6, not Linux, an unknown network namespace or
 * interface.
 */
public final class IcmpUnsupportedException extends IcmpException {
  private static final long serialVersionUID = 1L;

  /** As {@link IcmpException#IcmpException(String, String, String)}. */
  public IcmpUnsupportedException(String message, String syscall, String errno) {
    super(message, syscall, errno);
  }
}
