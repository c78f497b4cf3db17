package org.icmpecho.winapi;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.icmpecho.EchoResult;
import org.icmpecho.IpOptions;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code IP_OPTION_INFORMATION.OptionsData/OptionsSize} both ways, with a fake completion source:
 * what is sent, the reply buffer byte for byte (struct, options padded to 4, data), {@code
 * IP_BAD_OPTION} / {@code IP_OPTION_TOO_BIG}, and {@code Options.Flags} from the reply's DF bit.
 */
@Timeout(30)
class OptionsTest extends FakeServiceFixture {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /**
   * An {@code IP_OPTION_INFORMATION} whose {@code OptionsData} points at a native copy of {@code
   * bytes}.
   */
  private MemorySegment opts(byte[] bytes, int size) {
    MemorySegment o = IP_OPTION_INFORMATION.allocate(arena);
    MemorySegment data = arena.allocate(Math.max(1, bytes.length));
    MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
    IP_OPTION_INFORMATION.OptionsSize(o, (byte) size);
    IP_OPTION_INFORMATION.OptionsData(o, data);
    return o;
  }

  private MemorySegment d(int n) {
    return arena.allocate(n).fill((byte) 0x5A);
  }

  @Test
  void optionBytesAreSentAsGiven() {
    fake.autoReply = r -> new EchoResult.TimedOut(r, r.timeout(), 1);
    MemorySegment buf = arena.allocate(S + 8);
    byte[] rr = IpOptions.recordRoute().bytes();
    IcmpApi.IcmpSendEcho(h, LO, d(8), 8, opts(rr, 39), buf, S + 8, 1000);
    assertArrayEquals(
        java.util.Arrays.copyOf(rr, 39),
        fake.last().request().ipOptions().bytes(),
        "OptionsSize bytes");
    // A source route as Windows programs give it: the full route, pointer 4 (the kernel pulls the
    // first hop out).
    byte[] lsrr = hex("830b04 0a000002 0a000102");
    IcmpApi.IcmpSendEcho(h, LO, d(8), 8, opts(lsrr, lsrr.length), buf, S + 8, 1000);
    assertArrayEquals(lsrr, fake.last().request().ipOptions().bytes());
    IcmpApi.IcmpSendEcho(h, LO, d(8), 8, opts(lsrr, 0), buf, S + 8, 1000);
    assertTrue(
        fake.last().request().ipOptions().isEmpty(), "OptionsSize 0: none, OptionsData unread");
  }

