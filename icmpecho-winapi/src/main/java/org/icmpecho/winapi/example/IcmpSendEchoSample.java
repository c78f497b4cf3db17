package org.icmpecho.winapi.example;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.icmpecho.winapi.ICMP_ECHO_REPLY;
import org.icmpecho.winapi.IP_OPTION_INFORMATION;
import org.icmpecho.winapi.IcmpApi;
import org.icmpecho.winapi.IpExport;
import org.icmpecho.winapi.Kernel32;
import org.icmpecho.winapi.Ws2_32;

/**
 * The classic {@code IcmpSendEcho} sample of the Windows documentation, line for line in Java:
 * sends one 32-byte echo ("Data Buffer") to an IPv4 address with a 1000 ms timeout and prints the
 * reply. With {@code -r} it also asks for the route (a record-route option, as Windows {@code ping
 * -r 9}) and prints the addresses the reply carries back in its options.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... org.icmpecho.winapi.example.IcmpSendEchoSample 127.0.0.1
 * java --enable-native-access=ALL-UNNAMED -cp ... org.icmpecho.winapi.example.IcmpSendEchoSample -r 127.0.0.1
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
    int ipaddr; // = INADDR_NONE in the C sample; assigned below before it is read
    int dwRetVal = 0;
    byte[] sendData = new byte[32];
    byte[] text = "Data Buffer".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, sendData, 0, text.length); // char SendData[32] = "Data Buffer";
    int replySize = 0;
    boolean recordRoute = args.length == 2 && args[0].equals("-r");
    if (recordRoute) args = new String[] {args[1]};

    // Validate the parameters
    if (args.length != 1) {
      out.printf("usage: %s [-r] IP address%n", argv0);
      return 1;
    }
    ipaddr = Ws2_32.inet_addr(args[0]);
    if (ipaddr == Ws2_32.INADDR_NONE) {
      out.printf("usage: %s [-r] IP address%n", argv0);
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
      MemorySegment options = MemorySegment.NULL;
      if (recordRoute) {
        // IP_OPTION_INFORMATION opts = {0}; UCHAR rr[39] = {IP_OPT_RR, 39, 4}; (9 empty address
        // slots)
        MemorySegment rr = arena.allocate(39);
        rr.set(JAVA_BYTE, 0, (byte) IpExport.IP_OPT_RR);
        rr.set(JAVA_BYTE, 1, (byte) 39);
        rr.set(JAVA_BYTE, 2, (byte) 4);
        options = IP_OPTION_INFORMATION.allocate(arena);
        IP_OPTION_INFORMATION.OptionsSize(options, (byte) 39);
        IP_OPTION_INFORMATION.OptionsData(options, rr);
        replySize +=
            IpExport.MAX_OPT_SIZE; // the reply's options come back between the struct and the data
      }
      MemorySegment replyBuffer = arena.allocate(replySize);

      dwRetVal =
          IcmpApi.IcmpSendEcho(
              hIcmpFile,
              ipaddr,
              sendBuffer,
              sendData.length,
              options,
              replyBuffer,
              replySize,
              1000);
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
        out.printf(
            "\t  Roundtrip time = %d milliseconds%n",
            Integer.toUnsignedLong(ICMP_ECHO_REPLY.RoundTripTime(pEchoReply)));
        if (recordRoute) printRoute(ICMP_ECHO_REPLY.Options(pEchoReply), replyBuffer, out);
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

  /**
   * Prints the addresses of the record-route option in the reply's {@code OptionsData}, as Windows
   * ping -r does.
   */
  private static void printRoute(MemorySegment opts, MemorySegment replyBuffer, PrintStream out) {
    int size = Byte.toUnsignedInt(IP_OPTION_INFORMATION.OptionsSize(opts));
    // OptionsData points into the reply buffer, right after the struct.
    MemorySegment o = replyBuffer.asSlice(ICMP_ECHO_REPLY.sizeof(), size);
    for (int i = 0; i + 2 < size; ) {
      int type = Byte.toUnsignedInt(o.get(JAVA_BYTE, i));
      if (type == IpExport.IP_OPT_EOL) break;
      if (type == IpExport.IP_OPT_NOP) {
        i++;
        continue;
      }
      int len = Byte.toUnsignedInt(o.get(JAVA_BYTE, i + 1));
      int ptr = Byte.toUnsignedInt(o.get(JAVA_BYTE, i + 2));
      if (len < 3 || i + len > size) break;
      if (type == IpExport.IP_OPT_RR) {
        out.printf("\t  Route:%n");
        for (int a = 3; a + 4 <= Math.min(ptr - 1, len); a += 4) {
          out.printf("\t    %s%n", Ws2_32.inet_ntoa(o.get(NET_INT, i + a)));
        }
      }
      i += len;
    }
  }

  /** A 32-bit value in the byte order it has in memory, as an {@code IPAddr} is. */
  private static final java.lang.foreign.ValueLayout.OfInt NET_INT =
      java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
}
