package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.elapse.avro.ConformalSet;
import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Evaluation;
import io.elapse.avro.Label;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskEvaluation;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.eval.EntitySample;
import io.elapse.pipeline.synth.SyntheticProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 6, "the evaluator's metrics equal a brute-force computation over the same joined records":
 * the Flink evaluator (parallelism 2, real broker, MiniCluster, read to the topics' end) publishes
 * a final report whose every metric, per task and overall, equals a direct computation in this test
 * over the records it wrote (labels before and after their prediction, duplicated labels, soft
 * targets, unknown tasks, a duplicate prediction, a label without prediction, and two bad
 * predictions that must become dead letters). Run at {@code elapse.evaluation.entity-fraction} 1
 * and 0.5: with a sample, the report equals the brute force over the sampled entities' records.
 */
class EvaluatorJobTest {

  static final List<String> TASKS = List.of("a", "b", "c");
  static final int K = 2;
  static final int N = 800;
  static final double EXACT = 1e-12;
  static final double SUMS = 1e-9;

  /** One joined (prediction, label) pair. */
  record Pair(Prediction prediction, Label label) {}

  @ParameterizedTest(name = "entity fraction {0}")
  @ValueSource(doubles = {1.0, 0.5})
  void publishedMetricsEqualABruteForceComputationOverTheJoinedRecords(double entityFraction)
      throws Exception {
    EntitySample sample = new EntitySample(entityFraction);
    CollectingReporter.GAUGES.clear(); // the gauges of an earlier run's job
    try (KafkaJobFixture fixture = new KafkaJobFixture()) {
      KafkaConfig config =
          fixture.topics(entityFraction == 1.0 ? "evaljob." : "evaljob-sample.", 2);
      SplittableRandom rnd = new SplittableRandom(17);
      AvroCodec<Prediction> pc = AvroCodec.of(Prediction.class);
      AvroCodec<Label> lc = AvroCodec.of(Label.class);
      Map<String, Prediction> first = new LinkedHashMap<>();
      List<Label> labels = new ArrayList<>();
      int duplicatePredictions = 0;
      long predictionsOfSample = 0;
      long latestStepOfSample = -1;
      long t0 = 1_767_225_600_000L;
      try (SyntheticProducer p =
          new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
        String lt = config.topics().labels();
        String pt = config.topics().predictions();
        for (int i = 0; i < N; i++) {
          String entity = "u" + (i % 41);
          String event = "e" + i;
          long eventTime = t0 + 1_000L * i;
          List<TaskPrediction> tasks = new ArrayList<>();
          for (String t : TASKS) {
            // Coarse probabilities so that ties occur (AUC ties count one half).
            double prob = rnd.nextInt(21) / 20.0;
            ConformalSet set = ConformalSet.values()[rnd.nextInt(4)];
            tasks.add(new TaskPrediction(t, prob, 0.0, set));
          }
          Prediction pr = prediction(entity, event, eventTime, tasks, 1L, i / 10);
          List<Label> mine = new ArrayList<>();
          if (i % 4 != 0) {
            Map<String, Double> targets = new HashMap<>();
            for (int k = 0; k < TASKS.size(); k++) {
              if (rnd.nextDouble() < 0.6) {
                double prob = tasks.get(k).getProbability();
                double y = rnd.nextDouble() < prob ? 1.0 : 0.0;
                targets.put(TASKS.get(k), i % 13 == 0 ? 0.3 : y);
              }
            }
            if (i % 17 == 0) {
              targets.put("zzz", 1.0);
            }
            Label label = label(entity, event, eventTime + rnd.nextInt(30_000), targets);
            mine.add(label);
            if (i % 7 == 0) {
              mine.add(label);
            }
            if (i % 11 == 0) {
              mine.add(label(entity, event, eventTime + 45_000, Map.of(TASKS.get(i % 3), 1.0)));
            }
          }
          boolean labelsFirst = i % 2 == 0;
          if (!labelsFirst) {
            p.sendRaw(pt, entity, pc.encode(pr), eventTime);
          }
          for (Label l : mine) {
            p.sendRaw(lt, entity, lc.encode(l), l.getLabelTime().toEpochMilli());
          }
          if (labelsFirst) {
            p.sendRaw(pt, entity, pc.encode(pr), eventTime);
          }
          if (i % 97 == 5) {
            // A second prediction for the same event: counted, the first one is kept.
            List<TaskPrediction> other = new ArrayList<>();
            for (String t : TASKS) {
              other.add(new TaskPrediction(t, 0.5, 0.0, ConformalSet.BOTH));
            }
            p.sendRaw(pt, entity, pc.encode(prediction(entity, event, eventTime, other, 1L, 0)), 0);
            if (sample.contains(entity)) {
              duplicatePredictions++;
              predictionsOfSample++;
            }
          }
          if (sample.contains(entity)) {
            first.put(entity + "/" + event, pr);
            labels.addAll(mine);
            predictionsOfSample++;
            latestStepOfSample = Math.max(latestStepOfSample, i / 10);
          }
        }
        // A label whose prediction never comes, and two predictions the evaluator must reject.
        p.sendRaw(
            config.topics().labels(),
            "ghost",
            lc.encode(label("ghost", "none", t0, Map.of("a", 1.0))),
            t0);
        p.sendRaw(pt, "bad", new byte[] {1, 2, 3}, t0);
        p.sendRaw(
            pt,
            "bad",
            pc.encode(
                prediction(
                    "bad",
                    "bad-1",
                    t0,
                    List.of(new TaskPrediction("a", 1.5, 0.0, ConformalSet.ONE)),
                    1L,
                    0)),
            t0);
        p.flush();
      }

      // The user's path: ./elapse evaluate, tasks taken from the first prediction.
      int exit =
          io.elapse.pipeline.cli.ElapseCli.commandLine()
              .execute(
                  "evaluate",
                  "--bootstrap-servers",
                  fixture.kafka.bootstrapServers(),
                  "--predictions-topic",
                  config.topics().predictions(),
                  "--labels-topic",
                  config.topics().labels(),
                  "--evaluation-topic",
                  config.topics().evaluation(),
                  "--dead-letter-topic",
                  config.topics().deadLetters(),
                  "--until-end",
                  "-Delapse.parallelism=2",
                  "-Delapse.checkpoint.interval=2 s",
                  "-Delapse.evaluation.name=brute-force-check",
                  "-Delapse.evaluation.interval=1 s",
                  "-Delapse.evaluation.k=" + K,
                  "-Delapse.evaluation.entity-fraction=" + entityFraction,
                  "-Dmetrics.reporter.collect.factory.class="
                      + CollectingReporter.Factory.class.getName());
      assertThat(exit).isZero();

      List<Evaluation> reports;
      try (TopicCollector<Evaluation> c =
          new TopicCollector<>(config, config.topics().evaluation(), Evaluation.class)) {
        assertThat(KafkaJobFixture.await(Duration.ofSeconds(30), () -> !c.poll(10).isEmpty()))
            .as("a report on the evaluation topic")
            .isTrue();
        reports = c.drain();
      }
      Evaluation last =
          reports.stream().max(Comparator.comparingLong(Evaluation::getSequence)).get();
      assertThat(last.getEvaluator()).isEqualTo("brute-force-check");

      // ---- brute force over the records written above
      List<Pair> pairs = new ArrayList<>();
      for (Label l : labels) {
        pairs.add(new Pair(first.get(l.getEntityId() + "/" + l.getEventId()), l));
      }
      var counts = last.getCounts();
      if (entityFraction < 1) {
        assertThat(first.size()).as("predictions of the sampled entities").isBetween(1, N - 1);
      }
      int ghost = sample.contains("ghost") ? 1 : 0;
      assertThat(counts.getPredictions()).isEqualTo(predictionsOfSample);
      assertThat(counts.getDuplicatePredictions()).isEqualTo(duplicatePredictions);
      assertThat(counts.getLabels()).isEqualTo(labels.size() + ghost);
      assertThat(counts.getJoinedLabels()).isEqualTo(pairs.size());
      assertThat(counts.getUnmatchedLabels()).isEqualTo(ghost);
      long unlabelled =
          first.keySet().stream()
              .filter(
                  k ->
                      labels.stream()
                          .noneMatch(l -> k.equals(l.getEntityId() + "/" + l.getEventId())))
              .count();
      assertThat(counts.getUnlabelledPredictions()).isEqualTo(unlabelled);
      long unknownTargets = labels.stream().filter(l -> l.getTargets().containsKey("zzz")).count();
      assertThat(unknownTargets).isPositive();
      assertThat(counts.getUnknownTasks()).isEqualTo(unknownTargets);
      assertThat(last.getLatestModelVersion()).isEqualTo(new ModelVersion(1L, latestStepOfSample));

      List<DeadLetter> dead = fixture.deadLetters(config);
      assertThat(dead).hasSize(2).allSatisfy(d -> assertThat(d.getStage()).isEqualTo("evaluator"));
      assertThat(dead)
          .extracting(DeadLetter::getReason)
          .containsExactlyInAnyOrder("undecodable", "invalid-field");

      for (int t = 0; t < TASKS.size(); t++) {
        checkRow(last.getTasks().get(t), pairs, t);
      }
      checkRow(last.getOverall(), pairs, -1);

      // at-k over every joined label, and the macro AUC
      double precisionSum = 0;
      int precisionN = 0;
      double recallSum = 0;
      int recallN = 0;
      for (Pair pair : pairs) {
        List<Integer> present = new ArrayList<>();
        int positives = 0;
        for (int t = 0; t < TASKS.size(); t++) {
          Double y = pair.label().getTargets().get(TASKS.get(t));
          if (y != null) {
            present.add(t);
            positives += y >= 0.5 ? 1 : 0;
          }
        }
        if (present.isEmpty()) {
          continue;
        }
        present.sort(
            Comparator.comparingDouble(
                    (Integer t) -> -pair.prediction().getTasks().get(t).getProbability())
                .thenComparingInt(t -> t));
        int top = Math.min(K, present.size());
        int hits = 0;
        for (int r = 0; r < top; r++) {
          hits += pair.label().getTargets().get(TASKS.get(present.get(r))) >= 0.5 ? 1 : 0;
        }
        precisionSum += (double) hits / top;
        precisionN++;
        if (positives > 0) {
          recallSum += (double) hits / positives;
          recallN++;
        }
      }
      assertThat(last.getK()).isEqualTo(K);
      assertThat(last.getExamples()).isEqualTo(pairs.size());
      assertThat(last.getPrecisionAtK()).isCloseTo(precisionSum / precisionN, within(SUMS));
      assertThat(last.getRecallAtK()).isCloseTo(recallSum / recallN, within(SUMS));
      double macro =
          last.getTasks().stream().mapToDouble(TaskEvaluation::getAuc).average().getAsDouble();
      assertThat(last.getMacroAuc()).isCloseTo(macro, within(EXACT));
      // The same figures as Flink gauges (the reporter keeps them; they show the last report).
      assertThat((Double) CollectingReporter.gauge(".evaluation.auc"))
          .isEqualTo(last.getOverall().getAuc());
      assertThat((Double) CollectingReporter.gauge(".evaluation.joinedLabels"))
          .isEqualTo((double) counts.getJoinedLabels());
      assertThat((Double) CollectingReporter.gauge(".evaluation.recallAtK"))
          .isEqualTo(last.getRecallAtK());
      for (int t = 0; t < TASKS.size(); t++) {
        TaskEvaluation row = last.getTasks().get(t);
        String group = ".evaluation.task." + TASKS.get(t);
        assertThat((Double) CollectingReporter.gauge(group + ".ece")).isEqualTo(row.getEce());
        assertThat((Double) CollectingReporter.gauge(group + ".setCoverage"))
            .isEqualTo(row.getSetCoverage());
        assertThat((Double) CollectingReporter.gauge(group + ".meanLabelDelayMillis"))
            .isEqualTo(row.getMeanLabelDelayMillis());
      }
      System.out.printf(
          "evaluator: %d reports, last %s; overall auc %.4f, ece %.4f, coverage %.4f%n",
          reports.size(),
          counts,
          last.getOverall().getAuc(),
          last.getOverall().getEce(),
          last.getOverall().getSetCoverage());
    }
  }

  /** Checks one published row against the pairs' present targets of task t (t < 0: every task). */
  static void checkRow(TaskEvaluation row, List<Pair> pairs, int task) {
    List<double[]> xs = new ArrayList<>(); // probability, target, set ordinal
    double delaySum = 0;
    long delayMax = Long.MIN_VALUE;
    long delayN = 0;
    for (Pair pair : pairs) {
      long delay =
          pair.label().getLabelTime().toEpochMilli()
              - pair.prediction().getEventTime().toEpochMilli();
      boolean any = false;
      for (int t = 0; t < TASKS.size(); t++) {
        if (task >= 0 && t != task) {
          continue;
        }
        Double y = pair.label().getTargets().get(TASKS.get(t));
        if (y == null) {
          continue;
        }
        TaskPrediction tp = pair.prediction().getTasks().get(t);
        xs.add(new double[] {tp.getProbability(), y, tp.getPredictionSet().ordinal()});
        any = true;
      }
      if (task < 0 || any) {
        delaySum += delay;
        delayMax = Math.max(delayMax, delay);
        delayN++;
      }
    }
    int n = xs.size();
    double logLoss = 0;
    double brier = 0;
    double correct = 0;
    double targets = 0;
    double probs = 0;
    long covered = 0;
    long sizes = 0;
    double[] binP = new double[15];
    double[] binY = new double[15];
    for (double[] x : xs) {
      double p = x[0];
      double y = x[1];
      double pc = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
      logLoss -= y * Math.log(pc) + (1 - y) * Math.log(1 - pc);
      brier += (p - y) * (p - y);
      correct += (p >= 0.5) == (y >= 0.5) ? 1 : 0;
      targets += y;
      probs += p;
      ConformalSet set = ConformalSet.values()[(int) x[2]];
      boolean zero = set == ConformalSet.ZERO || set == ConformalSet.BOTH;
      boolean one = set == ConformalSet.ONE || set == ConformalSet.BOTH;
      covered += (y >= 0.5 ? one : zero) ? 1 : 0;
      sizes += (zero ? 1 : 0) + (one ? 1 : 0);
      int b = Math.min((int) (p * 15), 14);
      binP[b] += p;
      binY[b] += y;
    }
    double ece = 0;
    for (int b = 0; b < 15; b++) {
      ece += Math.abs(binP[b] - binY[b]);
    }
    // AUC by counting every (positive, negative) pair, ties one half.
    double wins = 0;
    long pos = 0;
    long neg = 0;
    for (double[] x : xs) {
      if (x[1] >= 0.5) {
        pos++;
        for (double[] z : xs) {
          if (z[1] < 0.5) {
            wins += x[0] > z[0] ? 1 : x[0] == z[0] ? 0.5 : 0;
          }
        }
      } else {
        neg++;
      }
    }
    String what = "task " + row.getTask();
    assertThat(row.getCount()).as(what).isEqualTo(n);
    assertThat(row.getLogLoss()).as(what).isCloseTo(logLoss / n, within(SUMS));
    assertThat(row.getAuc()).as(what).isCloseTo(wins / (pos * neg), within(EXACT));
    assertThat(row.getAucExact()).as(what).isTrue();
    assertThat(row.getEce()).as(what).isCloseTo(ece / n, within(SUMS));
    assertThat(row.getBrier()).as(what).isCloseTo(brier / n, within(SUMS));
    assertThat(row.getAccuracy()).as(what).isCloseTo(correct / n, within(EXACT));
    assertThat(row.getPositiveRate()).as(what).isCloseTo(targets / n, within(SUMS));
    assertThat(row.getMeanProbability()).as(what).isCloseTo(probs / n, within(SUMS));
    assertThat(row.getSetCount()).as(what).isEqualTo(n);
    assertThat(row.getSetCoverage()).as(what).isCloseTo((double) covered / n, within(EXACT));
    assertThat(row.getAverageSetSize()).as(what).isCloseTo((double) sizes / n, within(EXACT));
    assertThat(row.getMeanLabelDelayMillis()).as(what).isCloseTo(delaySum / delayN, within(SUMS));
    assertThat(row.getMaxLabelDelayMillis()).as(what).isEqualTo(delayMax);
  }

  static Prediction prediction(
      String entity,
      String event,
      long eventTime,
      List<TaskPrediction> tasks,
      long epoch,
      long step) {
    return Prediction.newBuilder()
        .setEntityId(entity)
        .setEventId(event)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .setModelVersion(new ModelVersion(epoch, step))
        .setTasks(tasks)
        .setConfidence(0)
        .setElapsedSource(ElapsedSource.DERIVED)
        .setIngestTime(Instant.ofEpochMilli(eventTime))
        .setPredictTime(Instant.ofEpochMilli(eventTime))
        .setComputeNanos(1)
        .build();
  }

  static Label label(String entity, String event, long labelTime, Map<String, Double> targets) {
    return Label.newBuilder()
        .setEntityId(entity)
        .setEventId(event)
        .setTargets(targets)
        .setLabelTime(Instant.ofEpochMilli(labelTime))
        .build();
  }
}
