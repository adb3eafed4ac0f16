package io.elapse.pipeline.eval;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.DeadLetters;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.RawRecord;
import io.elapse.connectors.ReasonCodes;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes and checks the evaluator's inputs (predictions or labels): a record that does not decode,
 * or has a probability or target outside [0, 1] or a non-finite one, or no label time, is rejected.
 * Rejected records go to {@link #DEAD_LETTERS} (stage {@code evaluator}) when this function owns
 * the topic (the standalone evaluator); inside the main job, whose decode stage already
 * dead-letters them, they are only counted ({@code evaluatorRejected}).
 *
 * @param <T> {@link Prediction} or {@link Label}
 */
public final class DecodeForEvaluation<T extends SpecificRecord>
    extends ProcessFunction<RawRecord, T> implements ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  /** Stage name of the evaluator's dead letters. */
  public static final String STAGE = "evaluator";

  /** Records rejected by the evaluator's decode. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("evaluator-dead-letters", new AvroRecordTypeInfo<>(DeadLetter.class));

  private final Class<T> type;
  private final boolean deadLetters;
  private transient AvroCodec<T> codec;
  private transient Counter rejected;

  private DecodeForEvaluation(Class<T> type, boolean deadLetters) {
    this.type = type;
    this.deadLetters = deadLetters;
  }

  /** Decodes predictions; rejected ones become dead letters when {@code deadLetters}. */
  public static DecodeForEvaluation<Prediction> predictions(boolean deadLetters) {
    return new DecodeForEvaluation<>(Prediction.class, deadLetters);
  }

  /** Decodes labels; rejected ones become dead letters when {@code deadLetters}. */
  public static DecodeForEvaluation<Label> labels(boolean deadLetters) {
    return new DecodeForEvaluation<>(Label.class, deadLetters);
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroRecordTypeInfo<>(type);
  }

  @Override
  public void open(org.apache.flink.api.common.functions.OpenContext context) {
    codec = AvroCodec.of(type);
    rejected = getRuntimeContext().getMetricGroup().counter("evaluatorRejected");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
    DecodeResult<T> result = codec.decode(raw.value);
    if (!result.isSuccess()) {
      reject(raw, result.reason(), result.message(), null, ctx);
      return;
    }
    T record = result.record();
    String problem = problem(record);
    if (problem != null) {
      String entity =
          record instanceof Prediction p
              ? p.getEntityId()
              : record instanceof Label l ? l.getEntityId() : null;
      reject(raw, ReasonCodes.INVALID_FIELD, problem, entity, ctx);
      return;
    }
    out.collect(record);
  }

  /** Why {@code record} cannot be evaluated, or null when it can. */
  static String problem(SpecificRecord record) {
    if (record instanceof Prediction p) {
      for (TaskPrediction t : p.getTasks()) {
        if (!(t.getProbability() >= 0.0 && t.getProbability() <= 1.0)) {
          return "prediction "
              + p.getEventId()
              + ": task "
              + t.getTask()
              + " probability expected in [0,1], got "
              + t.getProbability();
        }
      }
    } else if (record instanceof Label l) {
      for (Map.Entry<String, Double> e : l.getTargets().entrySet()) {
        Double y = e.getValue();
        if (y == null || !(y >= 0.0 && y <= 1.0)) {
          return "label for event "
              + l.getEventId()
              + ": task "
              + e.getKey()
              + " target expected in [0,1], got "
              + y;
        }
      }
    }
    return null;
  }

  private void reject(RawRecord raw, String reason, String message, String entity, Context ctx) {
    rejected.inc();
    if (deadLetters) {
      ctx.output(DEAD_LETTERS, DeadLetters.of(raw, reason, message, STAGE, entity));
    }
  }
}
