package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.ID;
import static org.icmpecho.internal.packet.TestPackets.ME;
import static org.icmpecho.internal.packet.TestPackets.ME6;
import static org.icmpecho.internal.packet.TestPackets.ROUTER;
import static org.icmpecho.internal.packet.TestPackets.SEQ;
import static org.icmpecho.internal.packet.TestPackets.TARGET;
import static org.icmpecho.internal.packet.TestPackets.TARGET6;
import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.echoReply;
import static org.icmpecho.internal.packet.TestPackets.echoRequest;
import static org.icmpecho.internal.packet.TestPackets.echoRequest6;
import static org.icmpecho.internal.packet.TestPackets.icmp;
import static org.icmpecho.internal.packet.TestPackets.icmpv6;
import static org.icmpecho.internal.packet.TestPackets.ipv4;
import static org.icmpecho.internal.packet.TestPackets.ipv6;
import static org.icmpecho.internal.packet.TestPackets.quotedEchoRequest;
import static org.icmpecho.internal.packet.TestPackets.quotedEchoRequest6;
import static org.icmpecho.internal.packet.TestPackets.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Untrusted input: every prefix of valid packets, random bytes, and mutated valid packets. A parser
 * must either say "not relevant" and leave the packet alone, or report values that are consistent
 * with the bytes.
 */
class IcmpCodecGarbageTest {

  @FunctionalInterface
  interface Parser {
    boolean parse(byte[] b, int off, int len, Packet p);
  }

  private static final Parser RAW_V4 = IcmpCodec::parseIpv4WithHeader;
  private static final Parser PING_V4 = IcmpCodec::parseIcmpv4;
  private static final Parser ICMPV6 = IcmpCodec::parseIcmpv6;
  private static final Parser QUOTED_V4 =
      (b, off, len, p) -> IcmpCodec.parseQuotedEcho(b, off, len, false, p);
  private static final Parser QUOTED_V6 =
      (b, off, len, p) -> IcmpCodec.parseQuotedEcho(b, off, len, true, p);

