package io.elapse.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.config.TimeTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded learning test on synthetic sequences whose outcomes depend on elapsed time: task k is
 * positive at an event when an event of type k happened within the last τ_k (including the current
 * one). Each variant is trained online with {@link TbpttTrainer} (one label per event, the current
 * one) and a minimal Adam written here, then evaluated by AUC (rank formula) on fresh sequences.
 */
class TimeAwareLearningTest {
  static final int TYPES = 6;
  static final int K = 3;
  static final long MINUTE = 60_000L;
  static final long[] TAU = {4 * MINUTE, 12 * MINUTE, 30 * MINUTE};
  static final int LEN = 40;

  record Seq(int[] types, long[] dt, float[][] targets) {}

  static Seq sequence(SplittableRandom r) {
    int[] types = new int[LEN];
    long[] dt = new long[LEN];
    float[][] y = new float[LEN][K];
    long[] time = new long[LEN];
    for (int t = 0; t < LEN; t++) {
      types[t] = r.nextInt(TYPES);
      // heavy-tailed gaps, log-uniform in [5 s, 60 min]: counting events is a poor proxy for time
      dt[t] = t == 0 ? 0 : (long) Math.exp(Math.log(5_000) + r.nextDouble() * Math.log(720));
      time[t] = t == 0 ? 0 : time[t - 1] + dt[t];
      for (int k = 0; k < K; k++) {
        for (int s = t; s >= 0 && time[t] - time[s] <= TAU[k]; s--) {
          if (types[s] == k) {
            y[t][k] = 1f;
            break;
          }
        }
      }
    }
    return new Seq(types, dt, y);
  }

  static ModelConfig config(TimeModulation mod) {
    return ModelConfig.builder()
        .modulation(mod)
        .hiddenSize(8)
        .embeddingDim(4)
        .vocabularyBuckets(TYPES)
        .numTasks(K)
        .windowSize(12)
        .timeTransform(new TimeTransform(TimeTransform.Kind.LINEAR, 10 * MINUTE))
        .gradClipNorm(5)
        .build();
  }

  static EventInput input(LstmModel m, Seq s, int t) {
    return m.inputOfBucket(s.types()[t], null, t == 0 ? 0f : (float) m.phi(s.dt()[t]));
  }

  /** Minimal Adam (Kingma &amp; Ba 2015) on the flat vector, test-only. */
  static final class Adam {
    final float[] m1;
    final float[] m2;
    final double lr;
    int step;

    Adam(int n, double lr) {
      m1 = new float[n];
      m2 = new float[n];
      this.lr = lr;
    }

    void apply(float[] p, float[] g) {
      step++;
      double b1 = 0.9;
      double b2 = 0.999;
      double c1 = 1 - Math.pow(b1, step);
      double c2 = 1 - Math.pow(b2, step);
      for (int q = 0; q < p.length; q++) {
        m1[q] = (float) (b1 * m1[q] + (1 - b1) * g[q]);
        m2[q] = (float) (b2 * m2[q] + (1 - b2) * g[q] * g[q]);
        p[q] -= (float) (lr * (m1[q] / c1) / (Math.sqrt(m2[q] / c2) + 1e-8));
      }
    }
  }

  static LstmModel train(TimeModulation mod, int sequences, long seed) {
    ModelConfig cfg = config(mod);
    float[] params = LstmModel.initialParameters(cfg, seed);
    LstmModel model = LstmModel.of(cfg, params);
    TbpttTrainer trainer = new TbpttTrainer(cfg);
    Adam adam = new Adam(params.length, 0.01);
    GradientAccumulator acc = new GradientAccumulator(model.layout());
    SplittableRandom r = new SplittableRandom(seed);
    for (int n = 0; n < sequences; n++) {
      Seq s = sequence(r);
      EntityState st = EntityState.initial(cfg);
      for (int t = 0; t < LEN; t++) {
        st.step(model, input(model, s, t));
        acc.add(trainer.gradient(model, st, List.of(new LabeledPosition(t, s.targets()[t], 1f))));
      }
      if (n % 2 == 1) {
        adam.apply(params, acc.mean().toDense(model.layout()));
        acc.reset();
        model = LstmModel.of(cfg, params);
      }
    }
    return model;
  }

