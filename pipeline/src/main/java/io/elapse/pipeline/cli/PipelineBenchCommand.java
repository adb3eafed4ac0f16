package io.elapse.pipeline.cli;

import io.elapse.pipeline.bench.PipelineBench;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./elapse bench pipeline}: the Elapse job against a passthrough baseline on one in-process
 * broker and one pre-produced input; figures to {@code target/bench/pipeline.json}.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Throughput of the Elapse job vs a passthrough job (decode, key by entity, encode,",
      "exactly-once sink) on one in-process broker and one pre-produced input; latency at a",
      "share of the Elapse job's maximum; CPU per event; checkpoint bytes per entity."
    })
public final class PipelineBenchCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      defaultValue = "2000000",
      description = "Pre-produced events (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--entities",
      defaultValue = "100000",
      description = "Entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--label-fraction",
      defaultValue = "0.1",
      description = "Share of events that get a label (default: ${DEFAULT-VALUE}).")
  double labelFraction;

  @Option(
      names = "--task-presence",
      defaultValue = "0.1",
      description =
          "Share of the tasks present in a label; the rest are missing (default: ${DEFAULT-VALUE}).")
  double taskPresence;

  @Option(
      names = "--tasks",
      defaultValue = "30",
      description = "Tasks of the model (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--latency-load",
      defaultValue = "0.8",
      description =
          "Paced load of the latency run, as a share of (b)'s maximum (default: ${DEFAULT-VALUE}).")
  double latencyLoad;

  @Option(
      names = "--latency-duration",
      defaultValue = "90 s",
      description = "How long the paced producer runs (default: ${DEFAULT-VALUE}).")
  String latencyDuration;

  @Option(
      names = "--state-backend",
      defaultValue = "hashmap",
      description = "Flink state backend: hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
  String stateBackend;

  @Option(
      names = "--set",
      description =
          "A job or Flink setting, e.g. --set elapse.checkpoint.interval=5s or --set taskmanager.memory.managed.size=2g (repeatable).")
  Map<String, String> settings = new LinkedHashMap<>();

  @Option(
      names = "--out",
      defaultValue = "target/bench/pipeline.json",
      description = "Where the figures go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--skip-passthrough", description = "Measure only the Elapse job.")
  boolean skipPassthrough;

  @Option(names = "--skip-latency", description = "Leave out the paced latency run.")
  boolean skipLatency;

  @Option(
      names = "--quick",
      description =
          "A short smoke run: 20,000 events, 2,000 entities, 2 s checkpoints, a 20 s latency run.")
  boolean quick;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description =
          "Runs of each job, alternating (a) and (b); each reports its median run and the JSON"
              + " lists every run's events/s. Single runs of the same code differ by 10-20 %%"
              + " (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--seed",
      defaultValue = "11",
      description = "Seed of the input (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    Map<String, String> s = new HashMap<>();
    String duration = latencyDuration;
    if (quick) {
      events = Math.min(events, 20_000);
      entities = Math.min(entities, 2_000);
      s.put("elapse.checkpoint.interval", "2 s");
      duration = "20 s";
    }
    s.putAll(settings);
    new PipelineBench(
            new PipelineBench.Options(
                events,
                entities,
                labelFraction,
                taskPresence,
                tasks,
                latencyLoad,
                TimeUtils.parseDuration(duration),
                stateBackend,
                s,
                out,
                skipPassthrough,
                skipLatency,
                seed,
                repeat))
        .run();
    return 0;
  }
}
