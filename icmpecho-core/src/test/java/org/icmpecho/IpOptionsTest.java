package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link IpOptions}: the helpers' bytes, the checks at build time, and decoding what replies carry.
 */
class IpOptionsTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  private static Inet4Address ip(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  @Test
  void helpersMakeWhatIputilsSends() throws Exception {
    byte[] rr = IpOptions.recordRoute().bytes();
    assertEquals(40, rr.length);
    assertArrayEquals(hex("072704"), java.util.Arrays.copyOf(rr, 3));
    assertEquals(0, rr[39], "EOL padding");
    assertArrayEquals(
        hex("442805 00"), java.util.Arrays.copyOf(IpOptions.timestampsOnly().bytes(), 4));
    assertEquals(40, IpOptions.timestampsOnly().length());
    assertArrayEquals(
        hex("442405 01"), java.util.Arrays.copyOf(IpOptions.timestampsAndAddresses().bytes(), 4));
    assertEquals(40, IpOptions.timestampsAndAddresses().length(), "36 + 4 EOL, as iputils");
    IpOptions pre = IpOptions.prespecifiedTimestamps(List.of(ip("10.0.0.1"), ip("10.0.1.1")));
    assertArrayEquals(hex("441405 03 0a000001 00000000 0a000101 00000000"), pre.bytes());
    assertArrayEquals(hex("070b04 00000000 00000000 00"), IpOptions.recordRoute(2).bytes());
    assertEquals(IpOptions.TS_AND_ADDRESS, IpOptions.timestampsAndAddresses().timestampFlag());
    assertEquals(-1, IpOptions.recordRoute().timestampFlag());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "07", // no length
        "0702", // length below the minimum
        "072804"
            + "00000000000000000000000000000000000000000000000000000000000000000000000000", // longer than the bytes
        "070803 0000000000", // RR pointer 3
        "070706 00000000", // RR pointer not on a slot
        "070a04 000000000000000000", // RR length 10: not 3 + 4n
        // LSRR ok? no: see valid list; here length 7 pointer 4 is valid -> replaced below
        "830704 0a000001",
        "830708 0a000001", // LSRR pointer not at the start
        "440805 02 00000000", // TS flag 2
        "441005 01 00000000 00000000 00000000", // TS tsandaddr length 16 (not 4 + 8n)
        "440806 00 00000000", // TS pointer 6
        "440405 00", // TS without a slot
      })
  void malformedOptionsAreRefusedWhenBuilt(String bytes) {
    if (bytes.startsWith("830704"))
      return; // the one valid source route of the list (kept for the record)
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IpOptions.of(hex(bytes)));
    assertTrue(e.getMessage().startsWith("malformed IPv4 options: "), e.getMessage());
  }

  @Test
  void wellFormedOptionsPass() {
    for (String ok :
        List.of(
            "",
            "00",
            "01 01 00",
            "830b04 0a000001 0a000101",
            "890704 0a000001",
            "072704" + "00".repeat(36),
            "070708 0a000001",
            "440805 00 00000000",
            "441405 03" + "00".repeat(16),
            "940400 00")) {
      assertEquals(hex(ok).length, IpOptions.of(hex(ok)).length(), ok);
    }
    assertThrows(
        IllegalArgumentException.class, () -> IpOptions.of(new byte[41]), "more than 40 bytes");
  }

  @Test
  void decodesRecordRouteAndTimestamps() throws Exception {
    IpOptions rr = new IpOptions(hex("070f0c 0a000001 0a000101 00000000 00"));
    assertEquals(
        List.of(ip("10.0.0.1"), ip("10.0.1.1")),
        rr.recordedRoute(),
        "only what the pointer passed");
    assertTrue(rr.timestamps().isEmpty());
    IpOptions full = new IpOptions(hex("01 070b0c 0a000001 0a000101"));
    assertEquals(2, full.recordedRoute().size(), "after a NOP, pointer one past the end");

    IpOptions ts =
        new IpOptions(hex("441415 21 0a000001 00de46e2 0a000101 80000005 00000000 00000000"));
    List<IpOptions.Timestamp> t = ts.timestamps();
    assertEquals(2, t.size());
    assertEquals(ip("10.0.0.1"), t.get(0).address());
    assertEquals(14567138L, t.get(0).millis());
    assertTrue(t.get(0).standard());
    assertFalse(t.get(1).standard());
    assertEquals(2, ts.timestampOverflow());
    assertEquals(IpOptions.TS_AND_ADDRESS, ts.timestampFlag());

    IpOptions only = new IpOptions(hex("440c0d 00 00000001 00000002"));
    assertEquals(
        List.of(1L, 2L), only.timestamps().stream().map(IpOptions.Timestamp::millis).toList());
    assertNull(only.timestamps().get(0).address());
    assertTrue(IpOptions.NONE.recordedRoute().isEmpty());
  }

  @Test
  void requestsCarryOptionsOnlyToIpv4() throws Exception {
    EchoRequest r = EchoRequest.to(ip("127.0.0.1")).ipOptions(IpOptions.recordRoute()).build();
    assertEquals(IpOptions.recordRoute(), r.ipOptions());
    assertEquals(r, r.toBuilder().build());
    assertFalse(r.equals(EchoRequest.of(ip("127.0.0.1"))));
    assertEquals(IpOptions.NONE, EchoRequest.of(ip("127.0.0.1")).ipOptions());
    assertThrows(IllegalArgumentException.class, () -> r.withTarget(InetAddress.getByName("::1")));
    EchoRequest old =
        new EchoRequest(
            ip("127.0.0.1"),
            null,
            56,
            -1,
            -1,
            PathMtuDiscovery.DEFAULT,
            null,
            null,
            Duration.ofSeconds(1));
    assertEquals(IpOptions.NONE, old.ipOptions(), "the constructor before options is kept");
    assertTrue(r.toString().contains("options=40 bytes"), r.toString());
  }

  @Test
  void resultsKeepTheirOldConstructors() throws Exception {
    EchoRequest r = EchoRequest.of(ip("127.0.0.1"));
    EchoResult.Reply reply = new EchoResult.Reply(r, ip("127.0.0.1"), Duration.ZERO, 64, 0, 64, 1);
    assertEquals(IpOptions.NONE, reply.ipOptions());
    assertEquals(-1, reply.ipFlags());
    assertEquals(
        -1,
        new EchoResult.IcmpError(
                r, IpStatus.IP_TTL_EXPIRED_TRANSIT, ip("10.0.0.2"), Duration.ZERO, 11, 0, 0, 1)
            .ttl());
    assertEquals(
        0,
        new EchoResult.SendFailed(r, IpStatus.IP_GENERAL_FAILURE, "EINVAL", "Invalid argument", 1)
            .mtu());
  }
}
