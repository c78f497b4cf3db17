package org.icmpecho.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become a message and an exit status: one clear line on stderr
 * ({@code "ping: unknown iface: eth9"}), the usage hint, and each command's own status (ping and
 * trace 2, sweep 1 for arguments and 4 for the system, as fping). The stack trace only with {@code
 * --stacktrace}. Standard output that cannot be written ({@link Stdout}) ends a command with {@link
 * #BROKEN_PIPE} and no message when the reader went away, else with {@code write error: REASON} and
 * the command's failure status.
 */
final class Errors
    implements IParameterExceptionHandler, IExecutionExceptionHandler, IExitCodeExceptionMapper {

  /** The statuses a command ends in when it cannot run. */
  interface Statuses {
    /** Bad option, bad value, missing argument. */
    int usageStatus();

    /** The system failed (no privilege, socket error, internal error). */
    int failureStatus();
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    if (cl.getCommand() instanceof PingCommand) {
      Integer status = PingUsage.parseError(ex, err);
      if (status != null) return status;
    }
    err.println(prefix(cl) + oneLine(ex.getMessage()));
    err.println(hint(cl));
    if (Arrays.asList(args).contains("--stacktrace")) ex.printStackTrace(err);
    err.flush();
    return statuses(cl).usageStatus();
  }

  /**
   * The exit status after standard output closed under us (EPIPE): what a shell reports for a death
   * by SIGPIPE.
   */
  static final int BROKEN_PIPE = 128 + 13;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    Stdout.Failed stdout = ex instanceof Stdout.Failed f ? f : null;
    if (stdout == null) {
      try {
        cl.getOut().flush();
      } catch (Stdout.Failed f) {
        // the command failed, and its output could not be written either: the write error is
        // reported
        stdout = f;
      }
    }
    if (stdout != null) return stdoutFailed(stdout, prefix(cl), statuses(cl).failureStatus(), err);
    int status;
    if (ex instanceof CliException ce) {
      err.println(prefix(cl) + oneLine(ce.getMessage()));
      if (ce.usageHint()) err.println(hint(cl));
      status = ce.status();
    } else {
      err.println(prefix(cl) + "internal error: " + oneLine(String.valueOf(ex)));
      status = statuses(cl).failureStatus();
    }
    if (parsed.originalArgs().contains("--stacktrace")) ex.printStackTrace(err);
    err.flush();
    return status;
  }

  /**
   * The end of a command whose standard output failed: {@link #BROKEN_PIPE} and nothing said when
   * the reader went away (as the C tools, killed by SIGPIPE), else {@code PREFIX write error:
   * REASON} and {@code failureStatus}.
   */
  static int stdoutFailed(Stdout.Failed f, String prefix, int failureStatus, PrintWriter err) {
    if (f.brokenPipe()) return BROKEN_PIPE;
    err.println(prefix + "write error: " + oneLine(f.getMessage()));
    err.flush();
    return failureStatus;
  }

  @Override
  public int getExitCode(Throwable t) {
    return t instanceof CliException ce ? ce.status() : 2;
  }

  /**
   * The program-name prefix: {@code ping: } for ping, which is iputils' ping (API-CONTRACT §3.1),
   * else the command.
   */
  static String prefix(CommandLine cl) {
    if (cl.getCommandSpec().name().equals("ping")) return "ping: ";
    return cl.getCommandSpec().qualifiedName() + ": ";
  }

  static String hint(CommandLine cl) {
    return "Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.";
  }

  private static Statuses statuses(CommandLine cl) {
    return cl.getCommand() instanceof Statuses s
        ? s
        : new Statuses() {
          @Override
          public int usageStatus() {
            return 2;
          }

          @Override
          public int failureStatus() {
            return 2;
          }
        };
  }

  private static String oneLine(String s) {
    if (s == null) return "failed";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
