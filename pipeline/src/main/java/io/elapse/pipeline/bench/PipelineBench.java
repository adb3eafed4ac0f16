package io.elapse.pipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.avro.Prediction;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.EmbeddedKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.connectors.StartPosition;
import io.elapse.connectors.TopicAdministrator;
import io.elapse.pipeline.ElapseJob;
import io.elapse.pipeline.config.JobSettings;
import io.elapse.pipeline.eval.EvaluationSettings;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures the Elapse job against a passthrough baseline on one in-process broker and one
 * pre-produced input: sustained events/s of each (from the output topic's log-end offsets between
 * 10% and 90% of the input), whole-process CPU time per event over the same span, checkpoint bytes
 * per entity, and the event-to-prediction latency of the Elapse job under a paced load at a
 * fraction of its measured maximum.
 */
public final class PipelineBench {

  /** What to run. */
  public record Options(
      int events,
      int entities,
      double labelFraction,
      double taskPresence,
      int tasks,
      double latencyLoad,
      Duration latencyDuration,
      String stateBackend,
      Map<String, String> settings,
      Path out,
      boolean skipPassthrough,
      boolean skipLatency,
      long seed,
      int repeat) {

    /** Checks the options: positive sizes and load, at least one repeat. */
    public Options {
      if (events <= 0 || entities <= 0 || tasks <= 0) {
        throw new IllegalArgumentException(
            "--events, --entities and --tasks must be > 0, got "
                + events
                + ", "
                + entities
                + ", "
                + tasks);
      }
      if (!(latencyLoad > 0)) {
        throw new IllegalArgumentException("--latency-load must be > 0, got " + latencyLoad);
      }
      if (repeat < 1) {
        throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
      }
    }
  }

  /** One throughput measurement. */
  public record Throughput(
      String job,
      long events,
      double eventsPerSecond,
      double seconds,
      double cpuMicrosPerEvent,
      double cpuCores,
      long committed,
      long checkpointBytes,
      long largestCheckpointBytes,
      long learnerKeyedStateBytes,
      long evaluatorKeyedStateBytes) {}

  /** The latency measurement. */
  public record Latency(
      double targetRate,
      double achievedRate,
      long sent,
      long measured,
      double p50Millis,
      double p99Millis,
      double jobP50Millis,
      double jobP99Millis) {}

  private static final long EVENT_GAP_MILLIS = 10_000;

  private final Options o;
  private final Path workDir;

  /** A benchmark with these options; checkpoints go under the output's directory. */
  public PipelineBench(Options options) {
    this.o = options;
    this.workDir = options.out().toAbsolutePath().getParent().resolve("pipeline-work");
  }

  /** Runs everything and writes the JSON; returns the figures as written. */
  public Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("date", Instant.now().toString());
    result.put("machine", machine());
    result.put("load_average_start", loadAverage());
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    say("starting an Apache Kafka broker in this process ...");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      JobSettings settings = settings("b");
      int partitions = settings.parallelism();
      Map<String, Object> input = new LinkedHashMap<>();
      input.put("events", o.events());
      input.put("entities", o.entities());
      input.put("label_fraction", o.labelFraction());
      input.put("task_presence", o.taskPresence());
      input.put("tasks", o.tasks());
      input.put("partitions", partitions);
      input.put("seed", o.seed());
      long labels = produceInput(kafka, partitions);
      input.put("labels", labels);
      result.put("input", input);
      result.put("settings", settingsMap(settings));
      result.put("evaluation_enabled", evaluation().enabled());

