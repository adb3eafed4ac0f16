package io.elapse.model.bench;

import io.elapse.model.cell.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ElapseKernelBench} and {@link Dl4jPeerBench} (fork 1, short iterations), prints a
 * table and writes the medians over measurement iterations to {@code
 * model/target/bench/kernel.json}: {@code forward_us} and {@code update_us} for the default DECAY
 * model, the same per modulation, and {@code dl4j_forward_us}, {@code dl4j_update_us}; plus
 * thread-CPU-time medians from {@link CpuTimeProbe} ({@code forward_cpu_us_*}, {@code
 * update_cpu_us_*}), which a busy shared machine distorts less than wall-clock time.
 *
 * <p>Arguments (optional): {@code --quick} (2 warm-up + 3 measurement iterations of 0.5 s) and
 * {@code --out PATH}.
 */
public final class KernelBench {
  private KernelBench() {}

  /** Entry point of {@code ./elapse bench kernel}. */
  public static void main(String[] args) throws RunnerException, IOException {
    boolean quick = false;
    String kernels = "auto";
    Path out = Path.of("target", "bench", "kernel.json");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        quick = true;
      } else if (args[i].equals("--scalar")) {
        kernels = "scalar";
      } else if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else if (args[i].equals("--help")) {
        System.out.println(
            "usage: KernelBench [--quick] [--scalar] [--out PATH]\n"
                + "  --scalar  the cell's portable loops instead of the JDK Vector API");
        return;
      } else {
        throw new IllegalArgumentException(
            "expected --quick, --scalar, --out PATH or --help, got " + args[i]);
      }
    }
    System.setProperty("elapse.kernels", kernels); // the in-process CPU-time probe below
    Options opts =
        new OptionsBuilder()
            .include(ElapseKernelBench.class.getSimpleName())
            .include(Dl4jPeerBench.class.getSimpleName())
            .forks(1)
            .warmupIterations(quick ? 2 : 3)
            .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .measurementIterations(quick ? 3 : 5)
            .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .threads(1)
            .jvmArgsAppend(forkArgs(kernels))
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    Map<String, Double> medians = new LinkedHashMap<>();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String mod = r.getParams().getParam("modulation");
      String key =
          (name.contains("Dl4jPeerBench") ? "dl4j_" : "")
              + name.substring(name.lastIndexOf('.') + 1)
              + "_us"
              + (mod == null ? "" : "_" + mod);
      List<Double> scores = new ArrayList<>();
      for (IterationResult it : r.getBenchmarkResults().iterator().next().getIterationResults()) {
        scores.add(it.getPrimaryResult().getScore());
      }
      medians.put(key, median(scores));
    }
    for (String mod : List.of("NONE", "DECAY", "TIME_GATE")) {
      double[] cpu =
          CpuTimeProbe.measure(io.elapse.model.config.TimeModulation.valueOf(mod), quick);
      medians.put("forward_cpu_us_" + mod, cpu[0]);
      medians.put("update_cpu_us_" + mod, cpu[1]);
    }
    Map<String, Double> json = new LinkedHashMap<>();
    json.put("forward_us", medians.get("forward_us_DECAY"));
    json.put("update_us", medians.get("update_us_DECAY"));
    json.put("dl4j_forward_us", medians.get("dl4j_forward_us"));
    json.put("dl4j_update_us", medians.get("dl4j_update_us"));
    medians.forEach(json::putIfAbsent);
    Files.createDirectories(out.toAbsolutePath().getParent());
    StringBuilder sb = new StringBuilder("{\n");
    int n = 0;
    for (Map.Entry<String, Double> e : json.entrySet()) {
      sb.append(String.format(Locale.ROOT, "  \"%s\": %.4f", e.getKey(), e.getValue()));
      sb.append(++n < json.size() ? ",\n" : "\n");
    }
    sb.append("}\n");
    Files.writeString(out, sb.toString());
    System.out.println();
    System.out.println("Kernel benchmark (H=64, E=32, K=30, V=10,000, W=32), medians in µs/op:");
    System.out.println("cell loops: " + Kernels.description());
    System.out.printf(Locale.ROOT, "%-28s %12s %12s%n", "", "forward", "update");
    for (String mod : List.of("NONE", "DECAY", "TIME_GATE")) {
      System.out.printf(
          Locale.ROOT,
          "%-28s %12.3f %12.2f%n",
          "elapse " + mod,
          medians.get("forward_us_" + mod),
          medians.get("update_us_" + mod));
    }
    double df = medians.get("dl4j_forward_us");
    double du = medians.get("dl4j_update_us");
    System.out.printf(Locale.ROOT, "%-28s %12.3f %12.2f%n", "dl4j LSTM (NONE)", df, du);
    System.out.printf(
        Locale.ROOT,
        "%-28s %11.0fx %11.0fx%n",
        "dl4j / elapse NONE",
        df / medians.get("forward_us_NONE"),
        du / medians.get("update_us_NONE"));
    System.out.println();
    System.out.println(
        "Thread CPU time per op (median of 5 rounds, in-process; less sensitive to other processes):");
    for (String mod : List.of("NONE", "DECAY", "TIME_GATE")) {
      System.out.printf(
          Locale.ROOT,
          "%-28s %12.3f %12.2f%n",
          "elapse " + mod + " (cpu)",
          medians.get("forward_cpu_us_" + mod),
          medians.get("update_cpu_us_" + mod));
    }
    System.out.println(
        "targets: forward <= 1.5 µs, update <= 100 µs; wrote " + out.toAbsolutePath());
  }

  /** The forks' JVM options: the launcher's, with the Vector API module only if this JVM has it. */
  private static String[] forkArgs(String kernels) {
    List<String> args = new ArrayList<>(List.of("-XX:+UseParallelGC", "-Xmx2g"));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      args.addAll(List.of(Kernels.JVM_OPTION, "-XX:CompileCommand=quiet", Kernels.INLINE_OPTION));
    }
    args.add("-Delapse.kernels=" + kernels);
    return args.toArray(String[]::new);
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }
}
