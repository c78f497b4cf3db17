package org.icmpecho.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.icmpecho.EchoRequest;
import org.icmpecho.SocketMode;
import org.icmpecho.internal.transport.TransportFactory;

/**
 * Everything an {@link Engine} is built from. Immutable: each {@code withX} returns a changed copy,
 * so the public builder and the test lab's {@link InternalAccess} hook can share one instance
 * safely.
 */
public final class EngineConfig implements Cloneable {
  private SocketMode socketMode = SocketMode.AUTO;
  private String networkNamespace;
  private int maxInFlight = 1 << 20;
  private int socketsPerFamily = 1;
  private Executor callbackExecutor;
  private int receiveBufferSize = 4 << 20;
  private Duration duplicateWindow = Duration.ofSeconds(10);
  private TransportFactory transportFactory;
  private Runnable ioThreadSetup;
  private Consumer<EchoRequest> submitted;
  private int callerSockets = Integer.getInteger("icmpecho.callerSockets", 16);

  private EngineConfig() {}

  public static EngineConfig defaults() {
    return new EngineConfig();
  }

  private EngineConfig with(Consumer<EngineConfig> change) {
    try {
      EngineConfig c = (EngineConfig) clone();
      change.accept(c);
      return c;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  public SocketMode socketMode() {
    return socketMode;
  }

  /** The network namespace the I/O threads enter, or null for the process's own. */
  public String networkNamespace() {
    return networkNamespace;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** Sockets per family for default traffic, i.e. I/O loops. */
  public int socketsPerFamily() {
    return socketsPerFamily;
  }

  /** Where futures complete; null for the default (one completion thread per I/O loop). */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  public int receiveBufferSize() {
    return receiveBufferSize;
  }

  public Duration duplicateWindow() {
    return duplicateWindow;
  }

  /** How sockets are made: null for the Linux transport, a fake in engine tests. */
  public TransportFactory transportFactory() {
    return transportFactory;
  }

  /**
   * Run first on each I/O thread, before it opens anything (tests drop capabilities with it); or
   * null.
   */
  public Runnable ioThreadSetup() {
    return ioThreadSetup;
  }

  /**
   * Told each echo's request as it is handed to a loop (the test lab records what a program sent);
   * or null.
   */
  public Consumer<EchoRequest> submitted() {
    return submitted;
  }

  /**
   * How many platform threads may have a ping socket of their own for blocking echoes (system
   * property {@code icmpecho.callerSockets}, default 16; 0 turns them off).
   */
  public int callerSockets() {
    return callerSockets;
  }

  public EngineConfig withSocketMode(SocketMode v) {
    return with(c -> c.socketMode = v);
  }

  public EngineConfig withNetworkNamespace(String v) {
    return with(c -> c.networkNamespace = v);
  }

  public EngineConfig withMaxInFlight(int v) {
    return with(c -> c.maxInFlight = v);
  }

  public EngineConfig withSocketsPerFamily(int v) {
    return with(c -> c.socketsPerFamily = v);
  }

  public EngineConfig withCallbackExecutor(Executor v) {
    return with(c -> c.callbackExecutor = v);
  }

  public EngineConfig withReceiveBufferSize(int v) {
    return with(c -> c.receiveBufferSize = v);
  }

  public EngineConfig withDuplicateWindow(Duration v) {
    return with(c -> c.duplicateWindow = v);
  }

  public EngineConfig withTransportFactory(TransportFactory v) {
    return with(c -> c.transportFactory = v);
  }

  public EngineConfig withIoThreadSetup(Runnable v) {
    return with(c -> c.ioThreadSetup = v);
  }

  public EngineConfig withSubmitted(Consumer<EchoRequest> v) {
    return with(c -> c.submitted = v);
  }

  public EngineConfig withCallerSockets(int v) {
    return with(c -> c.callerSockets = v);
  }

  @Override
  public String toString() {
    return socketMode
        + (networkNamespace == null ? "" : ", netns=" + networkNamespace)
        + (socketsPerFamily == 1 ? "" : ", " + socketsPerFamily + " sockets per family");
  }
}
