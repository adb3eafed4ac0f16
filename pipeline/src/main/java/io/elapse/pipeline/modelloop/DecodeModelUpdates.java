package io.elapse.pipeline.modelloop;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.DeadLetters;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.RawRecord;
import io.elapse.connectors.ReasonCodes;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.records.ModelState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads model updates back from the model topic: decodes, verifies the checksum (and the HMAC
 * signature when a key is configured), checks the configuration matches this job, and emits the
 * verified {@link ModelState}. Anything else is a dead letter ({@code integrity}, {@code
 * undecodable}, {@code incompatible-model}) and counted.
 */
public final class DecodeModelUpdates extends ProcessFunction<RawRecord, ModelState> {

  /** Side output of rejected model updates. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("model-dead-letters", new AvroRecordTypeInfo<>(DeadLetter.class)) {};

  private final JobSettings settings;
  private transient Counter rejectedIntegrity;
  private transient Counter accepted;

  /** Creates the decoder for a job with these settings. */
  public DecodeModelUpdates(JobSettings settings) {
    this.settings = settings;
  }

  @Override
  public void open(OpenContext ctx) {
    rejectedIntegrity = getRuntimeContext().getMetricGroup().counter("modelUpdatesRejected");
    accepted = getRuntimeContext().getMetricGroup().counter("modelUpdatesAccepted");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<ModelState> out) {
    DecodeResult<ModelUpdate> r = AvroCodec.of(ModelUpdate.class).decode(raw.value);
    if (!r.isSuccess()) {
      rejectedIntegrity.inc();
      ctx.output(DEAD_LETTERS, DeadLetters.of(raw, r.reason(), r.message(), "model-loop", null));
      return;
    }
    ModelUpdate update = r.record();
    ModelIntegrity.Verdict verdict = ModelIntegrity.verify(update, settings.hmacKey());
    if (!verdict.ok()) {
      rejectedIntegrity.inc();
      ctx.output(
          DEAD_LETTERS,
          DeadLetters.of(raw, ReasonCodes.INTEGRITY, verdict.problem(), "model-loop", null));
      return;
    }
    try {
      out.collect(ModelUpdates.toState(update, settings));
      accepted.inc();
    } catch (IllegalArgumentException e) {
      rejectedIntegrity.inc();
      ctx.output(
          DEAD_LETTERS,
          DeadLetters.of(raw, ReasonCodes.INCOMPATIBLE_MODEL, e.getMessage(), "model-loop", null));
    }
  }
}
