package io.elapse.connectors;

import io.elapse.avro.CellVariant;
import io.elapse.avro.ConformalSet;
import io.elapse.avro.DeadLetter;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.ElapsedTime;
import io.elapse.avro.Evaluation;
import io.elapse.avro.EvaluationCounts;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.avro.ModelConfig;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskCalibration;
import io.elapse.avro.TaskEvaluation;
import io.elapse.avro.TaskPrediction;
import io.elapse.avro.TrainingStats;
import io.elapse.avro.UpdateKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Fully populated records of every Elapse contract. */
final class Samples {

  static final Instant T0 = Instant.parse("2026-11-01T10:15:30.123Z");

  private Samples() {}

  static SpecificRecord of(String name) {
    return switch (name) {
      case "Event" -> event("user-7", "e-42");
      case "ElapsedTime" -> new ElapsedTime("user-7", "e-42", 12_345L);
      case "Label" -> label();
      case "Prediction" -> prediction();
      case "ModelUpdate" -> modelUpdate();
      case "DeadLetter" -> deadLetter();
      case "Evaluation" -> evaluation();
      default -> throw new IllegalArgumentException("no sample for " + name);
    };
  }

  static Event event(String entityId, String eventId) {
    return Event.newBuilder()
        .setEntityId(entityId)
        .setEventId(eventId)
        .setEventType("login")
        .setEventTime(T0)
        .setFeatures(List.of(0.5f, -1.25f, 3.0f))
        .setElapsedMillis(60_000L)
        .build();
  }

  static Label label() {
    return Label.newBuilder()
        .setEntityId("user-7")
        .setEventId("e-42")
        .setTargets(Map.of("churn", 1.0, "upsell", 0.25))
        .setSampleWeight(2.0)
        .setLabelTime(T0.plusSeconds(3600))
        .build();
  }

  static Prediction prediction() {
    return Prediction.newBuilder()
        .setEntityId("user-7")
        .setEventId("e-42")
        .setEventTime(T0)
        .setModelVersion(new ModelVersion(3L, 1_200L))
        .setTasks(
            List.of(
                new TaskPrediction("churn", 0.125, -1.9459, ConformalSet.ZERO),
                new TaskPrediction("upsell", 0.5, 0.0, ConformalSet.BOTH)))
        .setConfidence(0.5)
        .setElapsedMillis(60_000L)
        .setElapsedSource(ElapsedSource.EXPLICIT)
        .setIngestTime(T0.plusMillis(5))
        .setPredictTime(T0.plusMillis(7))
        .setComputeNanos(1_800L)
        .build();
  }

  static ModelUpdate modelUpdate() {
    ModelConfig config =
        ModelConfig.newBuilder()
            .setVariant(CellVariant.DECAY)
            .setHiddenSize(64)
            .setEmbeddingDim(32)
            .setVocabularyBuckets(10_000)
            .setNumFeatures(3)
            .setTasks(List.of("churn", "upsell"))
            .setWindowSize(32)
            .setTimeTransform("log1p")
            .setTimeScaleMillis(60_000.0)
            .setProperties(Map.of("optimizer", "adam"))
            .build();
    return ModelUpdate.newBuilder()
        .setVersion(new ModelVersion(3L, 1_200L))
        .setKind(UpdateKind.FULL)
        .setBaseVersion(null)
        .setCreatedAt(T0)
        .setConfig(config)
        .setParameterFormat("elapse-params-v1")
        .setParameters(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setOptimizerState(null)
        .setCalibration(List.of(new TaskCalibration("churn", 1.1, -0.2, 0.1, 0.095, 0.81, 500L)))
        .setStats(new TrainingStats(920L, 31L, 0.213, Map.of("gradNorm", 0.7)))
        .setChecksum(ByteBuffer.wrap(new byte[32]))
        .setSignature(null)
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("elapse.events")
        .setSourcePartition(1)
        .setSourceOffset(1_234L)
        .setKey(ByteBuffer.wrap("user-7".getBytes(StandardCharsets.UTF_8)))
        .setValue(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 0x01, 0x00}))
        .setReason("undecodable")
        .setMessage("truncated record")
        .setStage("decode")
        .setEntityId(null)
        .setFailedAt(T0)
        .build();
  }

  static byte[] fixture(String name) {
    try (var in = Samples.class.getResourceAsStream("/fixtures/v1/" + name + ".bin")) {
      if (in == null) {
        throw new IllegalStateException("missing fixture fixtures/v1/" + name + ".bin");
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Evaluation evaluation() {
    TaskEvaluation churn =
        new TaskEvaluation(
            "churn",
            120L,
            0.41,
            0.83,
            true,
            0.012,
            0.13,
            0.81,
            0.1,
            0.11,
            120L,
            0.9,
            1.2,
            3.6e6,
            7_200_000L);
    TaskEvaluation upsell =
        new TaskEvaluation(
            "upsell",
            0L,
            Double.NaN,
            Double.NaN,
            true,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0L,
            Double.NaN,
            Double.NaN,
            Double.NaN,
            0L);
    return Evaluation.newBuilder()
        .setEvaluator("elapse")
        .setSequence(7L)
        .setReportTime(T0.plusSeconds(70))
        .setWatermark(T0)
        .setCounts(new EvaluationCounts(1_000L, 2L, 130L, 120L, 10L, 880L, 0L))
        .setK(5)
        .setExamples(120L)
        .setPrecisionAtK(0.1)
        .setRecallAtK(0.92)
        .setMacroAuc(0.83)
        .setOverall(
            new TaskEvaluation(
                "*",
                120L,
                0.41,
                0.83,
                true,
                0.012,
                0.13,
                0.81,
                0.1,
                0.11,
                120L,
                0.9,
                1.2,
                3.6e6,
                7_200_000L))
        .setTasks(List.of(churn, upsell))
        .setLatestModelVersion(new ModelVersion(3L, 1_200L))
        .build();
  }
}
