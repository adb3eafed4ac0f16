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
      "Benchmarks. 'kernel': JMH medians of one event step and one label's update, Elapse vs DL4J,",
      "written to model/target/bench/kernel.json (run through the ./elapse launcher)."
    })
public final class BenchCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", description = "Which benchmark: kernel.")
  String which;

  @Override
  public Integer call() {
    System.err.println(
        "elapse bench: '"
            + (which == null ? "" : which)
            + "' is not available here; './elapse bench kernel' runs the kernel benchmarks"
            + " (the pipeline benchmark is not built yet)");
    return 2;
  }
}
