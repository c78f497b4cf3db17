package org.icmpecho.cli;

import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;

/**
 * How a command gets its engine: an {@link IcmpClient} built from the command's options. The real
 * one opens sockets; tests build the client over a scripted network (the testkit's {@code
 * ScriptedNetwork}).
 */
final class Prober {
  private Prober() {}

  /**
   * How a command wants its engine: namespace, socket kind, in-flight bound, sockets (I/O loops)
   * per family.
   */
  record Options(
      String networkNamespace, SocketMode socketMode, int maxInFlight, int socketsPerFamily) {

    /** A client builder with these options. */
    IcmpClient.Builder builder() {
      IcmpClient.Builder b =
          IcmpClient.newBuilder()
              .maxInFlight(maxInFlight)
              .socketMode(socketMode)
              .socketsPerFamily(socketsPerFamily);
      if (networkNamespace != null) b.networkNamespace(networkNamespace);
      return b;
    }
  }

  /** Makes the engine of one command run. */
  @FunctionalInterface
  interface Factory {
    IcmpClient open(Options options);
  }

  /**
   * The real engine. Outcomes reach the commands through {@code PingSchedule} listeners on the
   * client's own callback thread, never on the I/O thread.
   */
  static IcmpClient icmp(Options o) {
    return o.builder().build();
  }
}
