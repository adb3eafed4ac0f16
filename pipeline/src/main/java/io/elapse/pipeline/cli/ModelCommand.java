package io.elapse.pipeline.cli;

import io.elapse.avro.CellVariant;
import io.elapse.avro.ModelUpdate;
import io.elapse.avro.UpdateKind;
import io.elapse.connectors.AvroCodec;
import io.elapse.connectors.DecodeResult;
import io.elapse.connectors.ElapseTopics;
import io.elapse.connectors.KafkaConfig;
import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import io.elapse.model.config.LossConfig;
import io.elapse.model.config.ModelConfig;
import io.elapse.model.config.TimeModulation;
import io.elapse.model.config.TimeTransform;
import io.elapse.model.export.Dl4jExport;
import io.elapse.model.export.NpyExport;
import io.elapse.model.io.ParameterCodec;
import io.elapse.pipeline.modelloop.ModelIntegrity;
import io.elapse.pipeline.modelloop.ModelUpdates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./elapse model inspect|export}: the latest model update from the model topic (or a file),
 * integrity-checked (SHA-256, and HMAC-SHA256 when a key file is given) before anything is shown or
 * written. A model update file holds one single-object-encoded {@code ModelUpdate}, as {@code
 * AvroCodec.of(ModelUpdate.class).encode(update)} writes it. Exit codes: 0 OK, 1 the update is
 * missing, undecodable, fails its integrity check or cannot be exported, 2 usage errors.
 */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = {
      "Inspect or export the latest model update (model topic or file); verifies its integrity.",
      "Exit code 1 when the update is missing, undecodable or fails its integrity check."
    },
    subcommands = {ModelCommand.Inspect.class, ModelCommand.Export.class})
