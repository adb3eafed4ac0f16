package io.elapse.pipeline.eval;

import io.elapse.avro.Label;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * The evaluator's join, keyed by entity, with per-entity maps by event id. Input 1: predictions as
 * {@link EvalPrediction}s (event time = their event time); input 2: labels (event time = their
 * label time). Each label joined with its prediction becomes one {@link JoinUpdate}; every label of
 * an event counts, in whichever order they arrive.
 *
 * <p>State is bounded: the first prediction of an event is kept until the watermark passes {@code
 * max(eventTime, watermark on arrival) + predictionRetention}; a label without its prediction waits
 * until {@code max(labelTime, watermark) + labelWait}, at most {@code maxPendingLabels} per event.
 * A label or prediction arriving after that sees it gone, exactly; the state itself is cleared by
 * one event-time timer per entity and {@value #GRANULES}th of the wait, so it leaves up to that
 * much later. A label that finds no prediction in time (or overflows) is counted unmatched, a
 * prediction that leaves without a label is counted unlabelled. Counter increments travel with the
 * next joined label, and are flushed on each watermark, before each checkpoint barrier and at the
 * end of input, so the reporter's counts are exact across restarts.
 *
 * <p>Until 2026-12-04 the join was keyed by (entity, event) with a timer per prediction: with the
 * heap backend, every checkpoint of the pipeline benchmark wrote two million such keys and timers
 * byte by byte, a large share of the job's CPU (BENCHMARKS.md).
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

  /** The state of an entity is cleared at most 1/GRANULES of a wait after it expires. */
  static final int GRANULES = 16;

  private final List<String> tasks;
  private final long predictionRetentionMillis;
  private final long labelWaitMillis;
  private final int maxPendingLabels;

  private transient Map<String, Integer> taskIndex;
  private transient MapState<String, HeldPrediction> held;
  private transient MapState<String, WaitingLabel[]> waiting;
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

  @Override
  public void open() throws Exception {
    super.open();
    taskIndex = taskIndex(tasks);
    held =
        getPartitionedState(
            new MapStateDescriptor<>(
                "evaluator-predictions-by-event",
                Types.STRING,
                TypeInformation.of(HeldPrediction.class)));
    waiting =
        getPartitionedState(
            new MapStateDescriptor<>(
                "evaluator-waiting-labels-by-event",
                Types.STRING,
                Types.OBJECT_ARRAY(TypeInformation.of(WaitingLabel.class))));
    timers = getInternalTimerService("evaluator-join", VoidNamespaceSerializer.INSTANCE, this);
    counts = new JoinUpdate();
    joined = getMetricGroup().counter("evaluatorJoinedLabels");
    unmatched = getMetricGroup().counter("evaluatorUnmatchedLabels");
  }

  @Override
  public void processElement1(StreamRecord<EvalPrediction> element) throws Exception {
    EvalPrediction p = element.getValue();
    counts.predictions++;
    if (heldPrediction(p.eventId) != null) {
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
    registerCleanup(h.expiresAt, predictionRetentionMillis);
    for (WaitingLabel w : waitingLabels(p.eventId)) {
      join(h, w.targets, w.labelTime);
    }
    waiting.remove(p.eventId);
    held.put(p.eventId, h);
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
    String eventId = l.getEventId();
    HeldPrediction h = heldPrediction(eventId);
    if (h != null) {
      join(h, targets, labelTime);
      held.put(eventId, h);
      return;
    }
    List<WaitingLabel> pending = waitingLabels(eventId);
    if (pending.size() >= maxPendingLabels) {
      counts.unmatchedLabels++;
      unmatched.inc();
      return;
    }
    WaitingLabel w = new WaitingLabel();
    w.targets = targets;
    w.labelTime = labelTime;
    w.expiresAt = Math.max(labelTime, timers.currentWatermark()) + labelWaitMillis;
    registerCleanup(w.expiresAt, labelWaitMillis);
    pending.add(w);
    waiting.put(eventId, pending.toArray(new WaitingLabel[0]));
  }

  /**
   * The event's held prediction, or null; one the watermark has expired is removed (and counted
   * unlabelled if no label joined it), as its timer would have done.
   */
  private HeldPrediction heldPrediction(String eventId) throws Exception {
    HeldPrediction h = held.get(eventId);
    if (h != null && h.expiresAt <= timers.currentWatermark()) {
      if (!h.labelled) {
        counts.unlabelledPredictions++;
      }
      held.remove(eventId);
      return null;
    }
    return h;
  }

  /**
   * The labels waiting for the event, as a new list; those the watermark has expired are removed
   * and counted unmatched, as their timer would have done.
   */
  private List<WaitingLabel> waitingLabels(String eventId) throws Exception {
    List<WaitingLabel> out = new ArrayList<>();
    WaitingLabel[] stored = waiting.get(eventId);
    if (stored == null) {
      return out;
    }
    long watermark = timers.currentWatermark();
    for (WaitingLabel w : stored) {
      if (w.expiresAt <= watermark) {
        counts.unmatchedLabels++;
        unmatched.inc();
      } else {
        out.add(w);
      }
    }
    if (out.size() < stored.length) {
      if (out.isEmpty()) {
        waiting.remove(eventId);
      } else {
        waiting.put(eventId, out.toArray(new WaitingLabel[0]));
      }
    }
    return out;
  }

  /** One timer per entity and granule: at {@code expiresAt} rounded up to wait / GRANULES. */
  private void registerCleanup(long expiresAt, long waitMillis) {
    long granule = Math.max(1, waitMillis / GRANULES);
    long at = Math.floorDiv(expiresAt, granule) * granule;
    if (at < expiresAt) {
      at = at > Long.MAX_VALUE - granule ? Long.MAX_VALUE : at + granule;
    }
    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
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
    long now = timers.currentWatermark(); // at least the timer's time
    for (Iterator<Map.Entry<String, HeldPrediction>> it = held.iterator(); it.hasNext(); ) {
      HeldPrediction h = it.next().getValue();
      if (h.expiresAt <= now) {
        if (!h.labelled) {
          counts.unlabelledPredictions++;
        }
        it.remove();
      }
    }
    if (held.isEmpty()) {
      held.clear(); // the iterator leaves an empty map behind
    }
    List<String> events = new ArrayList<>();
    for (String eventId : waiting.keys()) {
      events.add(eventId);
    }
    for (String eventId : events) {
      waitingLabels(eventId); // drops and counts the expired ones
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
