package io.elapse.pipeline.learner;

import static io.elapse.pipeline.Inputs.elapsed;
import static io.elapse.pipeline.Inputs.event;
import static io.elapse.pipeline.Inputs.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elapse.model.EntityState;
import io.elapse.model.LstmModel;
import io.elapse.model.config.ModelConfig;
import io.elapse.pipeline.TestSettings;
import io.elapse.pipeline.config.ModelConfigs;
import io.elapse.pipeline.records.EntityInput;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EntityRecordSerializerTest {

  private final EntityRecordSerializer serializer = EntityRecordSerializer.INSTANCE;

  /** A record with every part filled: a stepped model, a book past its window, both waits. */
  private static EntityRecord filled() {
    ModelConfig config = ModelConfigs.of(TestSettings.small());
    LstmModel model = LstmModel.of(config, LstmModel.initialParameters(config, 3));
    EntityRecord r = new EntityRecord();
    r.model = EntityState.initial(config);
    r.book = EntityBook.empty(config.windowSize());
    for (int i = 0; i < config.windowSize() + 3; i++) {
      r.model.step(model, model.input("type" + i % 4, null, i == 0 ? null : 1_000L));
      r.book.add("e" + i, i);
    }
    r.book.lastEventTime = 123_456L;
    EntityInput pending = label("u1", "e99", 5_000L, 1f, Float.NaN, 0.25f);
    pending.sourceTopic = "labels";
    pending.sourcePartition = 1;
    pending.sourceOffset = 42;
    pending.ingestTime = 777;
    pending.sampleWeight = 0.5f;
    r.pendingLabels.add(pending);
    EntityInput withFeatures = event("u1", "e98", 4_000L, "click");
    withFeatures.features = new float[] {1.5f, -2f};
    r.pendingLabels.add(withFeatures);
    r.elapsedByEvent.put("e100", elapsed("u1", "e100", 6_000L, 250L));
    r.elapsedByEvent.put("e101", elapsed("u1", "e101", 6_500L, 300L));
    return r;
  }

  private byte[] bytes(EntityRecord r) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(r, out);
    return out.getCopyOfBuffer();
  }

  private EntityRecord read(byte[] bytes) throws IOException {
    return serializer.deserialize(new DataInputDeserializer(bytes));
  }

  @Test
  void roundTripKeepsEveryPartAndEveryInputField() throws Exception {
    EntityRecord r = filled();
    EntityRecord back = read(bytes(r));

    assertThat(bytes(back)).containsExactly(bytes(r));
    assertThat(back.model.encode()).containsExactly(r.model.encode());
    assertThat(back.book).usingRecursiveComparison().isEqualTo(r.book);
    assertThat(back.elapsedByEvent.keySet()).containsExactly("e100", "e101");
    // every public instance field of EntityInput, so a field added later cannot be dropped
    for (int i = 0; i < r.pendingLabels.size(); i++) {
      for (Field f : EntityInput.class.getFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          assertThat(f.get(back.pendingLabels.get(i)))
              .as("pending label %d, field %s", i, f.getName())
              .isEqualTo(f.get(r.pendingLabels.get(i)));
        }
      }
    }
    assertThat(back.elapsedByEvent.get("e101"))
        .usingRecursiveComparison()
        .isEqualTo(r.elapsedByEvent.get("e101"));
  }

  @Test
  void copyingSerializedBytesGivesTheSameBytes() throws Exception {
    byte[] b = bytes(filled());
    DataOutputSerializer out = new DataOutputSerializer(16);
    serializer.copy(new DataInputDeserializer(b), out);
    assertThat(out.getCopyOfBuffer()).containsExactly(b);
  }

  @Test
  void aBodyLongerThanItsContentIsRefused() throws Exception {
    byte[] b = bytes(new EntityRecord());
    byte[] longer = java.util.Arrays.copyOf(b, b.length + 2);
    longer[4] += 2; // body length, big-endian int32 after the version byte
    assertThatThrownBy(() -> read(longer))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("2 bytes left over");
  }

  @Test
  void anEmptyRecordRoundTrips() throws Exception {
    EntityRecord back = read(bytes(new EntityRecord()));
    assertThat(back.model).isNull();
    assertThat(back.book).isNull();
    assertThat(back.nothingWaits()).isTrue();
  }

  @Test
  void aCopySharesNothingMutable() throws Exception {
    EntityRecord r = filled();
    byte[] before = bytes(r);
    EntityRecord copy = serializer.copy(r);
    ModelConfig config = ModelConfigs.of(TestSettings.small());
    LstmModel model = LstmModel.of(config, LstmModel.initialParameters(config, 3));

    copy.model.step(model, model.input("x", null, 10L));
    copy.book.add("new", 1_000);
    copy.book.lastEventTime = 0;
    copy.pendingLabels.clear();
    copy.elapsedByEvent.clear();

    assertThat(bytes(r)).containsExactly(before);
  }

  @Test
  void anotherFormatVersionIsRefusedWithAClearError() throws Exception {
    byte[] b = bytes(filled());
    b[0] = 7;
    assertThatThrownBy(() -> read(b))
        .isInstanceOf(IOException.class)
        .hasMessage("entity record: expected format version 1, got 7");
  }

  @Test
  void theSnapshotRestoresTheSameSerializerAsCompatible() throws Exception {
    TypeSerializerSnapshot<EntityRecord> snapshot = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    TypeSerializerSnapshot<EntityRecord> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(read.restoreSerializer()).isSameAs(serializer);
    assertThat(
            serializer.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
        .isTrue();
  }
}
