package io.elapse.model;

import io.elapse.model.ParameterLayout.Group;
import io.elapse.model.config.LossConfig;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import java.util.List;

/**
 * An independent, straightforward double-precision implementation of the TBPTT loss, written from
 * the equations (not from the kernels), used as the finite-difference oracle.
 */
public final class ReferenceModel {
  private ReferenceModel() {}

  /** One event as the reference sees it. */
  public record Event(int bucket, double[] features, double phi) {}

  /** One label as the reference sees it (position in the window). */
  public record Label(int position, float[] targets, double sampleWeight) {}

  /** The window of an entity state, in reference form. */
  public static List<Event> events(EntityState s) {
    java.util.ArrayList<Event> out = new java.util.ArrayList<>();
    for (int p = 0; p < s.windowLength(); p++) {
      EventInput e = s.eventAtPosition(p);
      double[] f = new double[e.numFeatures()];
      for (int j = 0; j < f.length; j++) {
        f[j] = e.feature(j);
      }
      out.add(new Event(e.bucket(), f, e.phi()));
    }
    return out;
  }

  /** The total loss as defined by TbpttTrainer's javadoc. */
  public static double loss(
      ModelConfig cfg,
      double[] p,
      double[] h0,
      double[] c0,
      List<Event> events,
      List<Label> labels) {
    ParameterLayout lay = ParameterLayout.of(cfg);
    int hs = cfg.hiddenSize();
    int in = cfg.inputSize();
    int e = cfg.embeddingDim();
    int k = cfg.numTasks();
    int g4 = 4 * hs;
    TimeModulation mod = cfg.modulation();
    LossConfig lc = cfg.loss();
    double[] h = h0.clone();
    double[] c = c0.clone();
    double total = 0;
    boolean anyPresent = false;
    int last = labels.stream().mapToInt(Label::position).max().orElse(-1);
    for (int t = 0; t <= last; t++) {
      Event ev = events.get(t);
      double[] x = new double[in];
      for (int j = 0; j < e; j++) {
        x[j] = p[lay.offset(Group.EMBEDDING) + ev.bucket() * e + j];
      }
      for (int j = 0; j < ev.features().length; j++) {
        x[e + j] = ev.features()[j];
      }
      x[in - 1] = ev.phi();
      double[] z = new double[g4];
      for (int col = 0; col < g4; col++) {
        double s = p[lay.offset(Group.B) + col];
        for (int j = 0; j < in; j++) {
          s += x[j] * p[lay.offset(Group.W_X) + j * g4 + col];
        }
        for (int j = 0; j < hs; j++) {
          s += h[j] * p[lay.offset(Group.W_H) + j * g4 + col];
        }
        z[col] = s;
      }
      double[] nh = new double[hs];
      double[] nc = new double[hs];
      for (int n = 0; n < hs; n++) {
        double g = Math.tanh(z[n]);
        double f = sig(z[hs + n]);
        double o = sig(z[2 * hs + n]);
        double i = sig(z[3 * hs + n]);
        double tg = 1;
        if (mod == TimeModulation.DECAY) {
          double lam = p[lay.offset(Group.DECAY_LAMBDA) + n];
          f *= Math.exp(-Math.log1p(Math.exp(lam)) * ev.phi());
        } else if (mod == TimeModulation.TIME_GATE) {
          double s = p[lay.offset(Group.TIME_B) + n];
          for (int j = 0; j < in; j++) {
            s += x[j] * p[lay.offset(Group.TIME_W) + j * hs + n];
          }
          s += sig(p[lay.offset(Group.TIME_WTT) + n] * ev.phi());
          tg = sig(s);
        }
        nc[n] = f * c[n] + i * tg * g;
        nh[n] = o * Math.tanh(nc[n]);
      }
      h = nh;
      c = nc;
      for (Label l : labels) {
        if (l.position() != t) {
          continue;
        }
        int present = 0;
        double sum = 0;
        for (int q = 0; q < k; q++) {
          float y = l.targets()[q];
          if (Float.isNaN(y)) {
            continue;
          }
          present++;
          double zq = p[lay.offset(Group.HEAD_B) + q];
          for (int j = 0; j < hs; j++) {
            zq += h[j] * p[lay.offset(Group.HEAD_W) + j * k + q];
          }
          double logP = -Math.log1p(Math.exp(-zq));
          double log1mP = -Math.log1p(Math.exp(zq));
          sum +=
              lc.taskWeightAt(q)
                  * l.sampleWeight()
                  * -(lc.posWeightAt(q) * y * logP + (1 - y) * log1mP);
        }
        if (present > 0) {
          anyPresent = true;
          total += sum / present;
          double sq = 0;
          for (double v : h) {
            sq += v * v;
          }
          total += lc.l2Activity() * sq;
        }
      }
    }
    if (anyPresent && lc.l2Weights() > 0) {
      for (Group g : new Group[] {Group.W_X, Group.W_H, Group.TIME_W, Group.HEAD_W}) {
        if (!lay.has(g)) {
          continue;
        }
        for (int q = lay.offset(g); q < lay.offset(g) + lay.length(g); q++) {
          total += lc.l2Weights() * p[q] * p[q];
        }
      }
    }
    return total;
  }

  static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  /** float[] to double[]. */
  public static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }
}
