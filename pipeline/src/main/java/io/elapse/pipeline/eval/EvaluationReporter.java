package io.elapse.pipeline.eval;

import io.elapse.avro.Evaluation;
import io.elapse.avro.EvaluationCounts;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.TaskEvaluation;
import io.elapse.model.calibration.PredictionSet;
import io.elapse.model.metrics.LabelDelays;
import io.elapse.model.metrics.MetricsReport;
import io.elapse.model.metrics.PrequentialMetrics;
import io.elapse.model.metrics.TaskMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The evaluator's single (parallelism 1) reporter: feeds every joined label to {@link
 * PrequentialMetrics} and {@link LabelDelays}, adds up the join's counters, and every {@code
 * interval} of wall-clock time (and at the end of input) emits an {@link Evaluation} report and
 * updates its Flink gauges ({@code evaluation.*}, per task under {@code evaluation.task.<name>}).
 * Its whole state is checkpointed, so a restored reporter continues exactly.
 */
public final class EvaluationReporter extends AbstractStreamOperator<Evaluation>
    implements OneInputStreamOperator<JoinUpdate, Evaluation> {

  private static final int MAGIC = 0x45564c31; // "EVL1"
  private static final PredictionSet[] SETS = PredictionSet.values();

  private final List<String> tasks;
  private final EvaluationSettings settings;
  private final String name;

  private transient ListState<byte[]> store;
  private transient PrequentialMetrics metrics;
  private transient LabelDelays delays;
  private transient long[]
      counts; // predictions, duplicates, labels, joined, unmatched, unlabelled, unknown
  private transient long sequence;
  private transient ModelVersion latestVersion;
  private transient long watermark;
  private transient volatile Evaluation latest;

  /** A reporter named {@code name} for {@code tasks}. */
  public EvaluationReporter(String name, List<String> tasks, EvaluationSettings settings) {
    this.name = name;
    this.tasks = List.copyOf(tasks);
    this.settings = settings;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    store =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>(
                    "evaluation-reporter", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    metrics =
        PrequentialMetrics.cumulative(tasks.size(), settings.k(), settings.aucCapacity(), 42L);
    delays = new LabelDelays(tasks.size());
    counts = new long[7];
    watermark = Long.MIN_VALUE;
    for (byte[] saved : store.get()) {
      restore(saved);
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    store.update(List.of(save()));
  }

  @Override
  public void open() throws Exception {
    super.open();
    registerGauges(getMetricGroup().addGroup("evaluation"));
    scheduleReport();
  }

  private void scheduleReport() {
    long at = getProcessingTimeService().getCurrentProcessingTime() + settings.intervalMillis();
    getProcessingTimeService()
        .registerTimer(
            at,
            t -> {
              emitReport();
              scheduleReport();
            });
  }

  @Override
  public void processElement(StreamRecord<JoinUpdate> element) {
    JoinUpdate u = element.getValue();
    counts[0] += u.predictions;
    counts[1] += u.duplicatePredictions;
    counts[2] += u.labels;
    counts[4] += u.unmatchedLabels;
    counts[5] += u.unlabelledPredictions;
    counts[6] += u.unknownTasks;
    if (!u.isJoin()) {
      return;
    }
    counts[3]++;
    PredictionSet[] sets = new PredictionSet[tasks.size()];
    for (int t = 0; t < sets.length; t++) {
      sets[t] = u.sets[t] < 0 ? null : SETS[u.sets[t]];
    }
    metrics.addExample(u.probabilities, u.targets, sets);
    delays.add(u.labelDelayMillis, u.targets);
    if (latestVersion == null
        || u.modelEpoch > latestVersion.getEpoch()
        || (u.modelEpoch == latestVersion.getEpoch() && u.modelStep > latestVersion.getStep())) {
      latestVersion = new ModelVersion(u.modelEpoch, u.modelStep);
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    watermark = Math.max(watermark, mark.getTimestamp());
    super.processWatermark(mark);
  }

  @Override
  public void finish() throws Exception {
    emitReport();
    super.finish();
  }

  /** Builds the report of everything so far, emits it and makes it the gauges' values. */
  private void emitReport() {
    Evaluation report = report();
    sequence++;
    latest = report;
    output.collect(new StreamRecord<>(report));
  }

  private Evaluation report() {
    MetricsReport r = metrics.report();
    List<TaskEvaluation> rows = new ArrayList<>(tasks.size());
    for (int t = 0; t < tasks.size(); t++) {
      rows.add(row(tasks.get(t), r.task(t), delays.mean(t), delays.max(t)));
    }
    long wm = watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE ? 0L : watermark;
    return Evaluation.newBuilder()
        .setEvaluator(name)
        .setSequence(sequence)
        .setReportTime(Instant.ofEpochMilli(getProcessingTimeService().getCurrentProcessingTime()))
        .setWatermark(Instant.ofEpochMilli(Math.max(0L, wm)))
        .setCounts(
            new EvaluationCounts(
                counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6]))
        .setK(r.k())
        .setExamples(r.examples())
        .setPrecisionAtK(r.precisionAtK())
        .setRecallAtK(r.recallAtK())
        .setMacroAuc(r.macroAuc())
        .setOverall(row("*", r.overall(), delays.meanOverall(), delays.maxOverall()))
        .setTasks(rows)
        .setLatestModelVersion(latestVersion)
        .build();
  }

  private static TaskEvaluation row(String task, TaskMetrics m, double meanDelay, long maxDelay) {
    return TaskEvaluation.newBuilder()
        .setTask(task)
        .setCount(m.count())
        .setLogLoss(m.logLoss())
        .setAuc(m.auc())
        .setAucExact(m.aucExact())
        .setEce(m.ece())
        .setBrier(m.brier())
        .setAccuracy(m.accuracy())
        .setPositiveRate(m.positiveRate())
        .setMeanProbability(m.meanProbability())
        .setSetCount(m.setCount())
        .setSetCoverage(m.setCoverage())
        .setAverageSetSize(m.averageSetSize())
        .setMeanLabelDelayMillis(meanDelay)
        .setMaxLabelDelayMillis(maxDelay)
        .build();
  }

  // ---------------------------------------------------------------- gauges

  private void registerGauges(MetricGroup group) {
    rowGauges(group, e -> e.getOverall());
    group.gauge("precisionAtK", gauge(e -> e.getPrecisionAtK()));
    group.gauge("recallAtK", gauge(e -> e.getRecallAtK()));
    group.gauge("macroAuc", gauge(e -> e.getMacroAuc()));
    group.gauge("predictions", gauge(e -> e.getCounts().getPredictions()));
    group.gauge("labels", gauge(e -> e.getCounts().getLabels()));
    group.gauge("joinedLabels", gauge(e -> e.getCounts().getJoinedLabels()));
    group.gauge("unmatchedLabels", gauge(e -> e.getCounts().getUnmatchedLabels()));
    group.gauge("unlabelledPredictions", gauge(e -> e.getCounts().getUnlabelledPredictions()));
    group.gauge("duplicatePredictions", gauge(e -> e.getCounts().getDuplicatePredictions()));
    group.gauge("unknownTasks", gauge(e -> e.getCounts().getUnknownTasks()));
    for (int t = 0; t < tasks.size(); t++) {
      int task = t;
      rowGauges(group.addGroup("task", tasks.get(t)), e -> e.getTasks().get(task));
    }
  }

  private void rowGauges(
      MetricGroup group, java.util.function.Function<Evaluation, TaskEvaluation> row) {
    group.gauge("count", gauge(e -> row.apply(e).getCount()));
    group.gauge("logLoss", gauge(e -> row.apply(e).getLogLoss()));
    group.gauge("auc", gauge(e -> row.apply(e).getAuc()));
    group.gauge("ece", gauge(e -> row.apply(e).getEce()));
    group.gauge("brier", gauge(e -> row.apply(e).getBrier()));
    group.gauge("accuracy", gauge(e -> row.apply(e).getAccuracy()));
    group.gauge("positiveRate", gauge(e -> row.apply(e).getPositiveRate()));
    group.gauge("setCoverage", gauge(e -> row.apply(e).getSetCoverage()));
    group.gauge("averageSetSize", gauge(e -> row.apply(e).getAverageSetSize()));
    group.gauge("meanLabelDelayMillis", gauge(e -> row.apply(e).getMeanLabelDelayMillis()));
  }

  private Gauge<Double> gauge(ToDoubleFunction<Evaluation> value) {
    return () -> {
      Evaluation e = latest;
      return e == null ? Double.NaN : value.applyAsDouble(e);
    };
  }

  // ---------------------------------------------------------------- state

  private byte[] save() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeLong(sequence);
      out.writeLong(watermark);
      for (long c : counts) {
        out.writeLong(c);
      }
      out.writeBoolean(latestVersion != null);
      if (latestVersion != null) {
        out.writeLong(latestVersion.getEpoch());
        out.writeLong(latestVersion.getStep());
      }
      byte[] m = metrics.snapshot();
      out.writeInt(m.length);
      out.write(m);
      byte[] d = delays.snapshot();
      out.writeInt(d.length);
      out.write(d);
    }
    return bytes.toByteArray();
  }

  private void restore(byte[] saved) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(saved))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalStateException(
            String.format(
                "evaluation reporter state: expected magic %08x, got %08x", MAGIC, magic));
      }
      sequence = in.readLong();
      watermark = in.readLong();
      for (int i = 0; i < counts.length; i++) {
        counts[i] = in.readLong();
      }
      latestVersion = in.readBoolean() ? new ModelVersion(in.readLong(), in.readLong()) : null;
      byte[] m = new byte[in.readInt()];
      in.readFully(m);
      byte[] d = new byte[in.readInt()];
      in.readFully(d);
      PrequentialMetrics restoredMetrics = PrequentialMetrics.fromSnapshot(m);
      if (restoredMetrics.tasks() != tasks.size()) {
        throw new IllegalStateException(
            "evaluation reporter state: expected "
                + tasks.size()
                + " tasks "
                + tasks
                + ", got a checkpoint with "
                + restoredMetrics.tasks());
      }
      metrics = restoredMetrics;
      delays = LabelDelays.fromSnapshot(d);
    }
  }
}