  /** Mean over tasks of the AUC (Mann–Whitney rank formula, ties averaged). */
  static double meanAuc(LstmModel model, int sequences, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<List<double[]>> perTask = new ArrayList<>();
    for (int k = 0; k < K; k++) {
      perTask.add(new ArrayList<>());
    }
    for (int n = 0; n < sequences; n++) {
      Seq s = sequence(r);
      EntityState st = EntityState.initial(model.config());
      for (int t = 0; t < LEN; t++) {
        float[] z = st.step(model, input(model, s, t)).logits();
        if (t >= 5) {
          for (int k = 0; k < K; k++) {
            if (s.types()[t] != k) { // the current event makes the target trivial: score memory
              perTask.get(k).add(new double[] {z[k], s.targets()[t][k]});
            }
          }
        }
      }
    }
    double sum = 0;
    for (int k = 0; k < K; k++) {
      sum += auc(perTask.get(k));
    }
    return sum / K;
  }

  static double auc(List<double[]> scored) {
    double[][] a = scored.toArray(new double[0][]);
    Arrays.sort(a, (x, y) -> Double.compare(x[0], y[0]));
    double rankSumPos = 0;
    long pos = 0;
    int i = 0;
    while (i < a.length) {
      int j = i;
      while (j + 1 < a.length && a[j + 1][0] == a[i][0]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int q = i; q <= j; q++) {
        if (a[q][1] > 0.5) {
          rankSumPos += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = a.length - pos;
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  @Test
  void aucRankFormulaIsRight() {
    List<double[]> s =
        List.of(
            new double[] {0.1, 0},
            new double[] {0.4, 1},
            new double[] {0.35, 0},
            new double[] {0.8, 1});
    assertThat(auc(s)).isEqualTo(1.0);
    List<double[]> t =
        List.of(
            new double[] {0.1, 1},
            new double[] {0.4, 0},
            new double[] {0.35, 1},
            new double[] {0.8, 0});
    assertThat(auc(t)).isEqualTo(0.0);
    List<double[]> u = List.of(new double[] {0.5, 1}, new double[] {0.5, 0});
    assertThat(auc(u)).isEqualTo(0.5);
  }

  /**
   * DECAY beats NONE on every seed and by ≥ 0.008 mean AUC (measured, seeds 1–4: NONE 0.9709,
   * 0.9761, 0.9835, 0.9728, mean 0.9758; DECAY 0.9833, 0.9866, 0.9881, 0.9896, mean 0.9869, i.e.
   * 46% less ranking error; TIME_GATE 0.9699, 0.9664, 0.9734, 0.9805, mean 0.9726). TIME_GATE
   * (Time-LSTM1, which gates only what is written) learns the task but does not beat NONE here:
   * only that it learns is asserted.
   */
  @Test
  void decayBeatsPlainLstmOnElapsedTimeTargets() {
    Map<TimeModulation, double[]> auc = new EnumMap<>(TimeModulation.class);
    long[] seeds = {1, 2, 3, 4};
    for (TimeModulation mod : TimeModulation.values()) {
      double[] a = new double[seeds.length];
      for (int i = 0; i < seeds.length; i++) {
        a[i] = meanAuc(train(mod, 300, seeds[i]), 100, 99);
      }
      auc.put(mod, a);
    }
    StringBuilder line = new StringBuilder("learning test mean AUC per seed:");
    auc.forEach((m, a) -> line.append(' ').append(m).append('=').append(Arrays.toString(a)));
    System.out.println(line);
    double[] none = auc.get(TimeModulation.NONE);
    double[] decay = auc.get(TimeModulation.DECAY);
    double[] gate = auc.get(TimeModulation.TIME_GATE);
    for (int i = 0; i < seeds.length; i++) {
      assertThat(none[i]).as("NONE learns, seed %d", seeds[i]).isGreaterThan(0.9);
      assertThat(gate[i]).as("TIME_GATE learns, seed %d", seeds[i]).isGreaterThan(0.9);
      assertThat(decay[i]).as("DECAY > NONE, seed %d", seeds[i]).isGreaterThan(none[i]);
    }
    assertThat(mean(decay)).isGreaterThan(mean(none) + 0.008);
  }

  private static double mean(double[] a) {
    return Arrays.stream(a).average().orElseThrow();
  }
}
