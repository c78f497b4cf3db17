package org.icmpecho.bench;

import java.util.concurrent.TimeUnit;
import org.icmpecho.internal.packet.Checksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RFC 1071 checksum of an ICMP message: the default echo (64 bytes), an Ethernet MTU, the largest
 * message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ChecksumBench {
  @Param({"64", "1480", "65515"})
  int size;

  byte[] message;

  @Setup
  public void setup() {
    message = new byte[size];
    for (int i = 0; i < size; i++) message[i] = (byte) (i * 31 + 7);
    message[2] = 0;
    message[3] = 0;
  }

  @Benchmark
  public int compute() {
    return Checksum.compute(message, 0, size);
  }

  @Benchmark
  public boolean verify() {
    return Checksum.verify(message, 0, size);
  }
}
