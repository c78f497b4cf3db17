package org.icmpecho.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import org.icmpecho.SocketMode;

/**
 * Everything an {@link Engine} is built from. Immutable; the public builder makes copies with one field changed.
 *
 * @param callbackExecutor null for the default (a virtual thread per batch of completions)
 * @param transportFactory how sockets are made: the Linux one in production, a fake in engine tests
 * @param ioThreadSetup run first on each I/O thread, before it opens anything (tests drop capabilities with it);
 *     null for none
 */
public record EngineConfig(
    SocketMode socketMode,
    String networkNamespace,
    int maxInFlight,
    int socketsPerFamily,
    Executor callbackExecutor,
    int receiveBufferSize,
    Duration duplicateWindow,
    TransportFactory transportFactory,
    Runnable ioThreadSetup) {

  public static EngineConfig defaults() {
    return new EngineConfig(SocketMode.AUTO, null, 1 << 20, 1, null, 4 << 20, Duration.ofSeconds(10), null, null);
  }

  public EngineConfig withSocketMode(SocketMode v) {
    return new EngineConfig(v, networkNamespace, maxInFlight, socketsPerFamily, callbackExecutor, receiveBufferSize,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withNetworkNamespace(String v) {
    return new EngineConfig(socketMode, v, maxInFlight, socketsPerFamily, callbackExecutor, receiveBufferSize,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withMaxInFlight(int v) {
    return new EngineConfig(socketMode, networkNamespace, v, socketsPerFamily, callbackExecutor, receiveBufferSize,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withSocketsPerFamily(int v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, v, callbackExecutor, receiveBufferSize,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withCallbackExecutor(Executor v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, socketsPerFamily, v, receiveBufferSize,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withReceiveBufferSize(int v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, socketsPerFamily, callbackExecutor, v,
        duplicateWindow, transportFactory, ioThreadSetup);
  }

  public EngineConfig withDuplicateWindow(Duration v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, socketsPerFamily, callbackExecutor,
        receiveBufferSize, v, transportFactory, ioThreadSetup);
  }

  public EngineConfig withTransportFactory(TransportFactory v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, socketsPerFamily, callbackExecutor,
        receiveBufferSize, duplicateWindow, v, ioThreadSetup);
  }

  public EngineConfig withIoThreadSetup(Runnable v) {
    return new EngineConfig(socketMode, networkNamespace, maxInFlight, socketsPerFamily, callbackExecutor,
        receiveBufferSize, duplicateWindow, transportFactory, v);
  }

  @Override
  public String toString() {
    return socketMode + (networkNamespace == null ? "" : ", netns=" + networkNamespace);
  }
}
