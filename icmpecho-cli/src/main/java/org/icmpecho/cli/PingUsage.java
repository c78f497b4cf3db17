package org.icmpecho.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The ping personality's getopt habits where picocli's differ: {@code ping -h} and a bad option
 * print iputils' usage layout on stderr and exit 2, after {@code ping: invalid option -- 'Z'} or
 * {@code ping: option requires an argument -- 'c'}. The text lists the options icmpecho's ping has
 * (iputils' list has more: -a, -A, -f, -b ... which icmpecho does not offer; they are reported as
 * invalid options).
 */
final class PingUsage {
  private PingUsage() {}

  static final String TEXT =
      """

      Usage
        ping [options] <destination>

      Options:
        <destination>      dns name or ip address
        -c <count>         stop after <count> replies
        -D                 print timestamps
        -h                 print help and exit
        -I <interface>     either interface name or address
        -i <interval>      seconds between sending each packet
        -M <pmtud opt>     define mtu discovery, can be one of <do|dont|want>
        -n                 no dns name resolution
        -O                 report outstanding replies
        -p <pattern>       contents of padding byte
        -q                 quiet output
        -Q <tclass>        use quality of service <tclass> bits
        -s <size>          use <size> as number of data bytes to be sent
        -t <ttl>           define time to live
        -V                 print version and exit
        -w <deadline>      reply wait <deadline> in seconds
        -W <timeout>       time to wait for response

      IPv4 options:
        -4                 use IPv4
        -R                 record route
        -T <timestamp>     define timestamp, can be one of <tsonly|tsandaddr>

      IPv6 options:
        -6                 use IPv6

      icmpecho's own options:
        --json             JSON Lines: one object per answer or timeout, then a summary
        --netns <name>     send from inside network namespace <name>
        --raw              raw sockets instead of unprivileged ping sockets
        --help             icmpecho's help for this command

      For more details see ping(8).
      """;

  /** Prints the usage on stderr; iputils' status for it. */
  static int print(PrintWriter err) {
    err.print(TEXT);
    err.flush();
    return 2;
  }

  /**
   * For a parse error of ping: getopt's message and the usage, or null when the error is not
   * getopt's kind (a bad value, which the command reports in its own words).
   */
  static Integer parseError(CommandLine.ParameterException ex, PrintWriter err) {
    String line = null;
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (arg.startsWith("-") && arg.length() > 1) {
        line =
            arg.startsWith("--")
                ? "unrecognized option '" + arg + "'"
                : "invalid option -- '" + arg.charAt(1) + "'";
      }
    } else if (ex instanceof CommandLine.MissingParameterException m
        && !m.getMissing().isEmpty()
        && m.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o) {
      String name = o.shortestName();
      line =
          "option requires an argument -- '"
              + (name.startsWith("--") ? name : name.substring(1))
              + "'";
    }
    if (line == null) return null;
    err.println("ping: " + line);
    return print(err);
  }
}