  /**
   * A valid packet, what it must parse to, and the shortest prefix that still carries everything
   * needed: shorter prefixes must be rejected, longer ones accepted.
   */
  record Sample(String name, Parser parser, byte[] bytes, int kind, int minLength) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Sample> samples() {
    byte[] fragmentHeader = {58, 0, 0, 1, 0, 0, 0, 7};
    return List.of(
        new Sample(
            "raw v4 echo reply",
            RAW_V4,
            ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD)),
            1,
            28),
        new Sample(
            "raw v4 echo reply with options",
            RAW_V4,
            ipv4(7, 0, 64, 1, 0, TARGET, ME, echoReply(ID, SEQ, WINDOWS_PAYLOAD)),
            1,
            36),
        new Sample(
            "raw v4 time exceeded, options in quote, full quote",
            RAW_V4,
            ipv4(
                ROUTER,
                ME,
                250,
                icmp(
                    11,
                    0,
                    0,
                    ipv4(6, 0, 1, 1, 0, ME, TARGET, echoRequest(ID, SEQ, WINDOWS_PAYLOAD)))),
            2,
            20 + 8 + 24 + 8),
        new Sample(
            "raw v4 fragmentation needed",
            RAW_V4,
            ipv4(ROUTER, ME, 250, icmp(3, 4, 576, quotedEchoRequest(ID, SEQ))),
            2,
            56),
        new Sample("ping v4 echo reply", PING_V4, echoReply(ID, SEQ, WINDOWS_PAYLOAD), 1, 8),
        new Sample(
            "icmpv6 echo reply",
            ICMPV6,
            icmpv6(129, 0, ((long) ID << 16) | SEQ, WINDOWS_PAYLOAD),
            1,
            8),
        new Sample(
            "icmpv6 packet too big",
            ICMPV6,
            icmpv6(2, 0, 1280, quotedEchoRequest6(ID, SEQ)),
            2,
            8 + 40 + 8),
        new Sample(
            "icmpv6 time exceeded quoting a first fragment",
            ICMPV6,
            icmpv6(
                3,
                0,
                0,
                ipv6(
                    44,
                    ME6,
                    TARGET6,
                    concat(fragmentHeader, echoRequest6(ID, SEQ, WINDOWS_PAYLOAD)))),
            2,
            8 + 40 + 8 + 8),
        new Sample("error queue v4", QUOTED_V4, echoRequest(ID, SEQ, WINDOWS_PAYLOAD), 0, 8),
        new Sample("error queue v6", QUOTED_V6, echoRequest6(ID, SEQ, WINDOWS_PAYLOAD), 0, 8));
  }

  static Stream<Sample> sampleStream() {
    return samples().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleStream")
  void everyTruncationIsRejectedOrParsedConsistently(Sample s) {
    for (int length = 0; length <= s.bytes.length; length++) {
      for (int off : new int[] {0, 3}) {
        // The array ends exactly where the range ends, so reading one byte too far would throw.
        byte[] buffer = new byte[off + length];
        Arrays.fill(buffer, 0, off, (byte) 0x45);
        System.arraycopy(s.bytes, 0, buffer, off, length);
        Packet p = TestPackets.preparedPacket();
        TestPackets.State before = TestPackets.State.of(p);
        boolean parsed = s.parser.parse(buffer, off, length, p);

        String where = s.name + ", " + length + " bytes at " + off;
        assertEquals(length >= s.minLength, parsed, where);
        if (!parsed) {
          assertEquals(before, TestPackets.State.of(p), where);
          continue;
        }
        assertEquals(ID, p.identifier, where);
        assertEquals(SEQ, p.sequence, where);
        assertEquals(s.kind, p.kind, where);
        assertTrue(
            p.checksumOk, where + ": a valid packet, or a partial one that cannot be verified");
        if (p.data != null) {
          assertSame(buffer, p.data, where);
          assertTrue(p.dataOffset >= off && p.dataLength >= 0, where);
          assertTrue(p.dataOffset + p.dataLength <= off + length, where);
          // What is there of the payload is the payload.
          byte[] present = Arrays.copyOfRange(buffer, p.dataOffset, p.dataOffset + p.dataLength);
          assertArrayEquals(Arrays.copyOf(WINDOWS_PAYLOAD, present.length), present, where);
        }
      }
    }
  }

  @Test
  void randomAndMutatedBytesNeverThrowAndAcceptedPacketsAreConsistent() {
    Random random = new Random(0x1C4FEC40L);
    List<Sample> samples = samples();
    Parser[] parsers = {RAW_V4, PING_V4, ICMPV6, QUOTED_V4, QUOTED_V6};
    int[] accepted = new int[parsers.length];
    int[] rejected = new int[parsers.length];
    int acceptedErrors = 0;

    for (int i = 0; i < 100_000; i++) {
      byte[] message;
      if (i % 3 == 0) {
        message = new byte[random.nextInt(129)];
        random.nextBytes(message);
      } else {
        // Structure-aware: a valid packet with a few bytes overwritten and sometimes cut, which
        // reaches far deeper into the parsers than uniform noise.
        byte[] valid = samples.get(random.nextInt(samples.size())).bytes;
        message =
            Arrays.copyOf(
                valid, random.nextInt(4) == 0 ? random.nextInt(valid.length + 1) : valid.length);
        for (int k = random.nextInt(4); k > 0 && message.length > 0; k--) {
          message[random.nextInt(message.length)] = (byte) random.nextInt(256);
        }
      }
      int off = random.nextInt(4);
      byte[] buffer = new byte[off + message.length];
      random.nextBytes(buffer);
      System.arraycopy(message, 0, buffer, off, message.length);

      assertEquals(
          TestPackets.referenceChecksum(buffer, off, message.length),
          Checksum.compute(buffer, off, message.length));

      for (int k = 0; k < parsers.length; k++) {
        Packet p = TestPackets.preparedPacket();
        TestPackets.State before = TestPackets.State.of(p);
        if (parsers[k].parse(buffer, off, message.length, p)) {
          accepted[k]++;
          assertConsistent(parsers[k], buffer, off, message.length, p, before);
          if (p.kind == Packet.ICMP_ERROR) {
            acceptedErrors++;
          }
        } else {
          rejected[k]++;
          assertEquals(before, TestPackets.State.of(p), "iteration " + i);
        }
      }
    }
    // The fuzz must have driven every parser down both paths, or it proves nothing.
    for (int k = 0; k < parsers.length; k++) {
      assertTrue(accepted[k] > 1_000, "parser " + k + " accepted only " + accepted[k]);
      assertTrue(rejected[k] > 1_000, "parser " + k + " rejected only " + rejected[k]);
    }
    assertTrue(acceptedErrors > 1_000, "errors accepted: " + acceptedErrors);
  }

  private static void assertConsistent(
      Parser parser, byte[] b, int off, int len, Packet p, TestPackets.State before) {
    String where = "len " + len + " bytes " + java.util.HexFormat.of().formatHex(b, off, off + len);
    assertTrue(p.identifier >= 0 && p.identifier <= 0xFFFF, where);
    assertTrue(p.sequence >= 0 && p.sequence <= 0xFFFF, where);

    if (parser == QUOTED_V4 || parser == QUOTED_V6) {
      assertEquals(u16(b, off + 4), p.identifier, where);
      assertEquals(u16(b, off + 6), p.sequence, where);
      assertEquals(parser == QUOTED_V6 ? 128 : 8, b[off] & 0xFF, where);
      assertEquals(0, b[off + 1], where);
      TestPackets.State onlyIds = TestPackets.State.of(p);
      p.identifier = before.identifier();
      p.sequence = before.sequence();
      assertEquals(
          before, TestPackets.State.of(p), where + ": only identifier and sequence may change");
      assertTrue(onlyIds.kind() == 0, where);
      return;
    }

    assertTrue(p.kind == Packet.ECHO_REPLY || p.kind == Packet.ICMP_ERROR, where);
    assertSame(b, p.data, where);
    assertTrue(
        p.dataOffset >= off + 8 && p.dataLength >= 0 && p.dataOffset + p.dataLength <= off + len,
        where);
    assertTrue(p.info >= 0, where);
    assertEquals(before.rxTime(), p.rxTime, where);

    if (parser == PING_V4) {
      assertEquals(Packet.ECHO_REPLY, p.kind, where);
      assertEquals(0, p.icmpType, where);
      assertEquals(u16(b, off + 4), p.identifier, where);
      assertEquals(off + 8, p.dataOffset, where);
      assertEquals(len - 8, p.dataLength, where);
      assertEquals(len, p.icmpLength, where);
      assertEquals(77, p.ttl, where);
      assertEquals(before.from(), Arrays.toString(p.from), where);
    } else if (parser == ICMPV6) {
      assertTrue(p.ipv6, where);
      assertEquals(b[off] & 0xFF, p.icmpType, where);
      if (p.kind == Packet.ECHO_REPLY) {
        assertEquals(129, p.icmpType, where);
        assertEquals(u16(b, off + 4), p.identifier, where);
        assertEquals(0, p.quotedDstLen, where);
      } else {
        assertTrue(p.icmpType >= 1 && p.icmpType <= 4, where);
        assertEquals(16, p.quotedDstLen, where);
        assertEquals(0x60, b[off + 8] & 0xF0, where);
        assertArrayEquals(
            Arrays.copyOfRange(b, off + 8 + 24, off + 8 + 40), TestPackets.quotedDst(p), where);
      }
      assertEquals(len, p.icmpLength, where);
      assertEquals(77, p.ttl, where);
      assertEquals(before.from(), Arrays.toString(p.from), where);
    } else {
      int headerLength = (b[off] & 0x0F) * 4;
      assertEquals(0x40, b[off] & 0xF0, where);
      assertEquals(1, b[off + 9], where);
      assertTrue(headerLength >= 20 && headerLength + 8 <= len, where);
      assertTrue(p.dataOffset >= off + headerLength + 8, where);
      assertEquals(b[off + 8] & 0xFF, p.ttl, where);
      assertEquals(b[off + 1] & 0xFF, p.tos, where);
      assertArrayEquals(Arrays.copyOfRange(b, off + 12, off + 16), TestPackets.from(p), where);
      assertEquals(b[off + headerLength] & 0xFF, p.icmpType, where);
      assertEquals(p.icmpLength, u16(b, off + 2) - headerLength, where);
      if (p.kind == Packet.ECHO_REPLY) {
        assertEquals(0, p.icmpType, where);
        assertEquals(u16(b, off + headerLength + 4), p.identifier, where);
        assertEquals(0, p.quotedDstLen, where);
      } else {
        assertTrue(List.of(3, 4, 11, 12).contains(p.icmpType), where);
        assertEquals(4, p.quotedDstLen, where);
        int quoted = off + headerLength + 8;
        assertArrayEquals(
            Arrays.copyOfRange(b, quoted + 16, quoted + 20), TestPackets.quotedDst(p), where);
        assertTrue(p.info <= 0xFFFF, where);
      }
    }
  }

  @Test
  void largestPossibleDatagramParses() {
    byte[] payload = new byte[65_535 - 20 - 8];
    new Random(65_535).nextBytes(payload);
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, payload));
    assertEquals(65_535, datagram.length);
    Packet p = TestPackets.preparedPacket();
    assertTrue(IcmpCodec.parseIpv4WithHeader(datagram, 0, datagram.length, p));
    assertTrue(p.checksumOk);
    assertEquals(65_535 - 20, p.icmpLength);
    assertEquals(payload.length, p.dataLength);
  }

  @Test
  void lengthFieldsAtTheirExtremesAreRejectedWithoutThrowing() {
    byte[] datagram = ipv4(TARGET, ME, 64, echoReply(ID, SEQ, WINDOWS_PAYLOAD));
    Packet p = TestPackets.preparedPacket();
    TestPackets.State before = TestPackets.State.of(p);
    datagram[0] = 0x4F; // IHL 15 in a 60-byte datagram: the ICMP header would start at 60
    assertEquals(false, IcmpCodec.parseIpv4WithHeader(datagram, 0, datagram.length, p));
    datagram[0] = 0x45;
    datagram[2] = 0; // total length 0
    datagram[3] = 0;
    assertEquals(false, IcmpCodec.parseIpv4WithHeader(datagram, 0, datagram.length, p));
    assertEquals(before, TestPackets.State.of(p));

    // A quoted header claiming IHL 15 with only 28 bytes quoted, and an IPv6 quote claiming a huge
    // payload.
    byte[] quoted = quotedEchoRequest(ID, SEQ);
    quoted[0] = 0x4F;
    byte[] error = ipv4(ROUTER, ME, 250, icmp(11, 0, 0, quoted));
    assertEquals(false, IcmpCodec.parseIpv4WithHeader(error, 0, error.length, p));
    byte[] quoted6 = quotedEchoRequest6(ID, SEQ);
    quoted6[4] = (byte) 0xFF;
    quoted6[5] = (byte) 0xFF;
    byte[] error6 = icmpv6(3, 0, 0, quoted6);
    assertTrue(
        IcmpCodec.parseIcmpv6(error6, 0, error6.length, p),
        "a lying payload length only bounds data");
    assertEquals(SEQ, p.sequence);
    assertArrayEquals(WINDOWS_PAYLOAD, TestPackets.data(p));
  }
}
