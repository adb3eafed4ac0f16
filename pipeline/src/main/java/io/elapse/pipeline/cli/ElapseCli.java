package io.elapse.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./elapse}: dispatches to the subcommands. */
@Command(
    name = "elapse",
    mixinStandardHelpOptions = true,
    versionProvider = ElapseCli.Version.class,
    description = {
      "Streaming online learning of time-aware LSTMs on Kafka with Flink.",
      "Run './elapse <command> --help' for a command's options."
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      EvaluateCommand.class,
      GenerateCommand.class,
      io.elapse.connectors.TailCommand.class,
      BenchCommand.class,
      ModelCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ElapseCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ElapseCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          // Bad input and bad environments get one clear line, not a stack trace.
          commandLine
              .getErr()
              .println("elapse " + commandLine.getCommandName() + ": " + describe(e));
          if (System.getenv("ELAPSE_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
          } else {
            commandLine.getErr().println("(set ELAPSE_DEBUG=1 for the stack trace)");
          }
          return 1;
        });
    return cli;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    while (cause != null && cause != e) {
      if (cause.getMessage() != null && !message.contains(cause.getMessage())) {
        message += ": " + cause.getMessage();
      }
      e = cause;
      cause = cause.getCause();
    }
    return message;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** Reports the version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ElapseCli.class.getPackage().getImplementationVersion();
      return new String[] {"elapse " + (v == null ? "development build" : v)};
    }
  }
}
