package io.elapse.connectors;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The names of Elapse's topics; {@link #defaults()} gives {@code elapse.events} and friends. */
public record ElapseTopics(
    String events,
    String elapsed,
    String labels,
    String predictions,
    String model,
    String deadLetters,
    String evaluation)
    implements Serializable {

  /** Validates that every name is a legal, distinct Kafka topic name. */
  public ElapseTopics {
    Map<String, String> byRole = new LinkedHashMap<>();
    byRole.put("events", events);
    byRole.put("elapsed", elapsed);
    byRole.put("labels", labels);
    byRole.put("predictions", predictions);
    byRole.put("model", model);
    byRole.put("dead-letters", deadLetters);
    byRole.put("evaluation", evaluation);
    byRole.forEach(ElapseTopics::checkName);
    long distinct = byRole.values().stream().distinct().count();
    if (distinct != byRole.size()) {
      throw new IllegalArgumentException(
          "topic names: expected " + byRole.size() + " distinct names, got " + byRole);
    }
  }

  /** The default names. */
  public static ElapseTopics defaults() {
    return withPrefix("elapse.");
  }

  /** Every default name with {@code prefix} instead of {@code elapse.}, e.g. for tests. */
  public static ElapseTopics withPrefix(String prefix) {
    return new ElapseTopics(
        prefix + "events",
        prefix + "elapsed",
        prefix + "labels",
        prefix + "predictions",
        prefix + "model",
        prefix + "dead-letters",
        prefix + "evaluation");
  }

  /** Every name, in the order of the record components. */
  public List<String> all() {
    return List.of(events, elapsed, labels, predictions, model, deadLetters, evaluation);
  }

  private static void checkName(String role, String name) {
    if (name == null || name.isEmpty() || name.length() > 249) {
      throw new IllegalArgumentException(
          role + " topic: expected a name of 1 to 249 characters, got " + name);
    }
    if (!name.matches("[a-zA-Z0-9._-]+") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          role + " topic: expected only [a-zA-Z0-9._-] characters, got '" + name + "'");
    }
  }
}
