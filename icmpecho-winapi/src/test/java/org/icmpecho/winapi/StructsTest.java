package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Sizes and offsets of the structs (ICMPAPI.md section 2, 64-bit column) and accessor round trips.
 */
class StructsTest {

  @Test
  void sizesAreThoseOfWindows64() {
    assertEquals(40, ICMP_ECHO_REPLY.sizeof());
    assertEquals(28, ICMP_ECHO_REPLY32.sizeof());
    assertEquals(16, IP_OPTION_INFORMATION.sizeof());
    assertEquals(8, IP_OPTION_INFORMATION32.sizeof());
    assertEquals(36, ICMPV6_ECHO_REPLY.sizeof());
    assertEquals(26, IPV6_ADDRESS_EX.sizeof());
    assertEquals(16, IO_STATUS_BLOCK.sizeof());
    assertEquals(28, sockaddr_in6.sizeof());
    assertEquals(40, ICMP_ECHO_REPLY.layout().byteSize());
    assertEquals(1, IPV6_ADDRESS_EX.layout().byteAlignment(), "pack(1)");
  }

  @Test
  void icmpEchoReplyOffsets() {
    assertEquals(0, ICMP_ECHO_REPLY.Address$offset());
    assertEquals(4, ICMP_ECHO_REPLY.Status$offset());
    assertEquals(8, ICMP_ECHO_REPLY.RoundTripTime$offset());
    assertEquals(12, ICMP_ECHO_REPLY.DataSize$offset());
    assertEquals(14, ICMP_ECHO_REPLY.Reserved$offset());
    assertEquals(16, ICMP_ECHO_REPLY.Data$offset());
    assertEquals(24, ICMP_ECHO_REPLY.Options$offset());
    assertEquals(0, IP_OPTION_INFORMATION.Ttl$offset());
    assertEquals(1, IP_OPTION_INFORMATION.Tos$offset());
    assertEquals(2, IP_OPTION_INFORMATION.Flags$offset());
    assertEquals(3, IP_OPTION_INFORMATION.OptionsSize$offset());
    assertEquals(8, IP_OPTION_INFORMATION.OptionsData$offset());
  }

