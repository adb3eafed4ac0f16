package io.elapse.model.bench;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.StepResult;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.model.train.TrainingSummary;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Elapse's own kernels at H=64, E=32, K=30, V=10,000, W=32: {@code forward} is one event through
 * {@link EntityState#step} (ring advance + cell + head) for entities rotated round-robin; {@code
 * update} is one label's update: {@link TbpttTrainer#accumulate} for the newest event (forward
 * recompute over W=32, backward over 32, the clipped gradient added to a {@link
 * GradientAccumulator}), as the learner runs it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElapseKernelBench {
  @Param({"NONE", "DECAY", "TIME_GATE"})
  public TimeModulation modulation;

  private LstmModel model;
  private EventInput[] inputs;
  private EntityState[] entities;
  private TbpttTrainer trainer;
  private GradientAccumulator accumulator;
  private List<LabeledPosition>[] labels;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    ModelConfig cfg = BenchFixtures.config(modulation);
    model = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 1));
    inputs = BenchFixtures.inputs(model, 4096, 2);
    entities = BenchFixtures.entities(model, inputs);
    trainer = new TbpttTrainer(cfg);
    accumulator = new GradientAccumulator(model.layout());
    labels = new List[entities.length];
    float[] y = new float[cfg.numTasks()];
    for (int k = 0; k < y.length; k++) {
      y[k] = k % 3 == 0 ? 1f : (k % 3 == 1 ? 0f : Float.NaN);
    }
    for (int e = 0; e < entities.length; e++) {
      labels[e] = List.of(new LabeledPosition(entities[e].eventCount() - 1, y, 1f));
    }
  }

  @Benchmark
  public StepResult forward() {
    int i = next;
    next = i + 1 == entities.length ? 0 : i + 1;
    return entities[i].step(model, inputs[i & 4095]);
  }

  @Benchmark
  public double update() {
    int i = next;
    next = i + 1 == entities.length ? 0 : i + 1;
    TrainingSummary r = trainer.accumulate(model, entities[i], labels[i], accumulator);
    if (accumulator.count() == 64) {
      accumulator.reset();
    }
    return r.loss();
  }
}
