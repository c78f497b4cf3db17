package org.icmpecho.winapi;

import java.net.StandardProtocolFamily;
import org.icmpecho.leakguard.LeakGuard;

/**
 * The layer's shared client lives as long as the process (as Windows' ICMP service outlives its
 * handles): started, with its two default sockets, before the leak guard's first baseline, so that
 * the first test to use it is not blamed for its threads and sockets.
 */
public final class SharedServiceWarmup implements LeakGuard.Warmup {
  @Override
  public void run() throws Exception {
    EchoService s = EchoService.Shared.INSTANCE;
    s.socketMode(StandardProtocolFamily.INET);
    s.socketMode(StandardProtocolFamily.INET6);
  }
}
