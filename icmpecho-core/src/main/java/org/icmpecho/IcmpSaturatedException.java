package org.icmpecho;

/**
 * The client already has {@link IcmpClient.Builder#maxInFlight} echoes in flight: this one was not
 * sent. It is the caller's back-pressure signal (wait for outcomes, or build the client with a
 * larger limit), reported as an {@link IcmpException} so that a blocking {@link IcmpClient#echo}
 * keeps to its {@code throws IOException} contract.
 */
public final class IcmpSaturatedException extends IcmpException {
  private static final long serialVersionUID = 1L;

  /** The limit that was reached, in {@code message}. */
  public IcmpSaturatedException(String message) {
    super(message, null, null);
  }
}
