package io.elapse.model.calibration.bench;

import io.elapse.model.calibration.AdaptiveConformal;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.calibration.PredictionSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-label cost of the coordinator's calibration work and per-prediction cost of applying it (30
 * tasks, conformal window 1000). Not a test: run with JMH's main, see model/OPTIMIZER_BENCH.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CalibrationBench {

  private static final int TASKS = 30;
  private static final int N = 4096;

  private PlattScaler platt;
  private AdaptiveConformal conformal;
  private double[] logits;
  private double[] probs;
  private double[] targets;
  private int i;

  /** Warms both with 5,000 labels per task. */
  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(3);
    platt = new PlattScaler(TASKS);
    conformal = new AdaptiveConformal(TASKS);
    logits = new double[N];
    probs = new double[N];
    targets = new double[N];
    for (int k = 0; k < N; k++) {
      double z = 1.5 * rnd.nextGaussian();
      logits[k] = 2.5 * z + 1;
      probs[k] = 1 / (1 + Math.exp(-z));
      targets[k] = rnd.nextDouble() < probs[k] ? 1 : 0;
    }
    for (int k = 0; k < 5000 * TASKS; k++) {
      int j = k % N;
      platt.update(k % TASKS, logits[j], targets[j], 1.0);
      conformal.update(k % TASKS, probs[j], targets[j]);
    }
  }

  /** One Platt update. */
  @Benchmark
  public double plattUpdate() {
    int j = (i++) & (N - 1);
    platt.update(j % TASKS, logits[j], targets[j], 1.0);
    return platt.bias(j % TASKS);
  }

  /** One conformal update (window insert and eviction, new threshold). */
  @Benchmark
  public double conformalUpdate() {
    int j = (i++) & (N - 1);
    conformal.update(j % TASKS, probs[j], targets[j]);
    return conformal.threshold(j % TASKS);
  }

  /** Applying calibration and conformal set to one task's logit (the learner's per-task cost). */
  @Benchmark
  public PredictionSet applyOneTask() {
    int j = (i++) & (N - 1);
    double p = platt.probability(j % TASKS, logits[j]);
    return conformal.set(j % TASKS, p);
  }
}
