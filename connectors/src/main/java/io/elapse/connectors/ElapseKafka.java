package io.elapse.connectors;

import io.elapse.avro.DeadLetter;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.Prediction;
import io.elapse.avro.UpdateKind;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Flink Kafka sources and sinks, and plain client properties, built from one {@link KafkaConfig}.
 * Sources read {@code read_committed} and emit {@link RawRecord}s; sinks encode with {@link
 * AvroCodec}. An {@link DeliveryGuarantee#EXACTLY_ONCE} sink needs checkpointing enabled.
 */
public final class ElapseKafka {

  private final KafkaConfig config;

  /** Factories for {@code config}. */
  public ElapseKafka(KafkaConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The configuration. */
  public KafkaConfig config() {
    return config;
  }

  /**
   * A source builder over {@code topics} with the configured servers, group, start position and
   * client properties, reading {@code read_committed}; callers may refine it (e.g. bounded).
   */
  public KafkaSourceBuilder<RawRecord> sourceBuilder(String... topics) {
    if (topics.length == 0) {
      throw new IllegalArgumentException("source: expected at least one topic, got none");
    }
    return KafkaSource.<RawRecord>builder()
        .setProperties(consumerProperties())
        .setBootstrapServers(config.bootstrapServers())
        .setGroupId(config.groupId())
        .setTopics(topics)
        .setStartingOffsets(startingOffsets())
        .setDeserializer(new RawRecordDeserializer())
        .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  /** An unbounded {@code read_committed} source of raw records over {@code topics}. */
  public KafkaSource<RawRecord> source(String... topics) {
    return sourceBuilder(topics).build();
  }

  /**
   * A sink writing {@code type} records, single-object encoded, to {@code topic}, keyed by {@code
   * keyExtractor} (UTF-8; null for no key). EXACTLY_ONCE sets the transactional id prefix ({@code
   * <prefix>-<topic>}) and {@code transaction.timeout.ms}. Use {@link #sink(Class, String,
   * SerializableFunction, DeliveryGuarantee, String)} when one job has several exactly-once sinks
   * to the same topic.
   */
  public <T extends SpecificRecord> KafkaSink<T> sink(
      Class<T> type,
      String topic,
      SerializableFunction<T, String> keyExtractor,
      DeliveryGuarantee guarantee) {
    return sink(type, topic, keyExtractor, guarantee, null);
  }

  /**
   * As {@link #sink(Class, String, SerializableFunction, DeliveryGuarantee)}, with {@code sinkName}
   * (null for none) added to the transactional id prefix ({@code <prefix>-<topic>-<sinkName>}) so
   * that several exactly-once sinks to one topic never share transactional ids.
   */
  public <T extends SpecificRecord> KafkaSink<T> sink(
      Class<T> type,
      String topic,
      SerializableFunction<T, String> keyExtractor,
      DeliveryGuarantee guarantee,
      String sinkName) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(keyExtractor, "keyExtractor");
    Objects.requireNonNull(guarantee, "guarantee");
    Properties producer = producerProperties();
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      producer.setProperty(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          String.valueOf(config.transactionTimeout().toMillis()));
    }
    var builder =
        KafkaSink.<T>builder()
            .setBootstrapServers(config.bootstrapServers())
            .setKafkaProducerConfig(producer)
            .setDeliveryGuarantee(guarantee)
            .setRecordSerializer(new KafkaAvroSerializationSchema<>(type, topic, keyExtractor));
    if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
      builder.setTransactionalIdPrefix(
          sinkName == null
              ? transactionalIdPrefix(topic)
              : transactionalIdPrefix(topic) + "-" + sinkName);
    }
    return builder.build();
  }

  /** The exactly-once sink of the predictions topic, keyed by entity. */
  public KafkaSink<Prediction> predictionSink() {
    return sink(
        Prediction.class,
        config.topics().predictions(),
        Prediction::getEntityId,
        DeliveryGuarantee.EXACTLY_ONCE);
  }

  /**
   * An exactly-once sink of the dead-letter topic, keyed by entity when known; {@code sinkName}
   * (e.g. the stage) keeps the transactional ids of several dead-letter sinks apart.
   */
  public KafkaSink<DeadLetter> deadLetterSink(String sinkName) {
    return sink(
        DeadLetter.class,
        config.topics().deadLetters(),
        DeadLetter::getEntityId,
        DeliveryGuarantee.EXACTLY_ONCE,
        sinkName);
  }

  /**
   * The at-least-once sink of the compacted model topic (DESIGN, model loop: exactly-once would
   * hide updates until a checkpoint completes; versions carry (epoch, step) so replays are
   * harmless). Keyed by {@link #modelKey}: compaction keeps the latest FULL snapshot and the latest
   * DELTA.
   */
  public KafkaSink<ModelUpdate> modelSink() {
    Properties producer = producerProperties();
    // Full snapshots of the default model (V=10,000 x E=32 embedding) are about 1.4 MB.
    producer.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_MODEL_BYTES));
    return KafkaSink.<ModelUpdate>builder()
        .setBootstrapServers(config.bootstrapServers())
        .setKafkaProducerConfig(producer)
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .setRecordSerializer(
            new KafkaAvroSerializationSchema<>(
                ModelUpdate.class, config.topics().model(), ElapseKafka::modelKey))
        .build();
  }

  /** Largest model update the model sink and topic accept: 64 MiB. */
  public static final int MAX_MODEL_BYTES = 64 << 20;

  /**
   * The Kafka key of a model update: {@code full} for a FULL snapshot, {@code delta} for a DELTA,
   * so the compacted topic always holds the latest snapshot (and at most one delta, which a reader
   * applies only when its base version is that snapshot's version).
   */
  public static String modelKey(ModelUpdate update) {
    return update.getKind() == UpdateKind.FULL ? "full" : "delta";
  }

  /**
   * A source builder of the model topic that always starts at the earliest offset, whatever the
   * configured start position, so a (re)started job sees the latest snapshot the compacted topic
   * holds.
   */
  public KafkaSourceBuilder<RawRecord> modelSourceBuilder() {
    return sourceBuilder(config.topics().model())
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setProperty(
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_MODEL_BYTES));
  }

  /** Flink type information for a generated Avro record class: Avro-serialized, never Kryo. */
  public static <T extends SpecificRecord> TypeInformation<T> typeInfo(Class<T> type) {
    return new AvroRecordTypeInfo<>(type);
  }

  /** The transactional id prefix of an exactly-once sink to {@code topic}. */
  public String transactionalIdPrefix(String topic) {
    return config.transactionalIdPrefix() + "-" + topic;
  }

  /** Properties for a plain byte-array consumer: servers, group, client properties. */
  public Properties consumerProperties() {
    Properties p = config.clientPropertiesCopy();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.setProperty(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.setProperty(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return p;
  }

  /** Properties for a plain byte-array producer: servers, client properties. */
  public Properties producerProperties() {
    Properties p = config.clientPropertiesCopy();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.setProperty(
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  /** Properties for an admin client: servers, client properties. */
  public Properties adminProperties() {
    Properties p = config.clientPropertiesCopy();
    p.setProperty("bootstrap.servers", config.bootstrapServers());
    return p;
  }

  @Override
  public String toString() {
    return "ElapseKafka{" + config + "}";
  }

  private OffsetsInitializer startingOffsets() {
    return switch (config.startPosition()) {
      case EARLIEST -> OffsetsInitializer.earliest();
      case LATEST -> OffsetsInitializer.latest();
      case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    };
  }

  /** Encodes records with {@link AvroCodec} into one topic with a string key. */
  static final class KafkaAvroSerializationSchema<T extends SpecificRecord>
      implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private final Class<T> type;
    private final String topic;
    private final SerializableFunction<T, String> keyExtractor;
    private transient AvroCodec<T> codec;

    KafkaAvroSerializationSchema(
        Class<T> type, String topic, SerializableFunction<T, String> keyExtractor) {
      this.type = type;
      this.topic = topic;
      this.keyExtractor = keyExtractor;
    }

    @Override
    public void open(
        SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
      codec = AvroCodec.of(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
        T element, KafkaSinkContext context, Long timestamp) {
      if (codec == null) {
        codec = AvroCodec.of(type);
      }
      String key = keyExtractor.apply(element);
      // The record timestamp is the time of writing, not the element's event time: event times of
      // a replayed stream can be older than the topic's retention, which would delete the output
      // as soon as it is written. The event time travels in the record itself.
      return new ProducerRecord<>(
          topic,
          null,
          null,
          key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          codec.encode(element));
    }
  }
}
