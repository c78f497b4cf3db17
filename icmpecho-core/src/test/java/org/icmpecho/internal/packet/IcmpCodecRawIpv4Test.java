package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.ID;
import static org.icmpecho.internal.packet.TestPackets.ME;
import static org.icmpecho.internal.packet.TestPackets.ROUTER;
import static org.icmpecho.internal.packet.TestPackets.SEQ;
import static org.icmpecho.internal.packet.TestPackets.TARGET;
import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.data;
import static org.icmpecho.internal.packet.TestPackets.echoReply;
import static org.icmpecho.internal.packet.TestPackets.echoRequest;
import static org.icmpecho.internal.packet.TestPackets.from;
import static org.icmpecho.internal.packet.TestPackets.icmp;
import static org.icmpecho.internal.packet.TestPackets.ipv4;
import static org.icmpecho.internal.packet.TestPackets.ipv4Error;
import static org.icmpecho.internal.packet.TestPackets.quotedDst;
import static org.icmpecho.internal.packet.TestPackets.quotedEchoRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.icmpecho.IpStatus;
import org.icmpecho.internal.StatusMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IcmpCodec#parseIpv4WithHeader}: what a raw IPv4 socket receives. */
class IcmpCodecRawIpv4Test {

  private final Packet p = TestPackets.preparedPacket();

  private boolean parse(byte[] datagram) {
    return IcmpCodec.parseIpv4WithHeader(datagram, 0, datagram.length, p);
  }

  /** Parses and asserts "not relevant" together with "packet untouched". */
  private void assertIgnored(byte[] datagram) {
    TestPackets.State before = TestPackets.State.of(p);
    assertFalse(parse(datagram));
    assertEquals(before, TestPackets.State.of(p));
  }

  // ---------------------------------------------------------------------------------- echo replies

  @Test
  void echoReplyRoundTripsFromTheWrittenRequest() {
    byte[] request = new byte[40];
    int n = IcmpCodec.writeEchoRequest(request, 0, false, ID, SEQ, WINDOWS_PAYLOAD, 0, 32, true);
    // The target answers with the same message, type 0, checksum recomputed.
    byte[] reply = Arrays.copyOf(request, n);
    reply[0] = 0;
    reply[2] = 0;
    reply[3] = 0;
    TestPackets.putU16(reply, 2, TestPackets.referenceChecksum(reply, 0, n));
    byte[] datagram = ipv4(5, 0x10, 57, 1, 0x4000, TARGET, ME, reply);

    assertTrue(parse(datagram));
    assertEquals(Packet.ECHO_REPLY, p.kind);
    assertFalse(p.ipv6);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(0, p.icmpType);
    assertEquals(0, p.icmpCode);
    assertEquals(0, p.info);
    assertEquals(57, p.ttl);
    assertEquals(0x10, p.tos);
    assertTrue(p.checksumOk);
    assertArrayEquals(TARGET, from(p));
    assertEquals(0, p.fromScope);
    assertEquals(0, p.quotedDstLen);
    assertSame(datagram, p.data);
    assertEquals(28, p.dataOffset);
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertEquals(40, p.icmpLength);
    assertEquals(IpStatus.IP_SUCCESS, StatusMap.icmpv4(p.icmpType, p.icmpCode));
    assertEquals(123_456_789L, p.rxTime, "fields from elsewhere are not touched");
  }

  @Test
  void echoReplyWithoutPayloadHasEmptyData() {
    assertTrue(parse(ipv4(TARGET, ME, 64, echoReply(ID, SEQ, new byte[0]))));
    assertEquals(Packet.ECHO_REPLY, p.kind);
    assertEquals(0, p.dataLength);
    assertEquals(28, p.dataOffset);
    assertEquals(8, p.icmpLength);
    assertTrue(p.checksumOk);
  }

