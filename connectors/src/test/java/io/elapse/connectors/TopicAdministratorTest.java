package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicAdministratorTest {

  static EmbeddedKafka kafka;
  static ElapseKafka connectors;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
    connectors =
        new ElapseKafka(KafkaConfig.builder().bootstrapServers(kafka.bootstrapServers()).build());
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void creationIsIdempotentAndTheModelTopicIsCompacted() throws Exception {
    ElapseTopics topics = ElapseTopics.withPrefix(KafkaTestSupport.uniqueTopic("idem") + ".");
    List<TopicSpec> specs = TopicAdministrator.elapseTopics(topics, 2, (short) 1);

    try (TopicAdministrator admin = new TopicAdministrator(connectors)) {
      TopicAdministrator.EnsureResult first = admin.ensure(specs);
      TopicAdministrator.EnsureResult second = admin.ensure(specs);

      assertThat(first.created()).containsExactlyInAnyOrderElementsOf(topics.all());
      assertThat(first.existing()).isEmpty();
      assertThat(second.created()).isEmpty();
      assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(topics.all());
    }
    try (Admin admin = Admin.create(connectors.adminProperties())) {
      ConfigResource model = new ConfigResource(ConfigResource.Type.TOPIC, topics.model());
      ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, topics.events());
      var configs = admin.describeConfigs(List.of(model, events)).all().get();
      assertThat(configs.get(model).get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(configs.get(events).get("cleanup.policy").value()).isEqualTo("delete");
      assertThat(configs.get(events).get("retention.ms").value()).isEqualTo("604800000");
      assertThat(
              admin
                  .describeTopics(List.of(topics.events()))
                  .allTopicNames()
                  .get()
                  .get(topics.events())
                  .partitions())
          .hasSize(2);
    }
  }

  @Test
  void aModelTopicThatIsNotCompactedIsReportedClearly() throws Exception {
    ElapseTopics topics = ElapseTopics.withPrefix(KafkaTestSupport.uniqueTopic("notcompact") + ".");
    try (Admin admin = Admin.create(connectors.adminProperties())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topics.model(), 1, (short) 1)
                      .configs(Map.of("cleanup.policy", "delete"))))
          .all()
          .get();
    }

    try (TopicAdministrator admin = new TopicAdministrator(connectors)) {
      assertThatThrownBy(() -> admin.ensure(TopicAdministrator.elapseTopics(topics, 1, (short) 1)))
          .isInstanceOf(TopicAdministrator.IncompatibleTopicException.class)
          .hasMessage(
              "topic " + topics.model() + ": cleanup.policy expected compact, actual delete");
    }
  }

  @Test
  void aTopicWithFewerPartitionsThanAskedIsReported() throws Exception {
    String name = KafkaTestSupport.uniqueTopic("few");
    KafkaTestSupport.createTopic(kafka.bootstrapServers(), name, 1);
    TopicSpec spec = new TopicSpec(name, 3, (short) 1, Map.of(), Set.of());

    try (TopicAdministrator admin = new TopicAdministrator(connectors)) {
      assertThatThrownBy(() -> admin.ensure(List.of(spec)))
          .hasMessage("topic " + name + ": partitions expected at least 3, actual 1");
    }
  }
}
