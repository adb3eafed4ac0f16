package io.elapse.pipeline.learner;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.ReasonCodes;
import io.elapse.model.EntityState;
import io.elapse.model.EventInput;
import io.elapse.model.InvalidInputException;
import io.elapse.model.StepResult;
import io.elapse.model.cell.Kernels;
import io.elapse.model.train.WarmUp;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.records.EntityInput;
import io.elapse.pipeline.records.GradientBatch;
import io.elapse.pipeline.records.ModelState;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * The keyed learner. Input 1: events, elapsed times and labels keyed by entity. Input 2: verified
 * model versions, broadcast to every subtask; only newer (epoch, step) versions are applied.
 *
 * <p>Per entity it keeps two keyed states: the events waiting for the watermark (a list, so that an
 * arriving event is an append), and one {@link EntityRecord} with the rest: the model's {@link
 * EntityState} (h, c, the window ring and the state at its start), an {@link EntityBook} of event
 * ids, elapsed times waiting for their event, and labels waiting for their event. (Until 2026-12-04
 * these were five states; on the heap backend each state lookup cost ~1 µs per event in the
 * pipeline benchmark, see BENCHMARKS.md.) Events are processed in event-time order when the
 * watermark passes {@code eventTime + joinWait}; an event at or behind the watermark on arrival is
 * a dead letter {@code late}. An event never waits more than {@code maxEventWait} of wall-clock
 * time: then it is processed anyway, after the entity's buffered events before it in event time (so
 * a pause or a lagging partition cannot hold predictions back forever). Each event yields one
 * {@link Prediction}. Each label inside the window yields a masked gradient, accumulated per
 * subtask and sent as a {@link GradientBatch} after {@code batchLabels} labels, after {@code
 * batchMaxWait}, before every checkpoint barrier and at the end of input, so no applied label is
 * lost across a checkpoint.
 *
 * <p>The model input's watermark is ignored: model updates carry no event time and must not hold
 * event time back.
 */
