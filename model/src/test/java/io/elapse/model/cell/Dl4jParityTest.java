package io.elapse.model.cell;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.export.Dl4jExport;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import io.elapse.model.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NONE is DL4J's {@code LSTM}: the same weights (copied in our layout into W/RW/b) give the same
 * hidden states, outputs and gradients. DL4J runs in double precision as the oracle; our kernels
 * run in float. Tolerance: |ours − dl4j| ≤ 1e-5 · (1 + |dl4j|) for states and outputs, ≤ 1e-4 ·
 * max|g| + 1e-6 for gradients.
 */
class Dl4jParityTest {
  static final int T = 6;
  static ModelConfig cfg;
  static LstmModel model;
  static List<EventInput> events;
  static float[][] targets;

  @BeforeAll
  static void setUp() {
    cfg =
        ModelConfig.builder()
            .modulation(TimeModulation.NONE)
            .hiddenSize(7)
            .embeddingDim(3)
            .vocabularyBuckets(11)
            .numFeatures(2)
            .numTasks(4)
            .windowSize(T)
            .gradClipNorm(0)
            .build();
    float[] p = LstmModel.initialParameters(cfg, 5);
    SplittableRandom r = new SplittableRandom(8);
    for (int q = 0; q < p.length; q++) {
      p[q] += (float) (0.3 * r.nextGaussian());
    }
    model = LstmModel.of(cfg, p);
    events = new ArrayList<>();
    targets = new float[T][4];
    for (int t = 0; t < T; t++) {
      events.add(
          model.input(
              "ev" + r.nextInt(5),
              new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()},
              t == 0 ? null : (long) r.nextInt(200_000)));
      for (int k = 0; k < 4; k++) {
        targets[t][k] = (float) r.nextDouble(); // soft targets, all present
      }
    }
  }

  private static void close(double ours, double theirs, double tol, String what) {
    assertThat(Math.abs(ours - theirs))
        .as("%s: ours %g, dl4j %g", what, ours, theirs)
        .isLessThanOrEqualTo(tol);
  }

  @Test
  void forwardHiddenStatesAndOutputsMatchDl4j() {
    MultiLayerNetwork net = Dl4jExport.toNetwork(model, DataType.DOUBLE);
    INDArray x = Dl4jExport.inputFor(model, events, DataType.DOUBLE);
    List<INDArray> acts = net.feedForward(x, false);
    INDArray hs = acts.get(1); // [1, H, T]
    INDArray out = acts.get(2); // [1, K, T]
    EntityState s = EntityState.initial(cfg);
    for (int t = 0; t < T; t++) {
      float[] logits = s.step(model, events.get(t)).logits();
      float[] h = s.hidden();
      for (int n = 0; n < cfg.hiddenSize(); n++) {
        double d = hs.getDouble(0, n, t);
        close(h[n], d, 1e-5 * (1 + Math.abs(d)), "h[" + n + "] at t=" + t);
      }
      for (int k = 0; k < 4; k++) {
        double d = out.getDouble(0, k, t);
        double ours = 1 / (1 + Math.exp(-logits[k]));
        close(ours, d, 1e-5 * (1 + Math.abs(d)), "p[" + k + "] at t=" + t);
      }
    }
  }

  @Test
  void rnnTimeStepWithStateSwapMatchesEntityStateSteps() {
    MultiLayerNetwork net = Dl4jExport.toNetwork(model, DataType.DOUBLE);
    EntityState s = EntityState.initial(cfg);
    java.util.Map<String, INDArray> saved = null;
    for (int t = 0; t < T; t++) {
      INDArray xt = Dl4jExport.inputFor(model, List.of(events.get(t)), DataType.DOUBLE);
      net.rnnClearPreviousState();
      if (saved != null) {
        net.rnnSetPreviousState(0, saved);
      }
      INDArray o = net.rnnTimeStep(xt);
      saved = net.rnnGetPreviousState(0);
      // some other entity uses the network in between
      net.rnnClearPreviousState();
      net.rnnTimeStep(Nd4j.rand(DataType.DOUBLE, 1, cfg.inputSize(), 1));
      float[] logits = s.step(model, events.get(t)).logits();
      for (int k = 0; k < 4; k++) {
        double d = o.reshape(4).getDouble(k);
        close(1 / (1 + Math.exp(-logits[k])), d, 1e-5 * (1 + Math.abs(d)), "p[" + k + "]");
      }
    }
  }

  @Test
  void gradientsMatchDl4jComputeGradientAndScore() {
    MultiLayerNetwork net = Dl4jExport.toNetwork(model, DataType.DOUBLE);
    INDArray x = Dl4jExport.inputFor(model, events, DataType.DOUBLE);
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 1, 4, T);
    for (int t = 0; t < T; t++) {
      for (int k = 0; k < 4; k++) {
        y.putScalar(new long[] {0, k, t}, targets[t][k]);
      }
    }
    net.setInput(x);
    net.setLabels(y);
    net.computeGradientAndScore();
    double dl4jScore = net.score();
    Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> withInput =
        net.calculateGradients(x, y, null, null);
    org.deeplearning4j.nn.gradient.Gradient dg = withInput.getFirst();
    INDArray dx = withInput.getSecond(); // [1, I, T]

    EntityState s = EntityState.initial(cfg);
    List<LabeledPosition> labels = new ArrayList<>();
    for (int t = 0; t < T; t++) {
      s.step(model, events.get(t));
      labels.add(new LabeledPosition(t, targets[t], 1f));
    }
    TrainingResult ours = new TbpttTrainer(cfg).gradient(model, s, labels);
    // DL4J sums the K per-task terms and the T time steps and divides by the minibatch size (1);
    // ours averages over the K present tasks and sums over labelled positions: a factor K.
    double scale = 4;
    close(ours.loss() * scale, dl4jScore, 1e-6 * dl4jScore, "score");
    float[] g = ours.gradient().toDense(model.layout());
    ParameterLayout l = model.layout();
    compare(g, l.segment(Group.W_X), dg.getGradientFor("0_W"), scale);
    compare(g, l.segment(Group.W_H), dg.getGradientFor("0_RW"), scale);
    compare(g, l.segment(Group.B), dg.getGradientFor("0_b"), scale);
    compare(g, l.segment(Group.HEAD_W), dg.getGradientFor("1_W"), scale);
    compare(g, l.segment(Group.HEAD_B), dg.getGradientFor("1_b"), scale);
    // embedding rows: DL4J's input gradient summed over the time steps that used each bucket
    int e = cfg.embeddingDim();
    double[] expected = new double[l.length(Group.EMBEDDING)];
    for (int t = 0; t < T; t++) {
      for (int j = 0; j < e; j++) {
        expected[events.get(t).bucket() * e + j] += dx.getDouble(0, j, t);
      }
    }
    double max = 0;
    for (double v : expected) {
      max = Math.max(max, Math.abs(v));
    }
    for (int q = 0; q < expected.length; q++) {
      close(g[q] * scale, expected[q], 1e-4 * max + 1e-6, "embedding[" + q + "]");
    }
  }

  private static void compare(float[] g, ParameterLayout.Segment s, INDArray d, double scale) {
    INDArray flat = d.reshape(s.rows(), s.cols());
    double max = 0;
    for (int q = 0; q < s.length(); q++) {
      max = Math.max(max, Math.abs(flat.getDouble(q / s.cols(), q % s.cols())));
    }
    assertThat(max).as("%s gradient is not trivially zero", s.group()).isGreaterThan(1e-4);
    for (int r = 0; r < s.rows(); r++) {
      for (int c = 0; c < s.cols(); c++) {
        double theirs = flat.getDouble(r, c);
        double ours = g[s.offset() + r * s.cols() + c] * scale;
        close(ours, theirs, 1e-4 * max + 1e-6, s.group() + "[" + r + "," + c + "]");
      }
    }
  }
}