      // With --repeat, the jobs alternate (a, b, a, b, ...) so that a drift of the machine
      // touches both, and each reports its median run.
      List<Throughput> as = new ArrayList<>();
      List<Throughput> bs = new ArrayList<>();
      for (int r = 1; r <= o.repeat(); r++) {
        String suffix = r == 1 ? "" : String.valueOf(r);
        if (!o.skipPassthrough()) {
          as.add(throughput(kafka, "a" + suffix, "passthrough", partitions));
        }
        bs.add(throughput(kafka, "b" + suffix, "elapse", partitions));
      }
      Throughput a = as.isEmpty() ? null : median(as);
      Throughput b = median(bs);
      if (a != null) {
        result.put("passthrough", a);
        result.put("passthrough_runs_events_per_second", rates(as));
      }
      result.put("elapse", b);
      result.put("elapse_runs_events_per_second", rates(bs));
      if (a != null) {
        result.put("ratio_b_over_a", b.eventsPerSecond() / a.eventsPerSecond());
      }
      result.put("state_bytes_per_entity", (double) b.learnerKeyedStateBytes() / o.entities());
      result.put(
          "state_bytes_per_entity_source",
          "largest keyed state of the learner operator (uid 'learner', all subtasks, timers"
              + " included) in a completed checkpoint of the Elapse job, read from the"
              + " checkpoint's _metadata every 5 s and at the end, / entities");
      result.put("evaluator_join_keyed_state_bytes", b.evaluatorKeyedStateBytes());
      result.put(
          "checkpoint_bytes_per_entity_largest",
          (double) b.largestCheckpointBytes() / o.entities());
      if (!o.skipLatency()) {
        Latency l = latency(kafka, b.eventsPerSecond() * o.latencyLoad(), partitions);
        result.put("latency", l);
      }
    } finally {
      deleteRecursively(workDir);
    }
    result.put("load_average_end", loadAverage());
    Files.createDirectories(o.out().toAbsolutePath().getParent());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(o.out().toFile(), result);
    printTable(result);
    say("wrote " + o.out().toAbsolutePath());
    return result;
  }

  /**
   * The run with the median events/s; of an even number, the slower of the two middle ones (a
   * figure that was measured, not an average of two).
   */
  static Throughput median(List<Throughput> runs) {
    List<Throughput> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Throughput::eventsPerSecond));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static List<Long> rates(List<Throughput> runs) {
    return runs.stream().map(t -> Math.round(t.eventsPerSecond())).toList();
  }

  // ------------------------------------------------------------------ input

  private ElapseTopics topics(String run) {
    return new ElapseTopics(
        "bench.events",
        run + ".elapsed",
        "bench.labels",
        run + ".predictions",
        run + ".model",
        run + ".dead-letters",
        run + ".evaluation");
  }

  private static KafkaConfig kafkaConfig(EmbeddedKafka kafka, ElapseTopics topics, String run) {
    return KafkaConfig.builder()
        .bootstrapServers(kafka.bootstrapServers())
        .topics(topics)
        .groupId("bench-" + run)
        .startPosition(StartPosition.EARLIEST)
        .transactionalIdPrefix("bench-" + run + "-tx")
        .build();
  }

  private long produceInput(EmbeddedKafka kafka, int partitions) throws Exception {
    KafkaConfig config = kafkaConfig(kafka, topics("bench-input"), "input");
    try (TopicAdministrator admin = new TopicAdministrator(new ElapseKafka(config))) {
      admin.ensure(TopicAdministrator.elapseTopics(config.topics(), partitions, (short) 1));
    }
    // Event times end about now, so the broker's time-based retention keeps every record.
    long span = (long) o.events() / o.entities() * EVENT_GAP_MILLIS + EVENT_GAP_MILLIS;
    SyntheticSpec spec =
        new SyntheticSpec(
            o.entities(),
            o.events(),
            20,
            SyntheticSpec.taskNames(o.tasks()),
            o.labelFraction(),
            o.taskPresence(),
            2.0 * EVENT_GAP_MILLIS,
            EVENT_GAP_MILLIS,
            System.currentTimeMillis() - 2 * span,
            false,
            o.seed());
    say(
        String.format(
            Locale.ROOT,
            "generating %,d events of %,d entities (%d tasks, %.0f%% of events labelled, %.0f%% of"
                + " tasks present per label) ...",
            o.events(),
            o.entities(),
            o.tasks(),
            100 * o.labelFraction(),
            100 * o.taskPresence()));
    SyntheticStream.Generated stream = new SyntheticStream(spec).generate();
    long labels = stream.labels().size();
    say(String.format(Locale.ROOT, "producing %,d events and %,d labels ...", o.events(), labels));
    long start = System.nanoTime();
    AtomicLong lastPrint = new AtomicLong(start);
    try (SyntheticProducer p =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      p.send(
          stream,
          config.topics().events(),
          config.topics().labels(),
          0,
          sent -> {
            long now = System.nanoTime();
            if (now - lastPrint.get() > 5_000_000_000L) {
              lastPrint.set(now);
              progress("produce", now - start, sent, o.events());
            }
          });
    }
    double secs = (System.nanoTime() - start) / 1e9;
    say(
        String.format(
            Locale.ROOT,
            "input ready: %,d events + %,d labels in %.1f s (%,.0f events/s)",
            o.events(),
            labels,
            secs,
            o.events() / secs));
    return labels;
  }

  // ------------------------------------------------------------------ settings

  private JobSettings settings(String run) {
    Map<String, String> m = new HashMap<>();
    m.put("elapse.model.tasks", String.join(";", SyntheticSpec.taskNames(o.tasks())));
    m.put("elapse.state.backend", o.stateBackend());
    m.put("elapse.checkpoint.dir", workDir.resolve("checkpoints-" + run).toUri().toString());
    m.putAll(o.settings());
    return JobSettings.from(Configuration.fromMap(m));
  }

  /** The evaluator's settings: its defaults, overridden by {@code --set elapse.evaluation.*}. */
  private EvaluationSettings evaluation() {
    return EvaluationSettings.from(Configuration.fromMap(o.settings()));
  }

  private static Map<String, Object> settingsMap(JobSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state_backend", s.stateBackend());
    m.put("parallelism", s.parallelism());
    m.put("checkpoint_interval_ms", s.checkpointIntervalMillis());
    m.put("max_out_of_orderness_ms", s.maxOutOfOrdernessMillis());
    m.put("max_event_wait_ms", s.maxEventWaitMillis());
    m.put("window_size", s.windowSize());
    m.put("batch_labels", s.batchLabels());
    m.put("job_settings", s.toString());
    return m;
  }

  private StreamExecutionEnvironment environment(JobSettings settings) {
    // --set also carries Flink options (e.g. taskmanager.memory.managed.size), so they reach the
    // MiniCluster and not only the job's settings.
    Configuration conf = ElapseJob.environmentConfig(settings, Configuration.fromMap(o.settings()));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    ElapseJob.configure(env, settings);
    return env;
  }

  // ------------------------------------------------------------------ throughput

  private Throughput throughput(EmbeddedKafka kafka, String run, String job, int partitions)
      throws Exception {
    KafkaConfig config = kafkaConfig(kafka, topics("bench-" + run), run);
    try (TopicAdministrator admin = new TopicAdministrator(new ElapseKafka(config))) {
      admin.ensure(TopicAdministrator.elapseTopics(config.topics(), partitions, (short) 1));
    }
    JobSettings settings = settings(run);
    StreamExecutionEnvironment env = environment(settings);
    if (job.equals("passthrough")) {
      PassthroughJob.define(env, config);
    } else {
      ElapseJob.define(env, config, settings, evaluation(), false, "");
    }
    say("(" + run + ") starting the " + job + " job on a local MiniCluster ...");
    JobClient client = env.executeAsync("bench-" + job);
    String out = config.topics().predictions();
    long n = o.events();
    try (OffsetProbe probe = new OffsetProbe(config, out)) {
      long start = System.nanoTime();
      long lastPrint = start;
      long tFirst = -1;
      long tAll = -1;
      long cpuFirst = 0;
      long cpuAll = 0;
      long t10 = -1;
      long t90 = -1;
      long cpu10 = 0;
      long cpu90 = 0;
      long c10 = 0;
      long c90 = 0;
      long committed = -1;
      long checkpointBytes = 0;
      long maxCheckpointBytes = 0;
      long learnerBytes = 0;
      long evaluatorBytes = 0;
      Path checkpoints = workDir.resolve("checkpoints-" + run);
      long tPrevious = start;
      long cpuPrevious = processCpuNanos();
      while (true) {
        Thread.sleep(250);
        long now = System.nanoTime();
        long written = probe.logEnd();
        long cpu = processCpuNanos();
        if (tFirst < 0 && written > 0) {
          // the first output appeared after the previous sample, where there was none yet
          tFirst = tPrevious;
          cpuFirst = cpuPrevious;
        }
        tPrevious = now;
        cpuPrevious = cpu;
        if (tAll < 0 && written >= n) {
          tAll = now;
          cpuAll = cpu;
        }
        if (t10 < 0 && written >= n / 10) {
          t10 = now;
          cpu10 = cpu;
          c10 = written;
        }
        if (t90 < 0 && written >= n * 9 / 10) {
          t90 = now;
          cpu90 = cpu;
          c90 = written;
        }
        if (now - lastPrint > 5_000_000_000L) {
          lastPrint = now;
          progress(run + " " + job, now - start, Math.min(written, n), n);
          maxCheckpointBytes = Math.max(maxCheckpointBytes, latestCheckpointBytes(checkpoints));
          learnerBytes = Math.max(learnerBytes, keyedStateBytes(checkpoints, "learner"));
          evaluatorBytes = Math.max(evaluatorBytes, keyedStateBytes(checkpoints, "evaluator-join"));
        }
        if (written >= n && probe.stable() == written) {
          checkpointBytes = latestCheckpointBytes(checkpoints);
          learnerBytes = Math.max(learnerBytes, keyedStateBytes(checkpoints, "learner"));
          evaluatorBytes = Math.max(evaluatorBytes, keyedStateBytes(checkpoints, "evaluator-join"));
          committed = probe.countCommitted();
          if (committed >= n) {
            break;
          }
        }
        if (Duration.ofNanos(now - start).toMinutes() > 120) {
          throw new IllegalStateException(
              run + ": only " + written + " of " + n + " outputs after 2 hours");
        }
        if (client.getJobStatus().get().isTerminalState()) {
          throw new IllegalStateException(
              run + ": the job stopped: " + client.getJobStatus().get());
        }
      }
      if (t90 - t10 < 2_000_000_000L) {
        // Too short a span for 250 ms samples (a small --events): from the sample before the first
        // output to the first with all of them (a lower bound of the rate).
        t10 = tFirst;
        cpu10 = cpuFirst;
        c10 = 0;
        t90 = tAll;
        cpu90 = cpuAll;
        c90 = n;
      }
      double seconds = (t90 - t10) / 1e9;
      double rate = (c90 - c10) / seconds;
      double cpuPerEvent = (cpu90 - cpu10) / 1e3 / (c90 - c10);
      Throughput t =
          new Throughput(
              job,
              n,
              rate,
              seconds,
              cpuPerEvent,
              (cpu90 - cpu10) / 1e9 / seconds,
              committed,
              checkpointBytes,
              Math.max(maxCheckpointBytes, checkpointBytes),
              learnerBytes,
              evaluatorBytes);
      say(
          String.format(
              Locale.ROOT,
              "(%s) %s: %,.0f events/s sustained (10%%..90%% in %.1f s), %.1f µs CPU per event,"
                  + " %,d committed outputs, last checkpoint %,d bytes",
              run,
              job,
              rate,
              seconds,
              cpuPerEvent,
              committed,
              checkpointBytes));
      return t;
    } finally {
      cancelQuietly(client);
    }
  }

  /** Reads the output topic's offsets without fetching records, and counts committed ones. */
  private static final class OffsetProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> uncommitted;
    private final KafkaConsumer<byte[], byte[]> committed;
    private final List<TopicPartition> parts = new ArrayList<>();

    OffsetProbe(KafkaConfig config, String topic) {
      Properties p = new ElapseKafka(config).consumerProperties();
      p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "bench-probe-" + System.nanoTime());
      p.setProperty(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
      committed = new KafkaConsumer<>(p);
      Properties u = new Properties();
      u.putAll(p);
      u.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
      uncommitted = new KafkaConsumer<>(u);
      committed
          .partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    }

    /** Sum of log-end offsets: records written (transaction markers included, a few per s). */
    long logEnd() {
      return uncommitted.endOffsets(parts, Duration.ofSeconds(10)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }

    /** Sum of last stable offsets: everything before it is committed or aborted. */
    long stable() {
      return committed.endOffsets(parts, Duration.ofSeconds(10)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }

    /** Counts the committed records (read_committed, from the beginning). */
    long countCommitted() {
      committed.assign(parts);
      committed.seekToBeginning(parts);
      Map<TopicPartition, Long> end = committed.endOffsets(parts, Duration.ofSeconds(10));
      long n = 0;
      int idle = 0;
      while (idle < 5) {
        int got = committed.poll(Duration.ofMillis(200)).count();
        n += got;
        boolean atEnd = true;
        for (TopicPartition tp : parts) {
          atEnd &= committed.position(tp) >= end.get(tp);
        }
        if (atEnd) {
          break;
        }
        idle = got == 0 ? idle + 1 : 0;
      }
      return n;
    }

    @Override
    public void close() {
      uncommitted.close();
      committed.close();
    }
  }

  // ------------------------------------------------------------------ latency

  private Latency latency(EmbeddedKafka kafka, double rate, int partitions) throws Exception {
    ElapseTopics t =
        new ElapseTopics(
            "bench-lat.events",
            "bench-lat.elapsed",
            "bench-lat.labels",
            "bench-lat.predictions",
            "bench-lat.model",
            "bench-lat.dead-letters",
            "bench-lat.evaluation");
    KafkaConfig config = kafkaConfig(kafka, t, "lat");
    try (TopicAdministrator admin = new TopicAdministrator(new ElapseKafka(config))) {
      admin.ensure(TopicAdministrator.elapseTopics(t, partitions, (short) 1));
    }
    JobSettings settings = settings("lat");
    StreamExecutionEnvironment env = environment(settings);
    ElapseJob.define(env, config, settings, evaluation(), false, "");
    JobClient client = env.executeAsync("bench-latency");
    long warmUpMillis = Math.min(15_000, o.latencyDuration().toMillis() / 4);
    say(
        String.format(
            Locale.ROOT,
            "(latency) paced producer at %,.0f events/s (%.0f%% of the Elapse job's maximum) for"
                + " %d s; the first %d s are warm-up",
            rate,
            100 * o.latencyLoad(),
            o.latencyDuration().toSeconds(),
            warmUpMillis / 1000));
    AtomicLong sent = new AtomicLong();
    long startMillis = System.currentTimeMillis();
    long measureFrom = startMillis + warmUpMillis;
    long endMillis = startMillis + o.latencyDuration().toMillis();
    Thread producer =
        new Thread(
            () -> pacedProducer(config, rate, endMillis, sent), "elapse-bench-paced-producer");
    producer.setDaemon(true);
    producer.start();

    long[] endToEnd = new long[1 << 16];
    long[] inJob = new long[1 << 16];
    int measured = 0;
    Properties p = new ElapseKafka(config).consumerProperties();
    p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-reader");
    AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
    long sentInWindow = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(t.predictions(), Duration.ofSeconds(10))
          .forEach(i -> parts.add(new TopicPartition(t.predictions(), i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long tail = settings.checkpointIntervalMillis() * 2 + 20_000;
      long lastPrint = System.nanoTime();
      long received = 0;
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long now = System.currentTimeMillis();
          received++;
          DecodeResult<Prediction> d = codec.decode(r.value());
          if (!d.isSuccess()) {
            continue;
          }
          Prediction pr = d.record();
          long eventTime = pr.getEventTime().toEpochMilli();
          if (eventTime < measureFrom || eventTime >= endMillis) {
            continue;
          }
          if (measured == endToEnd.length) {
            endToEnd = Arrays.copyOf(endToEnd, measured * 2);
            inJob = Arrays.copyOf(inJob, measured * 2);
          }
          endToEnd[measured] = now - eventTime;
          inJob[measured] = pr.getPredictTime().toEpochMilli() - pr.getIngestTime().toEpochMilli();
          measured++;
        }
        long nowNanos = System.nanoTime();
        if (nowNanos - lastPrint > 5_000_000_000L) {
          lastPrint = nowNanos;
          say(
              String.format(
                  Locale.ROOT,
                  "(latency) t=%ds sent %,d, committed predictions read %,d",
                  (System.currentTimeMillis() - startMillis) / 1000,
                  sent.get(),
                  received));
        }
        if (System.currentTimeMillis() > endMillis + tail
            || received >= sent.get()
                && !producer.isAlive()
                && System.currentTimeMillis() > endMillis + settings.checkpointIntervalMillis()) {
          break;
        }
      }
    } finally {
      cancelQuietly(client);
    }
    sentInWindow = sent.get();
    long[] e2e = Arrays.copyOf(endToEnd, measured);
    long[] job = Arrays.copyOf(inJob, measured);
    Arrays.sort(e2e);
    Arrays.sort(job);
    double achieved = sentInWindow / (o.latencyDuration().toMillis() / 1000.0);
    Latency l =
        new Latency(
            rate,
            achieved,
            sentInWindow,
            measured,
            percentile(e2e, 0.50),
            percentile(e2e, 0.99),
            percentile(job, 0.50),
            percentile(job, 0.99));
    say(
        String.format(
            Locale.ROOT,
            "(latency) %,d predictions measured: event-to-committed-prediction p50 %.0f ms, p99 %.0f"
                + " ms; inside the job (read -> predicted) p50 %.0f ms, p99 %.0f ms",
            measured,
            l.p50Millis(),
            l.p99Millis(),
            l.jobP50Millis(),
            l.jobP99Millis()));
    return l;
  }

  /**
   * Sends events with event time = now at {@code rate}, and a label for a share of them ~2 s later.
   */
  private void pacedProducer(KafkaConfig config, double rate, long endMillis, AtomicLong sent) {
    AvroCodec<Event> events = AvroCodec.of(Event.class);
    AvroCodec<Label> labels = AvroCodec.of(Label.class);
    List<String> tasks = SyntheticSpec.taskNames(o.tasks());
    SplittableRandom rnd = new SplittableRandom(o.seed() + 1);
    ArrayDeque<Label> pending = new ArrayDeque<>();
    try (SyntheticProducer p =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      long start = System.nanoTime();
      for (long i = 0; System.currentTimeMillis() < endMillis; i++) {
        long due = start + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        long now = System.currentTimeMillis();
        String entity = "entity-" + rnd.nextInt(o.entities());
        String eventId = entity + "-live-" + i;
        Event e =
            Event.newBuilder()
                .setEntityId(entity)
                .setEventId(eventId)
                .setEventType("type-" + rnd.nextInt(20))
                .setEventTime(Instant.ofEpochMilli(now))
                .setFeatures(null)
                .setElapsedMillis(null)
                .build();
        p.sendRaw(config.topics().events(), entity, events.encode(e), now);
        sent.incrementAndGet();
        if (rnd.nextDouble() < o.labelFraction()) {
          Map<String, Double> targets = new HashMap<>();
          for (String task : tasks) {
            if (rnd.nextDouble() < o.taskPresence()) {
              targets.put(task, rnd.nextDouble() < 0.05 ? 1.0 : 0.0);
            }
          }
          if (!targets.isEmpty()) {
            pending.add(
                Label.newBuilder()
                    .setEntityId(entity)
                    .setEventId(eventId)
                    .setTargets(targets)
                    .setSampleWeight(null)
                    .setLabelTime(Instant.ofEpochMilli(now + 2_000))
                    .build());
          }
        }
        while (!pending.isEmpty() && pending.peek().getLabelTime().toEpochMilli() <= now) {
          Label l = pending.poll();
          p.sendRaw(
              config.topics().labels(),
              l.getEntityId(),
              labels.encode(l),
              l.getLabelTime().toEpochMilli());
        }
      }
      p.flush();
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cancels the job and waits for it; a job that already stopped is left as it is. */
  private static void cancelQuietly(JobClient client) {
    try {
      client.cancel().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // already finished or its MiniCluster shut down: nothing left to stop
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Bytes of the newest completed chk-N directory (one with its {@code _metadata}) plus the shared
   * directories, under {@code dir}.
   */
  /**
   * Managed keyed state bytes (all subtasks) of the operator with {@code uid} in the newest
   * completed checkpoint under {@code dir}, from the checkpoint's {@code _metadata}; 0 when there
   * is none yet or the operator has no keyed state in it.
   */
  static long keyedStateBytes(Path dir, String uid) throws IOException {
    Path newest = newestCheckpoint(dir);
    if (newest == null) {
      return 0;
    }
    OperatorID id = new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid));
    CheckpointMetadata metadata;
    try (DataInputStream in =
        new DataInputStream(Files.newInputStream(newest.resolve("_metadata")))) {
      metadata =
          Checkpoints.loadCheckpointMetadata(
              in, PipelineBench.class.getClassLoader(), newest.toString());
    } catch (IOException e) {
      return 0; // deleted under us by checkpoint retention: the next sample reads a newer one
    }
    long bytes = 0;
    for (OperatorState operator : metadata.getOperatorStates()) {
      if (operator.getOperatorID().equals(id)) {
        for (OperatorSubtaskState subtask : operator.getStates()) {
          for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
            bytes += handle.getStateSize();
          }
        }
      }
    }
    return bytes;
  }

  private static Path newestCheckpoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    Path newest = null;
    long newestId = -1;
    try (Stream<Path> jobs = Files.list(dir)) {
      for (Path job : jobs.toList()) {
        try (Stream<Path> entries = Files.list(job)) {
          for (Path e : entries.toList()) {
            String name = e.getFileName().toString();
            if (name.startsWith("chk-") && Files.exists(e.resolve("_metadata"))) {
              long id = Long.parseLong(name.substring(4));
              if (id > newestId) {
                newestId = id;
                newest = e;
              }
            }
          }
        }
      }
    }
    return newest;
  }

  static long latestCheckpointBytes(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Path newest = null;
    long newestId = -1;
    long shared = 0;
    try (Stream<Path> jobs = Files.list(dir)) {
      for (Path job : jobs.toList()) {
        try (Stream<Path> entries = Files.list(job)) {
          for (Path e : entries.toList()) {
            String name = e.getFileName().toString();
            if (name.startsWith("chk-") && Files.exists(e.resolve("_metadata"))) {
              long id = Long.parseLong(name.substring(4));
              if (id > newestId) {
                newestId = id;
                newest = e;
              }
            } else if (name.equals("shared")) {
              shared += sizeOf(e);
            }
          }
        }
      }
    }
    return newest == null ? 0 : sizeOf(newest) + shared;
  }

  /**
   * Bytes of the regular files under {@code p}; files and directories deleted while walking (a
   * subsumed checkpoint, or an incremental checkpoint's shared files no longer referenced) count 0.
   */
  private static long sizeOf(Path p) throws IOException {
    long[] total = {0};
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<Path>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              total[0] += attrs.size();
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }

  private static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", cpuModel());
    m.put("memory_bytes", totalMemory());
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return m;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static long totalMemory() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getTotalMemorySize();
    }
    return -1;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void progress(String phase, long nanos, long done, long total) {
    double secs = nanos / 1e9;
    say(
        String.format(
            Locale.ROOT,
            "(%s) t=%.0fs %,d / %,d (%.0f%%, %,.0f/s so far)",
            phase,
            secs,
            done,
            total,
            100.0 * done / total,
            done / Math.max(secs, 1e-9)));
  }

  @SuppressWarnings("unchecked")
  private static String runList(List<Long> runs) {
    return runs.stream()
        .map(v -> String.format(Locale.ROOT, "%,d", v))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  private static void printTable(Map<String, Object> r) {
    Throughput a = (Throughput) r.get("passthrough");
    Throughput b = (Throughput) r.get("elapse");
    Latency l = (Latency) r.get("latency");
    System.out.println();
    System.out.printf(Locale.ROOT, "%-34s %16s %16s%n", "", "(a) passthrough", "(b) Elapse");
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "sustained events/s",
        a == null ? "-" : String.format(Locale.ROOT, "%,.0f", a.eventsPerSecond()),
        String.format(Locale.ROOT, "%,.0f", b.eventsPerSecond()));
    @SuppressWarnings("unchecked")
    List<Long> bRuns = (List<Long>) r.get("elapse_runs_events_per_second");
    if (bRuns != null && bRuns.size() > 1) {
      @SuppressWarnings("unchecked")
      List<Long> aRuns = (List<Long>) r.get("passthrough_runs_events_per_second");
      System.out.printf(
          Locale.ROOT,
          "%-34s %16s %16s%n",
          "  (the median of runs)",
          aRuns == null ? "-" : runList(aRuns),
          runList(bRuns));
    }
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "process CPU µs per event",
        a == null ? "-" : String.format(Locale.ROOT, "%.1f", a.cpuMicrosPerEvent()),
        String.format(Locale.ROOT, "%.1f", b.cpuMicrosPerEvent()));
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "CPU cores busy",
        a == null ? "-" : String.format(Locale.ROOT, "%.2f", a.cpuCores()),
        String.format(Locale.ROOT, "%.2f", b.cpuCores()));
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "committed outputs",
        a == null ? "-" : String.format(Locale.ROOT, "%,d", a.committed()),
        String.format(Locale.ROOT, "%,d", b.committed()));
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "last checkpoint bytes",
        a == null ? "-" : String.format(Locale.ROOT, "%,d", a.checkpointBytes()),
        String.format(Locale.ROOT, "%,d", b.checkpointBytes()));
    System.out.printf(
        Locale.ROOT,
        "%-34s %16s %16s%n",
        "largest checkpoint bytes",
        a == null ? "-" : String.format(Locale.ROOT, "%,d", a.largestCheckpointBytes()),
        String.format(Locale.ROOT, "%,d", b.largestCheckpointBytes()));
    if (r.containsKey("ratio_b_over_a")) {
      System.out.printf(
          Locale.ROOT, "%-34s %33.3f%n", "ratio b/a (target >= 0.5)", r.get("ratio_b_over_a"));
    }
    System.out.printf(
        Locale.ROOT,
        "%-34s %33.0f%n",
        "learner keyed state bytes/entity",
        (Double) r.get("state_bytes_per_entity"));
    System.out.printf(
        Locale.ROOT,
        "%-34s %33s%n",
        "evaluator join keyed state bytes",
        String.format(Locale.ROOT, "%,d", b.evaluatorKeyedStateBytes()));
    if (l != null) {
      System.out.printf(
          Locale.ROOT,
          "%-34s %33s%n",
          "latency load (events/s)",
          String.format(Locale.ROOT, "%,.0f target, %,.0f sent", l.targetRate(), l.achievedRate()));
      System.out.printf(
          Locale.ROOT,
          "%-34s %33s%n",
          "event -> committed prediction",
          String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", l.p50Millis(), l.p99Millis()));
      System.out.printf(
          Locale.ROOT,
          "%-34s %33s%n",
          "inside the job (read -> predicted)",
          String.format(
              Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", l.jobP50Millis(), l.jobP99Millis()));
    }
    System.out.println();
  }

  private static void say(String s) {
    System.out.println("elapse bench: " + s);
  }
}
