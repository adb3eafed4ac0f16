package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker as a separate process, as the deploy scripts start it. */
class KafkaBrokerMainTest {

  @Test
  void startsAsAProcessPrintsItsAddressServesClientsAndStopsOnSigterm(@TempDir Path dir)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process broker =
        new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                "--data-dir",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      CompletableFuture<String> ready =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  String address = null;
                  while ((line = out.readLine()) != null) {
                    if (address == null && line.startsWith(KafkaBrokerMain.READY_PREFIX)) {
                      address = line.substring(KafkaBrokerMain.READY_PREFIX.length());
                      final String found = address;
                      // keep draining the output in the background
                      Thread drain =
                          new Thread(
                              () -> {
                                try {
                                  while (out.readLine() != null) {}
                                } catch (Exception ignored) {
                                  // process ended
                                }
                              });
                      drain.setDaemon(true);
                      drain.start();
                      return found;
                    }
                  }
                  throw new IllegalStateException("broker exited without printing its address");
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      String bootstrap = ready.get(90, TimeUnit.SECONDS);

      assertThat(bootstrap).startsWith("127.0.0.1:").doesNotEndWith(":9092");
      assertThat(Files.readString(dir.resolve("bootstrap.servers")).trim()).isEqualTo(bootstrap);
      String topic = KafkaTestSupport.uniqueTopic("process");
      KafkaTestSupport.createTopic(bootstrap, topic, 1);
      KafkaTestSupport.produce(
          bootstrap,
          List.of(
              new ProducerRecord<>(
                  topic, AvroCodec.of(Event.class).encode(Samples.event("u", "e")))));
      assertThat(
              KafkaTestSupport.readAtLeast(
                  bootstrap, topic, "read_committed", 1, Duration.ofSeconds(30)))
          .hasSize(1);

      broker.destroy(); // SIGTERM: the shutdown hook stops the broker cleanly
      assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker exited").isTrue();
      assertThat(broker.exitValue()).isIn(0, 143);
    } finally {
      broker.destroyForcibly();
    }
  }
}
