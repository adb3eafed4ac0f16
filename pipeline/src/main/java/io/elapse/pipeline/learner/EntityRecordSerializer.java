package io.elapse.pipeline.learner;

import io.elapse.model.EntityState;
import io.elapse.pipeline.records.EntityInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of an {@link EntityRecord}, written by hand so that neither reflection nor Kryo
 * runs per entity in a checkpoint or a RocksDB access.
 *
 * <p>Format (version 1): version byte, body length (int32), body. The body: the model state as a
 * length-prefixed {@link EntityState#encode()} (length −1 when absent); the book (presence byte, W,
 * then per slot the id and sequence, the next slot, the 4W evicted hashes, the next evicted slot,
 * the last event time); the pending labels and the waiting elapsed times (count, then each {@link
 * EntityInput}, the elapsed ones after their event id). Strings are Flink's {@link StringValue}
 * encoding, which allows null. The body is written into a per-thread buffer and handed over in one
 * write: a heap checkpoint's stream takes each byte through several layers of calls otherwise
 * (per-character writes of the event ids were most of this serializer's time in a checkpoint
 * profile).
 */
public final class EntityRecordSerializer extends TypeSerializerSingleton<EntityRecord> {

  private static final long serialVersionUID = 1L;

  private static final byte VERSION = 1;

  /**
   * Each thread's body buffer (Flink shares one serializer between the task and its checkpoints).
   */
  private static final ThreadLocal<DataOutputSerializer> BODY =
      ThreadLocal.withInitial(() -> new DataOutputSerializer(4096));

  /** The one instance. */
  public static final EntityRecordSerializer INSTANCE = new EntityRecordSerializer();

  private EntityRecordSerializer() {}

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public EntityRecord createInstance() {
    return new EntityRecord();
  }

  @Override
  public EntityRecord copy(EntityRecord from) {
    return from == null ? null : from.copy();
  }

