package io.elapse.model.export;

import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A {@code NONE} model as a DL4J {@link MultiLayerNetwork}: layer 0 a DL4J {@code LSTM} (tanh,
 * sigmoid gates, no peepholes) with W = W_x, RW = W_h, b = B copied as is (same gate block order);
 * layer 1 an {@code RnnOutputLayer} (sigmoid, XENT) with W = W_o, b = b_o. Its output is the K task
 * probabilities σ(logits) per time step.
 *
 * <p>The network takes the <em>pre-embedded</em> input x = [embedding(bucket); features; φ(Δt)] in
 * DL4J's NCW layout [batch, I, T]; {@link #inputFor} builds it from {@link EventInput}s with the
 * model's embedding table (which also ships as {@code embedding.npy}).
 */
public final class Dl4jExport {
  private Dl4jExport() {}

  /**
   * Builds the network with this model's weights.
   *
   * @throws IllegalArgumentException unless the modulation is NONE
   */
  public static MultiLayerNetwork toNetwork(LstmModel model, DataType dataType) {
    ModelConfig c = model.config();
    if (c.modulation() != TimeModulation.NONE) {
      throw new IllegalArgumentException(
          "expected modulation NONE for a DL4J export, got " + c.modulation());
    }
    int h = c.hiddenSize();
    int in = c.inputSize();
    int k = c.numTasks();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .dataType(dataType)
            .updater(new NoOp())
            .list()
            .layer(
                new LSTM.Builder()
                    .nIn(in)
                    .nOut(h)
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.XENT)
                    .activation(Activation.SIGMOID)
                    .nIn(h)
                    .nOut(k)
                    .build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    ParameterLayout l = model.layout();
    copy(model, l.segment(Group.W_X), net.getLayer(0).getParam("W"));
    copy(model, l.segment(Group.W_H), net.getLayer(0).getParam("RW"));
    copy(model, l.segment(Group.B), net.getLayer(0).getParam("b"));
    copy(model, l.segment(Group.HEAD_W), net.getLayer(1).getParam("W"));
    copy(model, l.segment(Group.HEAD_B), net.getLayer(1).getParam("b"));
    return net;
  }

  private static void copy(LstmModel m, ParameterLayout.Segment s, INDArray target) {
    long rows = target.rank() == 2 ? target.size(0) : 1;
    long cols = target.rank() == 2 ? target.size(1) : target.length();
    if (s.rows() * (long) s.cols() != rows * cols) {
      throw new IllegalStateException(
          "expected DL4J param of "
              + s.length()
              + " values for "
              + s.group()
              + ", got "
              + rows * cols);
    }
    for (int r = 0; r < s.rows(); r++) {
      for (int col = 0; col < s.cols(); col++) {
        float v = m.parameter(s.offset() + r * s.cols() + col);
        if (target.rank() == 2 && target.size(0) == s.rows()) {
          target.putScalar(r, col, v);
        } else {
          target.putScalar(r * (long) s.cols() + col, v);
        }
      }
    }
  }

  /** The pre-embedded input [1, I, T] for a sequence of events. */
  public static INDArray inputFor(LstmModel model, List<EventInput> events, DataType dataType) {
    ModelConfig c = model.config();
    int e = c.embeddingDim();
    int in = c.inputSize();
    int emb0 = model.layout().offset(Group.EMBEDDING);
    INDArray x = Nd4j.zeros(dataType, 1, in, events.size());
    for (int t = 0; t < events.size(); t++) {
      EventInput ev = events.get(t);
      for (int j = 0; j < e; j++) {
        x.putScalar(new long[] {0, j, t}, model.parameter(emb0 + ev.bucket() * e + j));
      }
      for (int j = 0; j < ev.numFeatures(); j++) {
        x.putScalar(new long[] {0, e + j, t}, ev.feature(j));
      }
      x.putScalar(new long[] {0, in - 1, t}, ev.phi());
    }
    return x;
  }

  /** Writes the network with {@link ModelSerializer#writeModel} (no updater state). */
  public static void write(LstmModel model, File file) throws IOException {
    ModelSerializer.writeModel(toNetwork(model, DataType.FLOAT), file, false);
  }
}
