package io.elapse.pipeline.eval;

import io.elapse.avro.Label;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The evaluator's join, keyed by {@link #key(String, String) (entityId, eventId)}. Input 1:
 * predictions as {@link EvalPrediction}s (event time = their event time); input 2: labels (event
 * time = their label time). Each label joined with its prediction becomes one {@link JoinUpdate};
 * every label of an event counts, in whichever order they arrive.
 *
 * <p>State per key is bounded: the first prediction is kept until the watermark passes {@code
 * max(eventTime, watermark on arrival) + predictionRetention}; a label without its prediction waits
 * until {@code max(labelTime, watermark) + labelWait}, at most {@code maxPendingLabels} per key.
 * Event-time timers clear both; a label that finds no prediction in time (or overflows) is counted
 * unmatched, a prediction that leaves without a label is counted unlabelled. Counter increments
 * travel with the next joined label, and are flushed on each watermark, before each checkpoint
 * barrier and at the end of input, so the reporter's counts are exact across restarts.
 */
public final class EvaluationJoinOperator extends AbstractStreamOperator<JoinUpdate>
    implements TwoInputStreamOperator<EvalPrediction, Label, JoinUpdate>,
        Triggerable<String, VoidNamespace> {

  /** A prediction held for its labels. A Flink POJO. */
  public static class HeldPrediction {
    /** Per task probability (NaN when the prediction has no entry). */
    public double[] probabilities;

    /** Per task set ordinal, -1 when none. */
    public byte[] sets;

    /** The prediction's event time. */
    public long eventTime;

    /** Model epoch. */
    public long epoch;

    /** Model step. */
    public long step;

    /** When (event time) it is dropped. */
    public long expiresAt;

    /** Whether a label has joined it. */
    public boolean labelled;

    /** For Flink's POJO serializer. */
    public HeldPrediction() {}
  }

  /** A label waiting for its prediction. A Flink POJO. */
  public static class WaitingLabel {
    /** Per task target, NaN when missing. */
    public double[] targets;

    /** The label time. */
    public long labelTime;

    /** When (event time) it gives up. */
    public long expiresAt;

    /** For Flink's POJO serializer. */
    public WaitingLabel() {}
  }

  private final List<String> tasks;
  private final long predictionRetentionMillis;
  private final long labelWaitMillis;
  private final int maxPendingLabels;

  private transient Map<String, Integer> taskIndex;
  private transient ValueState<HeldPrediction> held;
  private transient ListState<WaitingLabel> waiting;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient JoinUpdate counts;
  private transient Counter joined;
  private transient Counter unmatched;

  /** A join for {@code tasks} (the evaluator's task order) with the settings' bounds. */
  public EvaluationJoinOperator(List<String> tasks, EvaluationSettings settings) {
    this.tasks = List.copyOf(tasks);
    this.predictionRetentionMillis = settings.predictionRetentionMillis();
    this.labelWaitMillis = settings.labelWaitMillis();
    this.maxPendingLabels = settings.maxPendingLabels();
  }

  /** The evaluator's task index (task name to position), shared with {@link EvalPrediction#of}. */
  public static Map<String, Integer> taskIndex(List<String> tasks) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      index.put(tasks.get(i), i);
    }
    return index;
  }

  /** The join key of an (entity, event) pair. */
  public static String key(String entityId, String eventId) {
    return entityId + '\u0000' + eventId;
  }

  @Override
  public void open() throws Exception {
    super.open();
    taskIndex = taskIndex(tasks);
    held =
        getPartitionedState(
            new ValueStateDescriptor<>(
                "evaluator-prediction", TypeInformation.of(HeldPrediction.class)));
    waiting =
        getPartitionedState(
            new ListStateDescriptor<>(
                "evaluator-waiting-labels", TypeInformation.of(WaitingLabel.class)));
    timers = getInternalTimerService("evaluator-join", VoidNamespaceSerializer.INSTANCE, this);
    counts = new JoinUpdate();
    joined = getMetricGroup().counter("evaluatorJoinedLabels");
    unmatched = getMetricGroup().counter("evaluatorUnmatchedLabels");
  }

  @Override
  public void processElement1(StreamRecord<EvalPrediction> element) throws Exception {
    EvalPrediction p = element.getValue();
    counts.predictions++;
    if (held.value() != null) {
      counts.duplicatePredictions++;
      return;
    }
    if (p.probabilities.length != tasks.size()) {
      throw new IllegalStateException(
          "expected predictions over " + tasks.size() + " tasks, got " + p.probabilities.length);
    }
    counts.unknownTasks += p.unknownTasks;
    HeldPrediction h = new HeldPrediction();
    h.probabilities = p.probabilities;
    h.sets = p.sets;
    h.eventTime = p.eventTime;
    h.epoch = p.epoch;
    h.step = p.step;
    h.expiresAt = Math.max(h.eventTime, timers.currentWatermark()) + predictionRetentionMillis;
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, h.expiresAt);
    for (WaitingLabel w : waitingLabels()) {
      timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, w.expiresAt);
      join(h, w.targets, w.labelTime);
    }
    waiting.clear();
    held.update(h);
  }

  @Override
  public void processElement2(StreamRecord<Label> element) throws Exception {
    Label l = element.getValue();
    counts.labels++;
    double[] targets = new double[tasks.size()];
    Arrays.fill(targets, Double.NaN);
    for (Map.Entry<String, Double> e : l.getTargets().entrySet()) {
      Integer i = taskIndex.get(e.getKey());
      if (i == null) {
        counts.unknownTasks++;
      } else {
        targets[i] = e.getValue();
      }
    }
    long labelTime = l.getLabelTime().toEpochMilli();
    HeldPrediction h = held.value();
    if (h != null) {
      join(h, targets, labelTime);
      held.update(h);
      return;
    }
    if (waitingLabels().size() >= maxPendingLabels) {
      counts.unmatchedLabels++;
      unmatched.inc();
      return;
    }
    WaitingLabel w = new WaitingLabel();
    w.targets = targets;
    w.labelTime = labelTime;
    w.expiresAt = Math.max(labelTime, timers.currentWatermark()) + labelWaitMillis;
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, w.expiresAt);
    waiting.add(w);
  }

  /** The labels waiting at the current key (the list state's get() is null when empty). */
  private List<WaitingLabel> waitingLabels() throws Exception {
    List<WaitingLabel> out = new ArrayList<>();
    Iterable<WaitingLabel> stored = waiting.get();
    if (stored != null) {
      stored.forEach(out::add);
    }
    return out;
  }

  private void join(HeldPrediction h, double[] targets, long labelTime) {
    JoinUpdate u = takeCounts();
    u.probabilities = h.probabilities;
    u.sets = h.sets;
    double[] evaluable = targets.clone();
    for (int t = 0; t < evaluable.length; t++) {
      if (!Double.isNaN(evaluable[t]) && Double.isNaN(h.probabilities[t])) {
        // The label has a target for a task this prediction did not predict.
        evaluable[t] = Double.NaN;
        u.unknownTasks++;
      }
    }
    u.targets = evaluable;
    u.labelDelayMillis = labelTime - h.eventTime;
    u.modelEpoch = h.epoch;
    u.modelStep = h.step;
    h.labelled = true;
    joined.inc();
    output.collect(new StreamRecord<>(u));
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long now = timer.getTimestamp();
    HeldPrediction h = held.value();
    if (h != null && h.expiresAt <= now) {
      if (!h.labelled) {
        counts.unlabelledPredictions++;
      }
      held.clear();
    }
    List<WaitingLabel> keep = new ArrayList<>();
    int expired = 0;
    for (WaitingLabel w : waitingLabels()) {
      if (w.expiresAt <= now) {
        expired++;
      } else {
        keep.add(w);
      }
    }
    if (expired > 0) {
      counts.unmatchedLabels += expired;
      unmatched.inc(expired);
      if (keep.isEmpty()) {
        waiting.clear();
      } else {
        waiting.update(keep);
      }
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    super.processWatermark(mark);
    flushCounts();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flushCounts();
  }

  @Override
  public void finish() throws Exception {
    flushCounts();
    super.finish();
  }

  private void flushCounts() {
    if (counts.hasCounts()) {
      output.collect(new StreamRecord<>(takeCounts()));
    }
  }

  private JoinUpdate takeCounts() {
    JoinUpdate u = counts;
    counts = new JoinUpdate();
    return u;
  }
}
