package org.icmpecho.winapi.example;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.icmpecho.winapi.ICMP_ECHO_REPLY;
import org.icmpecho.winapi.IcmpApi;
import org.icmpecho.winapi.Kernel32;
import org.icmpecho.winapi.Ws2_32;

/**
 * The classic {@code IcmpSendEcho} sample of the Windows documentation, line for line in Java: sends one 32-byte
 * echo ("Data Buffer") to an IPv4 address with a 1000 ms timeout and prints the reply.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... org.icmpecho.winapi.example.IcmpSendEchoSample 127.0.0.1
 * </pre>
 *
 * Exit status 0 when a reply came, 1 on a usage error or when the call failed.
 */
public final class IcmpSendEchoSample {
  private IcmpSendEchoSample() {}

  /** Runs the sample and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * The sample's {@code main}, printing to {@code out}.
   *
   * @return the exit status: 0 after a reply, 1 otherwise
   */
  public static int run(String[] args, PrintStream out) {
    String argv0 = IcmpSendEchoSample.class.getSimpleName();
    // Declare and initialize variables
    MemorySegment hIcmpFile;
    int ipaddr = Ws2_32.INADDR_NONE;
    int dwRetVal = 0;
    byte[] sendData = new byte[32];
    byte[] text = "Data Buffer".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, sendData, 0, text.length); // char SendData[32] = "Data Buffer";
    int replySize = 0;

    // Validate the parameters
    if (args.length != 1) {
      out.printf("usage: %s IP address%n", argv0);
      return 1;
    }
    ipaddr = Ws2_32.inet_addr(args[0]);
    if (ipaddr == Ws2_32.INADDR_NONE) {
      out.printf("usage: %s IP address%n", argv0);
      return 1;
    }

    hIcmpFile = IcmpApi.IcmpCreateFile();
    if (hIcmpFile.equals(Kernel32.INVALID_HANDLE_VALUE)) {
      out.printf("\tUnable to open handle.%n");
      out.printf("IcmpCreatefile returned error: %d%n", Kernel32.GetLastError());
      return 1;
    }

    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sendBuffer = arena.allocate(sendData.length);
      sendBuffer.copyFrom(MemorySegment.ofArray(sendData));
      replySize = (int) (ICMP_ECHO_REPLY.sizeof() + sendData.length);
      MemorySegment replyBuffer = arena.allocate(replySize);

      dwRetVal = IcmpApi.IcmpSendEcho(hIcmpFile, ipaddr, sendBuffer, sendData.length, MemorySegment.NULL,
          replyBuffer, replySize, 1000);
      if (dwRetVal != 0) {
        MemorySegment pEchoReply = replyBuffer;
        int replyAddr = ICMP_ECHO_REPLY.Address(pEchoReply);
        out.printf("\tSent icmp message to %s%n", args[0]);
        if (dwRetVal > 1) {
          out.printf("\tReceived %d icmp message responses%n", dwRetVal);
          out.printf("\tInformation from the first response:%n");
        } else {
          out.printf("\tReceived %d icmp message response%n", dwRetVal);
          out.printf("\tInformation from this response:%n");
        }
        out.printf("\t  Received from %s%n", Ws2_32.inet_ntoa(replyAddr));
        out.printf("\t  Status = %d%n", Integer.toUnsignedLong(ICMP_ECHO_REPLY.Status(pEchoReply)));
        out.printf("\t  Roundtrip time = %d milliseconds%n",
            Integer.toUnsignedLong(ICMP_ECHO_REPLY.RoundTripTime(pEchoReply)));
      } else {
        out.printf("\tCall to IcmpSendEcho failed.%n");
        out.printf("\tIcmpSendEcho returned error: %d%n", Kernel32.GetLastError());
        return 1;
      }
    } finally {
      IcmpApi.IcmpCloseHandle(hIcmpFile);
    }
    return 0;
  }
}
