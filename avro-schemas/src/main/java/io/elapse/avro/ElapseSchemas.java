package io.elapse.avro;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** The top-level record types Elapse reads and writes, one per topic kind. */
public final class ElapseSchemas {

  /** One topic-level record type: its class and its current schema. */
  public record Contract(String name, Class<? extends SpecificRecord> type, Schema schema) {}

  /** Every top-level record type, in a stable order. */
  public static final List<Contract> ALL =
      List.of(
          new Contract("Event", Event.class, Event.getClassSchema()),
          new Contract("ElapsedTime", ElapsedTime.class, ElapsedTime.getClassSchema()),
          new Contract("Label", Label.class, Label.getClassSchema()),
          new Contract("Prediction", Prediction.class, Prediction.getClassSchema()),
          new Contract("ModelUpdate", ModelUpdate.class, ModelUpdate.getClassSchema()),
          new Contract("DeadLetter", DeadLetter.class, DeadLetter.getClassSchema()),
          new Contract("Evaluation", Evaluation.class, Evaluation.getClassSchema()));

  /**
   * Contracts added after schema version v1, with the first frozen version that will hold them:
   * they have no earlier schema to be compatible with or to read records of.
   */
  private static final Map<String, Integer> INTRODUCED_IN = Map.of("Evaluation", 2);

  private ElapseSchemas() {}

  /**
   * Whether the contract {@code name} existed in the frozen schema version {@code version} ("v1",
   * "v2", ...), so that version's schema of it is kept and must stay readable.
   */
  public static boolean existedIn(String version, String name) {
    byName(name);
    if (!version.matches("v[1-9][0-9]*")) {
      throw new IllegalArgumentException("expected a schema version like v1, got " + version);
    }
    return Integer.parseInt(version.substring(1)) >= INTRODUCED_IN.getOrDefault(name, 1);
  }

  /** Returns the contract with the given simple record name. */
  public static Contract byName(String name) {
    return ALL.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown record type '"
                        + name
                        + "'; known: "
                        + ALL.stream().map(Contract::name).toList()));
  }
}
