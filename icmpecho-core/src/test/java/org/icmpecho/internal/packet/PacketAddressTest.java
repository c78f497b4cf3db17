package org.icmpecho.internal.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * The int forms of the address checks (a template echo keeps its IPv4 target as an int) agree with
 * the InetAddress forms, for sources and for the destination quoted in an ICMP error. Parsing only:
 * the addresses (byte-reversed ones among them, to catch an order slip) are compared, never sent
 * to.
 */
class PacketAddressTest {
  private static int asInt(InetAddress a) {
    return a.hashCode(); // Inet4Address: the four bytes, big-endian
  }

  @Test
  void fromIs4AgreesWithFromIs() throws Exception {
    Packet p = new Packet();
    InetAddress src = InetAddress.ofLiteral("198.18.200.7");
    p.setFrom(src.getAddress(), 0, 4, 0);
    for (String s :
        new String[] {
          "198.18.200.7", "198.18.200.8", "7.200.18.198", "0.0.0.0", "255.255.255.255"
        }) {
      InetAddress a = InetAddress.ofLiteral(s);
      assertEquals(p.fromIs(a), p.fromIs4(asInt(a)), s);
    }
    assertTrue(p.fromIs4(asInt(src)));
    assertEquals(0xc612c807, asInt(src), "high bytes stay unsigned");
    p.setFrom(InetAddress.ofLiteral("fd00::7").getAddress(), 0, 16, 0);
    assertFalse(p.fromIs4(asInt(src)), "an IPv6 source is never an IPv4 target");
  }

  @Test
  void quotedDstIs4AgreesWithQuotedDstIs() throws Exception {
    Packet p = new Packet();
    InetAddress dst = InetAddress.ofLiteral("10.128.255.1");
    assertTrue(p.quotedDstIs4(asInt(dst)), "no quoted destination: nothing to contradict");
    System.arraycopy(dst.getAddress(), 0, p.quotedDst, 0, 4);
    p.quotedDstLen = 4;
    for (String s : new String[] {"10.128.255.1", "10.128.255.2", "1.255.128.10"}) {
      InetAddress a = InetAddress.ofLiteral(s);
      assertEquals(p.quotedDstIs(a), p.quotedDstIs4(asInt(a)), s);
    }
    p.quotedDstLen = 16;
    assertFalse(p.quotedDstIs4(asInt(dst)), "an IPv6 quote is never an IPv4 target");
  }
}
