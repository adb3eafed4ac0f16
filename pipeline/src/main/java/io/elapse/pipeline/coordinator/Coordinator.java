package io.elapse.pipeline.coordinator;

import io.elapse.avro.ModelUpdate;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.records.GradientBatch;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator as a Flink function (parallelism 1, one constant key). All training state lives
 * in a {@link CoordinatorCore}; this function checkpoints it as operator state, raises the epoch on
 * every restore, and at most once per publish interval takes one optimizer step with everything
 * that arrived and publishes the new version. A step waits until a gradient computed against a
 * recent enough version has arrived ({@code elapse.coordinator.max-staleness}), at most {@code
 * elapse.coordinator.staleness-wait}.
 */
public final class Coordinator extends KeyedProcessFunction<Integer, GradientBatch, ModelUpdate>
    implements CheckpointedFunction {

  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final JobSettings settings;
  private final ModelWarmStart warmStart;

  private transient CoordinatorCore core;
  private transient ListState<byte[]> store;
  private transient long lastPublished;
  private transient boolean timerPending;
  private transient long waitingSince = -1;
  private transient String lastPublishedVersion;
  private transient Counter published;

  /** Creates the coordinator. */
  public Coordinator(JobSettings settings, ModelWarmStart warmStart) {
    this.settings = settings;
    this.warmStart = warmStart == null ? ModelWarmStart.none() : warmStart;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    store =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "coordinator", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    if (context.isRestored()) {
      List<byte[]> blobs = new java.util.ArrayList<>();
      store.get().forEach(blobs::add);
      if (blobs.size() != 1) {
        throw new IllegalStateException(
            "expected 1 coordinator snapshot in the checkpoint, got " + blobs.size());
      }
      core = CoordinatorCore.restore(settings, blobs.get(0));
      core.newEpoch();
      LOG.info("coordinator restored from checkpoint; now at version {}", core.versionString());
      return;
    }
    Optional<ModelUpdate> warm = warmStart.latest();
    if (warm.isPresent()) {
      core = CoordinatorCore.fromUpdate(settings, warm.get());
      core.newEpoch();
      LOG.info("coordinator warm-started; now at version {}", core.versionString());
    } else {
      core = CoordinatorCore.cold(settings);
      LOG.info("coordinator cold start at version {}", core.versionString());
    }
  }

  @Override
  public void open(OpenContext openContext) {
    published = getRuntimeContext().getMetricGroup().counter("modelVersionsPublished");
    getRuntimeContext().getMetricGroup().gauge("modelStep", () -> core.step());
    getRuntimeContext().getMetricGroup().gauge("modelEpoch", () -> core.epoch());
    getRuntimeContext().getMetricGroup().gauge("labelsApplied", () -> core.labelsApplied());
    getRuntimeContext()
        .getMetricGroup()
        .gauge("gradientStalenessMeanSteps", () -> core.gradientStaleness()[0]);
    getRuntimeContext()
        .getMetricGroup()
        .gauge("gradientStalenessMaxSteps", () -> core.gradientStaleness()[1]);
  }

  @Override
  public void processElement(GradientBatch batch, Context ctx, Collector<ModelUpdate> out) {
    core.accept(batch);
    if (!timerPending) {
      long now = ctx.timerService().currentProcessingTime();
      ctx.timerService()
          .registerProcessingTimeTimer(
              Math.max(now, lastPublished + settings.publishIntervalMillis()));
      timerPending = true;
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) {
    timerPending = false;
    long now = ctx.timerService().currentProcessingTime();
    boolean stepped = false;
    if (core.pendingLabels() > 0) {
      boolean waitedEnough =
          waitingSince >= 0 && now - waitingSince >= settings.stalenessWaitMillis();
      if (core.hasFreshGradient(settings.maxStaleness()) || waitedEnough) {
        stepped = core.applyPending();
        waitingSince = -1;
      } else {
        if (waitingSince < 0) {
          waitingSince = now;
        }
        // Look again after one interval: fresh gradients may arrive meanwhile.
        ctx.timerService().registerProcessingTimeTimer(now + settings.publishIntervalMillis());
        timerPending = true;
      }
    }
    // A version is published once: after a step, or when a new epoch has not been published yet.
    if (stepped || !core.versionString().equals(lastPublishedVersion)) {
      publish(now, out);
    }
  }

  private void publish(long now, Collector<ModelUpdate> out) {
    out.collect(core.toUpdate(now));
    published.inc();
    lastPublished = now;
    lastPublishedVersion = core.versionString();
    if (core.step() % 50 == 0) {
      double[] staleness = core.gradientStaleness();
      LOG.info(
          "version {}: {} labels applied; gradients {} steps old on average (max {})",
          core.versionString(),
          core.labelsApplied(),
          String.format(java.util.Locale.ROOT, "%.1f", staleness[0]),
          (long) staleness[1]);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    store.update(List.of(core.snapshot()));
  }
}
