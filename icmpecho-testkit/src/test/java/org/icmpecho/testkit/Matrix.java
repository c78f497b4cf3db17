package org.icmpecho.testkit;

import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Argument sources shared by the lab's parameterized tests. */
final class Matrix {
  private Matrix() {}

  /**
   * IPv4 and IPv6, each with ping sockets and with raw sockets: {@code (StandardProtocolFamily,
   * ClientAccess)}.
   */
  static Stream<Arguments> familiesAndModes() {
    List<Arguments> out = new ArrayList<>();
    for (StandardProtocolFamily f :
        List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6)) {
      for (ClientAccess a : List.of(ClientAccess.DATAGRAM, ClientAccess.RAW))
        out.add(Arguments.of(f, a));
    }
    return out.stream();
  }
}
