package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.WINDOWS_PAYLOAD;
import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IcmpCodecWriteTest {

  @Test
  void ipv4EchoRequestIsByteForByteWhatWindowsPingSends() {
    byte[] dst = new byte[64];
    int n =
        IcmpCodec.writeEchoRequest(
            dst, 0, false, 1, 1, WINDOWS_PAYLOAD, 0, WINDOWS_PAYLOAD.length, true);
    assertEquals(40, n);
    assertArrayEquals(concat(hex("0800 4d5a 0001 0001"), WINDOWS_PAYLOAD), Arrays.copyOf(dst, n));
  }

  @Test
  void identifierAndSequenceAreBigEndianAndChecksumVerifies() {
    byte[] payload = {1, 2, 3, 4, 5};
    byte[] dst = new byte[13];
    int n =
        IcmpCodec.writeEchoRequest(dst, 0, false, 0xBEEF, 0x0102, payload, 0, payload.length, true);
    assertEquals(13, n);
    assertEquals(8, dst[0]);
    assertEquals(0, dst[1]);
    assertArrayEquals(hex("beef 0102 0102030405"), Arrays.copyOfRange(dst, 4, 13));
    assertTrue(Checksum.verify(dst, 0, n));
    assertEquals(
        TestPackets.referenceChecksum(withZeroChecksum(dst), 0, n), TestPackets.u16(dst, 2));
  }

  @Test
  void pingSocketRequestLeavesTheChecksumToTheKernel() {
    byte[] dst = new byte[40];
    Arrays.fill(dst, (byte) 0x55); // stale bytes from the previous send must not survive
    int n =
        IcmpCodec.writeEchoRequest(
            dst, 0, false, 1, 1, WINDOWS_PAYLOAD, 0, WINDOWS_PAYLOAD.length, false);
    assertArrayEquals(concat(hex("0800 0000 0001 0001"), WINDOWS_PAYLOAD), Arrays.copyOf(dst, n));
  }

  @Test
  void ipv6RequestIsType128AndNeverCarriesAChecksumOfOurs() {
    byte[] payload = {9, 8, 7};
    for (boolean compute : new boolean[] {false, true}) {
      byte[] dst = new byte[11];
      int n = IcmpCodec.writeEchoRequest(dst, 0, true, 0x0A0B, 0xFFFF, payload, 0, 3, compute);
      assertEquals(11, n);
      assertArrayEquals(hex("8000 0000 0a0b ffff 090807"), dst, "computeChecksum " + compute);
    }
  }

  @Test
  void onlyTheLowSixteenBitsOfIdentifierAndSequenceAreWritten() {
    byte[] dst = new byte[8];
    IcmpCodec.writeEchoRequest(dst, 0, false, 0x1_2345, 0x7_0001, new byte[0], 0, 0, false);
    assertArrayEquals(hex("0800 0000 2345 0001"), dst);
    IcmpCodec.writeEchoRequest(dst, 0, false, -1, 65_536, new byte[0], 0, 0, false);
    assertArrayEquals(hex("0800 0000 ffff 0000"), dst);
  }

  @Test
  void emptyPayloadGivesTheEightByteHeader() {
    byte[] dst = new byte[8];
    assertEquals(8, IcmpCodec.writeEchoRequest(dst, 0, false, 0, 0, new byte[0], 0, 0, true));
    // 0800 0000 0000 0000 sums to 0800, so the checksum is f7ff.
    assertArrayEquals(hex("0800 f7ff 0000 0000"), dst);
  }

  @Test
  void writesAtAnOffsetFromASliceOfThePayloadWithoutTouchingNeighbours() {
    byte[] dst = new byte[60];
    Arrays.fill(dst, (byte) 0xEE);
    byte[] payloadSource = concat(hex("aaaa"), WINDOWS_PAYLOAD, hex("bbbb"));
    int n =
        IcmpCodec.writeEchoRequest(
            dst, 10, false, 1, 1, payloadSource, 2, WINDOWS_PAYLOAD.length, true);
    assertEquals(40, n);
    assertArrayEquals(
        concat(hex("0800 4d5a 0001 0001"), WINDOWS_PAYLOAD), Arrays.copyOfRange(dst, 10, 50));
    for (int i = 0; i < 10; i++) {
      assertEquals((byte) 0xEE, dst[i]);
    }
    for (int i = 50; i < 60; i++) {
      assertEquals((byte) 0xEE, dst[i]);
    }
  }

  @Test
  void payloadAlreadyInPlaceIsKept() {
    byte[] dst = new byte[4 + 8 + WINDOWS_PAYLOAD.length];
    System.arraycopy(WINDOWS_PAYLOAD, 0, dst, 12, WINDOWS_PAYLOAD.length);
    int n = IcmpCodec.writeEchoRequest(dst, 4, false, 1, 1, dst, 12, WINDOWS_PAYLOAD.length, true);
    assertArrayEquals(
        concat(hex("0800 4d5a 0001 0001"), WINDOWS_PAYLOAD), Arrays.copyOfRange(dst, 4, 4 + n));
  }

  @Test
  void writtenRequestIsReadBackByTheErrorQueueParser() {
    byte[] dst = new byte[64];
    for (boolean ipv6 : new boolean[] {false, true}) {
      int n =
          IcmpCodec.writeEchoRequest(dst, 3, ipv6, 0xCAFE, 0xF00D, WINDOWS_PAYLOAD, 0, 32, !ipv6);
      Packet p = TestPackets.preparedPacket();
      assertTrue(IcmpCodec.parseQuotedEcho(dst, 3, n, ipv6, p));
      assertEquals(0xCAFE, p.identifier);
      assertEquals(0xF00D, p.sequence);
    }
  }

  @Test
  void destinationTooSmallThrowsAndWritesNothing() {
    byte[] dst = new byte[39];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> IcmpCodec.writeEchoRequest(dst, 0, false, 1, 1, WINDOWS_PAYLOAD, 0, 32, true));
    assertArrayEquals(new byte[39], dst);
    byte[] big = new byte[64];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> IcmpCodec.writeEchoRequest(big, 30, false, 1, 1, WINDOWS_PAYLOAD, 0, 32, true));
    assertArrayEquals(new byte[64], big);
  }

  @Test
  void payloadRangeOutsideThePayloadThrows() {
    byte[] dst = new byte[100];
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> IcmpCodec.writeEchoRequest(dst, 0, false, 1, 1, WINDOWS_PAYLOAD, 1, 32, true));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> IcmpCodec.writeEchoRequest(dst, 0, false, 1, 1, WINDOWS_PAYLOAD, 0, -1, true));
    assertArrayEquals(new byte[100], dst);
  }

  private static byte[] withZeroChecksum(byte[] message) {
    byte[] copy = message.clone();
    copy[2] = 0;
    copy[3] = 0;
    return copy;
  }
}
