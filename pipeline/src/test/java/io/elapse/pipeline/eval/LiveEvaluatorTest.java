package io.elapse.pipeline.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.ConformalSet;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Label;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.EmbeddedKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.model.metrics.Auc;
import io.elapse.pipeline.synth.SyntheticProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The evaluator's join of predictions and labels equals a brute-force join of the same records. */
class LiveEvaluatorTest {

  static final List<String> TASKS = List.of("a", "b", "c");

  @Test
  void metricsEqualABruteForceJoinOfTheSameRecords() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      KafkaConfig config =
          KafkaConfig.builder()
              .bootstrapServers(kafka.bootstrapServers())
              .topics(ElapseTopics.withPrefix("eval."))
              .build();
      try (Admin admin = Admin.create(new ElapseKafka(config).adminProperties())) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(config.topics().predictions(), 2, (short) 1),
                    new NewTopic(config.topics().labels(), 2, (short) 1)))
            .all()
            .get();
      }
      SplittableRandom rnd = new SplittableRandom(3);
      Map<String, Prediction> predictions = new HashMap<>();
      List<Label> labels = new ArrayList<>();
      AvroCodec<Prediction> pc = AvroCodec.of(Prediction.class);
      AvroCodec<Label> lc = AvroCodec.of(Label.class);
      try (SyntheticProducer p =
          new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
        for (int i = 0; i < 600; i++) {
          String entity = "u" + (i % 37);
          String event = "e" + i;
          List<TaskPrediction> tasks = new ArrayList<>();
          for (String t : TASKS) {
            double prob = rnd.nextDouble();
            tasks.add(new TaskPrediction(t, prob, Math.log(prob / (1 - prob)), ConformalSet.BOTH));
          }
          Prediction pr =
              Prediction.newBuilder()
                  .setEntityId(entity)
                  .setEventId(event)
                  .setEventTime(Instant.ofEpochMilli(1_000L * i))
                  .setModelVersion(new ModelVersion(1L, (long) i))
                  .setTasks(tasks)
                  .setConfidence(0)
                  .setElapsedSource(ElapsedSource.DERIVED)
                  .setIngestTime(Instant.ofEpochMilli(0))
                  .setPredictTime(Instant.ofEpochMilli(0))
                  .setComputeNanos(1)
                  .build();
          // Some labels are written before their prediction, some after, some twice, some never.
          boolean labelled = i % 3 != 0;
          Label label = null;
          if (labelled) {
            Map<String, Double> targets = new HashMap<>();
            for (int k = 0; k < TASKS.size(); k++) {
              if (rnd.nextDouble() < 0.5) {
                double prob = tasks.get(k).getProbability();
                targets.put(TASKS.get(k), rnd.nextDouble() < prob ? 1.0 : 0.0);
              }
            }
            label =
                Label.newBuilder()
                    .setEntityId(entity)
                    .setEventId(event)
                    .setTargets(targets)
                    .setLabelTime(Instant.ofEpochMilli(1_000L * i + 500))
                    .build();
            labels.add(label);
            if (i % 7 == 0) {
              labels.add(label);
            }
          }
          if (labelled && i % 2 == 0) {
            p.sendRaw(config.topics().labels(), entity, lc.encode(label), 0);
            if (i % 7 == 0) {
              p.sendRaw(config.topics().labels(), entity, lc.encode(label), 0);
            }
            p.sendRaw(config.topics().predictions(), entity, pc.encode(pr), 0);
          } else {
            p.sendRaw(config.topics().predictions(), entity, pc.encode(pr), 0);
            if (labelled) {
              p.sendRaw(config.topics().labels(), entity, lc.encode(label), 0);
              if (i % 7 == 0) {
                p.sendRaw(config.topics().labels(), entity, lc.encode(label), 0);
              }
            }
          }
          predictions.put(entity + "/" + event, pr);
        }
        // A label for an event that was never predicted.
        p.sendRaw(
            config.topics().labels(),
            "ghost",
            lc.encode(
                Label.newBuilder()
                    .setEntityId("ghost")
                    .setEventId("none")
                    .setTargets(Map.of("a", 1.0))
                    .setLabelTime(Instant.ofEpochMilli(0))
                    .build()),
            0);
        p.flush();
      }

      // Brute force: every label joined with its prediction, every present task.
      List<double[]> pairs = new ArrayList<>();
      for (Label l : labels) {
        Prediction pr = predictions.get(l.getEntityId() + "/" + l.getEventId());
        for (TaskPrediction t : pr.getTasks()) {
          Double y = l.getTargets().get(t.getTask());
          if (y != null) {
            pairs.add(new double[] {t.getProbability(), y});
          }
        }
      }
      double[] s = new double[pairs.size()];
      boolean[] y = new boolean[pairs.size()];
      double logLoss = 0;
      for (int i = 0; i < s.length; i++) {
        s[i] = pairs.get(i)[0];
        y[i] = pairs.get(i)[1] >= 0.5;
        logLoss -= y[i] ? Math.log(s[i]) : Math.log(1 - s[i]);
      }
      logLoss /= s.length;

      try (LiveEvaluator evaluator =
          new LiveEvaluator(
              new ElapseKafka(config).consumerProperties(),
              config.topics().predictions(),
              config.topics().labels(),
              TASKS,
              100,
              10_000)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (evaluator.labelsJoined() < labels.size() && System.nanoTime() < deadline) {
          evaluator.pollOnce(Duration.ofMillis(100));
        }
        var overall = evaluator.cumulativeReport().overall();
        assertThat(evaluator.predictions()).isEqualTo(600);
        assertThat(evaluator.labelsJoined()).isEqualTo(labels.size());
        assertThat(overall.count()).isEqualTo(pairs.size());
        assertThat(overall.auc())
            .isCloseTo(Auc.exact(s, y, s.length), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(overall.logLoss()).isCloseTo(logLoss, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(evaluator.meanLabelDelayMillis()).isEqualTo(500.0);
      }
    }
  }
}