  @Test
  void thirtyTwoBitFormsOffsets() {
    assertEquals(16, ICMP_ECHO_REPLY32.Data$offset());
    assertEquals(20, ICMP_ECHO_REPLY32.Options$offset());
    assertEquals(4, IP_OPTION_INFORMATION32.OptionsData$offset());
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY32.allocate(arena);
      ICMP_ECHO_REPLY32.Data(r, MemorySegment.ofAddress(0x12345678L));
      assertEquals(0x12345678, r.get(JAVA_INT, 16));
      assertEquals(0x12345678L, ICMP_ECHO_REPLY32.Data(r).address());
      ICMP_ECHO_REPLY32.Data(r, MemorySegment.ofAddress(0xF0000000L));
      assertEquals(
          0xF0000000L, ICMP_ECHO_REPLY32.Data(r).address(), "zero-extended, not sign-extended");
      assertThrows(
          IllegalArgumentException.class,
          () -> ICMP_ECHO_REPLY32.Data(r, MemorySegment.ofAddress(1L << 32)));
      MemorySegment o = ICMP_ECHO_REPLY32.Options(r);
      assertEquals(8, o.byteSize());
      IP_OPTION_INFORMATION32.Ttl(o, (byte) 7);
      assertEquals(7, r.get(JAVA_BYTE, 20));
    }
  }

  @Test
  void ipv6Offsets() {
    assertEquals(0, IPV6_ADDRESS_EX.sin6_port$offset());
    assertEquals(2, IPV6_ADDRESS_EX.sin6_flowinfo$offset());
    assertEquals(6, IPV6_ADDRESS_EX.sin6_addr$offset());
    assertEquals(22, IPV6_ADDRESS_EX.sin6_scope_id$offset());
    assertEquals(0, ICMPV6_ECHO_REPLY.Address$offset());
    assertEquals(28, ICMPV6_ECHO_REPLY.Status$offset());
    assertEquals(32, ICMPV6_ECHO_REPLY.RoundTripTime$offset());
    assertEquals(0, sockaddr_in6.sin6_family$offset());
    assertEquals(2, sockaddr_in6.sin6_port$offset());
    assertEquals(4, sockaddr_in6.sin6_flowinfo$offset());
    assertEquals(8, sockaddr_in6.sin6_addr$offset());
    assertEquals(24, sockaddr_in6.sin6_scope_id$offset());
    assertEquals(0, IO_STATUS_BLOCK.Status$offset());
    assertEquals(0, IO_STATUS_BLOCK.Pointer$offset());
    assertEquals(8, IO_STATUS_BLOCK.Information$offset());
  }

  @Test
  void icmpEchoReplyRoundTrip() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMP_ECHO_REPLY.allocate(arena);
      ICMP_ECHO_REPLY.Address(r, 0x0100007F);
      ICMP_ECHO_REPLY.Status(r, IpExport.IP_REQ_TIMED_OUT);
      ICMP_ECHO_REPLY.RoundTripTime(r, -1);
      ICMP_ECHO_REPLY.DataSize(r, (short) 0xFFFF);
      ICMP_ECHO_REPLY.Reserved(r, (short) 3);
      ICMP_ECHO_REPLY.Data(r, r.asSlice(40 - 8));
      assertEquals(0x0100007F, ICMP_ECHO_REPLY.Address(r));
      assertEquals(127, r.get(JAVA_BYTE, 0), "IPAddr bytes are in network order");
      assertEquals(11010, ICMP_ECHO_REPLY.Status(r));
      assertEquals(-1, ICMP_ECHO_REPLY.RoundTripTime(r));
      assertEquals(0xFFFF, Short.toUnsignedInt(ICMP_ECHO_REPLY.DataSize(r)));
      assertEquals(3, ICMP_ECHO_REPLY.Reserved(r));
      assertEquals(r.address() + 32, ICMP_ECHO_REPLY.Data(r).address());
      assertEquals(
          0, ICMP_ECHO_REPLY.Data(r).byteSize(), "a pointer getter gives a zero-length segment");
      MemorySegment opts = ICMP_ECHO_REPLY.Options(r);
      assertEquals(16, opts.byteSize());
      IP_OPTION_INFORMATION.Ttl(opts, (byte) 64);
      IP_OPTION_INFORMATION.Tos(opts, (byte) 0xB8);
      IP_OPTION_INFORMATION.Flags(opts, (byte) IpExport.IP_FLAG_DF);
      IP_OPTION_INFORMATION.OptionsSize(opts, (byte) 4);
      assertEquals(64, r.get(JAVA_BYTE, 24));
      assertEquals((byte) 0xB8, r.get(JAVA_BYTE, 25));
      assertEquals(2, r.get(JAVA_BYTE, 26));
      assertEquals(4, r.get(JAVA_BYTE, 27));
      MemorySegment copy = IP_OPTION_INFORMATION.allocate(arena);
      IP_OPTION_INFORMATION.Ttl(copy, (byte) 9);
      ICMP_ECHO_REPLY.Options(r, copy);
      assertEquals(9, IP_OPTION_INFORMATION.Ttl(ICMP_ECHO_REPLY.Options(r)));
      assertEquals(0, IP_OPTION_INFORMATION.Flags(ICMP_ECHO_REPLY.Options(r)));
    }
  }

  @Test
  void arraysAndReinterpret() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment a = ICMP_ECHO_REPLY.allocateArray(3, arena);
      assertEquals(120, a.byteSize());
      ICMP_ECHO_REPLY.Status(ICMP_ECHO_REPLY.asSlice(a, 2), 5);
      assertEquals(5, a.get(JAVA_INT, 84));
      MemorySegment p = MemorySegment.ofAddress(a.address() + 80);
      assertEquals(5, ICMP_ECHO_REPLY.Status(ICMP_ECHO_REPLY.reinterpret(p, arena, null)));
    }
  }

  @Test
  void ipv6AddressExIsPacked() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment r = ICMPV6_ECHO_REPLY.allocate(arena);
      MemorySegment a = ICMPV6_ECHO_REPLY.Address(r);
      assertEquals(26, a.byteSize());
      IPV6_ADDRESS_EX.sin6_flowinfo(a, 0x11223344);
      IPV6_ADDRESS_EX.sin6_scope_id(a, 0x55667788);
      byte[] ip = InetAddress.getByName("2001:db8::1").getAddress();
      IPV6_ADDRESS_EX.sin6_addr(a, MemorySegment.ofArray(ip));
      ICMPV6_ECHO_REPLY.Status(r, 11013);
      assertEquals(0x44, r.get(JAVA_BYTE, 2), "flowinfo at the unaligned offset 2");
      assertEquals(0x20, r.get(JAVA_BYTE, 6));
      assertEquals((byte) 0x88, r.get(JAVA_BYTE, 22));
      assertEquals(0x11223344, IPV6_ADDRESS_EX.sin6_flowinfo(a));
      assertEquals(0x55667788, IPV6_ADDRESS_EX.sin6_scope_id(a));
      assertArrayEquals(ip, IPV6_ADDRESS_EX.sin6_addr(a).toArray(JAVA_BYTE));
      assertEquals(11013, r.get(JAVA_INT, 28));
    }
  }

  @Test
  void sockaddrIn6Of() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      Inet6Address lo = (Inet6Address) InetAddress.getByName("::1");
      MemorySegment s = sockaddr_in6.of(arena, lo);
      assertEquals(28, s.byteSize());
      assertEquals(23, sockaddr_in6.sin6_family(s));
      assertEquals(0, sockaddr_in6.sin6_port(s));
      assertArrayEquals(lo.getAddress(), sockaddr_in6.sin6_addr(s).toArray(JAVA_BYTE));
      assertEquals(1, s.get(JAVA_BYTE, 23));
      Inet6Address scoped =
          Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
      assertEquals(3, sockaddr_in6.sin6_scope_id(sockaddr_in6.of(arena, scoped)));
    }
  }

  @Test
  void ioStatusBlockUnion() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = IO_STATUS_BLOCK.allocate(arena);
      IO_STATUS_BLOCK.Status(s, NtStatus.STATUS_INVALID_PARAMETER);
      IO_STATUS_BLOCK.Information(s, 76);
      assertEquals(0xC000000D, IO_STATUS_BLOCK.Status(s));
      assertEquals(0xC000000DL, IO_STATUS_BLOCK.Pointer(s).address() & 0xFFFFFFFFL);
      assertEquals(76, IO_STATUS_BLOCK.Information(s));
    }
  }

  @Test
  void accessorsStayInsideTheSegment() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment shortOne = arena.allocate(20);
      assertThrows(IndexOutOfBoundsException.class, () -> ICMP_ECHO_REPLY.Data(shortOne));
      assertThrows(IndexOutOfBoundsException.class, () -> ICMP_ECHO_REPLY.Options(shortOne));
    }
  }
}
