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
    return new CommandLine(new ElapseCli());
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
