package io.elapse.model.bench;

import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.export.Dl4jExport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The same work through DL4J (the NONE model exported with {@link Dl4jExport}, float32): {@code
 * forward} is {@code rnnTimeStep} on one pre-embedded event with the entity's (h, c) swapped in and
 * out ({@code rnnSetPreviousState} / {@code rnnGetPreviousState}, states duplicated); {@code
 * update} is {@code computeGradientAndScore} over a W=32 window with a label mask on the newest
 * step, plus adding the gradient into an accumulator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Dl4jPeerBench {
  private MultiLayerNetwork net;
  private INDArray[] steps;
  private Map<String, INDArray>[] states;
  private INDArray window;
  private INDArray windowLabels;
  private INDArray labelMask;
  private INDArray accumulator;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    ModelConfig cfg = BenchFixtures.config(TimeModulation.NONE);
    LstmModel model = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 1));
    net = Dl4jExport.toNetwork(model, DataType.FLOAT);
    EventInput[] inputs = BenchFixtures.inputs(model, 256, 2);
    steps = new INDArray[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      steps[i] = Dl4jExport.inputFor(model, List.of(inputs[i]), DataType.FLOAT);
    }
    states = new Map[BenchFixtures.ENTITIES];
    for (int e = 0; e < states.length; e++) {
      net.rnnClearPreviousState();
      net.rnnTimeStep(steps[e % steps.length]);
      states[e] = copy(net.rnnGetPreviousState(0));
    }
    int w = cfg.windowSize();
    window = Dl4jExport.inputFor(model, List.of(inputs).subList(0, w), DataType.FLOAT);
    windowLabels = Nd4j.zeros(DataType.FLOAT, 1, cfg.numTasks(), w);
    labelMask = Nd4j.zeros(DataType.FLOAT, 1, w);
    labelMask.putScalar(0, w - 1, 1f);
    for (int k = 0; k < cfg.numTasks(); k += 3) {
      windowLabels.putScalar(new long[] {0, k, w - 1}, 1f);
    }
    accumulator = Nd4j.zeros(DataType.FLOAT, net.numParams());
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> m) {
    Map<String, INDArray> c = new HashMap<>();
    m.forEach((k, v) -> c.put(k, v.dup()));
    return c;
  }

  @Benchmark
  public INDArray forward() {
    int i = next;
    next = i + 1 == states.length ? 0 : i + 1;
    net.rnnSetPreviousState(0, states[i]);
    INDArray out = net.rnnTimeStep(steps[i & 255]);
    // save the entity's new (h, c) into its own preallocated arrays (no per-call allocation)
    Map<String, INDArray> now = net.rnnGetPreviousState(0);
    for (Map.Entry<String, INDArray> e : states[i].entrySet()) {
      e.getValue().assign(now.get(e.getKey()));
    }
    return out;
  }

  @Benchmark
  public double update() {
    net.setInput(window);
    net.setLabels(windowLabels);
    net.setLayerMaskArrays(null, labelMask);
    net.computeGradientAndScore();
    accumulator.addi(net.gradient().gradient());
    return net.score();
  }
}
