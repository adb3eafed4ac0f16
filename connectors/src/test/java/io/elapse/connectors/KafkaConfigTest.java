package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  static KafkaConfig.Builder valid() {
    return KafkaConfig.builder().bootstrapServers("127.0.0.1:39092");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    KafkaConfig config = valid().build();

    assertThat(config.topics().all())
        .containsExactly(
            "elapse.events",
            "elapse.elapsed",
            "elapse.labels",
            "elapse.predictions",
            "elapse.model",
            "elapse.dead-letters",
            "elapse.evaluation");
    assertThat(config.groupId()).isEqualTo("elapse");
    assertThat(config.startPosition()).isEqualTo(StartPosition.COMMITTED);
    assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.clientProperties()).isEmpty();
  }

  @Test
  void aTransactionTimeoutAtOrAboveTheBrokerMaximumIsRejected() {
    assertThatThrownBy(() -> valid().transactionTimeout(Duration.ofMinutes(15)).build())
        .hasMessageContaining("less than the broker's maximum 900000 ms, got 900000 ms");
    assertThatThrownBy(() -> valid().transactionTimeout(Duration.ZERO).build())
        .hasMessageContaining("got 0 ms");
    assertThat(valid().transactionTimeout(Duration.ofMinutes(14)).build().transactionTimeout())
        .isEqualTo(Duration.ofMinutes(14));
  }

  @Test
  void badBootstrapServersAreRejectedWithTheValue() {
    assertThatThrownBy(() -> KafkaConfig.builder().build())
        .hasMessageContaining("bootstrapServers: expected host:port");
    assertThatThrownBy(() -> KafkaConfig.builder().bootstrapServers("localhost").build())
        .hasMessageContaining("got 'localhost'");
    assertThat(KafkaConfig.builder().bootstrapServers("a:1, b:2").build().bootstrapServers())
        .isEqualTo("a:1, b:2");
  }

  @Test
  void clientPropertiesMayNotOverrideWhatElapseSets() {
    assertThatThrownBy(() -> valid().clientProperty("isolation.level", "read_uncommitted").build())
        .hasMessageContaining("client property isolation.level: Elapse sets it itself");
  }

  @Test
  void topicNamesAreValidatedAndDistinct() {
    assertThatThrownBy(() -> ElapseTopics.withPrefix("bad name "))
        .hasMessageContaining("events topic: expected only [a-zA-Z0-9._-] characters");
    assertThatThrownBy(() -> new ElapseTopics("a", "a", "l", "p", "m", "d", "e"))
        .hasMessageContaining("expected 7 distinct names");
  }

  @Test
  void secretLookingKeysAreRedacted() {
    for (String key :
        new String[] {
          "sasl.jaas.config",
          "ssl.key.password",
          "ssl.keystore.password",
          "ssl.truststore.password",
          "sasl.oauthbearer.client.credentials.client.secret",
          "basic.auth.user.info"
        }) {
      assertThat(KafkaConfig.isSecret(key)).as(key).isTrue();
    }
    assertThat(KafkaConfig.isSecret("security.protocol")).isFalse();
    assertThat(KafkaConfig.isSecret("client.id")).isFalse();
  }
}
