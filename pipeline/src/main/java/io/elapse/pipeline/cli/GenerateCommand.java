package io.elapse.pipeline.cli;

import io.elapse.connectors.ElapseKafka;
import io.elapse.connectors.KafkaConfig;
import io.elapse.pipeline.synth.SyntheticProducer;
import io.elapse.pipeline.synth.SyntheticSpec;
import io.elapse.pipeline.synth.SyntheticStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./elapse generate}: the synthetic stream to any Kafka. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Write the synthetic event and label stream (outcomes depend on elapsed time) to Kafka.")
public final class GenerateCommand implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(
      names = "--events",
      defaultValue = "100000",
      description = "Events to write (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(
      names = "--entities",
      defaultValue = "1000",
      description = "Entities (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--tasks",
      defaultValue = "30",
      description = "Tasks (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Events per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--drift", description = "Change the task triggers half-way (concept drift).")
  boolean drift;

  @Override
  public Integer call() {
    KafkaConfig config = kafka.toConfig();
    SyntheticSpec spec =
        new SyntheticSpec(
            entities,
            events,
            20,
            SyntheticSpec.taskNames(tasks),
            0.3,
            0.35,
            30_000,
            60_000,
            System.currentTimeMillis() - 3_600_000L,
            drift,
            seed);
    SyntheticStream.Generated stream = new SyntheticStream(spec).generate();
    try (SyntheticProducer producer =
        new SyntheticProducer(new ElapseKafka(config).producerProperties())) {
      producer.send(
          stream,
          config.topics().events(),
          config.topics().labels(),
          rate,
          n -> System.err.printf("\relapse generate: %,d / %,d events", n, events));
    }
    System.err.printf(
        "%nelapse generate: wrote %,d events and %,d labels to %s%n",
        stream.events().size(), stream.labels().size(), config.bootstrapServers());
    return 0;
  }
}
