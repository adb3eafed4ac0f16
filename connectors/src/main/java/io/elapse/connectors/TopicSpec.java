package io.elapse.connectors;

import java.util.Map;
import java.util.Set;

/**
 * One topic as Elapse wants it: partitions, replication factor and topic configs. Configs in {@code
 * enforced} must hold on an existing topic too (e.g. {@code cleanup.policy=compact} on the model
 * topic); the others (e.g. retention) are only applied when the topic is created.
 *
 * @param name topic name
 * @param partitions the minimum number of partitions
 * @param replicationFactor replication factor on creation
 * @param configs topic configs applied on creation
 * @param enforced keys of {@code configs} an existing topic must match
 */
public record TopicSpec(
    String name,
    int partitions,
    short replicationFactor,
    Map<String, String> configs,
    Set<String> enforced) {

  /** Validates sizes and that every enforced key has a config value. */
  public TopicSpec {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": expected at least 1 partition, got " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "topic "
              + name
              + ": expected a replication factor of at least 1, got "
              + replicationFactor);
    }
    configs = Map.copyOf(configs);
    enforced = Set.copyOf(enforced);
    for (String key : enforced) {
      if (!configs.containsKey(key)) {
        throw new IllegalArgumentException(
            "topic "
                + name
                + ": enforced config "
                + key
                + " expected in configs "
                + configs.keySet());
      }
    }
  }
}
