package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.hex;
import static org.icmpecho.internal.packet.TestPackets.referenceChecksum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChecksumTest {

  @Test
  void rfc1071NumericalExampleSumsTo0xddf2() {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2, so the checksum is its
    // complement.
    byte[] b = hex("0001 f203 f4f5 f6f7");
    assertEquals(0xddf2, Checksum.fold(Checksum.sum(b, 0, b.length)));
    assertEquals(0x220d, Checksum.compute(b, 0, b.length));
  }

  @Test
  void oddLengthPadsTheLastByteOnTheRight() {
    assertEquals(0xfeff, Checksum.compute(new byte[] {1}, 0, 1));
    // ddf2 + f800 = 1d5f2, folded d5f3, complemented 2a0c.
    byte[] b = hex("0001 f203 f4f5 f6f7 f8");
    assertEquals(0x2a0c, Checksum.compute(b, 0, b.length));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 20, 64, 1501})
  void allZerosGiveAllOnes(int length) {
    // One's complement sum of nothing is +0, whose complement is 0xFFFF; such a message never
    // verifies.
    byte[] zeros = new byte[length];
    assertEquals(0xFFFF, Checksum.compute(zeros, 0, length));
    assertFalse(Checksum.verify(zeros, 0, length));
  }

  @Test
  void allOnesOfMaximumIpLengthDoNotOverflow() {
    byte[] ones = new byte[65_535];
    Arrays.fill(ones, (byte) 0xFF);
    assertEquals(referenceChecksum(ones, 0, ones.length), Checksum.compute(ones, 0, ones.length));
    assertEquals(
        0x00FF, Checksum.compute(ones, 0, ones.length)); // 32767 x FFFF (= -0) + FF00 -> ~FF00
  }

  @Test
  void ipv4HeaderExampleChecksumIs0xb861() {
    // The classic IPv4 header 192.168.0.1 -> 192.168.0.199, UDP, TTL 64, 115 bytes.
    byte[] header = hex("4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7");
    assertEquals(0xb861, Checksum.compute(header, 0, header.length));
    header[10] = (byte) 0xb8;
    header[11] = 0x61;
    assertTrue(Checksum.verify(header, 0, header.length));
  }

  @Test
  void windowsPingEchoRequestCarriesChecksum0x4d5a() {
    // What Windows' ping.exe sends as its first probe: id 1, seq 1,
    // "abcdefghijklmnopqrstuvwabcdefghi".
    // Captures of it show the header bytes 08 00 4d 5a 00 01 00 01.
    byte[] request = concat(hex("0800 0000 0001 0001"), WINDOWS_PAYLOAD);
    assertEquals(0x4d5a, Checksum.compute(request, 0, request.length));
    request[2] = 0x4d;
    request[3] = 0x5a;
    assertTrue(Checksum.verify(request, 0, request.length));
  }

  @Test
  void verifyRejectsEverySingleBitFlip() {
    byte[] request = TestPackets.echoRequest(0x1234, 7, WINDOWS_PAYLOAD);
    assertTrue(Checksum.verify(request, 0, request.length));
    for (int bit = 0; bit < request.length * 8; bit++) {
      request[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(Checksum.verify(request, 0, request.length), "bit " + bit);
      request[bit / 8] ^= (byte) (1 << (bit % 8));
    }
  }

  @Test
  void honoursOffsetAndLengthInsideALargerArray() {
    byte[] message = hex("0001 f203 f4f5 f6f7 f8");
    byte[] framed = concat(hex("ffff ff"), message, hex("1234 5678"));
    assertEquals(0x2a0c, Checksum.compute(framed, 3, message.length));
  }

  @Test
  void matchesPlainSixteenBitLoopOnRandomRanges() {
    Random random = new Random(1071);
    byte[] b = new byte[2048];
    for (int i = 0; i < 20_000; i++) {
      random.nextBytes(b);
      int off = random.nextInt(b.length);
      int len = random.nextInt(b.length - off + 1);
      int expected = referenceChecksum(b, off, len);
      assertEquals(expected, Checksum.compute(b, off, len), "off " + off + " len " + len);
    }
  }

  @Test
  void everyMessageVerifiesOnceItsChecksumIsStored() {
    Random random = new Random(792);
    for (int i = 0; i < 5_000; i++) {
      byte[] m = new byte[8 + random.nextInt(200)];
      random.nextBytes(m);
      m[2] = 0;
      m[3] = 0;
      int c = Checksum.compute(m, 0, m.length);
      m[2] = (byte) (c >>> 8);
      m[3] = (byte) c;
      assertTrue(Checksum.verify(m, 0, m.length), "length " + m.length);
    }
  }

  @Test
  void rangeOutsideTheArrayIsAProgrammingError() {
    byte[] b = new byte[4];
    assertThrows(IndexOutOfBoundsException.class, () -> Checksum.compute(b, 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> Checksum.verify(b, -1, 2));
  }
}
