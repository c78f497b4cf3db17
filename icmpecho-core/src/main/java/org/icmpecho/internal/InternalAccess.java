package org.icmpecho.internal;

import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.icmpecho.IcmpClient;
import org.icmpecho.internal.linux.LinuxTransport;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * Lets the project's own modules (the test lab) set {@link EngineConfig} fields that the public
 * builder does not offer, such as a fake transport or code run first on the I/O thread. Exported
 * only to {@code org.icmpecho.testkit} and {@code org.icmpecho.bench}.
 */
public final class InternalAccess {
  private static volatile BiConsumer<IcmpClient.Builder, UnaryOperator<EngineConfig>> configurer;

  private static volatile java.util.function.Function<IcmpClient, Engine> engines;

  private InternalAccess() {}

  /** Called once by {@link IcmpClient}'s static initialiser. */
  public static void setEngineAccess(java.util.function.Function<IcmpClient, Engine> e) {
    engines = e;
  }

  /**
   * How many sockets of its own the client has given to threads for blocking echoes (see {@code
   * Engine#await}): lets the lab check which path its echoes took.
   */
  public static int callerSockets(IcmpClient client) {
    if (engines == null) IcmpClient.newBuilder();
    return engines.apply(client).callerSocketCount();
  }

  /**
   * The client's engine, for the lab's reachability checks (a closed client must not be kept
   * alive).
   */
  public static Object engine(IcmpClient client) {
    if (engines == null) IcmpClient.newBuilder();
    return engines.apply(client);
  }

  /**
   * The transport a client uses when none is configured (Linux sockets): for the bench's floor
   * measurement.
   */
  public static TransportFactory systemTransport() {
    return LinuxTransport.INSTANCE;
  }

  /** Called once by {@link IcmpClient}'s static initialiser. */
  public static void setConfigurer(BiConsumer<IcmpClient.Builder, UnaryOperator<EngineConfig>> c) {
    configurer = c;
  }

  /** Applies {@code change} to the builder's engine configuration and returns the builder. */
  public static IcmpClient.Builder configure(
      IcmpClient.Builder builder, UnaryOperator<EngineConfig> change) {
    if (configurer == null) {
      IcmpClient.newBuilder(); // runs IcmpClient's static initialiser
    }
    configurer.accept(builder, change);
    return builder;
  }
}