public final class ModelCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing required subcommand: inspect or export");
  }

  /** Where the model update comes from: a file, or the model topic of a broker. */
  static final class Source {
    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "A file holding one single-object-encoded Avro ModelUpdate.")
    Path file;

    @ArgGroup(exclusive = false, heading = "Model topic (instead of --file):%n")
    TopicOptions topic;
  }

  /** The broker options needed to read the model topic. */
  static final class TopicOptions {
    @Option(
        names = "--bootstrap-servers",
        required = true,
        paramLabel = "HOST:PORT",
        description = "Kafka bootstrap servers, host:port[,host:port...].")
    String bootstrapServers;

    @Option(
        names = "--topic-prefix",
        paramLabel = "PREFIX",
        defaultValue = "elapse.",
        description = "Prefix of every topic name (default: ${DEFAULT-VALUE}: reads elapse.model).")
    String topicPrefix;

    @Option(
        names = "--command-config",
        paramLabel = "FILE",
        description =
            "A properties file of Kafka client settings (security.protocol, sasl.*, ssl.*); values are never printed.")
    Path commandConfig;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "PT30S",
        description = "How long to read the model topic, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    KafkaConfig toConfig() {
      KafkaConfig.Builder b =
          KafkaConfig.builder()
              .bootstrapServers(bootstrapServers)
              .topics(ElapseTopics.withPrefix(topicPrefix));
      if (commandConfig != null) {
        b.clientPropertiesFile(commandConfig);
      }
      return b.build();
    }
  }

  /** A failure the command reports on stderr with exit code 1. */
  static final class ModelCommandException extends RuntimeException {
    ModelCommandException(String message) {
      super(message);
    }

    ModelCommandException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A verified update and the model it rebuilds.
   *
   * @param origin where it was read ("file X" or "topic T partition p offset o")
   * @param update the verified update
   * @param model the model of its configuration and parameters
   * @param checks what the integrity check covered, e.g. "sha-256, hmac"
   */
  record VerifiedModel(String origin, ModelUpdate update, LstmModel model, String checks) {}

  /** Options and loading shared by both subcommands. */
  abstract static class ModelSubcommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
        names = "--hmac-key-file",
        paramLabel = "FILE",
        description =
            "A file holding the HMAC key the coordinator signs with (elapse.coordinator.hmac-key; one trailing newline is ignored). With it, unsigned or wrongly signed updates are rejected. The key is never printed.")
    Path hmacKeyFile;

    @Override
    public final Integer call() {
      try {
        return execute();
      } catch (ModelCommandException e) {
        return fail(e.getMessage());
      } catch (IOException e) {
        return fail("I/O error: " + e);
      }
    }

    private int fail(String message) {
      err().println("elapse model " + spec.name() + ": " + message);
      err().flush();
      return 1;
    }

    abstract int execute() throws IOException;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }

    /** Reads the latest update, verifies it and rebuilds its model, or throws with the reason. */
    VerifiedModel load() {
      String key = hmacKey(hmacKeyFile);
      ModelTopicReader.Latest latest;
      if (source.file != null) {
        latest = new ModelTopicReader.Latest("file " + source.file, readFile(source.file), null);
      } else {
        KafkaConfig config;
        try {
          config = source.topic.toConfig();
        } catch (RuntimeException e) {
          throw new ModelCommandException("Kafka options: " + e.getMessage(), e);
        }
        try {
          latest = new ModelTopicReader(config, key, source.topic.timeout).latest();
        } catch (org.apache.kafka.common.KafkaException e) {
          throw new ModelCommandException(
              "reading topic " + config.topics().model() + " failed: " + e, e);
        }
        err().println("elapse model " + spec.name() + ": " + latest.summary());
        err().flush();
      }
      DecodeResult<ModelUpdate> decoded = AvroCodec.of(ModelUpdate.class).decode(latest.bytes());
      if (!decoded.isSuccess()) {
        throw new ModelCommandException(
            "cannot decode the model update in "
                + latest.origin()
                + ": "
                + decoded.reason()
                + ": "
                + decoded.message());
      }
      ModelUpdate u = decoded.record();
      ModelIntegrity.Verdict verdict = ModelIntegrity.verify(u, key);
      if (!verdict.ok()) {
        throw new ModelCommandException(
            "model update in " + latest.origin() + ": integrity: FAILED: " + verdict.problem());
      }
      return new VerifiedModel(
          latest.origin(), u, modelOf(u), key == null ? "sha-256" : "sha-256, hmac");
    }
  }

  /** {@code ./elapse model inspect}. */
  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = {
        "Print the latest model update: version, configuration, statistics, calibration.",
        "Verifies its integrity first; exit code 1 with the reason when the check fails."
      })
  static final class Inspect extends ModelSubcommand {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    int execute() {
      VerifiedModel m = load();
      out().print(json ? ModelReport.json(m) : ModelReport.text(m));
      out().flush();
      return 0;
    }
  }

  /** {@code ./elapse model export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Export the latest verified model to .npy files or a DL4J network (variant NONE).",
        "Refuses (exit code 1) an update that fails its integrity check."
      })
  static final class Export extends ModelSubcommand {

    /** The export format: exactly one of the two. */
    static final class Target {
      @Option(
          names = "--npy",
          paramLabel = "DIR",
          description = "Directory for one .npy file per parameter group (created if missing).")
      Path npyDir;

      @Option(
          names = "--dl4j",
          paramLabel = "FILE",
          description =
              "File for a DL4J MultiLayerNetwork (ModelSerializer); only for variant NONE.")
      Path dl4jFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Override
    int execute() throws IOException {
      VerifiedModel m = load();
      String version = versionOf(m.update());
      if (target.npyDir != null) {
        List<Path> files = NpyExport.write(m.model(), target.npyDir);
        out()
            .printf(
                "exported model %s (%s) to %s: %s%n",
                version,
                m.origin(),
                target.npyDir,
                String.join(
                    " ", files.stream().map(p -> String.valueOf(p.getFileName())).toList()));
      } else {
        TimeModulation modulation = m.model().config().modulation();
        if (modulation != TimeModulation.NONE) {
          throw new ModelCommandException(
              "a DL4J export needs a model of variant NONE (DL4J's LSTM has no time modulation);"
                  + " model "
                  + version
                  + " is "
                  + modulation
                  + ": use --npy");
        }
        Dl4jExport.write(m.model(), target.dl4jFile.toFile());
        out()
            .printf(
                "exported model %s (%s) to %s (DL4J MultiLayerNetwork)%n",
                version, m.origin(), target.dl4jFile);
      }
      out().flush();
      return 0;
    }
  }

  /** "epoch.step" of an update. */
  static String versionOf(ModelUpdate u) {
    return u.getVersion().getEpoch() + "." + u.getVersion().getStep();
  }

  /** The key in {@code file} without one trailing newline, or null without a file. */
  static String hmacKey(Path file) {
    if (file == null) {
      return null;
    }
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelCommandException("cannot read the HMAC key file " + file + ": " + e, e);
    }
    if (key.endsWith("\r\n")) {
      key = key.substring(0, key.length() - 2);
    } else if (key.endsWith("\n")) {
      key = key.substring(0, key.length() - 1);
    }
    if (key.isEmpty()) {
      throw new ModelCommandException("the HMAC key file " + file + " is empty");
    }
    return key;
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ModelCommandException("cannot read the model update file " + file + ": " + e, e);
    }
  }

  /**
   * The model a verified FULL update describes, from the update's own configuration (no job
   * settings needed).
   *
   * @throws ModelCommandException when the update is a DELTA, of an unknown variant or parameter
   *     format, or its parameters do not decode or do not fit its configuration
   */
  static LstmModel modelOf(ModelUpdate u) {
    String version = versionOf(u);
    if (u.getKind() != UpdateKind.FULL) {
      throw new ModelCommandException(
          "model update "
              + version
              + ": expected a FULL snapshot, got "
              + u.getKind()
              + " (base "
              + (u.getBaseVersion() == null
                  ? "none"
                  : u.getBaseVersion().getEpoch() + "." + u.getBaseVersion().getStep())
              + ")");
    }
    if (!ModelUpdates.PARAMETER_FORMAT.equals(u.getParameterFormat())) {
      throw new ModelCommandException(
          "model update "
              + version
              + ": parameterFormat: expected "
              + ModelUpdates.PARAMETER_FORMAT
              + ", got "
              + u.getParameterFormat());
    }
    ModelConfig config = configOf(u.getConfig(), version);
    byte[] bytes = new byte[u.getParameters().remaining()];
    u.getParameters().duplicate().get(bytes);
    try {
      return LstmModel.of(config, ParameterCodec.decode(bytes).params());
    } catch (RuntimeException e) {
      throw new ModelCommandException(
          "model update "
              + version
              + ": parameters do not fit its configuration: "
              + e.getMessage(),
          e);
    }
  }

  /** The model configuration an update's Avro configuration describes. */
  static ModelConfig configOf(io.elapse.avro.ModelConfig c, String version) {
    if (c.getVariant() == CellVariant.UNKNOWN) {
      throw new ModelCommandException(
          "model update "
              + version
              + ": expected variant one of "
              + Arrays.toString(TimeModulation.values())
              + ", got UNKNOWN (written by a newer version?)");
    }
    TimeTransform.Kind kind;
    try {
      kind = TimeTransform.Kind.valueOf(c.getTimeTransform().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ModelCommandException(
          "model update "
              + version
              + ": expected timeTransform one of "
              + Arrays.toString(TimeTransform.Kind.values())
              + ", got '"
              + c.getTimeTransform()
              + "'");
    }
    Map<String, String> props = new TreeMap<>(c.getProperties());
    int k = c.getTasks().size();
    float[] posWeight = new float[k];
    float[] taskWeight = new float[k];
    Arrays.fill(posWeight, (float) number(props, "posWeight", 1.0, version));
    Arrays.fill(taskWeight, 1f);
    try {
      return ModelConfig.builder()
          .modulation(TimeModulation.valueOf(c.getVariant().name()))
          .hiddenSize(c.getHiddenSize())
          .embeddingDim(c.getEmbeddingDim())
          .vocabularyBuckets(c.getVocabularyBuckets())
          .numFeatures(c.getNumFeatures())
          .tasks(List.copyOf(c.getTasks()))
          .windowSize(c.getWindowSize())
          .timeTransform(new TimeTransform(kind, c.getTimeScaleMillis()))
          .loss(new LossConfig(posWeight, taskWeight, 0f, 0f))
          .gradClipNorm(number(props, "gradClipNorm", 5.0, version))
          .seed((long) number(props, "seed", 42, version))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ModelCommandException(
          "model update " + version + ": invalid configuration: " + e.getMessage(), e);
    }
  }

  private static double number(Map<String, String> props, String key, double dflt, String v) {
    String s = props.get(key);
    if (s == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new ModelCommandException(
          "model update " + v + ": property " + key + ": expected a number, got '" + s + "'");
    }
  }

  /** The parameter groups of a model with their shapes, e.g. "w_x [13, 32]". */
  static List<String> groups(LstmModel model) {
    return model.layout().segments().stream().map(ModelCommand::group).toList();
  }

  private static String group(ParameterLayout.Segment s) {
    String name = s.group().name().toLowerCase(Locale.ROOT);
    return s.rows() == 1
        ? name + " [" + s.cols() + "]"
        : name + " [" + s.rows() + ", " + s.cols() + "]";
  }
}
