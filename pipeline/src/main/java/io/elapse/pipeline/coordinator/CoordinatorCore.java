package io.elapse.pipeline.coordinator;

import io.elapse.avro.ModelUpdate;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.calibration.AdaptiveConformal;
import io.elapse.model.calibration.PlattScaler;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.io.ParameterCodec;
import io.elapse.model.optim.Optimizer;
import io.elapse.model.optim.OptimizerConfig;
import io.elapse.model.train.Gradient;
import io.elapse.model.train.GradientAccumulator;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.modelloop.ModelUpdates;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.records.ModelState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The coordinator's training state: accept gradient batches, take one optimizer step per version.
 * Plain Java, no Flink: parameters, optimizer, Platt calibration and adaptive conformal state, the
 * (epoch, step) version and counters; snapshot and restore as bytes. The math is {@code
 * io.elapse.model}'s.
 */
public final class CoordinatorCore {

  private static final int SNAPSHOT_VERSION = 3;

  private final JobSettings settings;
  private final ModelConfig config;
  private final ParameterLayout layout;
  private final float[] params;
  private final Optimizer optimizer;
  private final PlattScaler platt;
  private final AdaptiveConformal conformal;
  private long epoch;
  private long step;
  private long labelsApplied;
  private long batches;
  private double lossSinceLastUpdate;
  private long labelsSinceLastUpdate;
  private double lastGradNorm;
  private long stalenessSum;
  private long stalenessBatches;
  private long stalenessMax;
  private long freshestPendingStep = -1;
  private final GradientAccumulator pending;
  private long pendingLabels;
  private boolean unpublished;

  private CoordinatorCore(
      JobSettings settings,
      float[] params,
      Optimizer optimizer,
      PlattScaler platt,
      AdaptiveConformal conformal,
      long epoch,
      long step) {
    this.settings = settings;
    this.config = ModelConfigs.of(settings);
    this.layout = ParameterLayout.of(config);
    if (params.length != layout.size()) {
      throw new IllegalArgumentException(
          "expected " + layout.size() + " parameters for " + config + ", got " + params.length);
    }
    this.params = params;
    this.pending = new GradientAccumulator(layout);
    this.optimizer = optimizer;
    this.platt = platt;
    this.conformal = conformal;
    this.epoch = epoch;
    this.step = step;
  }

  /** A cold start: seeded parameters (the same the learners start from), epoch 1, step 0. */
  public static CoordinatorCore cold(JobSettings s) {
    ModelConfig c = ModelConfigs.of(s);
    return new CoordinatorCore(
        s,
        LstmModel.initialParameters(c, s.seed()),
        optimizerFor(s, ParameterLayout.of(c).size()),
        new PlattScaler(c.numTasks()),
        new AdaptiveConformal(c.numTasks(), s.conformalAlpha(), s.conformalGamma(), 2_000),
        1,
        0);
  }

  /** A warm start from a verified model update; conformal state restarts from its defaults. */
  public static CoordinatorCore fromUpdate(JobSettings s, ModelUpdate update) {
    ModelState state = ModelUpdates.toState(update, s);
    ModelConfig c = ModelConfigs.of(s);
    PlattScaler platt = new PlattScaler(c.numTasks());
    for (int t = 0; t < c.numTasks(); t++) {
      platt.setParameters(
          t,
          state.plattScale[t],
          state.plattBias[t],
          update.getCalibration().get(t).getObservations());
    }
    CoordinatorCore core =
        new CoordinatorCore(
            s,
            state.parameters,
            optimizerFor(s, ParameterLayout.of(c).size()),
            platt,
            new AdaptiveConformal(c.numTasks(), s.conformalAlpha(), s.conformalGamma(), 2_000),
            state.epoch,
            state.step);
    core.labelsApplied = update.getStats().getLabelsApplied();
    core.batches = update.getStats().getGradientBatches();
    return core;
  }

  /** Raises the epoch: called on every restore, so versions of a failed attempt become older. */
  public void newEpoch() {
    epoch++;
    stalenessSum = 0;
    stalenessBatches = 0;
    stalenessMax = 0;
    freshestPendingStep = -1;
    unpublished = true;
  }

  /**
   * Takes in one learner batch: its gradient joins the pending sum (applied by the next {@link
   * #applyPending()}), and each (logit, target) pair updates conformal state with the probability
   * calibrated before the pair is seen, and then Platt scaling.
   */
  public void accept(GradientBatch batch) {
    if (batch.labels > 0 && batch.epoch == epoch) {
      long staleness = step - batch.step;
      stalenessSum += staleness;
      stalenessBatches++;
      stalenessMax = Math.max(stalenessMax, staleness);
      freshestPendingStep = Math.max(freshestPendingStep, batch.step);
    }
    if (batch.labels > 0) {
      pending.add(Gradient.decode(batch.gradient));
      pendingLabels += batch.labels;
    }
    for (int i = 0; i < batch.pairTask.length; i++) {
      int task = batch.pairTask[i];
      double logit = batch.pairLogit[i];
      double target = batch.pairTarget[i];
      conformal.update(task, platt.probability(task, logit), target);
      platt.update(task, logit, target, 1.0);
    }
    labelsApplied += batch.labels;
    labelsSinceLastUpdate += batch.labels;
    lossSinceLastUpdate += batch.lossSum;
    batches++;
    unpublished = true;
  }

