package org.icmpecho.winapi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test's fake completion source, shared arena and ICMP handle, made before and dropped after each
 * test.
 */
abstract class FakeServiceFixture {
  static final MemorySegment NULL = MemorySegment.NULL;
  static final int S = 40;
  static final int LO = Ws2_32.inet_addr("127.0.0.1");

  FakeEchoService fake;
  Arena arena;
  MemorySegment h;

  @BeforeEach
  void openFixture() {
    fake = new FakeEchoService();
    arena = Arena.ofShared();
    h = IcmpApi.IcmpCreateFile();
  }

  @AfterEach
  void closeFixture() {
    IcmpApi.IcmpCloseHandle(h);
    arena.close();
    fake.close();
  }
}
