package org.icmpecho.winapi;

/** A call rejected with a last error (the Win32 or IP_STATUS code the function then returns). */
final class Fail extends Exception {
  private static final long serialVersionUID = 1L;
  final int error;

  Fail(int error) {
    super(null, null, false, false);
    this.error = error;
  }
}
