package io.elapse.connectors.bench;

import io.elapse.avro.ConformalSet;
import io.elapse.avro.ElapsedSource;
import io.elapse.avro.Event;
import io.elapse.avro.ModelVersion;
import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Per-record cost of the single-object codec: an Event with 8 features and a Prediction with 30
 * tasks (K=30, as in DESIGN), against Avro's own {@link BinaryMessageDecoder} as the baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {

  Event event;
  Prediction prediction;
  byte[] eventBytes;
  byte[] predictionBytes;
  BinaryMessageDecoder<Event> avroEventDecoder;

  @Setup
  public void setUp() {
    List<Float> features = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      features.add(i * 0.5f);
    }
    event =
        Event.newBuilder()
            .setEntityId("user-123456")
            .setEventId("event-0000042")
            .setEventType("page_view")
            .setEventTime(Instant.parse("2026-11-01T10:15:30.123Z"))
            .setFeatures(features)
            .setElapsedMillis(60_000L)
            .build();
    List<TaskPrediction> tasks = new ArrayList<>();
    for (int k = 0; k < 30; k++) {
      tasks.add(new TaskPrediction("task-" + k, 0.03, -3.4, ConformalSet.ZERO));
    }
    prediction =
        Prediction.newBuilder()
            .setEntityId("user-123456")
            .setEventId("event-0000042")
            .setEventTime(Instant.parse("2026-11-01T10:15:30.123Z"))
            .setModelVersion(new ModelVersion(1L, 100L))
            .setTasks(tasks)
            .setConfidence(0.9)
            .setElapsedMillis(60_000L)
            .setElapsedSource(ElapsedSource.EXPLICIT)
            .setIngestTime(Instant.parse("2026-11-01T10:15:30.130Z"))
            .setPredictTime(Instant.parse("2026-11-01T10:15:30.131Z"))
            .setComputeNanos(4_000L)
            .build();
    eventBytes = AvroCodec.of(Event.class).encode(event);
    predictionBytes = AvroCodec.of(Prediction.class).encode(prediction);
    avroEventDecoder =
        new BinaryMessageDecoder<>(
            org.apache.avro.specific.SpecificData.getForClass(Event.class), Event.getClassSchema());
  }

  @Benchmark
  public byte[] encodeEvent() {
    return AvroCodec.of(Event.class).encode(event);
  }

  @Benchmark
  public DecodeResult<Event> decodeEvent() {
    return AvroCodec.of(Event.class).decode(eventBytes);
  }

  @Benchmark
  public DecodeResult<SpecificRecord> decodeAnyEvent() {
    return AvroCodec.decodeAny(eventBytes);
  }

  @Benchmark
  public Event decodeEventWithAvroBinaryMessageDecoder() throws Exception {
    return avroEventDecoder.decode(ByteBuffer.wrap(eventBytes));
  }

  @Benchmark
  public byte[] encodePrediction() {
    return AvroCodec.of(Prediction.class).encode(prediction);
  }

  @Benchmark
  public DecodeResult<Prediction> decodePrediction() {
    return AvroCodec.of(Prediction.class).decode(predictionBytes);
  }

  /** Runs every benchmark briefly (1 fork, 3 x 1 s warm-up, 5 x 1 s measurement). */
  public static void main(String[] args) throws Exception {
    new Runner(
            new OptionsBuilder()
                .include(CodecBench.class.getName() + (args.length > 0 ? "." + args[0] : ""))
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .build())
        .run();
  }
}
