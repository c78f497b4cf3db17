package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Wine's testIcmpParseReplies and testIcmp6ParseReplies (ICMPAPI.md section 10, cases 42-45 and
 * 55-56).
 */
class ParseRepliesTest {

  @Test
  void case42ZeroedReply() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(0, IcmpApi.IcmpParseReplies(r, (int) ICMP_ECHO_REPLY.sizeof()));
      assertEquals(0, Kernel32.GetLastError());
    }
  }

  @Test
  void case43StatusBecomesLastError() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      ICMP_ECHO_REPLY.Status(r, 12345);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(0, IcmpApi.IcmpParseReplies(r, (int) ICMP_ECHO_REPLY.sizeof()));
      assertEquals(12345, Kernel32.GetLastError());
      assertEquals(12345, ICMP_ECHO_REPLY.Status(r));
    }
  }

  @Test
  void case44OneReply() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      ICMP_ECHO_REPLY.Status(r, 12345);
      ICMP_ECHO_REPLY.Reserved(r, (short) 1);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(1, IcmpApi.IcmpParseReplies(r, (int) ICMP_ECHO_REPLY.sizeof()));
      assertEquals(0xdeadbeef, Kernel32.GetLastError());
      assertEquals(12345, ICMP_ECHO_REPLY.Status(r));
      assertEquals(0, ICMP_ECHO_REPLY.Reserved(r));
    }
  }

  @Test
  void case45ThreeReplies() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      ICMP_ECHO_REPLY.Status(r, 12345);
      ICMP_ECHO_REPLY.Reserved(r, (short) 3);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(3, IcmpApi.IcmpParseReplies(r, (int) ICMP_ECHO_REPLY.sizeof()));
      assertEquals(0xdeadbeef, Kernel32.GetLastError());
      assertEquals(12345, ICMP_ECHO_REPLY.Status(r));
      assertEquals(0, ICMP_ECHO_REPLY.Reserved(r));
      assertEquals(
          0, IcmpApi.IcmpParseReplies(r, (int) ICMP_ECHO_REPLY.sizeof()), "parsed once only");
      assertEquals(12345, Kernel32.GetLastError());
    }
  }

  @Test
  void case55ZeroedV6Reply() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMPV6_ECHO_REPLY.allocate(arena);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(1, IcmpApi.Icmp6ParseReplies(r, (int) ICMPV6_ECHO_REPLY.sizeof()));
      assertEquals(0xdeadbeef, Kernel32.GetLastError());
    }
  }

  @Test
  void case56V6StatusBecomesLastError() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMPV6_ECHO_REPLY.allocate(arena);
      ICMPV6_ECHO_REPLY.Status(r, 12345);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(0, IcmpApi.Icmp6ParseReplies(r, (int) ICMPV6_ECHO_REPLY.sizeof()));
      assertEquals(12345, Kernel32.GetLastError());
      assertEquals(12345, ICMPV6_ECHO_REPLY.Status(r));
    }
  }

  @Test
  void v6HopLimitExceededCountsAsAReply() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMPV6_ECHO_REPLY.allocate(arena);
      ICMPV6_ECHO_REPLY.Status(r, IpExport.IP_HOP_LIMIT_EXCEEDED);
      Kernel32.SetLastError(0xdeadbeef);
      assertEquals(1, IcmpApi.Icmp6ParseReplies(r, 36));
      assertEquals(0xdeadbeef, Kernel32.GetLastError());
    }
  }

  @Test
  void nullShortAndClosedBuffers() {
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(0, IcmpApi.IcmpParseReplies(MemorySegment.NULL, 40));
    assertEquals(WinError.ERROR_INVALID_PARAMETER, Kernel32.GetLastError());
    Kernel32.SetLastError(0xdeadbeef);
    assertEquals(0, IcmpApi.Icmp6ParseReplies(null, 36));
    assertEquals(WinError.ERROR_GEN_FAILURE, Kernel32.GetLastError());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      ICMP_ECHO_REPLY.Reserved(r, (short) 1);
      assertEquals(0, IcmpApi.IcmpParseReplies(r, 0));
      assertEquals(1, ICMP_ECHO_REPLY.Reserved(r), "size 0: untouched");
      assertEquals(0, IcmpApi.IcmpParseReplies(arena.allocate(39), 39));
      assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());
      assertEquals(0, IcmpApi.Icmp6ParseReplies(arena.allocate(35), 35));
      assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());
    }
    Arena gone = Arena.ofConfined();
    MemorySegment closed = ICMP_ECHO_REPLY.allocate(gone);
    gone.close();
    assertEquals(0, IcmpApi.IcmpParseReplies(closed, 40));
    assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());
  }
}
