package io.elapse.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ElapseCliTest {

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = ElapseCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    cli.execute(args);
    return out.toString();
  }

  @Test
  void helpListsEverySubcommandThatExists() {
    String help = run("--help");
    assertThat(help).contains("demo", "run", "generate", "tail", "bench", "model", "evaluate");
    assertThat(ElapseCli.commandLine().getSubcommands().keySet())
        .containsExactlyInAnyOrder(
            "demo", "run", "generate", "tail", "bench", "model", "evaluate", "help");
  }

  @Test
  void runWithoutBootstrapServersSaysWhatIsMissing() {
    assertThat(run("run")).contains("Missing required option: '--bootstrap-servers");
  }

  @Test
  void evaluateWithoutBootstrapServersSaysWhatIsMissing() {
    assertThat(run("evaluate", "--predictions-topic", "p"))
        .contains("Missing required option: '--bootstrap-servers");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String sub :
        new String[] {"demo", "run", "generate", "tail", "bench", "model", "evaluate"}) {
      assertThat(run(sub, "--help")).as(sub).contains("Usage: elapse " + sub);
    }
  }
}
