package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.avro.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The exactly-once sink of a Flink job that fails before any checkpoint completes: its records
 * reach the log (a read_uncommitted consumer sees them) but a read_committed consumer sees none.
 */
class ExactlyOnceSinkTest {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  static final int FAILED_RECORDS = 20;
  static final AtomicInteger UNCOMMITTED_SEEN_BEFORE_FAILURE = new AtomicInteger(-1);

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
  void anAbortedTransactionIsInvisibleToReadCommittedConsumers() throws Exception {
    String topic = KafkaTestSupport.uniqueTopic("predictions");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), topic, 1);
    KafkaConfig config =
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .transactionalIdPrefix(KafkaTestSupport.uniqueTopic("tx"))
            .transactionTimeout(Duration.ofSeconds(30))
            .build();

    StreamExecutionEnvironment failing = env(Duration.ofHours(1));
    failing
        .fromSequence(1, FAILED_RECORDS + 1)
        .map(new FailOnceWrittenMap(kafka.bootstrapServers(), topic, FAILED_RECORDS))
        .sinkTo(sink(config, topic));
    assertThatThrownBy(() -> failing.execute("fails-before-checkpoint"))
        .hasStackTraceContaining("injected failure");

    assertThat(UNCOMMITTED_SEEN_BEFORE_FAILURE.get()).isEqualTo(FAILED_RECORDS);
    assertThat(
            KafkaTestSupport.readAll(
                kafka.bootstrapServers(), topic, "read_committed", Duration.ofSeconds(30)))
        .isEmpty();

    // A healthy job with the same transactional ids commits on checkpoints; only its records are
    // visible to read_committed consumers.
    StreamExecutionEnvironment healthy = env(Duration.ofMillis(300));
    healthy
        .fromSequence(1001, 1005)
        .map(i -> Samples.event("u-" + i, "ok-" + i), ElapseKafka.typeInfo(Event.class))
        .sinkTo(sink(config, topic));
    healthy.execute("commits");

    List<ConsumerRecord<byte[], byte[]>> committed =
        KafkaTestSupport.readAtLeast(
            kafka.bootstrapServers(), topic, "read_committed", 5, Duration.ofSeconds(60));
    assertThat(committed)
        .extracting(r -> AvroCodec.of(Event.class).decode(r.value()).record().getEventId())
        .containsExactly("ok-1001", "ok-1002", "ok-1003", "ok-1004", "ok-1005");
  }

  static org.apache.flink.connector.kafka.sink.KafkaSink<Event> sink(
      KafkaConfig config, String topic) {
    return new ElapseKafka(config)
        .sink(Event.class, topic, Event::getEntityId, DeliveryGuarantee.EXACTLY_ONCE);
  }

  static StreamExecutionEnvironment env(Duration checkpointInterval) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(1);
    env.enableCheckpointing(checkpointInterval.toMillis());
    return env;
  }

  /**
   * Passes records through; at record {@code failAt + 1} it waits until a read_uncommitted consumer
   * sees the {@code failAt} records written so far (so they really reached the log inside the open
   * transaction), then throws.
   */
  static final class FailOnceWrittenMap
      implements MapFunction<Long, Event>, ResultTypeQueryable<Event> {
    private final String bootstrap;
    private final String topic;
    private final int failAt;

    FailOnceWrittenMap(String bootstrap, String topic, int failAt) {
      this.bootstrap = bootstrap;
      this.topic = topic;
      this.failAt = failAt;
    }

    @Override
    public TypeInformation<Event> getProducedType() {
      return ElapseKafka.typeInfo(Event.class);
    }

    @Override
    public Event map(Long i) {
      if (i > failAt) {
        UNCOMMITTED_SEEN_BEFORE_FAILURE.set(
            KafkaTestSupport.readAtLeast(
                    bootstrap, topic, "read_uncommitted", failAt, Duration.ofSeconds(30))
                .size());
        throw new IllegalStateException("injected failure before the first checkpoint");
      }
      return Samples.event("u-" + i, "aborted-" + i);
    }
  }
}