public final class LearnerOperator extends AbstractStreamOperator<Prediction>
    implements TwoInputStreamOperator<EntityInput, ModelState, Prediction>,
        Triggerable<String, VoidNamespace> {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(LearnerOperator.class);

  /** Side output of dead letters from this stage. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("learner-dead-letters", new AvroRecordTypeInfo<>(DeadLetter.class)) {};

  /** Side output of gradient batches for the coordinator. */
  public static final OutputTag<GradientBatch> GRADIENTS =
      new OutputTag<>("gradients", TypeInformation.of(GradientBatch.class)) {};

  private static final String STAGE = "learner";

  private final JobSettings settings;
  private final boolean elapsedTopic;

  private transient Scorer scorer;
  private transient ListState<ModelState> modelStore;
  private transient ValueState<EntityRecord> records;
  private transient ListState<EntityInput> bufferedEvents;
  private transient InternalTimerService<VoidNamespace> timers;

  /** Granules of the entity TTL's expiry checks (see {@link #expiryCheck}). */
  static final int TTL_GRANULES = 16;

  private transient GradientBuffer gradients;

  /**
   * One entry per buffered event, in arrival order (so the deadlines are ascending): the wall-clock
   * time by which the event must be processed whatever the watermark. Checked every {@value
   * #WAIT_TICK_MILLIS} ms. Not checkpointed: after a restore it is rebuilt from the keys that have
   * buffered events. (Until 2026-12-04 this was a keyed processing-time timer per event; its
   * registration and firing cost ~7 % of the learner thread in the pipeline benchmark.)
   */
  private transient ArrayDeque<WaitDeadline> waitDeadlines;

  /** How often {@link #waitDeadlines} is checked; deadlines are rounded up to it. */
  static final long WAIT_TICK_MILLIS = 100;

  /**
   * The entity's buffered events due (in event time) at or before {@code due} must be processed by
   * {@code at} (wall clock). {@code due} is that of the event the entry was made for, so that a
   * later event of the entity is not taken early with it; after a restore it is {@code
   * Long.MAX_VALUE} (every buffered event).
   */
  private record WaitDeadline(long at, String entity, long due) {}

  private transient Meter eventsPerSecond;
  private transient Meter predictionsPerSecond;
  private transient Counter labelsApplied;
  private transient Counter elapsedFallbacks;
  private transient Counter eventsAfterMaxWait;
  private transient Counter gradientBatches;
  private transient Histogram batchSizes;
  private transient DeadLetterCounters deadLetters;

  /** Creates the learner; {@code elapsedTopic} says whether an elapsed-time stream is joined. */
  public LearnerOperator(JobSettings settings, boolean elapsedTopic) {
    this.settings = settings;
    this.elapsedTopic = elapsedTopic;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    modelStore =
        context
            .getOperatorStateStore()
            .getUnionListState(
                new ListStateDescriptor<>("learner-model", TypeInformation.of(ModelState.class)));
    ModelState restored = null;
    for (ModelState m : all(modelStore)) {
      if (restored == null || m.isNewerThan(restored.epoch, restored.step)) {
        restored = m;
      }
    }
    scorer = new Scorer(settings, restored);
  }

  @Override
  public void open() throws Exception {
    super.open();
    LOG.info(
        "Elapse learner subtask {}: cell loops: {}",
        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
        Kernels.description());
    records =
        getPartitionedState(
            new ValueStateDescriptor<>("entity-record", EntityRecordSerializer.INSTANCE));
    bufferedEvents =
        getPartitionedState(
            new ListStateDescriptor<>("buffered-events", TypeInformation.of(EntityInput.class)));
    timers = getInternalTimerService("learner", VoidNamespaceSerializer.INSTANCE, this);
    gradients =
        new GradientBuffer(scorer, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
    if (settings.warmUpMillis() > 0) {
      WarmUp.once(scorer.model(), settings.warmUpMillis() * 1_000_000L)
          .ifPresent(
              w ->
                  LOG.info(
                      "Elapse learner subtask {}: warmed up the kernels with {} steps and {}"
                          + " updates in {} ms",
                      getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                      w.steps(),
                      w.updates(),
                      w.nanos() / 1_000_000));
    }

    var metrics = getMetricGroup();
    eventsPerSecond =
        metrics.meter("eventsPerSecond", new MeterView(metrics.counter("events"), 10));
    predictionsPerSecond =
        metrics.meter("predictionsPerSecond", new MeterView(metrics.counter("predictions"), 10));
    labelsApplied = metrics.counter("labelsApplied");
    elapsedFallbacks = metrics.counter("elapsedFallbacks");
    // Events processed because they waited max-event-wait, not because the watermark passed
    // them: a steady share means a lagging source partition or a stalled watermark.
    eventsAfterMaxWait = metrics.counter("eventsAfterMaxWait");
    gradientBatches = metrics.counter("gradientBatches");
    batchSizes = metrics.histogram("gradientBatchSize", new DescriptiveStatisticsHistogram(1000));
    metrics.gauge("modelEpoch", () -> scorer.epoch());
    metrics.gauge("modelStep", () -> scorer.step());
    metrics.gauge("modelStalenessMillis", () -> scorer.stalenessMillis());
    deadLetters = new DeadLetterCounters(metrics.addGroup("deadLetters"));
    scheduleFlush();
    waitDeadlines = new ArrayDeque<>();
    long restoredDeadline = waitDeadline();
    try (Stream<Object> keys =
        getKeyedStateBackend().getKeys("buffered-events", VoidNamespace.INSTANCE)) {
      keys.forEach(
          k -> waitDeadlines.add(new WaitDeadline(restoredDeadline, (String) k, Long.MAX_VALUE)));
    }
    scheduleWaitCheck();
  }

  /** The deadline of an event arriving now: max-event-wait, rounded up to the check interval. */
  private long waitDeadline() {
    long at = getProcessingTimeService().getCurrentProcessingTime() + settings.maxEventWaitMillis();
    return (at / WAIT_TICK_MILLIS + 1) * WAIT_TICK_MILLIS;
  }

  private void scheduleWaitCheck() {
    long now = getProcessingTimeService().getCurrentProcessingTime();
    getProcessingTimeService()
        .registerTimer(
            (now / WAIT_TICK_MILLIS + 1) * WAIT_TICK_MILLIS,
            t -> {
              processOverdueEvents(getProcessingTimeService().getCurrentProcessingTime());
              scheduleWaitCheck();
            });
  }

  /**
   * These events waited max-event-wait for the watermark: process each, with whatever its entity
   * has buffered before it in event time, in event-time order. (An event the watermark passed
   * meanwhile has nothing to do. Until 2026-12-04 the whole buffer was taken, so an entity's events
   * that had just arrived went with an overdue one already processed by the watermark: a third of
   * the pipeline benchmark's events were processed ahead of the watermark.)
   */
  private void processOverdueEvents(long now) throws Exception {
    while (!waitDeadlines.isEmpty() && waitDeadlines.peekFirst().at() <= now) {
      WaitDeadline overdue = waitDeadlines.pollFirst();
      setCurrentKey(overdue.entity());
      processBufferedEvents(overdue.due());
    }
  }

  private void scheduleFlush() {
    long at = getProcessingTimeService().getCurrentProcessingTime() + settings.batchMaxWaitMillis();
    getProcessingTimeService()
        .registerTimer(
            at,
            t -> {
              flushGradients();
              scheduleFlush();
            });
  }

  // ---------------------------------------------------------------- input 2: model versions

  @Override
  public void processElement2(StreamRecord<ModelState> element) {
    ModelState m = element.getValue();
    if (m.isNewerThan(scorer.epoch(), scorer.step())) {
      // Send what was computed against the old version now, so the next batch is all fresh.
      flushGradients();
      scorer.install(m);
      if (m.step % 50 == 0) {
        LOG.info(
            "installed version {}.{} {} ms after the coordinator made it",
            m.epoch,
            m.step,
            System.currentTimeMillis() - m.createdAt);
      }
    }
  }

  @Override
  public void processWatermark2(Watermark mark) {
    // Ignored: model updates carry no event time and must not hold back the entities' one.
  }

  // Event time is input 1's alone, as in a one-input operator. (Pinning input 2's watermark at
  // +inf in the combined watermark was wrong: when input 1 went idle, e.g. a job started on empty
  // topics, the combined watermark jumped to +inf and every later event was a dead letter 'late'.)

  @Override
  public void processWatermark1(Watermark mark) throws Exception {
    super.processWatermark(mark);
  }

  @Override
  protected void processWatermarkStatus(WatermarkStatus status, int input) {
    if (input == 0) {
      output.emitWatermarkStatus(status);
    }
  }

  // ---------------------------------------------------------------- input 1: entity inputs

  @Override
  public void processElement1(StreamRecord<EntityInput> element) throws Exception {
    EntityInput in = element.getValue();
    long watermark = timers.currentWatermark();
    switch (in.kind) {
      case EntityInput.EVENT -> {
        eventsPerSecond.markEvent();
        long due = dueTime(in);
        if (due <= watermark) {
          deadLetter(
              in,
              ReasonCodes.LATE,
              "event time "
                  + Instant.ofEpochMilli(in.time)
                  + " is behind the watermark "
                  + Instant.ofEpochMilli(watermark)
                  + " (max out-of-orderness exceeded)");
          return;
        }
        bufferedEvents.add(in);
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
        waitDeadlines.addLast(new WaitDeadline(waitDeadline(), (String) getCurrentKey(), due));
      }
      case EntityInput.ELAPSED -> {
        EntityRecord record = loadRecord();
        record.elapsedByEvent.put(in.eventId, in);
        records.update(record);
        timers.registerEventTimeTimer(
            VoidNamespace.INSTANCE, safeAdd(in.time, settings.pendingLabelWaitMillis()));
      }
      case EntityInput.LABEL -> onLabel(in);
      default -> deadLetter(in, ReasonCodes.INVALID_FIELD, "unknown input kind " + in.kind);
    }
  }

  private long dueTime(EntityInput event) {
    return elapsedTopic && event.elapsedMillis < 0
        ? safeAdd(event.time, settings.elapsedJoinWaitMillis())
        : event.time;
  }

  private void onLabel(EntityInput label) throws Exception {
    EntityRecord record = loadRecord();
    EntityBook book = record.book;
    if (book != null) {
      long seq = book.sequenceOf(label.eventId);
      if (seq >= 0) {
        if (record.model.inWindow(seq)) {
          train(record.model, seq, label);
          return;
        }
        deadLetter(label, ReasonCodes.EXPIRED, expiredMessage(label));
        return;
      }
      if (book.recentlyEvicted(label.eventId)) {
        deadLetter(label, ReasonCodes.EXPIRED, expiredMessage(label));
        return;
      }
    }
    int waiting = record.pendingLabels.size();
    if (waiting >= settings.pendingLabelMax()) {
      deadLetter(
          label,
          ReasonCodes.OVERFLOW,
          "already "
              + waiting
              + " labels wait for unseen events of this entity (max "
              + settings.pendingLabelMax()
              + ")");
      return;
    }
    record.pendingLabels.add(label);
    records.update(record);
    timers.registerEventTimeTimer(
        VoidNamespace.INSTANCE, safeAdd(label.time, settings.pendingLabelWaitMillis()));
  }

  private String expiredMessage(EntityInput label) {
    return "event "
        + label.eventId
        + " has left the window of the last "
        + settings.windowSize()
        + " events";
  }

  // ---------------------------------------------------------------- timers

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    long now = timer.getTimestamp();
    EntityRecord stored = records.value();
    List<EntityInput> due = takeDueEvents(now);
    if (stored == null && due == null) {
      return; // nothing of this entity is kept, and nothing was due
    }
    EntityRecord record = stored != null ? checkShape(stored) : new EntityRecord();
    boolean changed = due != null;
    if (due != null) {
      for (EntityInput e : due) {
        processEvent(record, e);
      }
    }
    changed |= expirePendingLabels(record, now);
    changed |= expireElapsed(record, now);
    if (forgettable(record, now)) {
      forget();
    } else if (changed) {
      records.update(record);
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    // None is registered (max-event-wait is checked through waitDeadlines).
  }

  /**
   * Processes the entity's buffered events due at or before {@code due}, in event-time order,
   * whatever the watermark: one of them waited max-event-wait for it.
   */
  private void processBufferedEvents(long due) throws Exception {
    List<EntityInput> taken = takeDueEvents(due);
    if (taken == null) {
      return; // the watermark took them meanwhile
    }
    eventsAfterMaxWait.inc(taken.size());
    EntityRecord record = loadRecord();
    for (EntityInput e : taken) {
      processEvent(record, e);
    }
    if (forgettable(record, timers.currentWatermark())) {
      forget(); // every event was a dead letter
    } else {
      records.update(record);
    }
  }

  /**
   * Removes the buffered events due at {@code now} from the entity's buffer and returns them in
   * event-time order; null when none is due.
   */
  private List<EntityInput> takeDueEvents(long now) throws Exception {
    List<EntityInput> due = null;
    List<EntityInput> later = null;
    for (EntityInput e : all(bufferedEvents)) {
      if (dueTime(e) <= now) {
        due = add(due, e);
      } else {
        later = add(later, e);
      }
    }
    if (due == null) {
      return null;
    }
    if (later == null) {
      bufferedEvents.clear();
    } else {
      bufferedEvents.update(later);
    }
    if (due.size() > 1) {
      due.sort(Comparator.comparingLong((EntityInput e) -> e.time).thenComparing(e -> e.eventId));
    }
    return due;
  }

  private static List<EntityInput> add(List<EntityInput> list, EntityInput e) {
    List<EntityInput> l = list != null ? list : new ArrayList<>(2);
    l.add(e);
    return l;
  }

  private void processEvent(EntityRecord record, EntityInput event) throws Exception {
    EntityBook book = record.book;
    if (book == null) {
      book = EntityBook.empty(settings.windowSize());
    }
    if (book.lastEventTime != Long.MIN_VALUE && event.time < book.lastEventTime) {
      deadLetter(event, ReasonCodes.LATE, "event time is before the entity's last processed event");
      return;
    }
    Long elapsed;
    ElapsedSource source;
    EntityInput joined = elapsedTopic ? record.elapsedByEvent.get(event.eventId) : null;
    if (event.elapsedMillis >= 0) {
      elapsed = event.elapsedMillis;
      source = ElapsedSource.EXPLICIT;
    } else if (joined != null) {
      elapsed = joined.elapsedMillis;
      source = ElapsedSource.STREAM;
      record.elapsedByEvent.remove(event.eventId);
    } else if (book.lastEventTime != Long.MIN_VALUE) {
      elapsed = event.time - book.lastEventTime;
      source = ElapsedSource.DERIVED;
      if (elapsedTopic) {
        elapsedFallbacks.inc();
      }
    } else {
      elapsed = null;
      source = ElapsedSource.FIRST;
    }

    long started = System.nanoTime();
    EventInput input;
    try {
      input = scorer.model().input(event.eventType, event.features, elapsed);
    } catch (InvalidInputException e) {
      deadLetter(event, ReasonCodes.INVALID_FIELD, e.getMessage());
      return;
    }
    if (record.model == null) {
      record.model = EntityState.initial(scorer.config());
    }
    EntityState state = record.model;
    StepResult step = state.step(scorer.model(), input);
    Prediction prediction =
        scorer.predict(event, step.logits(), elapsed, source, System.nanoTime() - started);
    long previousExpiryCheck =
        book.lastEventTime == Long.MIN_VALUE ? Long.MIN_VALUE : expiryCheck(book.lastEventTime);
    book.add(event.eventId, step.sequence());
    book.lastEventTime = event.time;
    record.book = book;
    output.collect(new StreamRecord<>(prediction, event.time));
    predictionsPerSecond.markEvent();
    long expiryCheck = expiryCheck(event.time);
    if (expiryCheck != previousExpiryCheck) {
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiryCheck);
    }

    // Labels that arrived before their event.
    for (var it = record.pendingLabels.iterator(); it.hasNext(); ) {
      EntityInput label = it.next();
      if (label.eventId.equals(event.eventId)) {
        train(state, step.sequence(), label);
        it.remove();
      }
    }
  }

  private boolean expirePendingLabels(EntityRecord record, long now) {
    boolean changed = false;
    EntityBook book = record.book;
    for (var it = record.pendingLabels.iterator(); it.hasNext(); ) {
      EntityInput label = it.next();
      if (safeAdd(label.time, settings.pendingLabelWaitMillis()) <= now) {
        it.remove();
        changed = true;
        if (book != null && book.recentlyEvicted(label.eventId)) {
          deadLetter(label, ReasonCodes.EXPIRED, expiredMessage(label));
        } else {
          deadLetter(
              label,
              ReasonCodes.UNKNOWN_EVENT,
              "no event "
                  + label.eventId
                  + " of entity "
                  + label.entityId
                  + " arrived within "
                  + settings.pendingLabelWaitMillis()
                  + " ms of the label");
        }
      }
    }
    return changed;
  }

  private boolean expireElapsed(EntityRecord record, long now) {
    boolean changed = false;
    EntityBook book = record.book;
    for (var it = record.elapsedByEvent.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      EntityInput e = entry.getValue();
      if (safeAdd(e.time, settings.pendingLabelWaitMillis()) > now) {
        continue;
      }
      it.remove();
      changed = true;
      String id = entry.getKey();
      boolean seen = book != null && (book.sequenceOf(id) >= 0 || book.recentlyEvicted(id));
      deadLetter(
          e,
          seen ? ReasonCodes.LATE : ReasonCodes.UNKNOWN_EVENT,
          seen
              ? "elapsed time for event " + id + " arrived after the event was processed"
              : "no event " + id + " arrived for this elapsed time");
    }
    return changed;
  }

  /**
   * Whether the entity can be forgotten: nothing waits in it, and it either never had an event
   * processed (only labels or elapsed times that have now expired) or has been idle for the TTL.
   */
  private boolean forgettable(EntityRecord record, long now) throws Exception {
    EntityBook book = record.book;
    return (book == null || safeAdd(book.lastEventTime, settings.entityTtlMillis()) <= now)
        && record.nothingWaits()
        && !all(bufferedEvents).iterator().hasNext();
  }

  private void forget() {
    records.clear();
    bufferedEvents.clear();
  }

  // ---------------------------------------------------------------- training

  /** The entity's record; a new, empty one when it has none. */
  private EntityRecord loadRecord() throws Exception {
    EntityRecord record = records.value();
    return record == null ? new EntityRecord() : checkShape(record);
  }

  /** {@code record}, after checking that its model state has the job's model sizes. */
  private EntityRecord checkShape(EntityRecord record) {
    if (record.model != null && !record.model.fits(scorer.config())) {
      throw new IllegalStateException(
          "the restored state of entity "
              + getCurrentKey()
              + " has "
              + record.model.shape()
              + ", the job's model "
              + EntityState.initial(scorer.config()).shape()
              + ": a checkpoint of a job with other model sizes cannot be restored");
    }
    return record;
  }

  private void train(EntityState state, long seq, EntityInput label) {
    gradients.add(state, seq, label.targets, label.sampleWeight);
    labelsApplied.inc();
    if (gradients.labels() >= settings.batchLabels()) {
      flushGradients();
    }
  }

  private void flushGradients() {
    GradientBatch batch = gradients.drain();
    if (batch != null) {
      output.collect(GRADIENTS, new StreamRecord<>(batch));
      gradientBatches.inc();
      batchSizes.update(batch.labels);
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flushGradients();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    modelStore.update(List.of(scorer.current()));
  }

  @Override
  public void finish() throws Exception {
    flushGradients();
    super.finish();
  }

  @Override
  public void close() throws Exception {
    if (eventsAfterMaxWait != null) {
      LOG.info(
          "Elapse learner subtask {}: {} events, {} of them processed after max-event-wait",
          getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
          eventsPerSecond.getCount(),
          eventsAfterMaxWait.getCount());
    }
    super.close();
  }

  // ---------------------------------------------------------------- helpers

  private void deadLetter(EntityInput origin, String reason, String message) {
    deadLetters.count(reason);
    output.collect(
        DEAD_LETTERS, new StreamRecord<>(DeadLetterFactory.of(origin, reason, message, STAGE)));
  }

  /** A list state's elements; empty (never null) when the state holds none. */
  private static <T> Iterable<T> all(ListState<T> state) throws Exception {
    Iterable<T> it = state.get();
    return it == null ? List.of() : it;
  }

  /**
   * When to check whether the entity has been idle for the TTL after an event at {@code eventTime}:
   * eventTime + TTL rounded up to a multiple of TTL / {@value #TTL_GRANULES}. The events of one
   * granule share one timer, so an active entity holds at most {@value #TTL_GRANULES} + 1 of them,
   * and an idle one is cleared at most TTL / {@value #TTL_GRANULES} after its TTL. (One timer per
   * event, as before, kept every event's timer for the whole TTL, 30 days by default: the timer
   * queue and every checkpoint grew with the number of events.)
   */
  private long expiryCheck(long eventTime) {
    long at = safeAdd(eventTime, settings.entityTtlMillis());
    long granule = Math.max(1, settings.entityTtlMillis() / TTL_GRANULES);
    long below = at - Math.floorMod(at, granule);
    return below == at ? at : safeAdd(below, granule);
  }

  private static long safeAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
  }
}
