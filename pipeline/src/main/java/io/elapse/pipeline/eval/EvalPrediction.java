package io.elapse.pipeline.eval;

import io.elapse.avro.Prediction;
import io.elapse.avro.TaskPrediction;
import io.elapse.pipeline.ConformalSets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the evaluator needs of a {@link Prediction}, in the evaluator's task order: the record that
 * crosses the network from the learner to the evaluator's join, a Flink POJO (a fraction of the
 * Avro prediction's cost to serialize and to read back).
 */
public class EvalPrediction {

  /** The entity (the join's key). */
  public String entityId;

  /** The event (the key of the join's per-entity maps). */
  public String eventId;

  /** Per task probability (NaN when the prediction has no entry). */
  public double[] probabilities;

  /** Per task set ordinal, -1 when none. */
  public byte[] sets;

  /** The prediction's event time. */
  public long eventTime;

  /** Model epoch. */
  public long epoch;

  /** Model step. */
  public long step;

  /** Tasks of the prediction that the evaluator does not know. */
  public int unknownTasks;

  /** For Flink's POJO serializer. */
  public EvalPrediction() {}

  /** The evaluator's view of {@code p}, with tasks placed by {@code taskIndex}. */
  public static EvalPrediction of(Prediction p, Map<String, Integer> taskIndex) {
    EvalPrediction e = new EvalPrediction();
    int k = taskIndex.size();
    e.entityId = p.getEntityId();
    e.eventId = p.getEventId();
    e.probabilities = new double[k];
    e.sets = new byte[k];
    Arrays.fill(e.probabilities, Double.NaN);
    Arrays.fill(e.sets, (byte) -1);
    List<TaskPrediction> tasks = p.getTasks();
    for (TaskPrediction t : tasks) {
      Integer i = taskIndex.get(t.getTask());
      if (i == null) {
        e.unknownTasks++;
        continue;
      }
      e.probabilities[i] = t.getProbability();
      e.sets[i] = (byte) ConformalSets.fromAvro(t.getPredictionSet()).ordinal();
    }
    e.eventTime = p.getEventTime().toEpochMilli();
    e.epoch = p.getModelVersion().getEpoch();
    e.step = p.getModelVersion().getStep();
    return e;
  }
}
