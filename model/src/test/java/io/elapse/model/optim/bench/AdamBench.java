package io.elapse.model.optim.bench;

import io.elapse.model.optim.Optimizer;
import io.elapse.model.optim.OptimizerConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
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
 * One Adam step on a flat vector: Elapse's {@code Adam} (dense and lazy-sparse) against ND4J's
 * {@code AdamUpdater} (gradient copied into the INDArray, update applied, parameters decremented:
 * what the coordinator would do with ND4J). Not a test: run with JMH's main, see
 * model/OPTIMIZER_BENCH.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AdamBench {

  @Param({"350000"})
  public int size;

  private Optimizer adam;
  private float[] params;
  private float[] gradient;
  private int[] sparseIndices;
  private float[] sparseValues;

  private GradientUpdater<?> nd4jAdam;
  private INDArray nd4jParams;
  private INDArray nd4jGradientSource;
  private INDArray nd4jGradient;
  private int nd4jIteration;

  /** Builds both optimizers on the same random data. */
  @Setup(Level.Trial)
  public void setUp() {
    Random rnd = new Random(1);
    params = new float[size];
    gradient = new float[size];
    for (int i = 0; i < size; i++) {
      params[i] = (float) rnd.nextGaussian();
      gradient[i] = (float) (0.01 * rnd.nextGaussian());
    }
    sparseIndices = new int[size / 100];
    sparseValues = new float[size / 100];
    for (int k = 0; k < sparseIndices.length; k++) {
      sparseIndices[k] = k * 100;
      sparseValues[k] = gradient[k * 100];
    }
    adam = OptimizerConfig.adam(1e-3).create(size);
    INDArray view = Nd4j.zeros(DataType.FLOAT, 1, 2L * size);
    nd4jAdam = new org.nd4j.linalg.learning.config.Adam(1e-3).instantiate(view, true);
    nd4jParams = Nd4j.create(params.clone(), new long[] {1, size}, 'c');
    nd4jGradientSource = Nd4j.create(gradient.clone(), new long[] {1, size}, 'c');
    nd4jGradient = Nd4j.zeros(DataType.FLOAT, 1, size);
  }

  /** Elapse Adam, dense. */
  @Benchmark
  public float elapseAdamDense() {
    adam.step(params, gradient);
    return params[0];
  }

  /** Elapse lazy Adam on 1% of the entries (a sparse embedding gradient). */
  @Benchmark
  public float elapseAdamSparseOnePercent() {
    adam.stepSparse(params, sparseIndices, sparseValues);
    return params[0];
  }

  /** ND4J Adam: copy gradient in, applyUpdater, subtract. */
  @Benchmark
  public INDArray nd4jAdamDense() {
    nd4jGradient.assign(nd4jGradientSource);
    nd4jAdam.applyUpdater(nd4jGradient, nd4jIteration++, 0);
    return nd4jParams.subi(nd4jGradient);
  }

  /** ND4J Adam starting from a Java float[] gradient (as it arrives from learners). */
  @Benchmark
  public INDArray nd4jAdamFromJavaArray() {
    INDArray g = Nd4j.create(gradient, new long[] {1, size}, 'c');
    nd4jAdam.applyUpdater(g, nd4jIteration++, 0);
    return nd4jParams.subi(g);
  }
}
