package io.elapse.model.metrics.bench;

import io.elapse.model.calibration.PredictionSet;
import io.elapse.model.metrics.LabelDelays;
import io.elapse.model.metrics.MetricsReport;
import io.elapse.model.metrics.PrequentialMetrics;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the evaluator's parallelism-1 reporter (pipeline {@code EvaluationReporter}), which is
 * all {@code model/} work: per joined label, {@link PrequentialMetrics#addExample} and {@link
 * LabelDelays#add} (30 tasks, 40% of targets present); per report, {@link
 * PrequentialMetrics#report()} with every task's AUC store full (the default capacity of the
 * evaluator, 10,000 labels per task) and its checkpoint snapshot. Not a test: run with JMH's main,
 * see model/OPTIMIZER_BENCH.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBench {

  private static final int TASKS = 30;
  private static final int N = 4096;

  @Param({"10000"})
  public int aucCapacity;

  private PrequentialMetrics metrics;
  private LabelDelays delays;
  private double[][] probs;
  private double[][] targets;
  private PredictionSet[][] sets;
  private int i;

  /** Fills every task's AUC store past its capacity. */
  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(5);
    probs = new double[N][TASKS];
    targets = new double[N][TASKS];
    sets = new PredictionSet[N][TASKS];
    for (int k = 0; k < N; k++) {
      for (int t = 0; t < TASKS; t++) {
        probs[k][t] = rnd.nextDouble();
        targets[k][t] =
            rnd.nextDouble() < 0.4 ? (rnd.nextDouble() < probs[k][t] ? 1 : 0) : Double.NaN;
        sets[k][t] = PredictionSet.values()[rnd.nextInt(4)];
      }
    }
    metrics = PrequentialMetrics.cumulative(TASKS, 5, aucCapacity, 42L);
    delays = new LabelDelays(TASKS);
    for (int k = 0; k < 3 * aucCapacity; k++) {
      addOne();
    }
  }

  private void addOne() {
    int j = i++ & (N - 1);
    metrics.addExample(probs[j], targets[j], sets[j]);
    delays.add(1_000L + j, targets[j]);
  }

  /** One joined label: metrics and delays. */
  @Benchmark
  public void addJoinedLabel() {
    addOne();
  }

  /** One report of 30 tasks with full AUC stores. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public MetricsReport report() {
    return metrics.report();
  }

  /** The checkpointed state (snapshot bytes). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public byte[] snapshot() {
    return metrics.snapshot();
  }
}
