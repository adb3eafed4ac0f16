package io.elapse.pipeline.bench;

import io.elapse.avro.Event;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.AvroRecordTypeInfo;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * The baseline the Elapse job is compared with: read events, decode them, key by entity, encode
 * them again and write them with the same exactly-once Kafka sink the Elapse job uses.
 */
public final class PassthroughJob {

  private PassthroughJob() {}

  /** Defines the passthrough from {@code kafka}'s events topic to its predictions topic. */
  public static void define(StreamExecutionEnvironment env, KafkaConfig kafka) {
    ElapseKafka io = new ElapseKafka(kafka);
    env.fromSource(io.source(kafka.topics().events()), WatermarkStrategy.noWatermarks(), "events")
        .uid("events-source")
        .flatMap(new DecodeEvents())
        .name("decode")
        .uid("decode")
        .keyBy(e -> e.getEntityId(), Types.STRING)
        .map(new Keyed())
        .name("keyed")
        .uid("keyed")
        .sinkTo(
            io.sink(
                Event.class,
                kafka.topics().predictions(),
                Event::getEntityId,
                DeliveryGuarantee.EXACTLY_ONCE))
        .name("sink")
        .uid("sink");
  }

  /** Decodes single-object Avro events; the benchmark's input has no bad records. */
  static final class DecodeEvents extends RichFlatMapFunction<RawRecord, Event>
      implements ResultTypeQueryable<Event> {
    private transient AvroCodec<Event> codec;

    @Override
    public void flatMap(RawRecord raw, Collector<Event> out) {
      if (codec == null) {
        codec = AvroCodec.of(Event.class);
      }
      DecodeResult<Event> r = codec.decode(raw.value);
      if (r.isSuccess()) {
        out.collect(r.record());
      }
    }

    @Override
    public TypeInformation<Event> getProducedType() {
      return new AvroRecordTypeInfo<>(Event.class);
    }
  }

  /** The keyed step: hands each event on unchanged (after the shuffle by entity). */
  static final class Keyed implements MapFunction<Event, Event>, ResultTypeQueryable<Event> {
    @Override
    public Event map(Event e) {
      return e;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
      return new AvroRecordTypeInfo<>(Event.class);
    }
  }
}