  /**
   * Mean and largest number of optimizer steps between the version a batch's gradient was computed
   * against and the coordinator's version when the batch arrived, over this epoch's batches: {mean,
   * max}.
   */
  public double[] gradientStaleness() {
    return new double[] {
      stalenessBatches == 0 ? 0 : (double) stalenessSum / stalenessBatches, stalenessMax
    };
  }

  /**
   * Whether a pending gradient was computed against a version at most {@code maxStaleness} steps
   * older than the current one (always true for a negative bound): the stale synchronous parallel
   * condition for the next step (Ho et al., "More Effective Distributed ML via a Stale Synchronous
   * Parallel Parameter Server", NIPS 2013).
   */
  public boolean hasFreshGradient(int maxStaleness) {
    return pendingLabels > 0 && (maxStaleness < 0 || freshestPendingStep >= step - maxStaleness);
  }

  /** Labels whose gradient waits for the next {@link #applyPending()}. */
  public long pendingLabels() {
    return pendingLabels;
  }

  /**
   * One optimizer step with the mean pending gradient, clipped to the global norm; the coordinator
   * takes exactly one step per published version, so learners compute their gradients against a
   * model at most a version or two old (many steps per version made gradients so stale that the
   * model stopped learning: see the pipeline README). Returns false when nothing is pending.
   */
  public boolean applyPending() {
    if (pendingLabels == 0) {
      return false;
    }
    Gradient mean = pending.sum().scaled(1f / pendingLabels);
    lastGradNorm = mean.norm();
    optimizer.step(params, mean.clipped(settings.gradClipNorm()).toDense(layout));
    pending.reset();
    pendingLabels = 0;
    freshestPendingStep = -1;
    step++;
    unpublished = true;
    return true;
  }

  /** Whether anything changed since the last {@link #toUpdate}. */
  public boolean hasUnpublishedChanges() {
    return unpublished;
  }

  /** A sealed full-snapshot model update of the current version. */
  public ModelUpdate toUpdate(long nowMillis) {
    ModelUpdate u =
        ModelUpdates.fullSnapshot(
            settings,
            epoch,
            step,
            nowMillis,
            params,
            platt,
            conformal,
            labelsApplied,
            batches,
            labelsSinceLastUpdate == 0 ? 0 : lossSinceLastUpdate / labelsSinceLastUpdate,
            lastGradNorm);
    lossSinceLastUpdate = 0;
    labelsSinceLastUpdate = 0;
    unpublished = false;
    return u;
  }

  /** Everything, as bytes: version, counters, parameters, optimizer, calibration, conformal. */
  public byte[] snapshot() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(SNAPSHOT_VERSION);
      out.writeLong(epoch);
      out.writeLong(step);
      out.writeLong(labelsApplied);
      out.writeLong(batches);
      writeBlock(out, ParameterCodec.encode(ModelUpdates.PARAMETER_FORMAT, params));
      writeBlock(out, optimizer.snapshot());
      writeBlock(out, platt.snapshot());
      writeBlock(out, conformal.snapshot());
      out.writeLong(pendingLabels);
      writeBlock(out, pending.sum().encode());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Restores a {@link #snapshot()} (the epoch is not raised here; see {@link #newEpoch()}). */
  public static CoordinatorCore restore(JobSettings s, byte[] snapshot) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
      int version = in.readInt();
      if (version != SNAPSHOT_VERSION) {
        throw new IllegalStateException(
            "coordinator snapshot version: expected " + SNAPSHOT_VERSION + ", got " + version);
      }
      long epoch = in.readLong();
      long step = in.readLong();
      long labels = in.readLong();
      long batches = in.readLong();
      float[] params = ParameterCodec.decode(readBlock(in)).params();
      Optimizer optimizer = optimizerFor(s, params.length);
      optimizer.restore(readBlock(in));
      PlattScaler platt = PlattScaler.fromSnapshot(readBlock(in));
      AdaptiveConformal conformal = AdaptiveConformal.fromSnapshot(readBlock(in));
      CoordinatorCore core =
          new CoordinatorCore(s, params, optimizer, platt, conformal, epoch, step);
      core.labelsApplied = labels;
      core.batches = batches;
      core.pendingLabels = in.readLong();
      Gradient pendingSum = Gradient.decode(readBlock(in));
      if (core.pendingLabels > 0) {
        core.pending.add(pendingSum);
      }
      return core;
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt coordinator snapshot", e);
    }
  }

  /** The job's optimizer, e.g. {@code adam} with its learning rate, for {@code size} parameters. */
  static Optimizer optimizerFor(JobSettings s, int size) {
    OptimizerConfig.Type type;
    try {
      type = OptimizerConfig.Type.valueOf(s.optimizer().trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "elapse.train.optimizer: expected adam or sgd, got '" + s.optimizer() + "'", e);
    }
    return OptimizerConfig.builder(type).learningRate(s.learningRate()).build().create(size);
  }

  private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
    out.writeInt(block.length);
    out.write(block);
  }

  private static byte[] readBlock(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }

  /** Current epoch. */
  public long epoch() {
    return epoch;
  }

  /** Current step. */
  public long step() {
    return step;
  }

  /** Labels applied since the model was created. */
  public long labelsApplied() {
    return labelsApplied;
  }

  /** The version as {@code epoch.step}. */
  public String versionString() {
    return epoch + "." + step;
  }

  /** A copy of the current parameters. */
  public float[] parameters() {
    return params.clone();
  }
}
