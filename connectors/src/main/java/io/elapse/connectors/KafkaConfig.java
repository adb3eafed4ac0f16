package io.elapse.connectors;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Elapse's one validated Kafka configuration. {@code clientProperties} (typically SASL/SSL settings
 * loaded from a properties file) are passed through to every client; {@link #toString()} redacts
 * anything that looks secret.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param topics the topic names
 * @param groupId consumer group of the job's sources
 * @param startPosition where sources start without a checkpointed position
 * @param clientProperties extra client properties (security), passed to every client
 * @param transactionalIdPrefix prefix of the exactly-once sinks' transactional ids
 * @param transactionTimeout {@code transaction.timeout.ms} of exactly-once sinks
 */
public record KafkaConfig(
    String bootstrapServers,
    ElapseTopics topics,
    String groupId,
    StartPosition startPosition,
    Map<String, String> clientProperties,
    String transactionalIdPrefix,
    Duration transactionTimeout)
    implements Serializable {

  /** The broker's default {@code transaction.max.timeout.ms}: 15 minutes. */
  public static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /** Default transaction timeout of exactly-once sinks: 5 minutes. */
  public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(5);

  /** Keys whose values are never printed. */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|secret|jaas|key|token|credential|auth|sasl\\.).*");

  /** Client properties Elapse sets itself; passing them through would silently override. */
  private static final Set<String> RESERVED =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "key.deserializer",
          "value.deserializer",
          "key.serializer",
          "value.serializer",
          "transactional.id",
          "transaction.timeout.ms",
          "isolation.level",
          "enable.auto.commit");

  /** Validates every field; fails with the expected and the given value. */
  public KafkaConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException(
          "bootstrapServers: expected host:port[,host:port...], got '" + bootstrapServers + "'");
    }
    for (String server : bootstrapServers.split(",")) {
      if (!server.trim().matches("[^\\s:]+:\\d{1,5}")) {
        throw new IllegalArgumentException(
            "bootstrapServers: expected host:port entries, got '" + server.trim() + "'");
      }
    }
    if (topics == null) {
      throw new IllegalArgumentException("topics: expected topic names, got null");
    }
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException(
          "groupId: expected a non-blank consumer group, got '" + groupId + "'");
    }
    if (startPosition == null) {
      throw new IllegalArgumentException(
          "startPosition: expected one of EARLIEST, LATEST, COMMITTED, got null");
    }
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    for (String key : clientProperties.keySet()) {
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException(
            "client property "
                + key
                + ": Elapse sets it itself; expected none of "
                + new TreeSet<>(RESERVED)
                + ", got "
                + key);
      }
    }
    if (transactionalIdPrefix == null || !transactionalIdPrefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          "transactionalIdPrefix: expected [a-zA-Z0-9._-]+, got '" + transactionalIdPrefix + "'");
    }
    if (transactionTimeout == null
        || transactionTimeout.isNegative()
        || transactionTimeout.isZero()
        || transactionTimeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) >= 0) {
      throw new IllegalArgumentException(
          "transactionTimeout: expected more than 0 and less than the broker's maximum "
              + BROKER_MAX_TRANSACTION_TIMEOUT.toMillis()
              + " ms, got "
              + (transactionTimeout == null ? "null" : transactionTimeout.toMillis() + " ms"));
    }
  }

  /** A builder with the defaults: default topics, group {@code elapse}, start COMMITTED. */
  public static Builder builder() {
    return new Builder();
  }

  /** The client properties as a fresh {@link Properties} (secrets included; never print it). */
  public Properties clientPropertiesCopy() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    return p;
  }

  /** Whether the value of property {@code key} is redacted when printed. */
  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** {@code properties} with every secret-looking value replaced by {@code [redacted]}. */
  public static Map<String, String> redacted(Map<?, ?> properties) {
    Map<String, String> out = new TreeMap<>();
    properties.forEach(
        (k, v) ->
            out.put(
                String.valueOf(k), isSecret(String.valueOf(k)) ? "[redacted]" : String.valueOf(v)));
    return out;
  }

  @Override
  public String toString() {
    return "KafkaConfig{bootstrapServers="
        + bootstrapServers
        + ", topics="
        + topics
        + ", groupId="
        + groupId
        + ", startPosition="
        + startPosition
        + ", clientProperties="
        + redacted(clientProperties)
        + ", transactionalIdPrefix="
        + transactionalIdPrefix
        + ", transactionTimeout="
        + transactionTimeout
        + "}";
  }

  /** Loads client properties (e.g. SASL/SSL settings) from a properties file. */
  public static Map<String, String> loadProperties(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "client properties file: expected a readable file, got " + file);
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "client properties file " + file + ": cannot read it: " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    return out;
  }

  /** Builds a {@link KafkaConfig}; {@link #build()} validates. */
  public static final class Builder {
    private String bootstrapServers;
    private ElapseTopics topics = ElapseTopics.defaults();
    private String groupId = "elapse";
    private StartPosition startPosition = StartPosition.COMMITTED;
    private final Map<String, String> clientProperties = new LinkedHashMap<>();
    private String transactionalIdPrefix = "elapse";
    private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;

    private Builder() {}

    /** Sets the bootstrap servers (required). */
    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    /** Sets the topic names. */
    public Builder topics(ElapseTopics value) {
      this.topics = value;
      return this;
    }

    /** Sets the consumer group. */
    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    /** Sets where sources start without a checkpointed position. */
    public Builder startPosition(StartPosition value) {
      this.startPosition = value;
      return this;
    }

    /** Adds one client property passed to every client. */
    public Builder clientProperty(String key, String value) {
      this.clientProperties.put(key, value);
      return this;
    }

    /** Adds client properties passed to every client. */
    public Builder clientProperties(Map<String, String> values) {
      this.clientProperties.putAll(values);
      return this;
    }

    /** Adds the client properties of a properties file (e.g. SASL/SSL settings). */
    public Builder clientPropertiesFile(Path file) {
      return clientProperties(loadProperties(file));
    }

    /** Sets the transactional id prefix of exactly-once sinks. */
    public Builder transactionalIdPrefix(String value) {
      this.transactionalIdPrefix = value;
      return this;
    }

    /** Sets the transaction timeout of exactly-once sinks (below the broker's maximum). */
    public Builder transactionTimeout(Duration value) {
      this.transactionTimeout = value;
      return this;
    }

    /** The validated configuration. */
    public KafkaConfig build() {
      return new KafkaConfig(
          bootstrapServers,
          topics,
          groupId,
          startPosition,
          clientProperties,
          transactionalIdPrefix,
          transactionTimeout);
    }
  }
}
