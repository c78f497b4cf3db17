package org.icmpecho.winapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.icmpecho.winapi.example.IcmpSendEchoSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Windows documentation's IcmpSendEcho sample, ported: output and exit status. */
@Timeout(30)
class SampleTest {

  private static String run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = IcmpSendEchoSample.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(expectedStatus, status, out);
    return out;
  }

  @Test
  void repliesFromLoopback() {
    String out = run(0, "127.0.0.1");
    assertTrue(out.startsWith("\tSent icmp message to 127.0.0.1\n"), out);
    assertTrue(out.contains("\tReceived 1 icmp message response\n"), out);
    assertTrue(out.contains("\tInformation from this response:\n"), out);
    assertTrue(out.contains("\t  Received from 127.0.0.1\n"), out);
    assertTrue(out.contains("\t  Status = 0\n"), out);
    assertTrue(out.matches("(?s).*\t  Roundtrip time = \\d+ milliseconds\n"), out);
  }

  @Test
  void usageWhenTheArgumentIsMissingOrInvalid() {
    assertEquals("usage: IcmpSendEchoSample [-r] IP address\n", run(1));
    assertEquals("usage: IcmpSendEchoSample [-r] IP address\n", run(1, "not-an-address"));
    assertEquals("usage: IcmpSendEchoSample [-r] IP address\n", run(1, "127.0.0.1", "extra"));
  }

  @Test
  void failureIsReportedWithTheLastError() {
    String out = run(1, "0.0.0.0");
    assertEquals("\tCall to IcmpSendEcho failed.\n\tIcmpSendEcho returned error: 1214\n", out);
  }
}
