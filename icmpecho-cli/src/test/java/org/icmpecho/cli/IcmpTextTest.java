package org.icmpecho.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.icmpecho.EchoRequest;
import org.icmpecho.EchoResult;
import org.icmpecho.IpStatus;
import org.junit.jupiter.api.Test;

/** The words of iputils, fping and traceroute for ICMP errors, from records built by hand. */
class IcmpTextTest {
  static final EchoRequest V4 = EchoRequest.of(InetAddress.ofLiteral("127.0.0.1"));
  static final EchoRequest V6 = EchoRequest.of(InetAddress.ofLiteral("::1"));

  static EchoResult.IcmpError err(EchoRequest r, int type, int code, int info) {
    return new EchoResult.IcmpError(
        r,
        IpStatus.IP_GENERAL_FAILURE,
        InetAddress.ofLiteral(r.isIpv6() ? "fd00::1" : "10.0.0.1"),
        Duration.ofNanos(1),
        type,
        code,
        info,
        1);
  }

  @Test
  void iputilsWords() {
    String[] v4 = {
      "Destination Net Unreachable",
      "Destination Host Unreachable",
      "Destination Protocol Unreachable",
      "Destination Port Unreachable",
      "Frag needed and DF set (mtu = 1400)",
      "Source Route Failed",
      "Destination Net Unknown",
      "Destination Host Unknown",
      "Source Host Isolated",
      "Destination Net Prohibited",
      "Destination Host Prohibited",
      "Destination Net Unreachable for Type of Service",
      "Destination Host Unreachable for Type of Service",
      "Packet filtered",
      "Precedence Violation",
      "Precedence Cutoff"
    };
    for (int code = 0; code < v4.length; code++)
      assertEquals(v4[code], IcmpText.ping(err(V4, 3, code, 1400)));
    assertEquals("Dest Unreachable, Bad Code: 16", IcmpText.ping(err(V4, 3, 16, 0)));
    assertEquals("Time to live exceeded", IcmpText.ping(err(V4, 11, 0, 0)));
    assertEquals("Frag reassembly time exceeded", IcmpText.ping(err(V4, 11, 1, 0)));
    assertEquals("Parameter problem: pointer = 9", IcmpText.ping(err(V4, 12, 0, 9)));
    assertEquals("Source Quench", IcmpText.ping(err(V4, 4, 0, 0)));
    assertEquals("Destination unreachable: Address unreachable", IcmpText.ping(err(V6, 1, 3, 0)));
    assertEquals(
        "Destination unreachable: Administratively prohibited", IcmpText.ping(err(V6, 1, 1, 0)));
    assertEquals("Packet too big: mtu=1280", IcmpText.ping(err(V6, 2, 0, 1280)));
    assertEquals("Time exceeded: Defragmentation failure", IcmpText.ping(err(V6, 3, 1, 0)));
    assertEquals("Parameter problem: Unknown header at 40", IcmpText.ping(err(V6, 4, 1, 40)));
  }

  @Test
  void fpingWords() {
    assertEquals("ICMP Host Unreachable", IcmpText.fping(err(V4, 3, 1, 0)));
    assertEquals(
        "ICMP Unreachable (Communication Administratively Prohibited)",
        IcmpText.fping(err(V4, 3, 13, 0)));
    assertEquals("ICMP Time Exceeded", IcmpText.fping(err(V4, 11, 0, 0)));
    assertEquals("ICMPv6 Address Unreachable", IcmpText.fping(err(V6, 1, 3, 0)));
    assertEquals("ICMPv6 Time Exceeded", IcmpText.fping(err(V6, 3, 0, 0)));
    assertEquals("ICMPv6 Packet Too Big", IcmpText.fping(err(V6, 2, 0, 1280)));
  }

  @Test
  void tracerouteMarks() {
    assertTrue(IcmpText.isTransit(err(V4, 11, 0, 0)));
    assertTrue(IcmpText.isTransit(err(V6, 3, 0, 0)));
    assertFalse(IcmpText.isTransit(err(V4, 11, 1, 0)));
    assertEquals("", IcmpText.traceMark(err(V4, 11, 0, 0)));
    assertEquals("!N", IcmpText.traceMark(err(V4, 3, 0, 0)));
    assertEquals("!H", IcmpText.traceMark(err(V4, 3, 1, 0)));
    assertEquals("!P", IcmpText.traceMark(err(V4, 3, 2, 0)));
    assertEquals("!F-1280", IcmpText.traceMark(err(V4, 3, 4, 1280)));
    assertEquals("!X", IcmpText.traceMark(err(V4, 3, 13, 0)));
    assertEquals("!V", IcmpText.traceMark(err(V4, 3, 14, 0)));
    assertEquals("!C", IcmpText.traceMark(err(V4, 3, 15, 0)));
    assertEquals("!N", IcmpText.traceMark(err(V6, 1, 0, 0)));
    assertEquals("!X", IcmpText.traceMark(err(V6, 1, 1, 0)));
    assertEquals("!H", IcmpText.traceMark(err(V6, 1, 3, 0)));
    assertEquals("!F-1280", IcmpText.traceMark(err(V6, 2, 0, 1280)));
  }
}
