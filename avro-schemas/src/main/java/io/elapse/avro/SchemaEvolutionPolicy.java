package io.elapse.avro;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Elapse's schema evolution rule: every new schema version must be fully compatible with the
 * previous one. Today's readers must read records written with the previous schema (so a new field
 * needs a default) and the previous readers must read today's records (so a field is never removed
 * unless it had a default). Checked with Avro's {@link SchemaCompatibility} in both directions.
 */
public final class SchemaEvolutionPolicy {

  private SchemaEvolutionPolicy() {}

  /** Returns the violations of the policy going from {@code previous} to {@code current}. */
  public static List<String> violations(Schema previous, Schema current) {
    List<String> out = new ArrayList<>();
    SchemaPairCompatibility backward =
        SchemaCompatibility.checkReaderWriterCompatibility(current, previous);
    if (backward.getType() != SchemaCompatibilityType.COMPATIBLE) {
      out.add(
          current.getFullName()
              + ": the current reader cannot read records of the previous version (a new field without a default?): "
              + backward.getResult().getIncompatibilities());
    }
    SchemaPairCompatibility forward =
        SchemaCompatibility.checkReaderWriterCompatibility(previous, current);
    if (forward.getType() != SchemaCompatibilityType.COMPATIBLE) {
      out.add(
          current.getFullName()
              + ": the previous reader cannot read records of the current version (a field removed without a default?): "
              + forward.getResult().getIncompatibilities());
    }
    return out;
  }
}
