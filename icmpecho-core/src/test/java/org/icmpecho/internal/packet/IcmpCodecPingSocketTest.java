package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.ID;
import static org.icmpecho.internal.packet.TestPackets.SEQ;
import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.data;
import static org.icmpecho.internal.packet.TestPackets.echoReply;
import static org.icmpecho.internal.packet.TestPackets.echoRequest;
import static org.icmpecho.internal.packet.TestPackets.echoRequest6;
import static org.icmpecho.internal.packet.TestPackets.icmp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link IcmpCodec#parseIcmpv4} (Linux IPv4 ping socket) and {@link IcmpCodec#parseQuotedEcho} (the
 * data that the error queue returns with an error).
 */
class IcmpCodecPingSocketTest {

  private final Packet p = TestPackets.preparedPacket();

  private void assertUntouchedAfter(boolean parsed, TestPackets.State before) {
    assertFalse(parsed);
    assertEquals(before, TestPackets.State.of(p));
  }

  @Test
  void echoReplyFromAPingSocketIsParsedAndKeepsControlMessageFields() {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    assertTrue(IcmpCodec.parseIcmpv4(reply, 0, reply.length, p));
    assertEquals(Packet.ECHO_REPLY, p.kind);
    assertFalse(p.ipv6);
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(0, p.icmpType);
    assertEquals(0, p.icmpCode);
    assertEquals(0, p.info);
    assertTrue(p.checksumOk);
    assertEquals(0, p.quotedDstLen);
    assertSame(reply, p.data);
    assertEquals(8, p.dataOffset);
    assertArrayEquals(WINDOWS_PAYLOAD, data(p));
    assertEquals(40, p.icmpLength);
    // From IP_TTL / IP_TOS control messages and the receive address, filled by the caller:
    // untouched.
    assertEquals(77, p.ttl);
    assertEquals(0x2E, p.tos);
    assertArrayEquals(new byte[] {9, 9, 9, 9}, TestPackets.from(p));
  }

  @Test
  void pingSocketReplyChecksumIsTrustedBecauseTheKernelCheckedIt() {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    reply[2] = 0; // what we see may not even verify (the kernel rewrote the identifier)
    reply[3] = 0;
    assertTrue(IcmpCodec.parseIcmpv4(reply, 0, reply.length, p));
    assertTrue(p.checksumOk);
  }

  @Test
  void pingSocketReplyAtAnOffsetWithoutPayload() {
    byte[] buffer = concat(new byte[5], echoReply(0, 0xFFFF, new byte[0]), new byte[3]);
    assertTrue(IcmpCodec.parseIcmpv4(buffer, 5, 8, p));
    assertEquals(0, p.identifier);
    assertEquals(0xFFFF, p.sequence);
    assertEquals(13, p.dataOffset);
    assertEquals(0, p.dataLength);
    assertEquals(8, p.icmpLength);
  }

  @ParameterizedTest(name = "type {0}")
  @ValueSource(ints = {3, 4, 5, 8, 11, 12, 13, 14, 129, 255})
  void pingSocketAcceptsOnlyEchoReplies(int type) {
    byte[] message = icmp(type, 0, ((long) ID << 16) | SEQ, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    assertUntouchedAfter(IcmpCodec.parseIcmpv4(message, 0, message.length, p), before);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 4, 7})
  void pingSocketMessageShorterThanTheHeaderIsIgnored(int length) {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    assertUntouchedAfter(IcmpCodec.parseIcmpv4(reply, 0, length, p), before);
  }

  @Test
  void pingSocketRangeOutsideTheArrayIsNotAPacket() {
    byte[] reply = echoReply(ID, SEQ, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    assertUntouchedAfter(IcmpCodec.parseIcmpv4(reply, 0, reply.length + 1, p), before);
    assertUntouchedAfter(IcmpCodec.parseIcmpv4(reply, 35, 8, p), before);
    assertUntouchedAfter(IcmpCodec.parseIcmpv4(reply, -8, 8, p), before);
  }

  // ----------------------------------------------------------------------------------- error queue

  @Test
  void errorQueueDataIsOurIpv4RequestAndGivesIdentifierAndSequence() {
    byte[] request = echoRequest(ID, SEQ, WINDOWS_PAYLOAD);
    p.kind = Packet.ICMP_ERROR; // set by the caller from sock_extended_err
    p.icmpType = 11;
    assertTrue(IcmpCodec.parseQuotedEcho(request, 0, request.length, false, p));
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(Packet.ICMP_ERROR, p.kind, "kind is the caller's");
    assertEquals(11, p.icmpType, "the error's type is the caller's");
  }

  @Test
  void errorQueueDataIsOurIpv6RequestAndGivesIdentifierAndSequence() {
    byte[] request = echoRequest6(ID, SEQ, WINDOWS_PAYLOAD);
    assertTrue(IcmpCodec.parseQuotedEcho(request, 0, request.length, true, p));
    assertEquals(ID, p.identifier);
    assertEquals(SEQ, p.sequence);
    assertEquals(0, p.kind);
  }

  @Test
  void errorQueueNeedsOnlyTheEightHeaderBytes() {
    byte[] request = concat(new byte[2], echoRequest(1, 2, WINDOWS_PAYLOAD));
    assertTrue(IcmpCodec.parseQuotedEcho(request, 2, 8, false, p));
    assertEquals(1, p.identifier);
    assertEquals(2, p.sequence);
  }

  @ParameterizedTest(name = "ipv6={0} type {1} code {2}")
  @CsvSource({
    "false, 0, 0", // an echo reply is not what we sent
    "false, 8, 1", // echo request must have code 0
    "false, 128, 0", // ICMPv6 request on the IPv4 queue
    "true, 8, 0", // ICMPv4 request on the IPv6 queue
    "true, 129, 0",
    "true, 128, 1",
    "false, 11, 0",
  })
  void errorQueueDataThatIsNotOurEchoRequestIsIgnored(boolean ipv6, int type, int code) {
    byte[] message = icmp(type, code, ((long) ID << 16) | SEQ, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    assertUntouchedAfter(IcmpCodec.parseQuotedEcho(message, 0, message.length, ipv6, p), before);
  }

  @Test
  void errorQueueDataShorterThanTheHeaderIsIgnored() {
    byte[] request = echoRequest(ID, SEQ, WINDOWS_PAYLOAD);
    TestPackets.State before = TestPackets.State.of(p);
    for (int length = 0; length < 8; length++) {
      byte[] cut = Arrays.copyOf(request, length);
      assertUntouchedAfter(IcmpCodec.parseQuotedEcho(cut, 0, length, false, p), before);
    }
    assertUntouchedAfter(IcmpCodec.parseQuotedEcho(request, 36, 8, false, p), before);
  }
}
