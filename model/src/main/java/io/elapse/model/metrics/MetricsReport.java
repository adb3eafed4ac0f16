package io.elapse.model.metrics;

import java.util.List;

/**
 * One report of {@link PrequentialMetrics}.
 *
 * @param tasks per task metrics, in task order
 * @param overall metrics pooled over every present label of every task (micro average)
 * @param macroAuc mean of the per-task AUCs that are defined (NaN if none)
 * @param k the k of the at-k metrics
 * @param examples examples given to {@code addExample} (within the window, if sliding)
 * @param precisionAtK mean over those examples with a present label of precision at k
 * @param recallAtK mean over those examples with a positive label of recall at k
 */
public record MetricsReport(
    List<TaskMetrics> tasks,
    TaskMetrics overall,
    double macroAuc,
    int k,
    long examples,
    double precisionAtK,
    double recallAtK) {

  /** Copies the task list. */
  public MetricsReport {
    tasks = List.copyOf(tasks);
  }

  /** Metrics of {@code task}. */
  public TaskMetrics task(int task) {
    return tasks.get(task);
  }
}
