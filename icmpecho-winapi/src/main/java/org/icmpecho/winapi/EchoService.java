package org.icmpecho.winapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.util.concurrent.CompletableFuture;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IcmpClient;
import org.icmpecho.SocketMode;

/**
 * Where this layer's echoes go: the one process-wide {@link IcmpClient}, or (in tests) a fake that
 * completes futures by hand. The seam is package-private.
 */
interface EchoService {
  /** Sends one echo; see {@link IcmpClient#echoAsync(EchoRequest)}. */
  CompletableFuture<EchoResult> submit(EchoRequest request);

  /** Opens (once) and checks the default socket of a family; see {@link IcmpClient#socketMode}. */
  SocketMode socketMode(StandardProtocolFamily family) throws IOException, InterruptedException;

  /**
   * The service in use: a test's override, else the shared client (created on first use, never
   * closed).
   */
  static EchoService get() {
    EchoService o = TestOverride.service;
    return o != null ? o : Shared.INSTANCE;
  }

  /** Replaces the service (tests only); null restores the shared client. */
  static void override(EchoService service) {
    TestOverride.service = service;
  }

  /** Holder of a test override. */
  final class TestOverride {
    private TestOverride() {}

    static volatile EchoService service;
  }

  /** Holder of the shared client: created when first needed. */
  final class Shared {
    private Shared() {}

    static final EchoService INSTANCE = new ClientService(IcmpClient.create());
  }

  /** The shared {@link IcmpClient}; a family whose socket opened once is not checked again. */
  final class ClientService implements EchoService {
    private final IcmpClient client;
    private volatile SocketMode v4;
    private volatile SocketMode v6;

    ClientService(IcmpClient client) {
      this.client = client;
    }

    @Override
    public CompletableFuture<EchoResult> submit(EchoRequest request) {
      return client.echoAsync(request);
    }

    @Override
    public SocketMode socketMode(StandardProtocolFamily family)
        throws IOException, InterruptedException {
      boolean six = family == StandardProtocolFamily.INET6;
      SocketMode m = six ? v6 : v4;
      if (m == null) {
        m = client.socketMode(family);
        if (six) v6 = m;
        else v4 = m;
      }
      return m;
    }
  }
}
