package org.icmpecho.testkit;

/**
 * The lab could not build, change or tear down a topology: a command ({@code ip}, {@code nft},
 * {@code sysctl}) failed or timed out, a namespace could not be entered, a responder socket could
 * not be opened. The message carries the command line and its standard error. Unchecked, so
 * fixtures stay short; it always fails the test.
 */
public class NetLabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NetLabException(String message) {
    super(message);
  }

  public NetLabException(String message, Throwable cause) {
    super(message, cause);
  }
}
