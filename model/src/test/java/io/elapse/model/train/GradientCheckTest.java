package io.elapse.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.ReferenceModel;
import io.elapse.model.config.LossConfig;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite-difference gradient checks of {@link TbpttTrainer} for every parameter group of every
 * modulation, with every loss option switched on. The numerical gradient is a central difference (ε
 * = 1e-5) of an independent double-precision reference ({@link ReferenceModel}); the analytic
 * gradient is the float kernel's. Tolerance: |a − n| ≤ 2e-4 · max(|a|, |n|) + 2e-5.
 */
class GradientCheckTest {

  static ModelConfig config(TimeModulation mod) {
    return ModelConfig.builder()
        .modulation(mod)
        .hiddenSize(5)
        .embeddingDim(3)
        .vocabularyBuckets(11)
        .numFeatures(2)
        .numTasks(3)
        .windowSize(5)
        .gradClipNorm(0)
        .loss(new LossConfig(new float[] {3f, 1f, 0.5f}, new float[] {1f, 2f, 0.7f}, 0.05f, 0.01f))
        .seed(7)
        .build();
  }

  /** A state that has seen 8 events (so the ring start has advanced and is non-zero). */
  static EntityState state(LstmModel model, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    EntityState s = EntityState.initial(model.config());
    for (int t = 0; t < 8; t++) {
      float[] f = {(float) r.nextGaussian(), (float) r.nextGaussian()};
      Long dt = t == 0 ? null : (long) r.nextInt(1, 400_000);
      s.step(model, model.input("type-" + r.nextInt(6), f, dt));
    }
    return s;
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void analyticGradientMatchesFiniteDifferencesForEveryGroup(TimeModulation mod) {
    ModelConfig cfg = config(mod);
    float[] params = LstmModel.initialParameters(cfg, 11);
    // perturb all parameters a little so no group sits at a special value (e.g. zero biases)
    SplittableRandom r = new SplittableRandom(3);
    for (int q = 0; q < params.length; q++) {
      params[q] += (float) (0.2 * r.nextGaussian());
    }
    LstmModel model = LstmModel.of(cfg, params);
    EntityState state = state(model, 5);
    long oldest = state.sequenceOfOldest();
    float nan = Float.NaN;
    List<LabeledPosition> labels =
        List.of(
            new LabeledPosition(oldest + 1, new float[] {1f, nan, 0.3f}, 1.5f),
            new LabeledPosition(oldest + 3, new float[] {0f, 1f, 0.8f}, 0.5f),
            new LabeledPosition(oldest + 3, new float[] {nan, nan, 1f}, 1f),
            new LabeledPosition(oldest + 4, new float[] {nan, 0.6f, nan}, 2f));
    TrainingResult res = new TbpttTrainer(cfg).gradient(model, state, labels);
    float[] analytic = res.gradient().toDense(model.layout());

    List<ReferenceModel.Event> events = ReferenceModel.events(state);
    List<ReferenceModel.Label> refLabels = new ArrayList<>();
    for (LabeledPosition l : labels) {
      refLabels.add(
          new ReferenceModel.Label((int) (l.sequence() - oldest), l.targets(), l.sampleWeight()));
    }
    double[] p = ReferenceModel.toDouble(params);
    io.elapse.model.StateSnapshot start = state.windowStart(model);
    double[] h0 = ReferenceModel.toDouble(start.h());
    double[] c0 = ReferenceModel.toDouble(start.c());
    double refLoss = ReferenceModel.loss(cfg, p, h0, c0, events, refLabels);
    assertThat(res.loss()).isCloseTo(refLoss, org.assertj.core.data.Offset.offset(1e-5 * refLoss));
    assertThat(res.labelsPresent()).isEqualTo(7);

    ParameterLayout layout = model.layout();
    int checked = 0;
    for (ParameterLayout.Segment seg : layout.segments()) {
      List<Integer> idx = new ArrayList<>();
      if (seg.group() == Group.EMBEDDING) {
        for (ReferenceModel.Event e : events) {
          for (int j = 0; j < cfg.embeddingDim(); j++) {
            idx.add(seg.offset() + e.bucket() * cfg.embeddingDim() + j);
          }
        }
        // a bucket that no event in the window uses must have an exactly zero gradient
        int unused = 0;
        while (usedBucket(events, unused)) {
          unused++;
        }
        for (int j = 0; j < cfg.embeddingDim(); j++) {
          assertThat(analytic[seg.offset() + unused * cfg.embeddingDim() + j]).isZero();
        }
      } else {
        for (int q = seg.offset(); q < seg.offset() + seg.length(); q++) {
          idx.add(q); // every index of every dense group: the sizes are tiny
        }
      }
      for (int q : idx) {
        double eps = 1e-5;
        double keep = p[q];
        p[q] = keep + eps;
        double up = ReferenceModel.loss(cfg, p, h0, c0, events, refLabels);
        p[q] = keep - eps;
        double down = ReferenceModel.loss(cfg, p, h0, c0, events, refLabels);
        p[q] = keep;
        double numeric = (up - down) / (2 * eps);
        double a = analytic[q];
        double tol = 2e-4 * Math.max(Math.abs(a), Math.abs(numeric)) + 2e-5;
        assertThat(Math.abs(a - numeric))
            .as("%s %s index %d: analytic %g numeric %g", mod, seg.group(), q, a, numeric)
            .isLessThanOrEqualTo(tol);
        checked++;
      }
      // every present group gets a non-trivial gradient somewhere
      double norm = 0;
      for (int q = seg.offset(); q < seg.offset() + seg.length(); q++) {
        norm += analytic[q] * (double) analytic[q];
      }
      assertThat(norm).as("%s %s gradient norm", mod, seg.group()).isGreaterThan(0);
    }
    assertThat(checked).isGreaterThan(250);
  }

  private static boolean usedBucket(List<ReferenceModel.Event> events, int b) {
    return events.stream().anyMatch(e -> e.bucket() == b);
  }
}
