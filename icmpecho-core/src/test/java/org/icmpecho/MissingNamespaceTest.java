package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client for a network namespace that does not exist: its I/O thread dies at once, and every
 * caller hears the real cause (not "cannot open a socket"). Repeated, because the socket request
 * races the thread's death. That nothing is logged on top is checked through the real process's
 * stderr ({@code LauncherTest} in icmpecho-cli).
 */
class MissingNamespaceTest {
  static final String NS = "ie-missing-" + ProcessHandle.current().pid();
  static final String CAUSE =
      "cannot open network namespace /var/run/netns/" + NS + ": No such file or directory";

  @Test
  void theCauseIsThrownToTheCaller() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 20; i++) {
            try (IcmpClient c = IcmpClient.newBuilder().networkNamespace(NS).build()) {
              IcmpException e =
                  assertThrows(
                      IcmpUnsupportedException.class,
                      () -> c.socketMode(StandardProtocolFamily.INET));
              assertTrue(e.getMessage().startsWith(CAUSE), "run " + i + ": " + e.getMessage());
              e =
                  assertThrows(
                      IcmpUnsupportedException.class,
                      () -> c.echo(InetAddress.getLoopbackAddress()));
              assertTrue(e.getMessage().startsWith(CAUSE), "run " + i + ": " + e.getMessage());
            }
          }
        });
  }
}
