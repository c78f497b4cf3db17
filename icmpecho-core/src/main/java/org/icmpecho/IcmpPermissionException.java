package org.icmpecho;

/**
 * Neither an unprivileged ping socket nor a raw socket may be opened. The message names {@code
 * net.ipv4.ping_group_range} (with this process's group and the current range) and {@code
 * CAP_NET_RAW}, and how to grant either.
 */
public final class IcmpPermissionException extends IcmpException {
  private static final long serialVersionUID = 1L;

  /** As {@link IcmpException#IcmpException(String, String, String)}. */
  public IcmpPermissionException(String message, String syscall, String errno) {
    super(message, syscall, errno);
  }
}