  @Override
  public EntityRecord copy(EntityRecord from, EntityRecord reuse) {
    return copy(from);
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(EntityRecord r, DataOutputView target) throws IOException {
    DataOutputSerializer out = BODY.get();
    out.clear();
    writeBody(r, out);
    target.writeByte(VERSION);
    target.writeInt(out.length());
    target.write(out.getSharedBuffer(), 0, out.length());
  }

  private static void writeBody(EntityRecord r, DataOutputView out) throws IOException {
    if (r.model == null) {
      out.writeInt(-1);
    } else {
      byte[] bytes = r.model.encode();
      out.writeInt(bytes.length);
      out.write(bytes);
    }
    writeBook(r.book, out);
    out.writeInt(r.pendingLabels.size());
    for (EntityInput label : r.pendingLabels) {
      writeInput(label, out);
    }
    out.writeInt(r.elapsedByEvent.size());
    for (Map.Entry<String, EntityInput> e : r.elapsedByEvent.entrySet()) {
      StringValue.writeString(e.getKey(), out);
      writeInput(e.getValue(), out);
    }
  }

  @Override
  public EntityRecord deserialize(DataInputView source) throws IOException {
    byte[] body = new byte[readHeader(source)];
    source.readFully(body);
    DataInputDeserializer in = new DataInputDeserializer(body);
    EntityRecord record = readBody(in);
    if (in.available() != 0) {
      throw new IOException(
          "entity record: " + in.available() + " bytes left over in a body of " + body.length);
    }
    return record;
  }

  /** Reads the version and the body length; refuses another version. */
  private static int readHeader(DataInputView source) throws IOException {
    byte version = source.readByte();
    if (version != VERSION) {
      throw new IOException(
          "entity record: expected format version " + VERSION + ", got " + version);
    }
    return count(source, "body bytes");
  }

  private static EntityRecord readBody(DataInputView in) throws IOException {
    int modelLength = in.readInt();
    EntityState model = null;
    if (modelLength >= 0) {
      byte[] bytes = new byte[modelLength];
      in.readFully(bytes);
      try {
        model = EntityState.decode(bytes);
      } catch (IllegalArgumentException e) {
        throw new IOException("entity record: " + e.getMessage(), e);
      }
    }
    EntityBook book = readBook(in);
    int labels = count(in, "pending labels");
    List<EntityInput> pending = new ArrayList<>(labels);
    for (int i = 0; i < labels; i++) {
      pending.add(readInput(in));
    }
    int elapsed = count(in, "elapsed times");
    Map<String, EntityInput> byEvent = new LinkedHashMap<>();
    for (int i = 0; i < elapsed; i++) {
      byEvent.put(StringValue.readString(in), readInput(in));
    }
    return new EntityRecord(model, book, pending, byEvent);
  }

  @Override
  public EntityRecord deserialize(EntityRecord reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    byte[] body = new byte[readHeader(source)];
    source.readFully(body);
    target.writeByte(VERSION);
    target.writeInt(body.length);
    target.write(body);
  }

  @Override
  public TypeSerializerSnapshot<EntityRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  private static int count(DataInputView in, String what) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("entity record: negative number of " + what + ": " + n);
    }
    return n;
  }

  private static void writeBook(EntityBook b, DataOutputView out) throws IOException {
    out.writeBoolean(b != null);
    if (b == null) {
      return;
    }
    out.writeInt(b.ids.length);
    for (int i = 0; i < b.ids.length; i++) {
      StringValue.writeString(b.ids[i], out);
      out.writeLong(b.seqs[i]);
    }
    out.writeInt(b.next);
    out.writeInt(b.evicted.length);
    for (long h : b.evicted) {
      out.writeLong(h);
    }
    out.writeInt(b.evictedNext);
    out.writeLong(b.lastEventTime);
  }

  private static EntityBook readBook(DataInputView in) throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    EntityBook b = new EntityBook();
    int w = count(in, "window slots");
    b.ids = new String[w];
    b.seqs = new long[w];
    for (int i = 0; i < w; i++) {
      b.ids[i] = StringValue.readString(in);
      b.seqs[i] = in.readLong();
    }
    b.next = in.readInt();
    b.evicted = new long[count(in, "evicted slots")];
    for (int i = 0; i < b.evicted.length; i++) {
      b.evicted[i] = in.readLong();
    }
    b.evictedNext = in.readInt();
    b.lastEventTime = in.readLong();
    return b;
  }

  private static void writeInput(EntityInput e, DataOutputView out) throws IOException {
    out.writeByte(e.kind);
    StringValue.writeString(e.entityId, out);
    StringValue.writeString(e.eventId, out);
    out.writeLong(e.time);
    StringValue.writeString(e.eventType, out);
    writeFloats(e.features, out);
    out.writeLong(e.elapsedMillis);
    writeFloats(e.targets, out);
    out.writeFloat(e.sampleWeight);
    StringValue.writeString(e.sourceTopic, out);
    out.writeInt(e.sourcePartition);
    out.writeLong(e.sourceOffset);
    out.writeLong(e.ingestTime);
  }

  private static EntityInput readInput(DataInputView in) throws IOException {
    EntityInput e = new EntityInput();
    e.kind = in.readByte();
    e.entityId = StringValue.readString(in);
    e.eventId = StringValue.readString(in);
    e.time = in.readLong();
    e.eventType = StringValue.readString(in);
    e.features = readFloats(in);
    e.elapsedMillis = in.readLong();
    e.targets = readFloats(in);
    e.sampleWeight = in.readFloat();
    e.sourceTopic = StringValue.readString(in);
    e.sourcePartition = in.readInt();
    e.sourceOffset = in.readLong();
    e.ingestTime = in.readLong();
    return e;
  }

  private static void writeFloats(float[] a, DataOutputView out) throws IOException {
    out.writeInt(a == null ? -1 : a.length);
    if (a != null) {
      for (float v : a) {
        out.writeFloat(v);
      }
    }
  }

  private static float[] readFloats(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readFloat();
    }
    return a;
  }

  /** Snapshot of the serializer: it has no configuration, the format is versioned per record. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<EntityRecord> {
    /** For Flink's reflective instantiation. */
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
