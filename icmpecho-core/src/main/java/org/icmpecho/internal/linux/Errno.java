package org.icmpecho.internal.linux;

/**
 * The errno values the engine meets, with their Linux numbers (x86-64 and aarch64 share them) and
 * texts. errno becomes a typed Java value here and nowhere else.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EINTR(4, "Interrupted system call"),
  EIO(5, "Input/output error"),
  EBADF(9, "Bad file descriptor"),
  EAGAIN(11, "Resource temporarily unavailable"),
  ENOMEM(12, "Cannot allocate memory"),
  EACCES(13, "Permission denied"),
  EFAULT(14, "Bad address"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  EINVAL(22, "Invalid argument"),
  ENFILE(23, "Too many open files in system"),
  EMFILE(24, "Too many open files"),
  ENOSPC(28, "No space left on device"),
  EPIPE(32, "Broken pipe"),
  ENONET(64, "Machine is not on the network"),
  EPROTO(71, "Protocol error"),
  EMSGSIZE(90, "Message too long"),
  ENOPROTOOPT(92, "Protocol not available"),
  EPROTONOSUPPORT(93, "Protocol not supported"),
  ESOCKTNOSUPPORT(94, "Socket type not supported"),
  EOPNOTSUPP(95, "Operation not supported"),
  EAFNOSUPPORT(97, "Address family not supported by protocol"),
  EADDRINUSE(98, "Address already in use"),
  EADDRNOTAVAIL(99, "Cannot assign requested address"),
  ENETDOWN(100, "Network is down"),
  ENETUNREACH(101, "Network is unreachable"),
  ECONNRESET(104, "Connection reset by peer"),
  ENOBUFS(105, "No buffer space available"),
  ENOTCONN(107, "Transport endpoint is not connected"),
  ETIMEDOUT(110, "Connection timed out"),
  ECONNREFUSED(111, "Connection refused"),
  EHOSTDOWN(112, "Host is down"),
  EHOSTUNREACH(113, "No route to host");

  private static final Errno[] BY_NUMBER = new Errno[128];

  static {
    for (Errno e : values()) BY_NUMBER[e.number] = e;
  }

  private final int number;
  private final String text;

  Errno(int number, String text) {
    this.number = number;
    this.text = text;
  }

  public int number() {
    return number;
  }

  public String text() {
    return text;
  }

  /** The constant for {@code number}, or null when it is not one the engine knows. */
  public static Errno of(int number) {
    return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
  }

  /** The symbolic name, or {@code "errno N"} for an unknown one. */
  public static String name(int number) {
    Errno e = of(number);
    return e == null ? "errno " + number : e.name();
  }

  /** The text, as strerror gives it. */
  public static String message(int number) {
    Errno e = of(number);
    return e == null ? "Unknown error " + number : e.text;
  }
}
