package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ModelUpdate;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.UpdateKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The model topic's sink is at-least-once: updates are visible to read_committed consumers while
 * the job runs, before any checkpoint; the model source reads from the earliest offset.
 */
class ModelLoopSinkTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  static final AtomicInteger VISIBLE_BEFORE_CHECKPOINT = new AtomicInteger(-1);

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void modelUpdatesAreVisibleBeforeAnyCheckpointAndTheSourceStartsAtTheEarliest() throws Exception {
    ElapseTopics topics = ElapseTopics.withPrefix(KafkaTestSupport.uniqueTopic("loop") + ".");
    KafkaConfig config =
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .topics(topics)
            .startPosition(StartPosition.LATEST)
            .build();
    try (TopicAdministrator admin = new TopicAdministrator(new ElapseKafka(config))) {
      admin.ensure(TopicAdministrator.elapseTopics(topics, 1, (short) 1));
    }
    ElapseKafka connectors = new ElapseKafka(config);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    env.enableCheckpointing(Duration.ofHours(1).toMillis());
    env.fromSequence(0, 3)
        .map(new UpdateAfterVisible(kafka.bootstrapServers(), topics.model()))
        .sinkTo(connectors.modelSink());
    env.execute("model-loop-sink");

    assertThat(VISIBLE_BEFORE_CHECKPOINT.get()).isEqualTo(3);
    List<ConsumerRecord<byte[], byte[]>> all =
        KafkaTestSupport.readAtLeast(
            kafka.bootstrapServers(), topics.model(), "read_committed", 4, Duration.ofSeconds(30));
    assertThat(all)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("full", "delta", "full", "delta");

    // The model source ignores the configured LATEST start: a restarted job sees the snapshot.
    StreamExecutionEnvironment reader = StreamExecutionEnvironment.getExecutionEnvironment();
    reader.setParallelism(1);
    List<Long> steps = new ArrayList<>();
    try (CloseableIterator<Long> it =
        reader
            .fromSource(
                connectors.modelSourceBuilder().setBounded(OffsetsInitializer.latest()).build(),
                WatermarkStrategy.noWatermarks(),
                "model")
            .map(
                raw ->
                    AvroCodec.of(ModelUpdate.class)
                        .decode(raw.value)
                        .record()
                        .getVersion()
                        .getStep())
            .collectAsync()) {
      reader.execute("model-source");
      it.forEachRemaining(steps::add);
    }
    assertThat(steps).containsExactly(0L, 1L, 2L, 3L);
  }

  static ModelUpdate update(long step) {
    ModelUpdate sample = Samples.modelUpdate();
    boolean full = step % 2 == 0;
    return ModelUpdate.newBuilder(sample)
        .setVersion(new ModelVersion(1L, step))
        .setKind(full ? UpdateKind.FULL : UpdateKind.DELTA)
        .setBaseVersion(full ? null : new ModelVersion(1L, step - 1))
        .build();
  }

  /** Emits update {@code i}; before the last one it waits until the first three are readable. */
  static final class UpdateAfterVisible
      implements MapFunction<Long, ModelUpdate>, ResultTypeQueryable<ModelUpdate> {
    private final String bootstrap;
    private final String topic;

    UpdateAfterVisible(String bootstrap, String topic) {
      this.bootstrap = bootstrap;
      this.topic = topic;
    }

    @Override
    public ModelUpdate map(Long i) {
      if (i == 3) {
        VISIBLE_BEFORE_CHECKPOINT.set(
            KafkaTestSupport.readAtLeast(
                    bootstrap, topic, "read_committed", 3, Duration.ofSeconds(30))
                .size());
      }
      return update(i);
    }

    @Override
    public TypeInformation<ModelUpdate> getProducedType() {
      return ElapseKafka.typeInfo(ModelUpdate.class);
    }
  }
}
