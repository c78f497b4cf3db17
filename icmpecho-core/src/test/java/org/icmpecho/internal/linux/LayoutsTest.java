package org.icmpecho.internal.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.net.InetAddress;
import java.util.stream.Stream;
import org.icmpecho.internal.packet.Packet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sizes and offsets of the kernel structs against their LP64 Linux values (as {@code offsetof}
 * prints them).
 */
class LayoutsTest {
  static Stream<Arguments> offsets() {
    return Stream.of(
        Arguments.of(Layouts.SOCKADDR_IN, 16, "sin_port", 2),
        Arguments.of(Layouts.SOCKADDR_IN, 16, "sin_addr", 4),
        Arguments.of(Layouts.SOCKADDR_IN6, 28, "sin6_flowinfo", 4),
        Arguments.of(Layouts.SOCKADDR_IN6, 28, "sin6_addr", 8),
        Arguments.of(Layouts.SOCKADDR_IN6, 28, "sin6_scope_id", 24),
        Arguments.of(Layouts.IOVEC, 16, "iov_len", 8),
        Arguments.of(Layouts.MSGHDR, 56, "msg_namelen", 8),
        Arguments.of(Layouts.MSGHDR, 56, "msg_iov", 16),
        Arguments.of(Layouts.MSGHDR, 56, "msg_iovlen", 24),
        Arguments.of(Layouts.MSGHDR, 56, "msg_control", 32),
        Arguments.of(Layouts.MSGHDR, 56, "msg_controllen", 40),
        Arguments.of(Layouts.MSGHDR, 56, "msg_flags", 48),
        Arguments.of(Layouts.MMSGHDR, 64, "msg_len", 56),
        Arguments.of(Layouts.CMSGHDR, 16, "cmsg_level", 8),
        Arguments.of(Layouts.CMSGHDR, 16, "cmsg_type", 12),
        Arguments.of(Layouts.SOCK_EXTENDED_ERR, 16, "ee_origin", 4),
        Arguments.of(Layouts.SOCK_EXTENDED_ERR, 16, "ee_type", 5),
        Arguments.of(Layouts.SOCK_EXTENDED_ERR, 16, "ee_code", 6),
        Arguments.of(Layouts.SOCK_EXTENDED_ERR, 16, "ee_info", 8),
        Arguments.of(Layouts.SOCK_EXTENDED_ERR, 16, "ee_data", 12),
        Arguments.of(Layouts.TIMESPEC, 16, "tv_nsec", 8),
        Arguments.of(Layouts.CAP_DATA, 12, "inheritable", 8));
  }

  @ParameterizedTest(name = "{0} {2} at {3}")
  @MethodSource("offsets")
  void fieldSitsWhereTheKernelExpectsIt(StructLayout layout, long size, String field, long offset) {
    assertEquals(size, layout.byteSize());
    assertEquals(offset, layout.byteOffset(groupElement(field)));
  }

  @Test
  void epollEventIsPackedOnX86AndAlignedElsewhere() {
    boolean x86 = Layouts.isX86();
    assertEquals(x86 ? 12 : 16, Layouts.EPOLL_EVENT.byteSize());
    assertEquals(x86 ? 4 : 8, Layouts.EPOLL_DATA_OFFSET);
  }

  @Test
  void cmsgMacrosMatchGlibc() {
    assertEquals(16, Layouts.CMSG_DATA_OFFSET);
    assertEquals(20, Layouts.cmsgLen(4));
    assertEquals(24, Layouts.cmsgSpace(4));
    assertEquals(32, Layouts.cmsgSpace(16));
    assertEquals(64, Layouts.cmsgSpace(44)); // sock_extended_err + sockaddr_in6
  }

  @Test
  void sockaddrRoundTripsIpv4AndIpv6WithScope() throws Exception {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(28, 8);
      assertEquals(16, SockAddr.write(s, InetAddress.getByName("10.1.2.3"), false));
      assertEquals(Sys.AF_INET, s.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 0));
      Packet p = new Packet();
      SockAddr.readInto(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, 16, p);
      assertEquals(InetAddress.getByName("10.1.2.3"), p.fromAddress());

      InetAddress ll =
          java.net.Inet6Address.getByAddress(
              null, InetAddress.getByName("fe80::1").getAddress(), 7);
      assertEquals(28, SockAddr.write(s, ll, true));
      SockAddr.readInto(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, 28, p);
      assertEquals(7, p.fromScope);
      assertEquals(ll, p.fromAddress());
      SockAddr.write(s, null, true);
      SockAddr.readInto(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, 28, p);
      assertEquals(InetAddress.getByName("::"), p.fromAddress());
    }
  }

  @Test
  void errnoNamesAndTextsAreThoseOfLinux() {
    assertEquals("EMSGSIZE", Errno.name(90));
    assertEquals("No route to host", Errno.message(113));
    assertEquals("errno 4095", Errno.name(4095));
    assertEquals(Errno.EACCES, Errno.of(13));
  }
}
