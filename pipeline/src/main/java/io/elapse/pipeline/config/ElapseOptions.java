package io.elapse.pipeline.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of the Elapse job. Each is a Flink {@link ConfigOption} with a default and a
 * description; {@link #all()} lists them for the README's configuration table (checked by a test).
 */
public final class ElapseOptions {

  private ElapseOptions() {}

  // ---- model ----

  /** Time modulation of the forget gate. */
  public static final ConfigOption<String> MODEL_VARIANT =
      key("elapse.model.variant")
          .stringType()
          .defaultValue("DECAY")
          .withDescription(
              "How elapsed time modulates the forget gate: NONE (plain LSTM), DECAY (learned per-unit decay), TIME_GATE (Time-LSTM gate).");

  /** LSTM units. */
  public static final ConfigOption<Integer> MODEL_HIDDEN =
      key("elapse.model.hidden-size").intType().defaultValue(64).withDescription("LSTM units H.");

  /** Embedding dimension. */
  public static final ConfigOption<Integer> MODEL_EMBEDDING =
      key("elapse.model.embedding-dim")
          .intType()
          .defaultValue(32)
          .withDescription("Event-type embedding dimension E.");

  /** Hash buckets for event types. */
  public static final ConfigOption<Integer> MODEL_BUCKETS =
      key("elapse.model.vocabulary-buckets")
          .intType()
          .defaultValue(10_000)
          .withDescription("Hash buckets V for event types (unseen types need no registry).");

  /** Numeric features per event. */
  public static final ConfigOption<Integer> MODEL_FEATURES =
      key("elapse.model.num-features")
          .intType()
          .defaultValue(0)
          .withDescription("Length of each event's numeric feature vector (0: none).");

  /** Task names. */
  public static final ConfigOption<List<String>> MODEL_TASKS =
      key("elapse.model.tasks")
          .stringType()
          .asList()
          .defaultValues(
              "task_00", "task_01", "task_02", "task_03", "task_04", "task_05", "task_06",
              "task_07", "task_08", "task_09", "task_10", "task_11", "task_12", "task_13",
              "task_14", "task_15", "task_16", "task_17", "task_18", "task_19", "task_20",
              "task_21", "task_22", "task_23", "task_24", "task_25", "task_26", "task_27",
              "task_28", "task_29")
          .withDescription("Task names K, in head order (semicolon-separated).");

  /** Truncated BPTT window. */
  public static final ConfigOption<Integer> MODEL_WINDOW =
      key("elapse.model.window-size")
          .intType()
          .defaultValue(32)
          .withDescription(
              "Events kept per entity for truncated BPTT; labels for older events are dead letters 'expired'.");

  /** The elapsed-time transform φ. */
  public static final ConfigOption<String> MODEL_TIME_TRANSFORM =
      key("elapse.model.time-transform")
          .stringType()
          .defaultValue("log1p")
          .withDescription(
              "phi(dt), the only form in which elapsed time reaches the cell: log1p (log1p(dt / s)),"
                  + " linear (dt / s), or zero (elapsed time ignored: a time-blind baseline).");

  /** Scale of the elapsed-time transform. */
  public static final ConfigOption<Duration> MODEL_TIME_SCALE =
      key("elapse.model.time-scale")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription("Scale s of phi(dt) (see elapse.model.time-transform).");

  /** Seed of the initial parameters. */
  public static final ConfigOption<Long> MODEL_SEED =
      key("elapse.model.seed")
          .longType()
          .defaultValue(42L)
          .withDescription("Seed of the initial parameters (cold start).");

  // ---- training ----

  /** Optimizer. */
  public static final ConfigOption<String> TRAIN_OPTIMIZER =
      key("elapse.train.optimizer")
          .stringType()
          .defaultValue("adam")
          .withDescription("Optimizer of the coordinator: adam or sgd.");

  /** Learning rate. */
  public static final ConfigOption<Double> TRAIN_LEARNING_RATE =
      key("elapse.train.learning-rate")
          .doubleType()
          .defaultValue(0.005)
          .withDescription("Learning rate of the optimizer.");

  /** Gradient clipping. */
  public static final ConfigOption<Double> TRAIN_CLIP_NORM =
      key("elapse.train.grad-clip-norm")
          .doubleType()
          .defaultValue(5.0)
          .withDescription("Clip each applied gradient to this global L2 norm (0: off).");

  /** Labels per gradient batch. */
  public static final ConfigOption<Integer> TRAIN_BATCH_LABELS =
      key("elapse.train.batch-labels")
          .intType()
          .defaultValue(32)
          .withDescription("A learner sends its accumulated gradient after this many labels.");

  /** Longest a gradient waits in a learner. */
  public static final ConfigOption<Duration> TRAIN_BATCH_WAIT =
      key("elapse.train.batch-max-wait")
          .durationType()
          .defaultValue(Duration.ofMillis(500))
          .withDescription("A learner sends a non-empty gradient batch at least this often.");

  /** Positive-class weight. */
  public static final ConfigOption<Double> TRAIN_POS_WEIGHT =
      key("elapse.train.pos-weight")
          .doubleType()
          .defaultValue(1.0)
          .withDescription("pos_weight of the masked BCE-with-logits loss, for every task.");

  // ---- coordinator and model loop ----

  /** Minimum interval between published model versions. */
  public static final ConfigOption<Duration> MODEL_PUBLISH_INTERVAL =
      key("elapse.coordinator.publish-interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(1))
          .withDescription("The coordinator publishes at most one model version per interval.");

  /** Bounded staleness of the gradients the coordinator steps with. */
  public static final ConfigOption<Integer> MAX_STALENESS =
      key("elapse.coordinator.max-staleness")
          .intType()
          .defaultValue(0)
          .withDescription(
              "The coordinator takes its next optimizer step only once a gradient computed"
                  + " against a version at most this many steps old has arrived (stale synchronous"
                  + " parallel); -1 steps whenever gradients are pending. Stale gradients made"
                  + " the job learn far less than the same scheme in order.");

  /** Longest wait for a fresh gradient. */
  public static final ConfigOption<Duration> STALENESS_WAIT =
      key("elapse.coordinator.staleness-wait")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "After this long without a fresh enough gradient, the coordinator steps with the"
                  + " stale ones it has (learners that lost the model loop do not stall training).");

  /** Signing key. */
  public static final ConfigOption<String> MODEL_HMAC_KEY =
      key("elapse.coordinator.hmac-key")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "When set, model updates are HMAC-SHA256 signed and learners reject unsigned or badly signed ones. Never logged.");

  /** Warm start file. */
  public static final ConfigOption<String> MODEL_WARM_START_FILE =
      key("elapse.coordinator.warm-start-file")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "A ModelUpdate file to start from when no checkpoint and no model on the topic exist.");

  /** Conformal miscoverage. */
  public static final ConfigOption<Double> CONFORMAL_ALPHA =
      key("elapse.conformal.alpha")
          .doubleType()
          .defaultValue(0.1)
          .withDescription("Target miscoverage alpha of the conformal prediction sets.");

  /** Conformal step. */
  public static final ConfigOption<Double> CONFORMAL_GAMMA =
      key("elapse.conformal.gamma")
          .doubleType()
          .defaultValue(0.005)
          .withDescription("Step gamma of adaptive conformal inference.");

  // ---- evaluation ----

  /** Whether the job evaluates its own predictions. */
  public static final ConfigOption<Boolean> EVALUATION_ENABLED =
      key("elapse.evaluation.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Run the prequential evaluator inside the job: join predictions with labels and publish metrics to the evaluation topic and as Flink gauges.");

  /** Name of the evaluator. */
  public static final ConfigOption<String> EVALUATION_NAME =
      key("elapse.evaluation.name")
          .stringType()
          .defaultValue("elapse")
          .withDescription("Name of the evaluator: the key and 'evaluator' field of its reports.");

  /** Report interval. */
  public static final ConfigOption<Duration> EVALUATION_INTERVAL =
      key("elapse.evaluation.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "The evaluator publishes a report this often (wall clock), and one at the end of input.");

  /** Evaluation topic. */
  public static final ConfigOption<String> EVALUATION_TOPIC =
      key("elapse.evaluation.topic")
          .stringType()
          .noDefaultValue()
          .withDescription(
              "Topic of the evaluation reports; unset: the prefix's evaluation topic (elapse.evaluation).");

  /** How long a prediction waits for labels. */
  public static final ConfigOption<Duration> EVALUATION_PREDICTION_RETENTION =
      key("elapse.evaluation.prediction-retention")
          .durationType()
          .defaultValue(Duration.ofHours(1))
          .withDescription(
              "The evaluator keeps a prediction this long (event time) for its labels; later labels count as unmatched. State grows with prediction rate x retention.");

  /** How long a label waits for its prediction. */
  public static final ConfigOption<Duration> EVALUATION_LABEL_WAIT =
      key("elapse.evaluation.label-wait")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "A label that arrives before its prediction waits this long (event time), then counts as unmatched.");

  /** Bound of waiting labels per event. */
  public static final ConfigOption<Integer> EVALUATION_MAX_PENDING_LABELS =
      key("elapse.evaluation.max-pending-labels")
          .intType()
          .defaultValue(16)
          .withDescription(
              "At most this many labels wait per (entity, event); more count as unmatched.");

  /** Exact-AUC capacity. */
  public static final ConfigOption<Integer> EVALUATION_AUC_CAPACITY =
      key("elapse.evaluation.auc-capacity")
          .intType()
          .defaultValue(10_000)
          .withDescription(
              "AUC is exact up to this many labels per task, then computed over a uniform reservoir sample of this size (aucExact=false).");

  /** The k of the at-k metrics. */
  public static final ConfigOption<Integer> EVALUATION_K =
      key("elapse.evaluation.k")
          .intType()
          .defaultValue(5)
          .withDescription("k of precision@k and recall@k (tasks ranked by probability).");

  /** Fraction of entities the evaluator evaluates. */
  public static final ConfigOption<Double> EVALUATION_ENTITY_FRACTION =
      key("elapse.evaluation.entity-fraction")
          .doubleType()
          .defaultValue(1.0)
          .withDescription(
              "The evaluator evaluates the predictions and labels of this fraction of entities, chosen by a hash of the entity id (the same entities in every run and on every subtask); its state and CPU scale with it, and its metrics are those of the sampled entities. 1.0 evaluates every entity.");

  // ---- time and state ----

  /** Bounded out-of-orderness. */
  public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
      key("elapse.time.max-out-of-orderness")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "Events may arrive this much out of event-time order; later ones are dead letters 'late'.");

  /** Idle source timeout. */
  public static final ConfigOption<Duration> SOURCE_IDLENESS =
      key("elapse.time.source-idleness")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription(
              "A partition without records for this long stops holding back the watermark.");

  /** Longest an event waits for the watermark, in processing time. */
  public static final ConfigOption<Duration> MAX_EVENT_WAIT =
      key("elapse.time.max-event-wait")
          .durationType()
          .defaultValue(Duration.ofSeconds(5))
          .withDescription(
              "An event never waits longer than this (wall clock) for the watermark: when sources pause or a partition lags, buffered events are processed anyway, in event-time order; an older event of the same entity arriving afterwards is a dead letter 'late'.");

  /** Elapsed-time join wait. */
  public static final ConfigOption<Duration> ELAPSED_JOIN_WAIT =
      key("elapse.time.elapsed-join-wait")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .withDescription(
              "With an elapsed-time topic, how long (event time) an event waits for its elapsed record before falling back to event times.");

  /** Maximum accepted elapsed time. */
  public static final ConfigOption<Duration> MAX_ELAPSED =
      key("elapse.time.max-elapsed")
          .durationType()
          .defaultValue(Duration.ofDays(3650))
          .withDescription("Elapsed times above this are absurd: dead letters 'invalid-elapsed'.");

  /** Wait for labels that arrive before their event. */
  public static final ConfigOption<Duration> PENDING_LABEL_WAIT =
      key("elapse.state.pending-label-wait")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "A label whose event is not yet seen waits this long (event time), then is a dead letter 'unknown-event'.");

  /** Bound of pending labels per entity. */
  public static final ConfigOption<Integer> PENDING_LABEL_MAX =
      key("elapse.state.pending-label-max")
          .intType()
          .defaultValue(64)
          .withDescription(
              "At most this many labels wait per entity; more are dead letters 'overflow'.");

  /** Entity time-to-live. */
  public static final ConfigOption<Duration> ENTITY_TTL =
      key("elapse.state.entity-ttl")
          .durationType()
          .defaultValue(Duration.ofDays(30))
          .withDescription(
              "State of an entity without events for this long (event time) is cleared, checked"
                  + " in steps of a sixteenth of it.");

  // ---- operations ----

  /** How long a learner warms up its model's kernels when it starts (once per TaskManager). */
  public static final ConfigOption<Duration> LEARNER_WARM_UP =
      key("elapse.learner.warm-up")
          .durationType()
          .defaultValue(Duration.ofSeconds(2))
          .withDescription(
              "A learner first runs the model's step and update on a scratch entity this long, so that the JIT has compiled them before real events arrive (until then the Vector API kernels run their Java fallback, and a (re)started job blocked for seconds at a time). Once per model configuration and TaskManager: the other learner subtasks wait for it, later ones (a restarted job) skip it. 0 skips it.");

  /** Checkpoint interval. */
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      key("elapse.checkpoint.interval")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("Checkpoint interval (exactly-once predictions commit at checkpoints).");

  /** Where checkpoints go. */
  public static final ConfigOption<String> CHECKPOINT_DIR =
      key("elapse.checkpoint.dir")
          .stringType()
          .defaultValue("file:///tmp/elapse-checkpoints")
          .withDescription(
              "Checkpoint directory (file://, s3://, ...), used unless Flink's execution.checkpointing.dir is set. The coordinator's state alone is ~5.6 MB at the default model size, above the 5 MB limit of in-memory checkpoint storage.");

  /** State backend. */
  public static final ConfigOption<String> STATE_BACKEND =
      key("elapse.state.backend")
          .stringType()
          .defaultValue("hashmap")
          .withDescription(
              "hashmap (embedded default) or rocksdb (clusters, many entities; its checkpoints are incremental unless execution.checkpointing.incremental says otherwise, and a local MiniCluster gets 2 GB of managed memory for it unless taskmanager.memory.managed.size is set).");

  /** Job parallelism. */
  public static final ConfigOption<Integer> PARALLELISM =
      key("elapse.parallelism")
          .intType()
          .defaultValue(2)
          .withDescription(
              "Parallelism of decoding and learners (the coordinator always runs at 1).");

  /** Every option declared in this class, in declaration order. */
  public static List<ConfigOption<?>> all() {
    List<ConfigOption<?>> out = new ArrayList<>();
    for (Field f : ElapseOptions.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
        try {
          out.add((ConfigOption<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
