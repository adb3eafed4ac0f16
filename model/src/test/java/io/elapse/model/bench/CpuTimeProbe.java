package io.elapse.model.bench;

import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.model.train.LabeledPosition;
import io.elapse.model.train.TbpttTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The same two operations as {@link ElapseKernelBench}, timed by the thread's CPU time instead of
 * wall-clock time (warm-up, then 5 rounds, median). On a machine shared with other busy processes
 * this is closer to the cost on an idle core than JMH's wall-clock average.
 */
final class CpuTimeProbe {
  private CpuTimeProbe() {}

  /** Returns {forward µs, update µs}. */
  static double[] measure(TimeModulation mod, boolean quick) {
    ModelConfig cfg = BenchFixtures.config(mod);
    LstmModel model = LstmModel.of(cfg, LstmModel.initialParameters(cfg, 1));
    EventInput[] inputs = BenchFixtures.inputs(model, 4096, 2);
    EntityState[] es = BenchFixtures.entities(model, inputs);
    TbpttTrainer trainer = new TbpttTrainer(cfg);
    GradientAccumulator acc = new GradientAccumulator(model.layout());
    float[] y = new float[cfg.numTasks()];
    for (int k = 0; k < y.length; k++) {
      y[k] = k % 3 == 0 ? 1f : (k % 3 == 1 ? 0f : Float.NaN);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int steps = quick ? 50_000 : 200_000;
    int updates = quick ? 500 : 2_000;
    List<Double> fwd = new ArrayList<>();
    List<Double> upd = new ArrayList<>();
    long sink = 0;
    for (int round = 0; round < 8; round++) {
      long t0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < steps; i++) {
        sink += es[i & 255].step(model, inputs[i & 4095]).sequence();
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < updates; i++) {
        EntityState s = es[i & 255];
        trainer.accumulate(model, s, List.of(new LabeledPosition(s.eventCount() - 1, y, 1f)), acc);
        if (acc.count() == 64) {
          acc.reset();
        }
      }
      long t2 = mx.getCurrentThreadCpuTime();
      if (round >= 3) { // the first three rounds are warm-up
        fwd.add((t1 - t0) / 1e3 / steps);
        upd.add((t2 - t1) / 1e3 / updates);
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
    return new double[] {KernelBench.median(fwd), KernelBench.median(upd)};
  }
}