  @ParameterizedTest(name = "IHL {0}")
  @ValueSource(ints = {6, 7, 10, 15})
  void echoReplyAfterIpOptionsStartsAtIhlTimesFour(int ihl) {
    byte[] datagram = ipv4(ihl, 0, 64, 1, 0, TARGET, ME, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    assertTrue(parse(datagram));
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(ihl * 4 + 8, p.dataOffset);
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertTrue(p.checksumOk);
  }

  @Test
  void badChecksumIsReportedButTheReplyIsStillParsed() {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    reply[20] ^= 0x01; // a payload bit flipped in transit
    assertTrue(parse(ipv4(TARGET, ME, 64, reply)));
    assertFalse(p.checksumOk);
    assertEquals(Packet.ECHO_REPLY, p.kind);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
  }

  @Test
  void echoReplyAtAnOffsetInsideTheReceiveBuffer() {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    byte[] buffer = concat(new byte[] {0x45, 1, 2}, datagram, new byte[] {(byte) 0xFF, 0x45});
    assertTrue(IcmpCodec.parseIpv4WithHeader(buffer, 3, datagram.length, p));
    assertEquals(3 + 28, p.dataOffset);
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertTrue(p.checksumOk);
  }

  @Test
  void bytesBeyondTheTotalLengthAreNotPartOfTheReply() {
    byte[] datagram =
        concat(ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD)), new byte[] {1, 2, 3});
    assertTrue(parse(datagram));
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertEquals(40, p.icmpLength);
    assertTrue(p.checksumOk, "the checksum covers only the datagram");
  }

  @Test
  void replyCutShortByTheReceiveBufferKeepsItsSentLength() {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    byte[] received = Arrays.copyOf(datagram, 40); // MSG_TRUNC: 12 of 32 payload bytes arrived
    assertTrue(parse(received));
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(40, p.icmpLength);
    assertArrayEquals(Arrays.copyOf(WINDOWS_PAYLOAD, 12), data(p));
    assertTrue(p.checksumOk, "a partial message cannot be verified, so it is not held against it");
  }

  // --------------------------------------------------------------------- not an answer to our echo

  @Test
  void ownEchoRequestSeenOnLoopbackIsIgnored() {
    assertIgnored(ipv4(ME, ME, 64, echoRequest(ID, SEQ, WINDOWS_PAYLOAD)));
  }

  @ParameterizedTest(name = "type {0}")
  @ValueSource(ints = {1, 2, 6, 7, 9, 10, 13, 14, 15, 16, 17, 18, 30, 42, 43, 200, 255})
  void otherIcmpTypesAreIgnored(int type) {
    assertIgnored(ipv4(TARGET, ME, 64, icmp(type, 0, 0, quotedEchoRequest(ID, SEQ))));
  }

  @Test
  void redirectQuotingOurEchoIsIgnored() {
    // RFC 792 type 5 quotes the datagram too, but a redirect is advice for the host, not an answer.
    assertIgnored(ipv4Error(5, 1, 0xC0000201L, quotedEchoRequest(ID, SEQ)));
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {0, 5, 6, 15})
  void notIpVersion4IsIgnored(int version) {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    datagram[0] = (byte) (version << 4 | 5);
    assertIgnored(datagram);
  }

  @ParameterizedTest(name = "protocol {0}")
  @ValueSource(ints = {0, 2, 6, 17, 58, 255})
  void protocolOtherThanIcmpIsIgnored(int protocol) {
    assertIgnored(ipv4(5, 0, 64, protocol, 0, TARGET, ME, echoReply(ID, SEQ, WINDOWS_PAYLOAD)));
  }

  @ParameterizedTest(name = "IHL {0}")
  @ValueSource(ints = {0, 1, 4})
  void ihlBelowFiveIsIgnored(int ihl) {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    datagram[0] = (byte) (0x40 | ihl);
    assertIgnored(datagram);
  }

  @ParameterizedTest(name = "IHL {0}")
  @ValueSource(ints = {3, 4})
  void ihlBelowFiveIsIgnoredEvenWhenTheBytesThereLookLikeAnEchoReply(int ihl) {
    // With IHL 3 or 4 the "ICMP header" would start in the source or destination address; make both
    // addresses read as type 0, code 0, so only the IHL check can reject the datagram.
    byte[] zeroish = {0, 0, (byte) 0xBE, (byte) 0xEF};
    byte[] datagram = ipv4(zeroish, zeroish, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    datagram[0] = (byte) (0x40 | ihl);
    assertIgnored(datagram);
  }

  @Test
  void ihlPointingPastTheReceivedBytesIsIgnored() {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, new byte[20])); // 48 bytes
    datagram[0] = 0x4F; // 60-byte header claimed
    assertIgnored(datagram);
  }

  @ParameterizedTest(name = "total length {0}")
  @ValueSource(ints = {0, 1, 20, 27})
  void totalLengthTooShortForAnIcmpHeaderIsIgnored(int totalLength) {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    TestPackets.putU16(datagram, 2, totalLength);
    assertIgnored(datagram);
  }

  @Test
  void nonFirstFragmentIsIgnored() {
    // Offset 185 (1480 bytes): what follows the header is the middle of a payload, not an ICMP
    // header.
    assertIgnored(ipv4(5, 0, 64, 1, 0x00B9, TARGET, ME, echoReply(ID, SEQ, WINDOWS_PAYLOAD)));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 19, 20, 27})
  void shorterThanIpPlusIcmpHeaderIsIgnored(int length) {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    assertIgnored(Arrays.copyOf(datagram, length));
  }

  // ------------------------------------------------------------------------------------------------ errors

  @Test
  void timeExceededQuotingOurEchoIsAnError() {
    byte[] datagram = ipv4Error(11, 0, 0, quotedEchoRequest(ID, SEQ));
    assertTrue(parse(datagram));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertFalse(p.ipv6);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(11, p.icmpType);
    assertEquals(0, p.icmpCode);
    assertEquals(0, p.info);
    assertTrue(p.checksumOk);
    assertArrayEquals(ROUTER, from(p), "the error comes from the router");
    assertArrayEquals(TARGET, quotedDst(p), "about the probe to the target");
    assertEquals(250, p.ttl);
    assertEquals(0, p.tos);
    assertEquals(8 + 28, p.icmpLength);
    assertEquals(0, p.dataLength, "the router quoted no payload");
    assertEquals(IpStatus.IP_TTL_EXPIRED_TRANSIT, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @Test
  void errorQuotingTheWholeRequestExposesTheQuotedPayload() {
    // Linux routers quote up to 576 bytes in all (RFC 1812 section 4.3.2.3), so the cookie may be
    // there.
    byte[] quoted = ipv4(ME, TARGET, 1, echoRequest(ID, SEQ, WINDOWS_PAYLOAD));
    assertTrue(parse(ipv4Error(11, 0, 0, quoted)));
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
  }

  @Test
  void quotedPayloadEndsAtTheQuotedTotalLengthBeforeRfc4884Extensions() {
    // An RFC 4884 error pads the quote to 128 bytes and appends an extension structure.
    byte[] quoted = ipv4(ME, TARGET, 1, echoRequest(ID, SEQ, WINDOWS_PAYLOAD)); // 60 bytes
    byte[] padded = Arrays.copyOf(quoted, 128);
    byte[] extension = TestPackets.hex("2000 0000 0008 0101 0001 f1ff");
    assertTrue(parse(ipv4Error(11, 0, 32L << 16, concat(padded, extension))));
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
  }

  @Test
  void fragmentationNeededCarriesTheNextHopMtu() {
    assertTrue(parse(ipv4Error(3, 4, 1400, quotedEchoRequest(ID, SEQ))));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(1400, p.info);
    assertEquals(IpStatus.IP_PACKET_TOO_BIG, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @Test
  void otherUnreachableCodesCarryNoInfoEvenIfTheUnusedFieldIsNot() {
    assertTrue(parse(ipv4Error(3, 1, 1400, quotedEchoRequest(ID, SEQ))));
    assertEquals(0, p.info);
    assertEquals(IpStatus.IP_DEST_HOST_UNREACHABLE, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @Test
  void parameterProblemCarriesThePointer() {
    assertTrue(parse(ipv4Error(12, 0, 0x14FF_FFFFL, quotedEchoRequest(ID, SEQ))));
    assertEquals(20, p.info);
    assertEquals(IpStatus.IP_PARAM_PROBLEM, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @Test
  void sourceQuenchQuotingOurEchoIsAnError() {
    assertTrue(parse(ipv4Error(4, 0, 0, quotedEchoRequest(ID, SEQ))));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(IpStatus.IP_SOURCE_QUENCH, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @ParameterizedTest(name = "type {0} code {1} -> {2}")
  @CsvSource({
    "3, 0, 11002",
    "3, 1, 11003",
    "3, 2, 11004",
    "3, 3, 11005",
    "3, 4, 11009",
    "3, 5, 11012",
    "3, 6, 11002",
    "3, 7, 11003",
    "3, 8, 11003",
    "3, 9, 11002",
    "3, 10, 11003",
    "3, 11, 11002",
    "3, 12, 11003",
    "3, 13, 11003",
    "3, 14, 11003",
    "3, 15, 11003",
    "3, 16, 11003",
    "3, 255, 11003",
    "4, 0, 11016",
    "11, 0, 11013",
    "11, 1, 11014",
    "12, 0, 11015",
    "12, 1, 11015",
    "12, 2, 11015",
  })
  void everyErrorOfTheTableIsRecognisedAndMaps(int type, int code, int expected) {
    assertTrue(parse(ipv4Error(type, code, 0, quotedEchoRequest(ID, SEQ))));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(type, p.icmpType);
    assertEquals(code, p.icmpCode);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(expected, StatusMap.icmpv4(p.icmpType, p.icmpCode).code());
  }

  @Test
  void optionsInTheOuterAndTheQuotedHeaderAreSkipped() {
    byte[] quoted = ipv4(6, 0, 1, 1, 0x4000, ME, TARGET, echoRequest(ID, SEQ, WINDOWS_PAYLOAD));
    byte[] datagram =
        ipv4(7, 0xC0, 254, 1, 0, ROUTER, ME, icmp(11, 0, 0, Arrays.copyOf(quoted, 24 + 8)));
    assertTrue(parse(datagram));
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertArrayEquals(ROUTER, from(p));
    assertArrayEquals(TARGET, quotedDst(p));
    assertEquals(0xC0, p.tos);
    assertEquals(254, p.ttl);
  }

  @Test
  void errorWithBadChecksumIsReportedButStillParsed() {
    byte[] datagram = ipv4Error(11, 0, 0, quotedEchoRequest(ID, SEQ));
    datagram[22] ^= 0x40; // inside the ICMP checksum field
    assertTrue(parse(datagram));
    assertFalse(p.checksumOk);
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(SEQ, p.sequence);
  }

  @Test
  void errorQuotingUdpIsIgnored() {
    // Source port 2048 makes the UDP header start with 08 00, like an echo request: only the
    // protocol tells.
    byte[] udp = TestPackets.hex("0800 829a 0010 0000");
    byte[] quoted = ipv4(5, 0, 1, 17, 0, ME, TARGET, udp);
    assertIgnored(ipv4Error(11, 0, 0, quoted));
  }

  @ParameterizedTest(name = "quoted type {0} code {1}")
  @CsvSource({"0, 0", "8, 1", "8, 255", "13, 0", "3, 3", "128, 0"})
  void errorQuotingAnIcmpMessageOtherThanAnEchoRequestIsIgnored(int type, int code) {
    byte[] quoted = ipv4(ME, TARGET, 1, icmp(type, code, ((long) ID << 16) | SEQ, new byte[0]));
    assertIgnored(ipv4Error(3, 1, 0, quoted));
  }

  @Test
  void errorQuotingAnIpv6OrGarbageVersionIsIgnored() {
    byte[] quoted = quotedEchoRequest(ID, SEQ);
    quoted[0] = 0x65;
    assertIgnored(ipv4Error(11, 0, 0, quoted));
    quoted[0] = 0x44; // IHL 4
    assertIgnored(ipv4Error(11, 0, 0, quoted));
  }

  @ParameterizedTest(name = "{0} quoted ICMP bytes")
  @ValueSource(ints = {0, 1, 4, 7})
  void errorWithTruncatedQuoteIsIgnored(int icmpBytes) {
    byte[] quoted = Arrays.copyOf(quotedEchoRequest(ID, SEQ), 20 + icmpBytes);
    assertIgnored(ipv4Error(11, 0, 0, quoted));
  }

  @Test
  void errorQuotingExactlyTheEightHeaderBytesIsEnough() {
    assertTrue(parse(ipv4Error(11, 0, 0, quotedEchoRequest(ID, SEQ))));
    assertEquals(SEQ, p.sequence);
  }

  @Test
  void errorWhoseQuotedIhlRunsPastTheQuoteIsIgnored() {
    byte[] quoted = quotedEchoRequest(ID, SEQ); // 20 + 8 bytes, but now claims a 24-byte header
    quoted[0] = 0x46;
    assertIgnored(ipv4Error(11, 0, 0, quoted));
  }

  @Test
  void errorQuotingANonFirstFragmentIsIgnoredButAFirstFragmentIsNot() {
    byte[] request = echoRequest(ID, SEQ, WINDOWS_PAYLOAD);
    byte[] later = ipv4(5, 0, 1, 1, 0x2000 | 0x00B9, ME, TARGET, request); // MF, offset 185
    assertIgnored(ipv4Error(11, 1, 0, Arrays.copyOf(later, 28)));
    byte[] first = ipv4(5, 0, 1, 1, 0x2000, ME, TARGET, request); // MF, offset 0
    assertTrue(parse(ipv4Error(11, 1, 0, Arrays.copyOf(first, 28))));
    assertEquals(IpStatus.IP_TTL_EXPIRED_REASSEM, StatusMap.icmpv4(p.icmpType, p.icmpCode));
  }

  @Test
  void redirectTypeIsNotMappedEither() {
    assertNull(StatusMap.icmpv4(IcmpCodec.ICMP_REDIRECT, 0));
  }

  @Test
  void rangesThatDoNotFitTheArrayAreNotPackets() {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    TestPackets.State before = TestPackets.State.of(p);
    assertFalse(IcmpCodec.parseIpv4WithHeader(datagram, 1, datagram.length, p));
    assertFalse(IcmpCodec.parseIpv4WithHeader(datagram, -1, 30, p));
    assertFalse(IcmpCodec.parseIpv4WithHeader(datagram, 0, -5, p));
    assertFalse(IcmpCodec.parseIpv4WithHeader(datagram, 2, Integer.MAX_VALUE, p));
    assertFalse(IcmpCodec.parseIpv4WithHeader(datagram, Integer.MAX_VALUE, 2, p));
    assertFalse(IcmpCodec.parseIpv4WithHeader(null, 0, 0, p));
    assertEquals(before, TestPackets.State.of(p));
  }

  @Test
  void optionsAndFlagsComeFromTheHeader() {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    assertTrue(parse(ipv4(15, 0, 57, 1, 0x4000, TARGET, ME, reply)));
    assertEquals(40, p.optionsLength);
    assertEquals(1, p.options[0], "the helper's NOPs");
    assertEquals(0, p.options[39], "and its EOL");
    assertEquals(2, p.ipFlags, "DF");
    assertTrue(parse(ipv4(6, 0, 57, 1, 0, TARGET, ME, reply)));
    assertEquals(4, p.optionsLength);
    assertEquals(0, p.ipFlags);
    assertTrue(parse(ipv4(5, 0, 57, 1, 0x2000, TARGET, ME, reply)));
    assertEquals(0, p.optionsLength);
    assertEquals(1, p.ipFlags, "MF");
  }
}
