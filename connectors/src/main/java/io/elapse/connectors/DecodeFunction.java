package io.elapse.connectors;

import io.elapse.avro.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw records into {@code T}; records that do not decode go to {@link #DEAD_LETTERS} with
 * their origin and reason. Never throws on bad input. Its output type is {@link AvroRecordTypeInfo}
 * (note: Flink's type extraction throws for a function declaring an Avro record output unless it
 * implements {@code ResultTypeQueryable}, as this one does, or the type is given explicitly).
 *
 * @param <T> the record type of the topic
 */
public class DecodeFunction<T extends SpecificRecord> extends ProcessFunction<RawRecord, T>
    implements ResultTypeQueryable<T> {

  private static final long serialVersionUID = 1L;

  /** The side output of records that could not be decoded. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroRecordTypeInfo<>(DeadLetter.class));

  private final Class<T> type;
  private transient AvroCodec<T> codec;

  /** Decodes records of {@code type}. */
  public DecodeFunction(Class<T> type) {
    this.type = type;
  }

  @Override
  public TypeInformation<T> getProducedType() {
    return new AvroRecordTypeInfo<>(type);
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<T> out) {
    if (codec == null) {
      codec = AvroCodec.of(type);
    }
    DecodeResult<T> result = codec.decode(raw.value);
    if (result.isSuccess()) {
      out.collect(result.record());
    } else {
      ctx.output(DEAD_LETTERS, DeadLetters.ofDecodeFailure(raw, result));
    }
  }
}
