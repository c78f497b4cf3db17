package org.icmpecho;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments fail at once, in the caller's thread, with a message that names the value and the
 * range.
 */
class EchoRequestTest {
  final InetAddress v4 = InetAddress.getLoopbackAddress();
  final InetAddress v6;

  EchoRequestTest() throws Exception {
    v6 = InetAddress.getByName("::1");
  }

  @Test
  void ttlOutsideOneTo255IsRejected() {
    assertEquals(
        "ttl 0 is out of range 1..255",
        assertThrows(IllegalArgumentException.class, () -> EchoRequest.to(v4).ttl(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> EchoRequest.to(v4).ttl(256));
    assertEquals(255, EchoRequest.to(v4).ttl(255).build().ttl());
  }

  @Test
  void payloadLimitsDependOnTheFamily() {
    assertEquals(65507, EchoRequest.to(v4).payloadSize(65507).build().payloadSize());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EchoRequest.to(v4).payloadSize(65508).build());
    assertEquals("payload of 65508 bytes is out of range 0..65507 for IPv4", e.getMessage());
    assertEquals(65527, EchoRequest.to(v6).payloadSize(65527).build().payloadSize());
    assertThrows(
        IllegalArgumentException.class, () -> EchoRequest.to(v6).payloadSize(65528).build());
    assertThrows(IllegalArgumentException.class, () -> EchoRequest.to(v4).payloadSize(-1).build());
  }

  @Test
  void nullsAndNegativeTimeoutsAreRejected() {
    assertThrows(NullPointerException.class, () -> EchoRequest.to(null));
    assertThrows(
        IllegalArgumentException.class,
        () -> EchoRequest.to(v4).timeout(Duration.ofMillis(-1)).build());
    assertEquals(Duration.ZERO, EchoRequest.to(v4).timeout(Duration.ZERO).build().timeout());
    assertThrows(IllegalArgumentException.class, () -> EchoRequest.to(v4).tos(256));
  }

  @Test
  void sourceMustBeOfTheTargetsFamily() {
    assertThrows(IllegalArgumentException.class, () -> EchoRequest.to(v4).source(v6).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> EchoRequest.to(v4).interfaceName("a-name-longer-than-15").build());
  }

  @Test
  void explicitPayloadIsCopiedInAndOut() {
    byte[] data = {1, 2, 3};
    EchoRequest r = EchoRequest.to(v4).payload(data).build();
    data[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, r.payload());
    assertNotSame(r.payload(), r.payload());
    assertTrue(r.payloadEquals(new byte[] {0, 1, 2, 3}, 1, 3));
    assertEquals(r, EchoRequest.to(v4).payload(new byte[] {1, 2, 3}).build());
    assertEquals(3, r.payloadSize());
  }

  @Test
  void ipStatusKeepsTheWindowsNumbersAndAliases() {
    assertEquals(11010, IpStatus.IP_REQ_TIMED_OUT.code());
    assertEquals(IpStatus.IP_TTL_EXPIRED_TRANSIT, IpStatus.IP_HOP_LIMIT_EXCEEDED);
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, IpStatus.ofCode(11003));
    assertEquals(IpStatus.IP_DEST_PROHIBITED, IpStatus.ofCode(11004));
    assertThrows(IllegalArgumentException.class, () -> IpStatus.ofCode(12345));
  }
}
