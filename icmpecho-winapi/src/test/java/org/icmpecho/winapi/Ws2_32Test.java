package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The address helpers of ws2_32. */
class Ws2_32Test {

  @Test
  void inetAddrGivesNetworkOrderInLittleEndianInt() {
    assertEquals(0x0100007F, Ws2_32.inet_addr("127.0.0.1"));
    assertEquals(0x01010101, Ws2_32.inet_addr("1.1.1.1"));
    assertEquals(0, Ws2_32.inet_addr("0.0.0.0"));
    assertEquals(0x04030201, Ws2_32.inet_addr("1.2.3.4"));
    assertEquals(-1, Ws2_32.inet_addr("255.255.255.255"));
  }

  @Test
  void inetAddrShortAndRadixForms() {
    assertEquals(Ws2_32.inet_addr("127.0.0.1"), Ws2_32.inet_addr("127.1"));
    assertEquals(Ws2_32.inet_addr("127.0.0.1"), Ws2_32.inet_addr("0x7f.0.0.1"));
    assertEquals(Ws2_32.inet_addr("127.0.0.1"), Ws2_32.inet_addr("0177.0.0.01"));
    assertEquals(Ws2_32.inet_addr("10.0.1.2"), Ws2_32.inet_addr("10.0.258"));
    assertEquals(Ws2_32.inet_addr("1.2.3.4"), Ws2_32.inet_addr("16909060"));
    assertEquals(Ws2_32.inet_addr("1.2.3.4"), Ws2_32.inet_addr("1.2.3.4 trailing"));
  }

  @Test
  void inetAddrRejectsGarbage() {
    for (String s :
        new String[] {
          "",
          " ",
          "a.b.c.d",
          "1.2.3.256",
          "1.2.3.4.5",
          "1..2.3",
          "1.2.3.",
          "08.1.1.1",
          "0x",
          "example.com",
          "::1",
          "4294967296",
          "1.2.3.4x",
          null
        }) {
      assertEquals(Ws2_32.INADDR_NONE, Ws2_32.inet_addr(s), String.valueOf(s));
    }
  }

  @Test
  void inetAddrTakesOnlyAsciiDigitsAndCWhiteSpace() {
    // Found by WinapiFuzzTest.inetAddr against the C library's inet_addr: Java's Character.digit
    // took other scripts' digits, and Character.isWhitespace took U+001C..U+001F as the white space
    // that may end the address.
    assertEquals(Ws2_32.INADDR_NONE, Ws2_32.inet_addr("1\u0661.0.0.1")); // ARABIC-INDIC DIGIT ONE
    assertEquals(Ws2_32.INADDR_NONE, Ws2_32.inet_addr("0x\uff11")); // FULLWIDTH DIGIT ONE
    assertEquals(Ws2_32.INADDR_NONE, Ws2_32.inet_addr("1.2.3.4\u001f"));
    assertEquals(Ws2_32.INADDR_NONE, Ws2_32.inet_addr("1.2.3.4\u00a0x"));
    assertEquals(
        Ws2_32.inet_addr("1.2.3.4"), Ws2_32.inet_addr("1.2.3.4\u000b junk")); // \v is C white space
  }

  @Test
  void inetNtoa() {
    assertEquals("127.0.0.1", Ws2_32.inet_ntoa(0x0100007F));
    assertEquals("255.255.255.255", Ws2_32.inet_ntoa(-1));
    assertEquals("192.0.2.200", Ws2_32.inet_ntoa(Ws2_32.inet_addr("192.0.2.200")));
  }

  @Test
  void byteOrder() {
    assertEquals(0x0100007F, Ws2_32.htonl(0x7F000001));
    assertEquals(0x7F000001, Ws2_32.ntohl(0x0100007F));
    assertEquals((short) 0x3412, Ws2_32.htons((short) 0x1234));
    assertEquals((short) 0x1234, Ws2_32.ntohs((short) 0x3412));
  }
}
