package io.elapse.connectors;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Apache Kafka broker running in this JVM: one KRaft node acting as broker and controller,
 * on a free loopback port, with a temporary data directory that is deleted on {@link #close()}. For
 * tests and the local demo; ask it for {@link #bootstrapServers()}, never assume a port.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Broker settings for a single node: internal topics with replication factor 1. */
  public static final Map<String, String> SINGLE_NODE_CONFIG =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "1",
          "group.initial.rebalance.delay.ms", "0",
          "share.coordinator.state.topic.replication.factor", "1",
          "share.coordinator.state.topic.min.isr", "1",
          // No time-based retention: synthetic and replayed streams carry event times months in
          // the past, and the test kit's frequent retention checks deleted such records within
          // about 15 s of their arrival, before a starting job had read them.
          "log.retention.ms", "-1");

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Starts a broker with the single-node defaults and waits until it is ready. */
  public static EmbeddedKafka start() {
    return start(Map.of());
  }

  /** Starts a broker with the single-node defaults overridden by {@code brokerConfig}. */
  public static EmbeddedKafka start(Map<String, String> brokerConfig) {
    return start(brokerConfig, SecurityProtocol.PLAINTEXT);
  }

  /**
   * Starts a broker whose client listener requires SASL/PLAIN; the test kit's users are {@code
   * plain-user1} / {@code plain-user1-secret} and {@code plain-admin} / {@code plain-admin-secret}.
   * Note: the test kit points the JVM-wide {@code java.security.auth.login.config} at its JAAS
   * file.
   */
  public static EmbeddedKafka startSaslPlain() {
    return start(
        Map.of(
            "sasl.enabled.mechanisms", "PLAIN",
            "sasl.mechanism.inter.broker.protocol", "PLAIN",
            // the test kit turns the authorizer on; the loopback controller listener stays
            // PLAINTEXT (principal ANONYMOUS), and both test users may do anything
            "super.users", "User:ANONYMOUS;User:plain-admin;User:plain-user1"),
        SecurityProtocol.SASL_PLAINTEXT);
  }

  private static EmbeddedKafka start(Map<String, String> brokerConfig, SecurityProtocol protocol) {
    Map<String, String> config = new TreeMap<>(SINGLE_NODE_CONFIG);
    config.putAll(brokerConfig);
    KafkaClusterTestKit cluster = null;
    try {
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .setBrokerSecurityProtocol(protocol)
              .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      config.forEach(builder::setConfigProp);
      cluster = builder.build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(cluster);
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      closeQuietly(cluster);
      throw new IllegalStateException("cannot start the embedded Kafka broker: " + e, e);
    }
  }

  /** The broker's bootstrap address, {@code host:port}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the broker and deletes its data directory. */
  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded Kafka broker cleanly: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafka{" + bootstrapServers + "}";
  }

  private static void closeQuietly(KafkaClusterTestKit cluster) {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception ignored) {
        // the start failure is what matters
      }
    }
  }
}
