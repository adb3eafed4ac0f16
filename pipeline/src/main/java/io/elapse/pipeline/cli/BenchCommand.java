package io.elapse.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./elapse bench kernel}: listed here so {@code --help} tells the truth; the launcher runs
 * it, because the JMH benchmarks live on the model module's test classpath.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks: './elapse bench kernel' runs the JMH kernel benchmarks (Elapse vs DL4J).",
      "Medians of one event step and one label's update go to model/target/bench/kernel.json.",
      "'./elapse bench pipeline' measures the whole job against a passthrough baseline."
    },
    subcommands = PipelineBenchCommand.class)
public final class BenchCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", description = "Which benchmark: kernel or pipeline.")
  String which;

  @Override
  public Integer call() {
    System.err.println(
        "elapse bench: '"
            + (which == null ? "" : which)
            + "' is not available here; './elapse bench kernel' runs the kernel benchmarks"
            + " and './elapse bench pipeline' the pipeline benchmark");
    return 2;
  }
}
