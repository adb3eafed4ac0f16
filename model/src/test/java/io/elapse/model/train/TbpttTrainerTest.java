package io.elapse.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TbpttTrainerTest {
  private static final float NAN = Float.NaN;

  private static ModelConfig cfg(TimeModulation mod, double clip) {
    return GradientCheckTest.config(mod).toBuilder().gradClipNorm(clip).build();
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void allMissingLabelsGiveExactlyZeroLossAndGradient(TimeModulation mod) {
    ModelConfig c = cfg(mod, 0);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    EntityState s = GradientCheckTest.state(m, 2);
    TrainingResult r =
        new TbpttTrainer(c)
            .gradient(
                m,
                s,
                List.of(new LabeledPosition(s.eventCount() - 1, new float[] {NAN, NAN, NAN}, 1f)));
    assertThat(r.loss()).isEqualTo(0.0);
    assertThat(r.labelsPresent()).isZero();
    assertThat(r.gradient().norm()).isEqualTo(0.0);
    assertThat(r.gradient().rows()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void neverMutatesModelStateOrLabelsAndIsRepeatable(TimeModulation mod) {
    ModelConfig c = cfg(mod, 0);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    EntityState s = GradientCheckTest.state(m, 2);
    byte[] before = s.encode();
    float[] params = m.parameters();
    float[] targets = {1f, NAN, 0f};
    List<LabeledPosition> labels = List.of(new LabeledPosition(s.eventCount() - 2, targets, 1f));
    TbpttTrainer t = new TbpttTrainer(c);
    TrainingResult a = t.gradient(m, s, labels);
    TrainingResult b = t.gradient(m, s, labels);
    assertThat(s.encode()).containsExactly(before);
    assertThat(m.parameters()).containsExactly(params);
    assertThat(labels.get(0).targets()).containsExactly(1f, NAN, 0f);
    assertThat(a.gradient()).isEqualTo(b.gradient());
    assertThat(a.loss()).isEqualTo(b.loss());
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void labelOutsideTheWindowIsRejected(TimeModulation mod) {
    ModelConfig c = cfg(mod, 0);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    EntityState s = GradientCheckTest.state(m, 2); // 8 events, window 5: sequences 3..7
    TbpttTrainer t = new TbpttTrainer(c);
    assertThatThrownBy(
            () -> t.gradient(m, s, List.of(new LabeledPosition(2, new float[] {1, 1, 1}, 1f))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected label sequence in window [3, 8), got 2");
    assertThatThrownBy(
            () -> t.gradient(m, s, List.of(new LabeledPosition(8, new float[] {1, 1, 1}, 1f))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> t.gradient(m, s, List.of(new LabeledPosition(5, new float[] {1, 1}, 1f))))
        .hasMessage("expected 3 targets, got 2");
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void gradientIsClippedToTheConfiguredGlobalNorm(TimeModulation mod) {
    ModelConfig off = cfg(mod, 0);
    LstmModel m = LstmModel.of(off, LstmModel.initialParameters(off, 1));
    EntityState s = GradientCheckTest.state(m, 2);
    List<LabeledPosition> labels =
        List.of(new LabeledPosition(s.eventCount() - 1, new float[] {1, 0, 1}, 5f));
    double raw = new TbpttTrainer(off).gradient(m, s, labels).gradient().norm();
    double limit = raw / 3;
    ModelConfig on = cfg(mod, limit);
    TrainingResult clipped =
        new TbpttTrainer(on).gradient(LstmModel.of(on, m.parameters()), s, labels);
    assertThat(clipped.gradient().norm())
        .isCloseTo(limit, org.assertj.core.data.Offset.offset(1e-4 * limit));
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void gradientEncodesAndAccumulates(TimeModulation mod) {
    ModelConfig c = cfg(mod, 0);
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    EntityState s = GradientCheckTest.state(m, 2);
    TbpttTrainer t = new TbpttTrainer(c);
    TrainingResult a =
        t.gradient(
            m, s, List.of(new LabeledPosition(s.eventCount() - 1, new float[] {1, 0, 1}, 1f)));
    TrainingResult b =
        t.gradient(
            m, s, List.of(new LabeledPosition(s.eventCount() - 3, new float[] {0, NAN, 1}, 1f)));
    assertThat(Gradient.decode(a.gradient().encode())).isEqualTo(a.gradient());
    GradientAccumulator acc = new GradientAccumulator(m.layout());
    acc.add(a);
    acc.add(b);
    assertThat(acc.count()).isEqualTo(2);
    assertThat(acc.lossSum()).isEqualTo(a.loss() + b.loss());
    assertThat(acc.labelsPresent()).isEqualTo(5);
    float[] da = a.gradient().toDense(m.layout());
    float[] db = b.gradient().toDense(m.layout());
    float[] sum = acc.sum().toDense(m.layout());
    float[] mean = acc.mean().toDense(m.layout());
    for (int q = 0; q < sum.length; q++) {
      assertThat(sum[q]).isEqualTo(da[q] + db[q]);
      assertThat(mean[q]).isEqualTo((da[q] + db[q]) * 0.5f);
    }
    acc.reset();
    assertThat(acc.sum().norm()).isZero();
    assertThat(acc.count()).isZero();
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void accumulateAddsExactlyWhatGradientThenAddWould(TimeModulation mod) {
    // clipped and unclipped, with the L2 penalties, an all-missing label in between (the trainer's
    // reused dense scratch must not carry values from one pass to the next)
    for (double clip : new double[] {0, 0.05}) {
      ModelConfig c = cfg(mod, clip); // with GradientCheckTest's L2 penalties
      LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
      EntityState s = GradientCheckTest.state(m, 2);
      List<List<LabeledPosition>> passes =
          List.of(
              List.of(new LabeledPosition(s.eventCount() - 1, new float[] {1, 0, 1}, 1f)),
              List.of(new LabeledPosition(s.eventCount() - 2, new float[] {NAN, NAN, NAN}, 1f)),
              List.of(new LabeledPosition(s.eventCount() - 3, new float[] {0, NAN, 1}, 0.5f)));
      GradientAccumulator expected = new GradientAccumulator(m.layout());
      GradientAccumulator actual = new GradientAccumulator(m.layout());
      TbpttTrainer reference = new TbpttTrainer(c);
      TbpttTrainer fused = new TbpttTrainer(c);
      for (List<LabeledPosition> labels : passes) {
        TrainingResult r = reference.gradient(m, s, labels);
        expected.add(r);
        TrainingSummary sum = fused.accumulate(m, s, labels, actual);
        assertThat(sum.loss()).isEqualTo(r.loss());
        assertThat(sum.labelsPresent()).isEqualTo(r.labelsPresent());
        assertThat(sum.logits(0)).containsExactly(r.logits(0));
      }
      assertThat(actual.count()).isEqualTo(3);
      assertThat(actual.lossSum()).isEqualTo(expected.lossSum());
      assertThat(actual.labelsPresent()).isEqualTo(expected.labelsPresent());
      assertThat(actual.sum()).as("clip %s", clip).isEqualTo(expected.sum());
      assertThat(actual.sum().norm()).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(TimeModulation.class)
  void accumulateRejectsAnAccumulatorOfAnotherLayout(TimeModulation mod) {
    ModelConfig c = cfg(mod, 0);
    ModelConfig other = c.toBuilder().hiddenSize(c.hiddenSize() + 1).build();
    LstmModel m = LstmModel.of(c, LstmModel.initialParameters(c, 1));
    EntityState s = GradientCheckTest.state(m, 2);
    GradientAccumulator wrong =
        new GradientAccumulator(
            LstmModel.of(other, LstmModel.initialParameters(other, 1)).layout());
    assertThatThrownBy(
            () ->
                new TbpttTrainer(c)
                    .accumulate(
                        m,
                        s,
                        List.of(new LabeledPosition(s.eventCount() - 1, new float[] {1, 0, 1}, 1f)),
                        wrong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layout");
    assertThat(wrong.count()).isZero();
  }
}
