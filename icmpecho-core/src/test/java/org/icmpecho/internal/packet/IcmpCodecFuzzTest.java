package org.icmpecho.internal.packet;

import static org.icmpecho.internal.packet.TestPackets.concat;
import static org.icmpecho.internal.packet.TestPackets.icmp;
import static org.icmpecho.internal.packet.TestPackets.icmpv6;
import static org.icmpecho.internal.packet.TestPackets.ipv4;
import static org.icmpecho.internal.packet.TestPackets.ipv6;
import static org.icmpecho.internal.packet.TestPackets.preparedPacket;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.icmpecho.IpOptions;
import org.icmpecho.leakguard.LeakGuard;

/**
 * Fuzz targets for the codec (Jazzer). In the normal test run (regression mode) each runs its
 * committed seeds from {@code src/test/resources/.../IcmpCodecFuzzTestInputs/<method>}; {@code
 * bench/fuzz} runs them for minutes ({@code JAZZER_FUZZ=1}). The oracle is the codec's contract:
 * never throw, leave the packet alone when the input is not relevant, keep every range it reports
 * inside the array, and read well-formed packets exactly.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "Jazzer allocates its coverage counters once per JVM (about 260 KB), at the first fuzz test")
class IcmpCodecFuzzTest {

  /** Any bytes, at any offset and length, through every parser. */
  @FuzzTest
  void anyBytes(FuzzedDataProvider d) {
    int off = d.consumeInt(-2, 80);
    int len = d.consumeInt(-2, 200);
    boolean v6 = d.consumeBoolean();
    byte[] b = d.consumeRemainingAsBytes();
    check(b, off, len, 0, v6);
    check(b, 0, b.length, 0, v6);
  }

  /**
   * An ICMPv4 error quoting an echo request, built well-formed around fuzzed parts, through the raw
   * IPv4 parser.
   */
  @FuzzTest
  void ipv4ErrorQuotes(FuzzedDataProvider d) {
    int type = d.pickValue(new int[] {3, 4, 11, 12});
    int code = d.consumeInt(0, 15);
    long rest = d.consumeLong() & 0xFFFF_FFFFL;
    int ihl = d.consumeInt(5, 15);
    int id = d.consumeInt(0, 0xFFFF), seq = d.consumeInt(0, 0xFFFF);
    byte[] dst = d.consumeBytes(4);
    if (dst.length < 4) dst = TestPackets.TARGET;
    byte[] payload = d.consumeBytes(d.consumeInt(0, 64));
    int cut = d.consumeInt(0, 64); // routers quote at least 8 bytes of ICMP, often no more
    byte[] tail = d.consumeBytes(d.consumeInt(0, 600)); // RFC 4884 padding and extensions, or junk
    byte[] quotedFull =
        ipv4(ihl, 0, 1, 1, 0x4000, TestPackets.ME, dst, TestPackets.echoRequest(id, seq, payload));
    byte[] quoted = Arrays.copyOf(quotedFull, Math.min(quotedFull.length, ihl * 4 + 8 + cut));
    byte[] packet =
        ipv4(TestPackets.ROUTER, TestPackets.ME, 250, icmp(type, code, rest, concat(quoted, tail)));

    Packet p = preparedPacket();
    assertTrue(
        IcmpCodec.parseIpv4WithHeader(packet, 0, packet.length, p),
        "a well-formed error quoting our echo");
    assertEquals(Packet.ICMP_ERROR, p.kind);
    assertEquals(id, p.identifier);
    assertEquals(seq, p.sequence);
    assertEquals(type, p.icmpType);
    assertArrayEquals(dst, Arrays.copyOf(p.quotedDst, p.quotedDstLen));
    assertTrue(p.checksumOk);
    // The data range ends where the quoted datagram's total length says, or at the packet's end: a
    // quote cut short cannot be told from what follows it, so the tail counts then (the engine
    // checks its cookie in it).
    byte[] after = concat(quoted, tail);
    int start = ihl * 4 + 8;
    assertEquals(Math.min(quotedFull.length, after.length) - start, p.dataLength);
    assertArrayEquals(
        Arrays.copyOfRange(after, start, start + p.dataLength),
        Arrays.copyOfRange(p.data, p.dataOffset, p.dataOffset + p.dataLength));
    check(
        packet,
        0,
        packet.length,
        d.consumeInt(),
        false); // and every other reading of the same bytes holds too
  }

  /** An ICMPv6 error quoting an echo request behind a fuzzed chain of extension headers. */
  @FuzzTest
  void ipv6ErrorQuotes(FuzzedDataProvider d) {
    int type = d.consumeInt(1, 4);
    int id = d.consumeInt(0, 0xFFFF), seq = d.consumeInt(0, 0xFFFF);
    byte[] payload = d.consumeBytes(d.consumeInt(0, 64));
    byte[] body = TestPackets.echoRequest6(id, seq, payload);
    int next = 58;
    int headers = d.consumeInt(0, 4);
    boolean reachable = true;
    for (int i = 0; i < headers; i++) {
      int kind = d.pickValue(new int[] {0, 43, 60, 44, 44, 17});
      byte[] h;
      if (kind == 44) {
        h = new byte[8];
        int offset = d.consumeBoolean() ? 0 : d.consumeInt(1, 0x1FFF);
        TestPackets.putU16(h, 2, offset << 3 | (d.consumeBoolean() ? 1 : 0));
        if (offset != 0) reachable = false; // a non-first fragment quotes payload, not our header
      } else {
        int units = d.consumeInt(0, 3);
        h = d.consumeBytes((units + 1) * 8);
        if (h.length < (units + 1) * 8) h = Arrays.copyOf(h, (units + 1) * 8);
        h[1] = (byte) units;
        if (kind == 17) reachable = false; // UDP: not ours
      }
      h[0] = (byte) next;
      next = kind;
      body = concat(h, body);
    }
    byte[] packet =
        icmpv6(
            type,
            0,
            d.consumeLong() & 0xFFFF_FFFFL,
            ipv6(next, TestPackets.ME6, TestPackets.TARGET6, body));
    Packet p = preparedPacket();
    boolean relevant = IcmpCodec.parseIcmpv6(packet, 0, packet.length, p);
    assertEquals(reachable, relevant, "extension chain decides");
    if (relevant) {
      assertEquals(id, p.identifier);
      assertEquals(seq, p.sequence);
      assertArrayEquals(TestPackets.TARGET6, Arrays.copyOf(p.quotedDst, p.quotedDstLen));
      assertArrayEquals(
          payload, Arrays.copyOfRange(p.data, p.dataOffset, p.dataOffset + p.dataLength));
    }
    check(packet, 0, packet.length, 0, true);
  }

  /** What the codec writes, it reads back: identifier, sequence, payload, checksum. */
  @FuzzTest
  void echoRoundTrip(FuzzedDataProvider d) {
    boolean v6 = d.consumeBoolean();
    int id = d.consumeInt(), seq = d.consumeInt();
    int off = d.consumeInt(0, 16);
    byte[] payload = d.consumeRemainingAsBytes();
    byte[] b = new byte[off + 8 + payload.length];
    int n = IcmpCodec.writeEchoRequest(b, off, v6, id, seq, payload, 0, payload.length, true);
    assertEquals(8 + payload.length, n);
    b[off] =
        (byte)
            (v6 ? IcmpCodec.ICMPV6_ECHO_REPLY : IcmpCodec.ICMP_ECHO_REPLY); // the kernel's answer
    if (!v6) TestPackets.putU16(b, off + 2, 0);
    if (!v6) TestPackets.putU16(b, off + 2, TestPackets.referenceChecksum(b, off, n));
    Packet p = preparedPacket();
    assertTrue(v6 ? IcmpCodec.parseIcmpv6(b, off, n, p) : IcmpCodec.parseIcmpv4(b, off, n, p));
    assertEquals(id & 0xFFFF, p.identifier);
    assertEquals(seq & 0xFFFF, p.sequence);
    assertArrayEquals(
        payload, Arrays.copyOfRange(p.data, p.dataOffset, p.dataOffset + p.dataLength));
    byte[] raw = ipv4(TestPackets.TARGET, TestPackets.ME, 64, Arrays.copyOfRange(b, off, off + n));
    if (!v6) {
      Packet q = preparedPacket();
      assertTrue(IcmpCodec.parseIpv4WithHeader(raw, 0, raw.length, q));
      assertTrue(q.checksumOk, "the checksum the reference wrote verifies");
      assertEquals(id & 0xFFFF, q.identifier);
    }
  }

  /**
   * IPv4 options as a reply carries them (any bytes, up to 40): decoding never throws, {@link
   * IpOptions#of} accepts them or names the problem, and the raw parser reports exactly the
   * header's option bytes.
   */
  @FuzzTest
  void receivedIpOptions(byte[] raw) {
    byte[] b = Arrays.copyOf(raw, Math.min(raw.length, IpOptions.MAX_SIZE));
    IpOptions o = new IpOptions(b);
    o.recordedRoute();
    o.timestamps();
    o.timestampFlag();
    o.timestampOverflow();
    assertTrue(o.toString() != null);
    try {
      assertArrayEquals(b, IpOptions.of(b).bytes());
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith("malformed IPv4 options: "), e.getMessage());
    }
    int padded = (b.length + 3) / 4 * 4;
    byte[] packet =
        ipv4(
            5 + padded / 4,
            0,
            64,
            1,
            0,
            TestPackets.TARGET,
            TestPackets.ME,
            TestPackets.echoReply(TestPackets.ID, TestPackets.SEQ, TestPackets.WINDOWS_PAYLOAD));
    System.arraycopy(Arrays.copyOf(b, padded), 0, packet, 20, padded);
    Packet p = preparedPacket();
    assertTrue(IcmpCodec.parseIpv4WithHeader(packet, 0, packet.length, p));
    assertEquals(padded, p.optionsLength);
    assertArrayEquals(Arrays.copyOf(b, padded), Arrays.copyOf(p.options, p.optionsLength));
    assertEquals(TestPackets.SEQ, p.sequence);
  }

  /**
   * The contract on any input: no exception, untouched when irrelevant, ranges inside the array.
   */
  static void check(byte[] b, int off, int len, int salt, boolean v6) {
    for (int parser = 0; parser < 4; parser++) {
      Packet p = preparedPacket();
      TestPackets.State before = TestPackets.State.of(p);
      boolean relevant =
          switch (parser) {
            case 0 -> IcmpCodec.parseIpv4WithHeader(b, off, len, p);
            case 1 -> IcmpCodec.parseIcmpv4(b, off, len, p);
            case 2 -> IcmpCodec.parseIcmpv6(b, off, len, p);
            default -> IcmpCodec.parseQuotedEcho(b, off, len, v6 ^ (salt & 1) == 1, p);
          };
      if (!relevant) {
        assertEquals(
            before, TestPackets.State.of(p), "parser " + parser + " said irrelevant but wrote");
        continue;
      }
      assertTrue(off >= 0 && len >= 0 && off + len <= b.length, "relevant only for a valid range");
      assertTrue(
          p.identifier >= 0 && p.identifier <= 0xFFFF && p.sequence >= 0 && p.sequence <= 0xFFFF);
      if (parser == 3) continue;
      assertTrue(p.data == b, "data points into the input");
      assertTrue(
          p.dataOffset >= off && p.dataLength >= 0 && p.dataOffset + p.dataLength <= off + len,
          "data range " + p.dataOffset + "+" + p.dataLength + " outside " + off + "+" + len);
      assertTrue(p.kind == Packet.ECHO_REPLY || p.kind == Packet.ICMP_ERROR);
      assertTrue(p.info >= 0, "info is non-negative (saturated)");
      assertTrue(p.quotedDstLen == 0 || p.quotedDstLen == (p.ipv6 ? 16 : 4));
      assertTrue(p.icmpLength >= 8);
    }
  }
}
