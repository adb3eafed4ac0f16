package io.elapse.connectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics Elapse needs and checks existing ones. Idempotent: existing topics that
 * satisfy their spec are left alone; an existing topic with fewer partitions than asked, or with an
 * enforced config that differs (a model topic that is not compacted), fails with an {@link
 * IncompatibleTopicException} naming topic, setting, expected and actual value.
 */
public final class TopicAdministrator implements AutoCloseable {

  /** Default retention of the data topics: 7 days. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Default retention of the dead-letter topic: 30 days. */
  public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);

  private static final long TIMEOUT_SECONDS = 60;
  private static final long UNKNOWN_TOPIC_WAIT_SECONDS = 10;

  private final Admin admin;

  /** An administrator using the admin client properties of {@code kafka}. */
  public TopicAdministrator(ElapseKafka kafka) {
    this(kafka.adminProperties());
  }

  /** An administrator using the given admin client properties. */
  public TopicAdministrator(Properties adminProperties) {
    this.admin = Admin.create(adminProperties);
  }

  /**
   * The specs of every Elapse topic: {@code partitions} each, the model topic compacted (enforced),
   * the others deleted after their retention.
   */
  public static List<TopicSpec> elapseTopics(
      ElapseTopics topics, int partitions, short replicationFactor) {
    Map<String, String> retained =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            String.valueOf(DEFAULT_RETENTION.toMillis()));
    Map<String, String> deadLetters =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            String.valueOf(DEAD_LETTER_RETENTION.toMillis()));
    Map<String, String> compacted =
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
            String.valueOf(Duration.ofMinutes(1).toMillis()),
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            String.valueOf(ElapseKafka.MAX_MODEL_BYTES));
    Set<String> none = Set.of();
    return List.of(
        new TopicSpec(topics.events(), partitions, replicationFactor, retained, none),
        new TopicSpec(topics.elapsed(), partitions, replicationFactor, retained, none),
        new TopicSpec(topics.labels(), partitions, replicationFactor, retained, none),
        new TopicSpec(topics.predictions(), partitions, replicationFactor, retained, none),
        new TopicSpec(
            topics.model(),
            1,
            replicationFactor,
            compacted,
            Set.of(TopicConfig.CLEANUP_POLICY_CONFIG)),
        new TopicSpec(topics.deadLetters(), partitions, replicationFactor, deadLetters, none),
        new TopicSpec(topics.evaluation(), partitions, replicationFactor, retained, none));
  }

  /**
   * Creates the missing topics and checks the existing ones against their specs.
   *
   * @return which topics were created and which already existed
   * @throws IncompatibleTopicException when an existing topic does not satisfy its spec
   */
  public EnsureResult ensure(Collection<TopicSpec> specs) {
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    Set<String> present = call(admin.listTopics().names(), "list topics");
    for (TopicSpec spec : specs) {
      if (present.contains(spec.name())) {
        existing.add(spec.name());
        continue;
      }
      NewTopic topic =
          new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
              .configs(spec.configs());
      try {
        call(admin.createTopics(List.of(topic)).all(), "create topic " + spec.name());
        created.add(spec.name());
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        existing.add(spec.name()); // created concurrently by someone else
      }
    }
    List<String> problems = new ArrayList<>();
    for (TopicSpec spec : specs) {
      if (existing.contains(spec.name())) {
        problems.addAll(check(spec));
      }
    }
    if (!problems.isEmpty()) {
      throw new IncompatibleTopicException(problems);
    }
    return new EnsureResult(List.copyOf(created), List.copyOf(existing));
  }

  /** The incompatibilities of an existing topic with its spec, one message each. */
  public List<String> check(TopicSpec spec) {
    List<String> problems = new ArrayList<>();
    TopicDescription description =
        callWhileUnknown(
                () -> admin.describeTopics(List.of(spec.name())).allTopicNames(),
                "describe " + spec.name())
            .get(spec.name());
    int partitions = description.partitions().size();
    if (partitions < spec.partitions()) {
      problems.add(
          "topic "
              + spec.name()
              + ": partitions expected at least "
              + spec.partitions()
              + ", actual "
              + partitions);
    }
    if (!spec.enforced().isEmpty()) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
      Config config =
          callWhileUnknown(
                  () -> admin.describeConfigs(List.of(resource)).all(),
                  "describe configs of " + spec.name())
              .get(resource);
      for (String key : spec.enforced().stream().sorted().toList()) {
        ConfigEntry entry = config.get(key);
        String actual = entry == null ? null : entry.value();
        String expected = spec.configs().get(key);
        if (!expected.equals(actual)) {
          problems.add(
              "topic " + spec.name() + ": " + key + " expected " + expected + ", actual " + actual);
        }
      }
    }
    return problems;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }

  /**
   * As {@link #call}, retried while the broker does not know the topic yet: a topic that was just
   * created (here or by someone else) reaches the broker's metadata a little after the controller
   * has it, so an immediate describe can fail with {@link UnknownTopicOrPartitionException}.
   */
  private static <V> V callWhileUnknown(
      Supplier<org.apache.kafka.common.KafkaFuture<V>> request, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(UNKNOWN_TOPIC_WAIT_SECONDS);
    while (true) {
      try {
        return call(request.get(), what);
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted: " + what, e);
      }
    }
  }

  private static <V> V call(org.apache.kafka.common.KafkaFuture<V> future, String what) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot " + what + ": no answer within " + TIMEOUT_SECONDS + " s", e);
    }
  }

  /**
   * What {@link #ensure} did.
   *
   * @param created topics created now
   * @param existing topics that already existed (and satisfy their specs)
   */
  public record EnsureResult(List<String> created, List<String> existing) {}

  /** An existing topic does not satisfy its spec; the message lists every problem. */
  public static final class IncompatibleTopicException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    IncompatibleTopicException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    /** One message per problem: topic, setting, expected and actual value. */
    public List<String> problems() {
      return problems;
    }
  }
}
