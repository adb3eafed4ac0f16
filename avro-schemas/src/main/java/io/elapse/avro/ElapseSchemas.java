package io.elapse.avro;

import java.util.List;
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
          new Contract("DeadLetter", DeadLetter.class, DeadLetter.getClassSchema()));

  private ElapseSchemas() {}

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
