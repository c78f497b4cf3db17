package org.icmpecho.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code icmpecho}: ICMP echo from the command line, with the habits of iputils {@code ping}
 * ({@code icmpecho ping}), fping ({@code icmpecho sweep}) and traceroute ({@code icmpecho trace}).
 *
 * <p>{@link #commandLine(PrintWriter, PrintWriter)} builds the whole command with its error
 * handling around the given writers, so that tests run commands in-process and read what they
 * print:
 *
 * <pre>{@code
 * StringWriter out = new StringWriter(), err = new StringWriter();
 * int status = Main.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("ping", "-c", "1", "127.0.0.1");
 * }</pre>
 */
@Command(
    name = "icmpecho",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    synopsisSubcommandLabel =
        "(ping | sweep | trace | fping | exporter | install-links | help | generate-completion)",
    description = "ICMP echo (ping) for Linux, without root where the kernel allows ping sockets.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  icmpecho ping -c 3 127.0.0.1",
      "  icmpecho sweep -g 127.0.0.0/29 -a",
      "  icmpecho trace -n ::1",
      "  icmpecho exporter --config.file smokeping_prober.yml",
      "  icmpecho fping -c 3 -p 200 127.0.0.1 ::1  # as fping 5.1: its flags, texts and statuses",
      "  icmpecho install-links ~/bin              # links ~/bin/fping and ~/bin/ping to the launcher",
      "  source <(icmpecho generate-completion)    # bash/zsh completion"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success (see each command's help for its own statuses)",
      "2:usage error (bad option or value)",
      "141:standard output was closed (e.g. '| head -1'), as for a C tool killed by SIGPIPE"
    })
public final class Main implements Callable<Integer> {
  /** The subcommands that run something (not help or completion), by name. */
  private static final java.util.Set<String> RUNNABLE =
      java.util.Set.of("ping", "sweep", "trace", "exporter");

  @Spec CommandSpec spec;

  @Mixin Options.Common common;

  /** No subcommand: the usage, on stderr, and the usage status. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().flush();
    return 2;
  }

  public static void main(String[] args) {
    Timeline.mark("main entered");
    if (args.length > 0 && Warmup.PROBING.contains(args[0])) Warmup.start();
    PrintWriter out =
        new PrintWriter(
            new OutputStreamWriter(
                new Stdout(new FileOutputStream(FileDescriptor.out)), System.out.charset()),
            false);
    PrintWriter err =
        new PrintWriter(
            new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), System.err.charset()),
            false);
    int status = run(args, out, err, Env.system());
    err.flush();
    Timeline.print(err);
    System.exit(status);
  }

  /**
   * Runs one command line: the fping personality, {@code fping ARGS} and {@code sweep ARGS}
   * (fping's own parser, see {@link Fping}; {@code install-links DIR}) here, everything else
   * through picocli.
   */
  static int run(String[] args, PrintWriter out, PrintWriter err, Env env) {
    if (args.length > 0) {
      java.util.List<String> rest = java.util.List.of(args).subList(1, args.length);
      switch (args[0]) {
        case "fping" -> {
          return Fping.main("fping", rest, out, err, env);
        }
        case "sweep" -> {
          return Fping.main(Fping.SWEEP, rest, out, err, env);
        }
        case "install-links" -> {
          return Links.install(rest, out, err);
        }
        default -> {}
      }
    }
    CommandLine cl = commandLine(out, err, env, args.length > 0 ? args[0] : null);
    Timeline.mark("command line built");
    return cl.execute(args);
  }

  /** The {@code icmpecho} command with its subcommands, printing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, Env.system());
  }

  /**
   * As {@link #commandLine(PrintWriter, PrintWriter)}, with the process's facilities replaced by
   * {@code env}.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Env env) {
    return commandLine(out, err, env, null);
  }

  /**
   * As {@link #commandLine(PrintWriter, PrintWriter, Env)}, with only the subcommand {@code first}
   * when it names one that runs (ping, sweep, trace, exporter): picocli builds a command's model
   * from its annotations by reflection, which a short command's start-up cannot afford for every
   * command it does not run (ENGINE-NOTES §12). Anything else ({@code help}, a typo, no command, an
   * option) gets the whole tree, which help, completion and picocli's suggestions need.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Env env, String first) {
    CommandLine cl = new CommandLine(new Main(), new Factory(env));
    // in the order the usage lists them; before the settings below, which reach only the
    // subcommands already there
    boolean all = first == null || !RUNNABLE.contains(first);
    if (all || first.equals("ping")) cl.addSubcommand(PingCommand.class);
    if (all || first.equals("sweep")) cl.addSubcommand("sweep", sweep(env));
    if (all || first.equals("trace")) cl.addSubcommand(TraceCommand.class);
    if (all) {
      cl.addSubcommand(CommandLine.HelpCommand.class);
      cl.addSubcommand(AutoComplete.GenerateCompletion.class);
    }
    if (all || first.equals("exporter")) addExporter(cl);
    Errors errors = new Errors();
    cl.setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(
            (e, args) ->
                e.getCommandLine().getCommandSpec().userObject() instanceof Sweep
                    ? runSweep(e.getCommandLine(), List.of(args), env) // fping's words for it
                    : errors.handleParseException(e, args))
        .setExecutionExceptionHandler(errors)
        .setExitCodeExceptionMapper(errors)
        .setExecutionStrategy(
            parsed -> {
              Timeline.mark("arguments parsed");
              // What the command left buffered is written before its status counts: a write error
              // there fails it too.
              try {
                int status = new CommandLine.RunLast().execute(parsed);
                out.flush();
                return status;
              } catch (Stdout.Failed e) {
                ParseResult last = parsed;
                while (last.subcommand() != null) last = last.subcommand();
                return errors.handleExecutionException(e, last.commandSpec().commandLine(), parsed);
              }
            })
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpAutoWidth(false)
        .setUsageHelpWidth(100);
    return cl;
  }

  /**
   * {@code icmpecho sweep} in picocli's tree: its line in the command list, {@code help sweep} (the
   * fping personality's usage under the sweep's name), completion of its options, and a run through
   * {@link #commandLine}. {@link #run} runs it without picocli. Built without annotations: picocli
   * parses its options only for their model; the personality reads the original arguments itself
   * (and when picocli's parser fails on them, the personality says what is wrong, in fping's
   * words).
   */
  private static CommandLine sweep(Env env) {
    Sweep sweep = new Sweep(env);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(sweep);
    spec.name("sweep")
        .usageMessage()
        .description(
            "Probe many targets: the fping personality under icmpecho's name (fping 5.1's flags,"
                + " texts and statuses; --json, --rate, --max-in-flight, --sockets, IPv6 -g).");
    for (FpingOptions.Name n : FpingOptions.names()) {
      String[] names =
          n.shortName() == null
              ? new String[] {n.longName()}
              : n.longName() == null
                  ? new String[] {n.shortName()}
                  : new String[] {n.shortName(), n.longName()};
      spec.addOption(
          CommandLine.Model.OptionSpec.builder(names)
              .arity(n.value() ? "1" : "0")
              .type(n.value() ? String.class : boolean.class)
              .build());
    }
    spec.addPositional(
        CommandLine.Model.PositionalParamSpec.builder()
            .arity("0..*")
            .type(String[].class)
            .paramLabel("TARGET")
            .build());
    spec.parser().overwrittenOptionsAllowed(true).unmatchedArgumentsAllowed(true);
    CommandLine cl = new CommandLine(spec);
    cl.setHelpSectionKeys(List.of("fping"));
    cl.getHelpSectionMap().put("fping", help -> new FpingOptions(Fping.SWEEP).usageText());
    sweep.self = cl;
    return cl;
  }

  /** {@code icmpecho sweep} run through picocli: the personality on the original arguments. */
  private static final class Sweep implements Callable<Integer> {
    private final Env env;
    CommandLine self;

    Sweep(Env env) {
      this.env = env;
    }

    @Override
    public Integer call() {
      return runSweep(self, self.getParseResult().originalArgs(), env);
    }
  }

  private static int runSweep(CommandLine sweep, List<String> original, Env env) {
    int at = original.indexOf("sweep");
    return Fping.main(
        Fping.SWEEP,
        original.subList(at + 1, original.size()),
        sweep.getOut(),
        sweep.getErr(),
        env);
  }

  /**
   * {@code icmpecho exporter}, from the {@code icmpecho-exporter} module when it is there (always
   * on the launcher's class path). Looked up by name so that the CLI itself needs only core and
   * picocli (ModulePathTest).
   */
  private static void addExporter(CommandLine cl) {
    Object exporter;
    try {
      exporter =
          Class.forName("org.icmpecho.exporter.ExporterCommand").getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return; // module not present (a module path without it)
    }
    cl.addSubcommand("exporter", exporter);
  }

  /** Creates commands, handing {@link Env} to those whose constructor takes it. */
  private record Factory(Env env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(Env.class);
        return c.newInstance(env);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
