package org.icmpecho.bench;

import java.util.concurrent.TimeUnit;
import org.icmpecho.internal.packet.Checksum;
import org.icmpecho.internal.packet.IcmpCodec;
import org.icmpecho.internal.packet.Packet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec on the hot path, per echo of the default size (56-byte payload): writing a request
 * (with and without the checksum a raw IPv4 socket needs) and parsing a reply as a ping socket
 * (ICMP only) and as a raw socket (IPv4 header first, checksum verified) receive it. Run with
 * {@code -prof gc}: every one must show ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CodecBench {
  final byte[] payload = new byte[56];
  final byte[] out = new byte[2048];
  final byte[] icmpReply = new byte[64];
  final byte[] ipReply = new byte[84];
  final Packet packet = new Packet();
  int sequence;

  @Setup
  public void setup() {
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) i;
    int len =
        IcmpCodec.writeEchoRequest(
            icmpReply, 0, false, 0x1234, 7, payload, 0, payload.length, true);
    icmpReply[0] = 0; // echo reply
    icmpReply[2] = 0;
    icmpReply[3] = 0;
    int c = Checksum.compute(icmpReply, 0, len);
    icmpReply[2] = (byte) (c >>> 8);
    icmpReply[3] = (byte) c;
    ipReply[0] = 0x45;
    ipReply[2] = 0;
    ipReply[3] = (byte) 84;
    ipReply[8] = 64; // TTL
    ipReply[9] = 1; // ICMP
    ipReply[12] = (byte) 198;
    ipReply[13] = 18;
    ipReply[15] = 1;
    ipReply[16] = 127;
    ipReply[19] = 1;
    int h = Checksum.compute(ipReply, 0, 20);
    ipReply[10] = (byte) (h >>> 8);
    ipReply[11] = (byte) h;
    System.arraycopy(icmpReply, 0, ipReply, 20, 64);
  }

  @Benchmark
  public int writeEchoRequestDatagram() {
    return IcmpCodec.writeEchoRequest(
        out, 0, false, 0x1234, ++sequence, payload, 0, payload.length, false);
  }

  @Benchmark
  public int writeEchoRequestRawWithChecksum() {
    return IcmpCodec.writeEchoRequest(
        out, 0, false, 0x1234, ++sequence, payload, 0, payload.length, true);
  }

  @Benchmark
  public int parseReplyDatagram() {
    packet.clear();
    IcmpCodec.parseIcmpv4(icmpReply, 0, icmpReply.length, packet);
    return packet.sequence;
  }

  @Benchmark
  public int parseReplyRawIpv4() {
    packet.clear();
    IcmpCodec.parseIpv4WithHeader(ipReply, 0, ipReply.length, packet);
    return packet.checksumOk ? packet.sequence : -1;
  }
}
