package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.ID;
import static org.icmpecho.internal.packet.TestPackets.ME6;
import static org.icmpecho.internal.packet.TestPackets.SEQ;
import static org.icmpecho.internal.packet.TestPackets.TARGET6;
import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.data;
import static org.icmpecho.internal.packet.TestPackets.echoRequest6;
import static org.icmpecho.internal.packet.TestPackets.hex;
import static org.icmpecho.internal.packet.TestPackets.icmpv6;
import static org.icmpecho.internal.packet.TestPackets.ipv6;
import static org.icmpecho.internal.packet.TestPackets.quotedDst;
import static org.icmpecho.internal.packet.TestPackets.quotedEchoRequest6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.icmpecho.IpStatus;
import org.icmpecho.internal.StatusMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IcmpCodec#parseIcmpv6}: what raw and ping ICMPv6 sockets receive. */
class IcmpCodecIcmpv6Test {

  private final Packet p = TestPackets.preparedPacket();

  private boolean parse(byte[] message) {
    return IcmpCodec.parseIcmpv6(message, 0, message.length, p);
  }

  private void assertIgnored(byte[] message) {
    TestPackets.State before = TestPackets.State.of(p);
    assertFalse(parse(message));
    assertEquals(before, TestPackets.State.of(p));
  }

  private static byte[] error(int type, int code, long word, byte[] quoted) {
    return icmpv6(type, code, word, quoted);
  }

  // ---------------------------------------------------------------------------------- echo replies

  @Test
  void echoReplyRoundTripsFromTheWrittenRequest() {
    byte[] message = new byte[40];
    int n = IcmpCodec.writeEchoRequest(message, 0, true, ID, SEQ, WINDOWS_PAYLOAD, 0, 32, false);
    message[0] = (byte) 129; // the target's answer: same message, type 129
    assertTrue(IcmpCodec.parseIcmpv6(message, 0, n, p));
    assertEquals(Packet.ECHO_REPLY, p.kind);
    assertTrue(p.ipv6);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(129, p.icmpType);
    assertEquals(0, p.icmpCode);
    assertEquals(0, p.info);
    assertTrue(p.checksumOk, "the kernel verified the ICMPv6 checksum");
    assertEquals(0, p.quotedDstLen);
    assertSame(message, p.data);
    assertEquals(8, p.dataOffset);
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertEquals(40, p.icmpLength);
    assertEquals(IpStatus.IP_SUCCESS, StatusMap.icmpv6(p.icmpType, p.icmpCode));
    // The caller owns these (receive address, IPV6_HOPLIMIT): untouched.
    assertArrayEquals(new byte[] {9, 9, 9, 9}, TestPackets.from(p));
    assertEquals(77, p.ttl);
    assertEquals(0x2E, p.tos);
  }

  @Test
  void echoReplyAtAnOffset() {
    byte[] buffer =
        concat(
            new byte[7], icmpv6(129, 0, ((long) ID << 16) | SEQ, new byte[] {1, 2}), new byte[4]);
    assertTrue(IcmpCodec.parseIcmpv6(buffer, 7, 10, p));
    assertEquals(15, p.dataOffset);
    assertArrayEquals(new byte[] {1, 2}, data(p));
  }

