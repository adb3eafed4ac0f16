package io.elapse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elapse.avro.Evaluation;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.eval.EvaluationSettings;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The evaluator inside the main job: with {@code elapse.evaluation.*} set, the job publishes
 * reports to its evaluation topic in which every label of the stream is joined with the job's own
 * prediction, and the per-task label counts are those of the stream.
 */
class ElapseJobEvaluationTest {

  static final List<String> TASKS = SyntheticSpec.taskNames(4);

  @Test
  void theJobEvaluatesItsOwnPredictions() throws Exception {
    try (KafkaJobFixture fixture = new KafkaJobFixture()) {
      KafkaConfig config = fixture.topics("jobeval.", 2);
      JobSettings settings =
          TestSettings.forJobs(Map.of("elapse.model.tasks", String.join(";", TASKS)));
      EvaluationSettings evaluation =
          EvaluationSettings.from(
              Configuration.fromMap(
                  Map.of("elapse.evaluation.interval", "500 ms", "elapse.evaluation.name", "job")));
      SyntheticSpec spec =
          new SyntheticSpec(
              50, 2_000, 6, TASKS, 0.5, 0.5, 5_000, 10_000, 1_767_225_600_000L, false, 5L);
      SyntheticStream.Generated stream = new SyntheticStream(spec).generate();

      StreamExecutionEnvironment env = KafkaJobFixture.environment(settings);
      ElapseJob.define(env, config, settings, evaluation, false, "");
      JobClient job = env.executeAsync("job-evaluation");
      try {
        try (SyntheticProducer producer =
            new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
          producer.send(stream, config.topics().events(), config.topics().labels(), 0, null);
        }
        int labels = stream.labels().size();
        AtomicReference<Evaluation> latest = new AtomicReference<>();
        try (TopicCollector<Evaluation> reports =
            new TopicCollector<>(config, config.topics().evaluation(), Evaluation.class)) {
          KafkaJobFixture.await(
              Duration.ofMinutes(2),
              () -> {
                List<Evaluation> all = reports.poll(20);
                if (!all.isEmpty()) {
                  latest.set(all.get(all.size() - 1));
                }
                // a report can count every label before the last unlabelled predictions
                return latest.get() != null
                    && latest.get().getCounts().getJoinedLabels() >= labels
                    && latest.get().getCounts().getPredictions() >= stream.events().size();
              });
        }
        Evaluation last = latest.get();
        assertThat(last).as("a report on the evaluation topic").isNotNull();
        System.out.println(
            "in-job evaluation: " + last.getCounts() + ", overall " + last.getOverall());
        assertThat(last.getEvaluator()).isEqualTo("job");
        assertThat(last.getCounts().getJoinedLabels()).isEqualTo(labels);
        assertThat(last.getCounts().getPredictions())
            .isGreaterThanOrEqualTo(stream.events().size());
        assertThat(last.getTasks()).extracting(t -> t.getTask()).containsExactlyElementsOf(TASKS);
        long overall = 0;
        for (int t = 0; t < TASKS.size(); t++) {
          String task = TASKS.get(t);
          long present =
              stream.labels().stream()
                  .filter(l -> l.label().getTargets().containsKey(task))
                  .count();
          assertThat(last.getTasks().get(t).getCount()).as(task).isEqualTo(present);
          overall += present;
        }
        assertThat(last.getOverall().getCount()).isEqualTo(overall);
        assertThat(last.getOverall().getAuc()).isBetween(0.0, 1.0);
        assertThat(last.getLatestModelVersion()).isNotNull();
      } finally {
        job.cancel().get();
      }
    }
  }
}
