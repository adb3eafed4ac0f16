package io.elapse.pipeline.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * What the synthetic stream looks like. Validated on construction; see {@link SyntheticStream} for
 * the generative process.
 *
 * @param entities number of entities
 * @param events total number of events across entities
 * @param eventTypes number of distinct event types
 * @param tasks task names
 * @param labelFraction fraction of events that receive a label record
 * @param taskPresence probability that a given task is present in a label record
 * @param meanLabelDelayMillis mean of the exponential label delay after the event
 * @param meanGapMillis mean gap between two events of one entity
 * @param startMillis event time of the stream's start
 * @param drift whether the task -> trigger mapping changes half-way
 * @param seed random seed
 * @param signal how strongly and for how long a trigger raises a task's probability
 */
public record SyntheticSpec(
    int entities,
    int events,
    int eventTypes,
    List<String> tasks,
    double labelFraction,
    double taskPresence,
    double meanLabelDelayMillis,
    double meanGapMillis,
    long startMillis,
    boolean drift,
    long seed,
    Signal signal) {

  /**
   * The outcome model of {@link SyntheticStream}: a task's true probability is {@code
   * sigmoid(baseLogit + triggerBoost · [its trigger type happened within its horizon])}, with the
   * horizon of each task drawn uniformly between {@code minHorizonGaps} and {@code maxHorizonGaps}
   * mean gaps.
   *
   * @param baseLogit logit of a task's probability when not triggered
   * @param triggerBoost added to the logit when triggered
   * @param minHorizonGaps shortest horizon, in mean gaps between two events of an entity
   * @param maxHorizonGaps longest horizon, in mean gaps
   */
  public record Signal(
      double baseLogit, double triggerBoost, double minHorizonGaps, double maxHorizonGaps) {

    /** sigmoid(-4.6) ≈ 0.01 untriggered, sigmoid(-0.6) ≈ 0.35 triggered, horizons 0.5–3 gaps. */
    public static final Signal DEFAULT = new Signal(-4.6, 4.0, 0.5, 3.0);

    /** Validates every field. */
    public Signal {
      require(
          Double.isFinite(baseLogit) && Double.isFinite(triggerBoost),
          "baseLogit and triggerBoost must be finite, got " + baseLogit + ", " + triggerBoost);
      require(
          minHorizonGaps > 0 && maxHorizonGaps >= minHorizonGaps,
          "horizons must satisfy 0 < min <= max, got " + minHorizonGaps + ", " + maxHorizonGaps);
    }
  }

  /** A spec with the {@link Signal#DEFAULT default signal}. */
  public SyntheticSpec(
      int entities,
      int events,
      int eventTypes,
      List<String> tasks,
      double labelFraction,
      double taskPresence,
      double meanLabelDelayMillis,
      double meanGapMillis,
      long startMillis,
      boolean drift,
      long seed) {
    this(
        entities,
        events,
        eventTypes,
        tasks,
        labelFraction,
        taskPresence,
        meanLabelDelayMillis,
        meanGapMillis,
        startMillis,
        drift,
        seed,
        Signal.DEFAULT);
  }

  /** Validates every field. */
  public SyntheticSpec {
    require(entities > 0, "entities must be > 0, got " + entities);
    require(events > 0, "events must be > 0, got " + events);
    require(eventTypes >= 2, "eventTypes must be >= 2, got " + eventTypes);
    require(tasks != null && !tasks.isEmpty(), "at least one task is required");
    require(
        labelFraction >= 0 && labelFraction <= 1,
        "labelFraction must be in [0,1], got " + labelFraction);
    require(
        taskPresence > 0 && taskPresence <= 1,
        "taskPresence must be in (0,1], got " + taskPresence);
    require(meanLabelDelayMillis >= 0, "meanLabelDelayMillis must be >= 0");
    require(meanGapMillis > 0, "meanGapMillis must be > 0, got " + meanGapMillis);
    require(signal != null, "signal must not be null");
    tasks = List.copyOf(tasks);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Task names task_00 .. task_{k-1}. */
  public static List<String> taskNames(int k) {
    List<String> names = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      names.add(String.format("task_%02d", i));
    }
    return names;
  }

  /**
   * A small default: 200 entities, 20,000 events, 4 tasks, 20% of events labelled, 40% tasks
   * present.
   */
  public static SyntheticSpec small(long seed) {
    return new SyntheticSpec(
        200, 20_000, 8, taskNames(4), 0.2, 0.4, 30_000, 60_000, 1_767_225_600_000L, false, seed);
  }
}