  @ParameterizedTest(name = "type {0}")
  // echo request (our own, looped back), MLD, router/neighbour discovery, redirect, MLDv2,
  // unassigned errors, private experimentation, and the ICMPv4 echo types that mean nothing here.
  @ValueSource(ints = {0, 5, 8, 100, 127, 128, 130, 133, 134, 135, 136, 137, 143, 200, 255})
  void messagesThatDoNotAnswerAnEchoAreIgnored(int type) {
    assertIgnored(icmpv6(type, 0, ((long) ID << 16) | SEQ, quotedEchoRequest6(ID, SEQ)));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 7})
  void shorterThanTheHeaderIsIgnored(int length) {
    byte[] reply = icmpv6(129, 0, ((long) ID << 16) | SEQ, WINDOWS_PAYLOAD);
    assertIgnored(Arrays.copyOf(reply, length));
  }

  // ------------------------------------------------------------------------------------------------ errors

  @Test
  void hopLimitExceededQuotingOurEchoIsAnError() {
    assertTrue(parse(error(3, 0, 0, quotedEchoRequest6(ID, SEQ))));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertTrue(p.ipv6);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(3, p.icmpType);
    assertEquals(0, p.icmpCode);
    assertEquals(0, p.info);
    assertTrue(p.checksumOk);
    assertArrayEquals(TARGET6, quotedDst(p));
    assertArrayEquals(
        WINDOWS_PAYLOAD, data(p), "the quote holds the whole request, cookie included");
    assertEquals(8 + 40 + 40, p.icmpLength);
    assertEquals(IpStatus.IP_HOP_LIMIT_EXCEEDED, StatusMap.icmpv6(p.icmpType, p.icmpCode));
    assertArrayEquals(new byte[] {9, 9, 9, 9}, TestPackets.from(p), "from is the caller's");
  }

  @ParameterizedTest(name = "type {0} code {1} -> {2}")
  @CsvSource({
    "1, 0, 11002", "1, 1, 11004", "1, 2, 11045", "1, 3, 11003", "1, 4, 11005", "1, 5, 11044",
        "1, 6, 11040",
    "1, 7, 11042", "1, 8, 11003", "1, 255, 11003", "2, 0, 11009", "3, 0, 11013", "3, 1, 11014",
        "3, 2, 11041",
    "4, 0, 11015", "4, 1, 11015", "4, 2, 11015", "4, 3, 11015",
  })
  void everyErrorOfTheTableIsRecognisedAndMaps(int type, int code, int expected) {
    assertTrue(parse(error(type, code, 1280, quotedEchoRequest6(ID, SEQ))));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(type, p.icmpType);
    assertEquals(code, p.icmpCode);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(expected, StatusMap.icmpv6(p.icmpType, p.icmpCode).code());
  }

  @Test
  void packetTooBigCarriesTheMtu() {
    assertTrue(parse(error(2, 0, 1280, quotedEchoRequest6(ID, SEQ))));
    assertEquals(1280, p.info);
    assertTrue(parse(error(2, 0, 0x0001_0000L, quotedEchoRequest6(ID, SEQ))));
    assertEquals(65_536, p.info, "all four bytes count, unlike the 16-bit ICMPv4 next-hop MTU");
  }

  @Test
  void mtuAbove31BitsSaturates() {
    assertTrue(parse(error(2, 0, 0xFFFF_FFFFL, quotedEchoRequest6(ID, SEQ))));
    assertEquals(Integer.MAX_VALUE, p.info);
    assertTrue(parse(error(2, 0, 0x7FFF_FFFFL, quotedEchoRequest6(ID, SEQ))));
    assertEquals(Integer.MAX_VALUE, p.info);
    assertTrue(parse(error(2, 0, 0x8000_0000L, quotedEchoRequest6(ID, SEQ))));
    assertEquals(Integer.MAX_VALUE, p.info);
  }

  @Test
  void parameterProblemCarriesThePointer() {
    assertTrue(
        parse(error(4, 1, 6, quotedEchoRequest6(ID, SEQ)))); // pointer at the Next Header byte
    assertEquals(6, p.info);
  }

  @ParameterizedTest(name = "type {0}")
  @ValueSource(ints = {1, 3})
  void unreachableAndTimeExceededCarryNoInfo(int type) {
    assertTrue(parse(error(type, 0, 0x1234_5678L, quotedEchoRequest6(ID, SEQ))));
    assertEquals(0, p.info);
  }

  @Test
  void quotedPayloadEndsAtTheQuotedPayloadLength() {
    byte[] quoted =
        concat(quotedEchoRequest6(ID, SEQ), new byte[24]); // padding after the quoted packet
    assertTrue(parse(error(1, 3, 0, quoted)));
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
  }

  @Test
  void quoteCutAfterTheEchoHeaderIsEnough() {
    byte[] quoted = Arrays.copyOf(quotedEchoRequest6(ID, SEQ), 48);
    assertTrue(parse(error(1, 3, 0, quoted)));
    assertEquals(SEQ, p.sequence);
    assertEquals(0, p.dataLength);
  }

  @Test
  void errorQuotingUdpIsIgnored() {
    // UDP source port 32768 makes the header start with 80 00, like an ICMPv6 echo request.
    assertIgnored(error(1, 4, 0, ipv6(17, ME6, TARGET6, hex("8000 829a 0010 0000"))));
  }

  @ParameterizedTest(name = "quoted type {0} code {1}")
  @CsvSource({"129, 0", "128, 1", "8, 0", "1, 0", "135, 0"})
  void errorQuotingAnotherIcmpv6MessageIsIgnored(int type, int code) {
    byte[] quotedMessage = icmpv6(type, code, ((long) ID << 16) | SEQ, WINDOWS_PAYLOAD);
    assertIgnored(error(1, 3, 0, ipv6(58, ME6, TARGET6, quotedMessage)));
  }

  @ParameterizedTest(name = "version nibble {0}")
  @ValueSource(ints = {0x40, 0x00, 0x70, 0xF0})
  void errorQuotingSomethingOtherThanIpv6IsIgnored(int firstByte) {
    byte[] quoted = quotedEchoRequest6(ID, SEQ);
    quoted[0] = (byte) firstByte;
    assertIgnored(error(3, 0, 0, quoted));
  }

  @Test
  void trafficClassAndFlowLabelInTheQuoteDoNotMatter() {
    byte[] quoted = quotedEchoRequest6(ID, SEQ);
    quoted[0] = 0x6F;
    quoted[1] = (byte) 0xFF;
    quoted[3] = 0x12;
    assertTrue(parse(error(3, 0, 0, quoted)));
  }

  @ParameterizedTest(name = "{0} bytes quoted")
  @ValueSource(ints = {0, 1, 39, 40, 41, 47})
  void errorWithTruncatedQuoteIsIgnored(int quotedLength) {
    assertIgnored(error(3, 0, 0, Arrays.copyOf(quotedEchoRequest6(ID, SEQ), quotedLength)));
  }

  // ---------------------------------------------------------------- extension headers in the quote

  private static byte[] hopByHop(int next) {
    return new byte[] {(byte) next, 0, 1, 4, 0, 0, 0, 0}; // PadN of 4
  }

  private static byte[] destinationOptions16(int next) {
    byte[] h = new byte[16]; // Hdr Ext Len 1: 16 bytes
    h[0] = (byte) next;
    h[1] = 1;
    h[2] = 1; // PadN of 12
    h[3] = 12;
    return h;
  }

  private static byte[] fragment(int next, int offsetUnits, boolean more) {
    byte[] h = new byte[8];
    h[0] = (byte) next;
    TestPackets.putU16(h, 2, offsetUnits << 3 | (more ? 1 : 0));
    h[4] = 0x0A; // identification
    h[7] = 0x2B;
    return h;
  }

  private static byte[] quotedWithHeaders(int firstNext, byte[]... headers) {
    return ipv6(
        firstNext, ME6, TARGET6, concat(concat(headers), echoRequest6(ID, SEQ, WINDOWS_PAYLOAD)));
  }

  @Test
  void quotedFirstFragmentOfALargeRequestIsRecognised() {
    // Linux fragments a large echo at the source; an error about fragment 1 quotes the Fragment
    // header.
    byte[] quoted = quotedWithHeaders(44, fragment(58, 0, true));
    assertTrue(parse(error(3, 0, 0, quoted)));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertArrayEquals(TARGET6, quotedDst(p));
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
  }

  @Test
  void quotedNonFirstFragmentIsIgnored() {
    assertIgnored(error(3, 1, 0, quotedWithHeaders(44, fragment(58, 181, false))));
  }

  @Test
  void quotedHopByHopAndDestinationOptionsAreWalked() {
    byte[] quoted =
        quotedWithHeaders(0, hopByHop(60), destinationOptions16(44), fragment(58, 0, true));
    assertTrue(parse(error(1, 0, 0, quoted)));
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
  }

  @ParameterizedTest(name = "next header {0}")
  @ValueSource(ints = {6, 17, 50, 51, 59, 135, 255})
  void quotedExtensionOrProtocolWeDoNotSendIsIgnored(int next) {
    // ESP (50) and AH (51) hide or precede what we cannot walk; 59 is "no next header".
    assertIgnored(error(1, 0, 0, quotedWithHeaders(next, hopByHop(58))));
  }

  @Test
  void extensionHeaderRunningPastTheQuoteIsIgnored() {
    byte[] quoted = quotedWithHeaders(60, destinationOptions16(58));
    quoted[41] = (byte) 200; // Hdr Ext Len 200: 1608 bytes claimed
    assertIgnored(error(1, 0, 0, quoted));
  }

  @Test
  void extensionHeadersCutBeforeTheEchoHeaderAreIgnored() {
    byte[] quoted = quotedWithHeaders(0, hopByHop(44), fragment(58, 0, true));
    for (int length = 40; length < 40 + 16 + 8; length++) {
      assertIgnored(error(1, 0, 0, Arrays.copyOf(quoted, length)));
    }
    assertTrue(parse(error(1, 0, 0, Arrays.copyOf(quoted, 40 + 16 + 8))));
  }

  @Test
  void rangesThatDoNotFitTheArrayAreNotPackets() {
    byte[] reply = icmpv6(129, 0, 1, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    assertFalse(IcmpCodec.parseIcmpv6(reply, 0, reply.length + 1, p));
    assertFalse(IcmpCodec.parseIcmpv6(reply, -1, 8, p));
    assertFalse(IcmpCodec.parseIcmpv6(reply, 8, Integer.MAX_VALUE, p));
    assertFalse(IcmpCodec.parseIcmpv6(null, 0, 8, p));
    assertEquals(before, TestPackets.State.of(p));
  }
}
