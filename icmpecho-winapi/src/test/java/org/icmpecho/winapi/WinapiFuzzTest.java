package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.icmpecho.leakguard.LeakGuard;

/**
 * Fuzz targets for the faithful layer (Jazzer; regression mode in the normal run, {@code
 * bench/fuzz} for long runs): {@code IcmpParseReplies}/{@code Icmp6ParseReplies} on buffers of any
 * size and content, every struct accessor on segments of any size, and {@code inet_addr} against
 * the C library's own {@code inet_addr} (the BSD parser that Windows' follows) for ASCII strings.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "Jazzer allocates its coverage counters once per JVM (about 260 KB), at the first fuzz test")
class WinapiFuzzTest {
  private static final MethodHandle LIBC_INET_ADDR =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("inet_addr").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT, ADDRESS));

  @FuzzTest
  void parseReplies(FuzzedDataProvider d) {
    boolean v6 = d.consumeBoolean();
    int replySize = d.consumeInt();
    int slack = d.consumeInt(0, 7); // an unaligned start
    boolean closed = d.consumeInt(0, 15) == 0;
    byte[] content = d.consumeRemainingAsBytes();
    long size = v6 ? ICMPV6_ECHO_REPLY.sizeof() : ICMP_ECHO_REPLY.sizeof();
    Arena arena = Arena.ofConfined();
    MemorySegment buf = arena.allocate(content.length + slack).asSlice(slack);
    MemorySegment.copy(content, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, content.length);
    if (closed) arena.close();
    boolean whole = !closed && content.length >= size;
    int count =
        whole && !v6
            ? Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, ICMP_ECHO_REPLY.Reserved$offset()))
            : -1;
    Kernel32.SetLastError(0x1234);
    int n =
        v6 ? IcmpApi.Icmp6ParseReplies(buf, replySize) : IcmpApi.IcmpParseReplies(buf, replySize);
    int error = Kernel32.GetLastError();
    try {
      if (replySize == 0) {
        assertEquals(0, n);
        assertEquals(v6 ? WinError.ERROR_GEN_FAILURE : WinError.ERROR_INVALID_PARAMETER, error);
      } else if (!whole) {
        assertEquals(0, n);
        assertEquals(WinError.ERROR_NOACCESS, error, "short or closed buffer");
      } else if (v6) {
        int status =
            buf.get(
                JAVA_INT_UNALIGNED,
                ICMPV6_ECHO_REPLY.Status$offset()); // any address: Windows takes any
        boolean reply = status == IpExport.IP_SUCCESS || status == IpExport.IP_HOP_LIMIT_EXCEEDED;
        assertEquals(reply ? 1 : 0, n);
        assertEquals(reply ? 0x1234 : status, error);
      } else {
        assertEquals(count, n, "the number of replies the buffer says");
        assertEquals(
            0,
            buf.get(JAVA_SHORT_UNALIGNED, ICMP_ECHO_REPLY.Reserved$offset()),
            "and it is consumed");
        assertEquals(
            n == 0 ? buf.get(JAVA_INT_UNALIGNED, ICMP_ECHO_REPLY.Status$offset()) : 0x1234, error);
      }
    } finally {
      if (!closed) arena.close();
    }
  }

  /**
   * Every getter of every struct class on a segment of any size: a value, or
   * IndexOutOfBoundsException.
   */
  @FuzzTest
  void structAccessors(FuzzedDataProvider d) throws Exception {
    List<Class<?>> structs =
        List.of(
            ICMP_ECHO_REPLY.class,
            ICMP_ECHO_REPLY32.class,
            IP_OPTION_INFORMATION.class,
            IP_OPTION_INFORMATION32.class,
            ICMPV6_ECHO_REPLY.class,
            IPV6_ADDRESS_EX.class,
            IO_STATUS_BLOCK.class,
            sockaddr_in6.class);
    Class<?> c = d.pickValue(structs);
    byte[] content = d.consumeRemainingAsBytes();
    long size = (long) c.getMethod("sizeof").invoke(null);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment s = arena.allocate(Math.max(1, content.length)).asSlice(0, content.length);
      MemorySegment.copy(content, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, content.length);
      for (Method m : c.getMethods()) {
        if (!Modifier.isStatic(m.getModifiers())
            || m.getParameterCount() != 1
            || m.getParameterTypes()[0] != MemorySegment.class
            || m.getReturnType() == void.class
            || m.getName().equals("reinterpret")
            || m.getName().endsWith("$layout")
            || m.getName().endsWith("$offset")) {
          continue;
        }
        String what = c.getSimpleName() + "." + m.getName() + " on " + content.length + " bytes";
        long end =
            fieldEnd(c, m.getName()); // where the field ends, or -1 when the class does not say
        try {
          m.invoke(null, s);
          assertTrue(
              end < 0 || end <= content.length,
              what + " read past the segment (field ends at " + end + ")");
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof IndexOutOfBoundsException))
            fail(what + " threw " + e.getCause(), e.getCause());
          assertTrue(end < 0 || end > content.length, what + " refused a field inside the segment");
          assertTrue(content.length < size, what + ": refused in a whole struct");
        }
      }
    }
  }

  private static long fieldEnd(Class<?> c, String field) {
    try {
      long offset = (long) c.getMethod(field + "$offset").invoke(null);
      MemoryLayout layout = (MemoryLayout) c.getMethod(field + "$layout").invoke(null);
      return offset + layout.byteSize();
    } catch (ReflectiveOperationException e) {
      return -1;
    }
  }

  /**
   * {@code inet_addr}: the C library's answer for ASCII; INADDR_NONE for any other digit than 0-9.
   */
  @FuzzTest
  void inetAddr(String s) throws Throwable {
    int ours = Ws2_32.inet_addr(s);
    if (s == null) {
      assertEquals(Ws2_32.INADDR_NONE, ours);
      return;
    }
    boolean ascii = s.chars().allMatch(ch -> ch > 0 && ch < 128);
    if (ascii) {
      int libc;
      try (Arena arena = Arena.ofConfined()) {
        libc = (int) LIBC_INET_ADDR.invokeExact(arena.allocateFrom(s, StandardCharsets.US_ASCII));
      }
      assertEquals(
          libc,
          ours,
          "inet_addr(\""
              + s.chars()
                  .mapToObj(ch -> ch < 32 ? String.format("\\x%02x", ch) : Character.toString(ch))
                  .collect(java.util.stream.Collectors.joining())
              + "\")");
    }
    String head = s.split("[ \\t\\n\\u000b\\f\\r]", 2)[0];
    if (!head.chars().allMatch(ch -> ch < 128))
      assertEquals(Ws2_32.INADDR_NONE, ours, "non-ASCII digit in \"" + s + "\"");
    if (ours != Ws2_32.INADDR_NONE)
      assertEquals(ours, Ws2_32.inet_addr(Ws2_32.inet_ntoa(ours)), "round trip of " + s);
  }
}
