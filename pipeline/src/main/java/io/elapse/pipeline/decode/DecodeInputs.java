package io.elapse.pipeline.decode;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedTime;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DeadLetters;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.RawRecord;
import io.elapse.connectors.ReasonCodes;
import io.elapse.pipeline.records.EntityInput;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and validates one input topic's raw records into {@link EntityInput}s. Records that
 * cannot be decoded or used go to {@link #DEAD_LETTERS} with their origin and a reason; nothing
 * throws through the job.
 */
public final class DecodeInputs extends ProcessFunction<RawRecord, EntityInput> {

  /** Side output for records this stage rejects. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>(
          "decode-dead-letters",
          new io.elapse.connectors.AvroRecordTypeInfo<>(DeadLetter.class)) {};

  /** Which contract a topic carries. */
  public enum Kind {
    /** {@link Event} records. */
    EVENTS,
    /** {@link ElapsedTime} records. */
    ELAPSED,
    /** {@link Label} records. */
    LABELS
  }

  private static final String STAGE = "decode";

  private final Kind kind;
  private final List<String> tasks;
  private final int numFeatures;
  private final long maxElapsedMillis;

  private transient Map<String, Integer> taskIndex;
  private transient Counter decoded;
  private transient Counter rejected;

  /** Creates the decoder of one topic kind for a model with these tasks and features. */
  public DecodeInputs(Kind kind, List<String> tasks, int numFeatures, long maxElapsedMillis) {
    this.kind = kind;
    this.tasks = List.copyOf(tasks);
    this.numFeatures = numFeatures;
    this.maxElapsedMillis = maxElapsedMillis;
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    taskIndex = new HashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      taskIndex.put(tasks.get(i), i);
    }
    String name = kind.name().toLowerCase();
    decoded = getRuntimeContext().getMetricGroup().counter("decoded_" + name);
    rejected = getRuntimeContext().getMetricGroup().counter("rejected_" + name);
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<EntityInput> out) {
    Rejection rejection;
    try {
      rejection =
          switch (kind) {
            case EVENTS -> decodeEvent(raw, out);
            case ELAPSED -> decodeElapsed(raw, out);
            case LABELS -> decodeLabel(raw, out);
          };
    } catch (RuntimeException e) {
      // A decoder bug must not stop the job: the record is kept as a dead letter.
      rejection =
          new Rejection(
              ReasonCodes.UNDECODABLE,
              "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
              null);
    }
    if (rejection == null) {
      decoded.inc();
    } else {
      rejected.inc();
      ctx.output(
          DEAD_LETTERS,
          DeadLetters.of(raw, rejection.reason, rejection.message, STAGE, rejection.entityId));
    }
  }

  private record Rejection(String reason, String message, String entityId) {}

  private Rejection decodeEvent(RawRecord raw, Collector<EntityInput> out) {
    DecodeResult<Event> r = AvroCodec.of(Event.class).decode(raw.value);
    if (!r.isSuccess()) {
      return new Rejection(r.reason(), r.message(), null);
    }
    Event e = r.record();
    String id = e.getEntityId();
    if (id.isEmpty() || e.getEventId().isEmpty()) {
      return new Rejection(ReasonCodes.INVALID_FIELD, "entityId and eventId must be non-empty", id);
    }
    float[] features = null;
    if (e.getFeatures() != null) {
      List<Float> f = e.getFeatures();
      if (f.size() != numFeatures) {
        return new Rejection(
            ReasonCodes.INVALID_FIELD,
            "features: expected " + numFeatures + " values, got " + f.size(),
            id);
      }
      features = new float[f.size()];
      for (int i = 0; i < features.length; i++) {
        float v = f.get(i);
        if (!Float.isFinite(v)) {
          return new Rejection(
              ReasonCodes.INVALID_FIELD, "features[" + i + "] is not finite: " + v, id);
        }
        features[i] = v;
      }
    } else if (numFeatures > 0) {
      return new Rejection(
          ReasonCodes.INVALID_FIELD, "features: expected " + numFeatures + " values, got none", id);
    }
    long elapsed = -1;
    if (e.getElapsedMillis() != null) {
      elapsed = e.getElapsedMillis();
      Rejection bad = checkElapsed(elapsed, id);
      if (bad != null) {
        return bad;
      }
    }
    EntityInput in = base(raw, EntityInput.EVENT, id, e.getEventId());
    in.time = e.getEventTime().toEpochMilli();
    in.eventType = e.getEventType();
    in.features = features;
    in.elapsedMillis = elapsed;
    out.collect(in);
    return null;
  }

  private Rejection decodeElapsed(RawRecord raw, Collector<EntityInput> out) {
    DecodeResult<ElapsedTime> r = AvroCodec.of(ElapsedTime.class).decode(raw.value);
    if (!r.isSuccess()) {
      return new Rejection(r.reason(), r.message(), null);
    }
    ElapsedTime t = r.record();
    Rejection bad = checkElapsed(t.getElapsedMillis(), t.getEntityId());
    if (bad != null) {
      return bad;
    }
    EntityInput in = base(raw, EntityInput.ELAPSED, t.getEntityId(), t.getEventId());
    in.time = raw.timestamp >= 0 ? raw.timestamp : System.currentTimeMillis();
    in.elapsedMillis = t.getElapsedMillis();
    out.collect(in);
    return null;
  }

  private Rejection decodeLabel(RawRecord raw, Collector<EntityInput> out) {
    DecodeResult<Label> r = AvroCodec.of(Label.class).decode(raw.value);
    if (!r.isSuccess()) {
      return new Rejection(r.reason(), r.message(), null);
    }
    Label l = r.record();
    String id = l.getEntityId();
    float[] targets = new float[tasks.size()];
    Arrays.fill(targets, Float.NaN);
    for (Map.Entry<String, Double> t : l.getTargets().entrySet()) {
      Integer idx = taskIndex.get(t.getKey());
      if (idx == null) {
        return new Rejection(
            ReasonCodes.UNKNOWN_TASK,
            "task '" + t.getKey() + "' is not one of the model's " + tasks.size() + " tasks",
            id);
      }
      double v = t.getValue();
      if (!(v >= 0.0 && v <= 1.0)) {
        return new Rejection(
            ReasonCodes.INVALID_FIELD,
            "target of '" + t.getKey() + "' must be in [0,1], got " + v,
            id);
      }
      targets[idx] = (float) v;
    }
    float weight = 1f;
    if (l.getSampleWeight() != null) {
      double w = l.getSampleWeight();
      if (!(w >= 0.0) || Double.isInfinite(w)) {
        return new Rejection(
            ReasonCodes.INVALID_FIELD, "sampleWeight must be finite and >= 0, got " + w, id);
      }
      weight = (float) w;
    }
    EntityInput in = base(raw, EntityInput.LABEL, id, l.getEventId());
    in.time = l.getLabelTime().toEpochMilli();
    in.targets = targets;
    in.sampleWeight = weight;
    out.collect(in);
    return null;
  }

  private Rejection checkElapsed(long elapsed, String entityId) {
    if (elapsed < 0) {
      return new Rejection(
          ReasonCodes.INVALID_ELAPSED, "elapsedMillis must be >= 0, got " + elapsed, entityId);
    }
    if (elapsed > maxElapsedMillis) {
      return new Rejection(
          ReasonCodes.INVALID_ELAPSED,
          "elapsedMillis " + elapsed + " exceeds the maximum " + maxElapsedMillis,
          entityId);
    }
    return null;
  }

  private static EntityInput base(RawRecord raw, byte kind, String entityId, String eventId) {
    EntityInput in = new EntityInput();
    in.kind = kind;
    in.entityId = entityId;
    in.eventId = eventId;
    in.sourceTopic = raw.topic;
    in.sourcePartition = raw.partition;
    in.sourceOffset = raw.offset;
    in.ingestTime = System.currentTimeMillis();
    return in;
  }
}
