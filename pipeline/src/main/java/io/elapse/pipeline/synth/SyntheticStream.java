package io.elapse.pipeline.synth;

import io.elapse.avro.Event;
import io.elapse.avro.Label;
import io.elapse.model.cell.TimeAwareLstmCell;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded stream of events and partial, late labels whose outcomes depend on elapsed time.
 *
 * <p>Each entity emits events with a self-exciting rhythm: after an event, the next gap is short (a
 * burst) with probability 0.5 and long otherwise, both exponential. Event types are uniform over
 * {@code eventTypes}. Task {@code k} has a trigger type {@code t_k} and a horizon {@code tau_k};
 * its true probability at an event is {@code sigmoid(b + boost * [an earlier event of type t_k
 * happened within tau_k before this event])}, with {@code b}, {@code boost} and the range of {@code
 * tau_k} from the spec's {@link SyntheticSpec.Signal} (by default b = -4.6, boost 4, tau_k between
 * 0.5 and 3 mean gaps). The event itself does not count: its type alone would tell a model the
 * answer without any memory. Only elapsed time tells whether the earlier trigger is still recent,
 * so a model that lets time modulate its memory should beat one that does not. With {@code drift},
 * the trigger types rotate half-way through the stream.
 *
 * <p>A fraction of events get a label record that holds each task with probability {@code
 * taskPresence} (the rest missing), drawn from the true probability, arriving after an exponential
 * delay.
 */
public final class SyntheticStream {

  /** One generated event with the true probability of each task at that event. */
  public record GeneratedEvent(Event event, double[] trueProbabilities, int index) {}

  /** One generated label, with the index of the event it labels. */
  public record GeneratedLabel(Label label, int eventIndex) {}

  /** The generated stream: events in event-time order and labels in label-time order. */
  public record Generated(List<GeneratedEvent> events, List<GeneratedLabel> labels) {}

  private final SyntheticSpec spec;

  /** Creates a generator for the given spec. */
  public SyntheticStream(SyntheticSpec spec) {
    this.spec = spec;
  }

  /** Generates the whole stream in memory. */
  public Generated generate() {
    SplittableRandom rnd = new SplittableRandom(spec.seed());
    int k = spec.tasks().size();
    SyntheticSpec.Signal signal = spec.signal();
    int[] trigger = new int[k];
    int[] triggerAfterDrift = new int[k];
    double[] horizon = new double[k];
    for (int i = 0; i < k; i++) {
      trigger[i] = i % spec.eventTypes();
      triggerAfterDrift[i] = (i + 1 + spec.eventTypes() / 2) % spec.eventTypes();
      // Horizons of a few mean gaps: short enough that time since the trigger matters.
      horizon[i] =
          spec.meanGapMillis()
              * (signal.minHorizonGaps()
                  + (signal.maxHorizonGaps() - signal.minHorizonGaps()) * rnd.nextDouble());
    }

    long[] clock = new long[spec.entities()];
    long[][] lastSeenOfType = new long[spec.entities()][spec.eventTypes()];
    int[] seq = new int[spec.entities()];
    for (int e = 0; e < spec.entities(); e++) {
      clock[e] = spec.startMillis() + (long) (rnd.nextDouble() * spec.meanGapMillis());
      Arrays.fill(lastSeenOfType[e], Long.MIN_VALUE);
    }

    // Events: pick the entity with the smallest clock each time (a time-ordered merge).
    java.util.PriorityQueue<long[]> queue =
        new java.util.PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    for (int e = 0; e < spec.entities(); e++) {
      queue.add(new long[] {clock[e], e});
    }
    List<GeneratedEvent> events = new ArrayList<>(spec.events());
    List<GeneratedLabel> labels = new ArrayList<>();
    for (int n = 0; n < spec.events(); n++) {
      long[] head = queue.poll();
      long time = head[0];
      int entity = (int) head[1];
      int type = rnd.nextInt(spec.eventTypes());
      boolean drifted = spec.drift() && n >= spec.events() / 2;
      double[] p = new double[k];
      for (int t = 0; t < k; t++) {
        int trig = drifted ? triggerAfterDrift[t] : trigger[t];
        long seen = lastSeenOfType[entity][trig];
        boolean recent = seen != Long.MIN_VALUE && time - seen <= horizon[t];
        p[t] =
            TimeAwareLstmCell.sigmoid(signal.baseLogit() + (recent ? signal.triggerBoost() : 0.0));
      }
      lastSeenOfType[entity][type] = time; // after the outcome: a trigger acts on later events
      String entityId = "entity-" + entity;
      String eventId = entityId + "-" + seq[entity]++;
      Event event =
          Event.newBuilder()
              .setEntityId(entityId)
              .setEventId(eventId)
              .setEventType("type-" + type)
              .setEventTime(Instant.ofEpochMilli(time))
              .setFeatures(null)
              .setElapsedMillis(null)
              .build();
      events.add(new GeneratedEvent(event, p, n));

      if (rnd.nextDouble() < spec.labelFraction()) {
        Map<String, Double> targets = new HashMap<>();
        for (int t = 0; t < k; t++) {
          if (rnd.nextDouble() < spec.taskPresence()) {
            targets.put(spec.tasks().get(t), rnd.nextDouble() < p[t] ? 1.0 : 0.0);
          }
        }
        if (!targets.isEmpty()) {
          long delay = (long) exponential(rnd, spec.meanLabelDelayMillis());
          Label label =
              Label.newBuilder()
                  .setEntityId(entityId)
                  .setEventId(eventId)
                  .setTargets(targets)
                  .setSampleWeight(null)
                  .setLabelTime(Instant.ofEpochMilli(time + delay))
                  .build();
          labels.add(new GeneratedLabel(label, n));
        }
      }

      double gap =
          rnd.nextDouble() < 0.5
              ? exponential(rnd, spec.meanGapMillis() * 0.1)
              : exponential(rnd, spec.meanGapMillis() * 1.9);
      queue.add(new long[] {time + 1 + (long) gap, entity});
    }
    labels.sort((a, b) -> a.label().getLabelTime().compareTo(b.label().getLabelTime()));
    return new Generated(events, labels);
  }

  private static double exponential(SplittableRandom rnd, double mean) {
    return mean <= 0 ? 0 : -mean * Math.log(1.0 - rnd.nextDouble());
  }
}
