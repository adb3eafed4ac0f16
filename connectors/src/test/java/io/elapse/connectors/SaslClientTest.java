package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a broker that requires SASL/PLAIN: the credentials from a client properties file are what
 * the clients authenticate with (the right password works, a wrong one is refused).
 */
class SaslClientTest {

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.startSaslPlain();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  static Path clientProperties(Path dir, String password) throws Exception {
    Path file = dir.resolve("client-" + password + ".properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\\\"plain-user1\\\" password=\\\""
                + password
                + "\\\";"),
        StandardCharsets.UTF_8);
    return file;
  }

  static ElapseKafka connectors(Path file) {
    return new ElapseKafka(
        KafkaConfig.builder()
            .bootstrapServers(kafka.bootstrapServers())
            .clientPropertiesFile(file)
            .build());
  }

  @Test
  void theRightCredentialsFromTheFileAuthenticate(@TempDir Path dir) throws Exception {
    ElapseKafka ok = connectors(clientProperties(dir, "plain-user1-secret"));
    String topic = KafkaTestSupport.uniqueTopic("sasl");

    try (Admin admin = Admin.create(ok.adminProperties())) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
      // the create is acknowledged by the controller; the broker's metadata may lag behind it
      Set<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!names.contains(topic) && System.nanoTime() < deadline) {
        Thread.sleep(100);
        names = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      }
      assertThat(names).contains(topic);
    }
  }

  @Test
  void aWrongPasswordIsRefused(@TempDir Path dir) throws Exception {
    ElapseKafka wrong = connectors(clientProperties(dir, "not-the-password"));

    try (Admin admin = Admin.create(wrong.adminProperties())) {
      assertThatThrownBy(() -> admin.listTopics().names().get(60, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }
  }
}
