package io.elapse.model.train;

import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs the hot paths (a cell step with the head, a label's truncated-BPTT update) on a scratch
 * entity for a while, so that the JIT has compiled them before real events arrive. The JDK Vector
 * API's Java fallback, which runs until C2 has compiled a kernel, is one to two orders of magnitude
 * slower than the compiled kernel: without this, a learner's first seconds after every (re)start
 * block it for seconds at a time (BENCHMARKS.md, max-event-wait). Touches nothing but its own
 * scratch state: the model's parameters are only read.
 */
public final class WarmUp {

  /** Cell steps per label update, about the pipeline's default mix (one label per ten events). */
  static final int STEPS_PER_UPDATE = 10;

  /** Configurations warmed up in this class loader (whose classes share the JIT's code). */
  private static final Set<ModelConfig> WARM = new HashSet<>();

  private WarmUp() {}

  /** What a warm-up ran. */
  public record Summary(long steps, long updates, long nanos) {}

  /**
   * {@link #run} once per model configuration and class loader: the compiled code is shared by
   * every caller whose classes this loader loaded (the learner subtasks of one TaskManager, a job
   * restarted in it). A caller arriving while another warms up the same configuration waits for it;
   * a later one returns at once, with nothing to report.
   */
  public static Optional<Summary> once(LstmModel model, long budgetNanos) {
    synchronized (WARM) {
      if (WARM.contains(model.config())) {
        return Optional.empty();
      }
      Summary s = run(model, budgetNanos);
      WARM.add(model.config());
      return Optional.of(s);
    }
  }

  /**
   * Steps a scratch entity through random events of {@code model}, with one update every {@value
   * #STEPS_PER_UPDATE} steps, until {@code budgetNanos} have passed (at least one round).
   */
  public static Summary run(LstmModel model, long budgetNanos) {
    long start = System.nanoTime();
    TbpttTrainer trainer = new TbpttTrainer(model.config());
    GradientAccumulator scratch = new GradientAccumulator(model.layout());
    EntityState state = EntityState.initial(model.config());
    float[] targets = new float[model.config().numTasks()];
    Arrays.fill(targets, Float.NaN);
    targets[0] = 1f; // one task present, as labels with most tasks missing
    int buckets = model.config().vocabularyBuckets();
    float[] features = new float[model.config().numFeatures()];
    SplittableRandom rnd = new SplittableRandom(1);
    long steps = 0;
    long updates = 0;
    do {
      for (int i = 0; i < STEPS_PER_UPDATE; i++) {
        state.step(
            model,
            model.inputOfBucket(
                rnd.nextInt(buckets), features.length == 0 ? null : features, rnd.nextFloat()));
        steps++;
      }
      trainer.accumulate(
          model, state, List.of(new LabeledPosition(state.eventCount() - 1, targets, 1f)), scratch);
      updates++;
      if (updates % 64 == 0) {
        scratch.reset();
      }
    } while (System.nanoTime() - start < budgetNanos);
    return new Summary(steps, updates, System.nanoTime() - start);
  }
}