  @Test
  void badAndOversizedOptionsGiveTheirStatus() {
    MemorySegment buf = arena.allocate(S + 8).fill((byte) 0xCC);
    Kernel32.SetLastError(0);
    assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, d(8), 8, opts(new byte[41], 41), buf, S + 8, 1000));
    assertEquals(IpExport.IP_OPTION_TOO_BIG, Kernel32.GetLastError());
    assertEquals(IpExport.IP_OPTION_TOO_BIG, ICMP_ECHO_REPLY.Status(buf));
    assertEquals(
        0, IcmpApi.IcmpSendEcho(h, LO, d(8), 8, opts(hex("070803 00000000"), 7), buf, S + 8, 1000));
    assertEquals(IpExport.IP_BAD_OPTION, Kernel32.GetLastError(), "record route with pointer 3");
    assertEquals(IpExport.IP_BAD_OPTION, ICMP_ECHO_REPLY.Status(buf));
    assertTrue(fake.submitted.isEmpty(), "nothing sent");

    // asynchronously: pending, then the completion carries the status
    MemorySegment ev = Kernel32.CreateEventW(NULL, false, false, NULL);
    assertEquals(
        0,
        IcmpApi.IcmpSendEcho2(
            h, ev, NULL, NULL, LO, d(8), 8, opts(hex("070803 00000000"), 7), buf, S + 8, 1000));
    assertEquals(WinError.ERROR_IO_PENDING, Kernel32.GetLastError());
    assertEquals(Kernel32.WAIT_OBJECT_0, Kernel32.WaitForSingleObject(ev, 1000));
    assertEquals(0, IcmpApi.IcmpParseReplies(buf, S + 8));
    assertEquals(IpExport.IP_BAD_OPTION, Kernel32.GetLastError());
    Kernel32.CloseHandle(ev);

    // OptionsData that points nowhere readable: refused, the JVM survives
    MemorySegment o = IP_OPTION_INFORMATION.allocate(arena);
    IP_OPTION_INFORMATION.OptionsSize(o, (byte) 8);
    IP_OPTION_INFORMATION.OptionsData(o, MemorySegment.ofAddress(0x12345678L));
    assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, d(8), 8, o, buf, S + 8, 1000));
    assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());
    IP_OPTION_INFORMATION.OptionsData(o, NULL);
    assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, d(8), 8, o, buf, S + 8, 1000));
    assertEquals(WinError.ERROR_NOACCESS, Kernel32.GetLastError());

    // an option the kernel refuses at send time (EINVAL) is IP_BAD_OPTION too
    fake.autoReply =
        r ->
            new EchoResult.SendFailed(
                r, IpStatus.IP_GENERAL_FAILURE, "EINVAL", "Invalid argument", 1);
    assertEquals(
        0,
        IcmpApi.IcmpSendEcho(
            h, LO, d(8), 8, opts(hex("820b00000000000000000000"), 11), buf, S + 8, 1000));
    assertEquals(IpExport.IP_BAD_OPTION, Kernel32.GetLastError());
  }

  @Test
  void replyOptionsAreWrittenAtTheSpecOffsets() throws Exception {
    byte[] got =
        hex(
            "072728 7f000001 7f000001 7f000001 7f000001 0a000001 0a000002 0a000003 0a000004 0a000005");
    fake.autoReply =
        r ->
            new EchoResult.Reply(
                r,
                r.target(),
                Duration.ofMillis(3),
                61,
                0x10,
                8 + r.payloadSize(),
                1,
                new IpOptions(got),
                0x2);
    MemorySegment data = d(32);
    int size = S + 40 + 32;
    MemorySegment buf = arena.allocate(size + 8).fill((byte) 0xCC);
    assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, data, 32, NULL, buf, size, 1000));
    MemorySegment o = ICMP_ECHO_REPLY.Options(buf);
    assertEquals(61, IP_OPTION_INFORMATION.Ttl(o));
    assertEquals(0x10, IP_OPTION_INFORMATION.Tos(o));
    assertEquals(IpExport.IP_FLAG_DF, IP_OPTION_INFORMATION.Flags(o));
    assertEquals(39, IP_OPTION_INFORMATION.OptionsSize(o));
    assertEquals(
        buf.address() + S,
        IP_OPTION_INFORMATION.OptionsData(o).address(),
        "options right after the struct");
    assertEquals(
        buf.address() + S + 40,
        ICMP_ECHO_REPLY.Data(buf).address(),
        "data after align4(OptionsSize)");
    assertArrayEquals(got, buf.asSlice(S, 39).toArray(JAVA_BYTE));
    assertEquals(0, buf.get(JAVA_BYTE, S + 39), "zero padding");
    assertArrayEquals(data.toArray(JAVA_BYTE), buf.asSlice(S + 40, 32).toArray(JAVA_BYTE));
    assertEquals((byte) 0xCC, buf.get(JAVA_BYTE, size), "nothing past ReplySize");
    assertEquals(32, ICMP_ECHO_REPLY.DataSize(buf));

    // The APC sees Information = struct + padded options + data.
    long[] info = {0};
    MemorySegment apc =
        PIO_APC_ROUTINE.allocate(
            (c, iosb, r) -> info[0] = IO_STATUS_BLOCK.Information(iosb), arena);
    IcmpApi.IcmpSendEcho2(h, NULL, apc, NULL, LO, data, 32, NULL, buf, size, 1000);
    assertEquals(Kernel32.WAIT_IO_COMPLETION, Kernel32.SleepEx(1000, true));
    assertEquals(S + 40 + 32, info[0]);

    // Without room for the options as well as the data: general failure, as for data that does not
    // fit.
    assertEquals(0, IcmpApi.IcmpSendEcho(h, LO, data, 32, NULL, buf, S + 32, 1000));
    assertEquals(IpExport.IP_GENERAL_FAILURE, Kernel32.GetLastError());
  }

  @Test
  void flagsAreZeroWhenTheSocketCannotSeeThem() throws Exception {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    for (int flags : List.of(-1, 0, 1)) {
      fake.autoReply =
          r -> new EchoResult.Reply(r, lo, Duration.ZERO, 64, 0, 8, 1, IpOptions.NONE, flags);
      MemorySegment buf = arena.allocate(S);
      assertEquals(1, IcmpApi.IcmpSendEcho(h, LO, NULL, 0, NULL, buf, S, 1000));
      assertEquals(0, IP_OPTION_INFORMATION.Flags(ICMP_ECHO_REPLY.Options(buf)), "flags " + flags);
      assertEquals(0, IP_OPTION_INFORMATION.OptionsSize(ICMP_ECHO_REPLY.Options(buf)));
      assertEquals(buf.address() + S, ICMP_ECHO_REPLY.Data(buf).address());
    }
  }
}
