package io.elapse.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
      // A dedicated thread drains the broker's output from the start: a full pipe would block the
      // broker before it prints its address, and the common pool (one thread on two cores) may be
      // busy with another test's work.
      CompletableFuture<String> ready = new CompletableFuture<>();
      List<String> output = Collections.synchronizedList(new ArrayList<>());
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith(KafkaBrokerMain.READY_PREFIX)) {
                      ready.complete(line.substring(KafkaBrokerMain.READY_PREFIX.length()));
                    }
                  }
                  ready.completeExceptionally(
                      new IllegalStateException("broker exited without printing its address"));
                } catch (IOException e) {
                  ready.completeExceptionally(e);
                }
              },
              "broker-output");
      reader.setDaemon(true);
      reader.start();
      String bootstrap;
      try {
        bootstrap = ready.get(90, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        throw new AssertionError(
            "broker did not print its address; its output:\n" + String.join("\n", output), e);
      }

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
