package io.elapse.connectors;

import io.elapse.avro.ElapseSchemas;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type (two marker bytes {@code C3 01}, the 8-byte
 * little-endian CRC-64-AVRO fingerprint of the writer's schema, then the Avro binary body; see the
 * Avro 1.12 specification, "Single-object encoding"). Records written with a previous schema
 * version (kept under {@code io/elapse/connectors/schemas/vN}) are resolved to today's schema.
 * {@link #decode(byte[])} never throws. Instances are immutable and thread-safe.
 *
 * @param <T> the generated Avro record class
 */
public final class AvroCodec<T extends SpecificRecord> {

  /** Length of the single-object header: marker (2 bytes) and fingerprint (8 bytes). */
  public static final int HEADER_LENGTH = 10;

  /** The previous schema versions registered by {@link #of(Class)}, oldest first. */
  public static final List<String> PREVIOUS_VERSIONS = List.of("v1");

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;
  private static final ConcurrentMap<Class<?>, AvroCodec<?>> CACHE = new ConcurrentHashMap<>();
  private static volatile Map<String, List<Schema>> previousSchemas;

  private final Class<T> type;
  private final Schema schema;
  private final long fingerprint;
  private final byte[] header;
  private final SpecificDatumWriter<T> writer;
  private final ThreadLocal<Encoding> encoding = ThreadLocal.withInitial(Encoding::new);
  private final Map<Long, SpecificDatumReader<T>> readers;

  private AvroCodec(Class<T> type, Collection<Schema> writerSchemas) {
    this.type = type;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.header = new byte[HEADER_LENGTH];
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    for (int i = 0; i < 8; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    this.writer = new SpecificDatumWriter<>(schema, model);
    Map<Long, SpecificDatumReader<T>> byFingerprint = new HashMap<>();
    byFingerprint.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
    for (Schema writer : writerSchemas) {
      if (!writer.getFullName().equals(schema.getFullName())) {
        throw new IllegalArgumentException(
            "writer schema for "
                + type.getName()
                + ": expected a record named "
                + schema.getFullName()
                + ", got "
                + writer.getFullName());
      }
      byFingerprint.putIfAbsent(
          SchemaNormalization.parsingFingerprint64(writer),
          new SpecificDatumReader<>(writer, schema, model));
    }
    this.readers = Map.copyOf(byFingerprint);
  }

  /** The shared codec of {@code type}, reading today's schema and every previous version. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return (AvroCodec<T>)
        CACHE.computeIfAbsent(
            type,
            t -> {
              Schema current = SpecificData.getForClass(type).getSchema(type);
              return new AvroCodec<>(
                  type, previousSchemas().getOrDefault(current.getFullName(), List.of()));
            });
  }

  /**
   * A new (uncached) codec of {@code type} that also reads records written with the given writer
   * schemas, besides today's schema and the checked-in previous versions.
   */
  public static <T extends SpecificRecord> AvroCodec<T> withWriterSchemas(
      Class<T> type, Collection<Schema> writerSchemas) {
    Schema current = SpecificData.getForClass(type).getSchema(type);
    List<Schema> all =
        new ArrayList<>(previousSchemas().getOrDefault(current.getFullName(), List.of()));
    all.addAll(writerSchemas);
    return new AvroCodec<>(type, all);
  }

  /**
   * Decodes a value of any Elapse topic, choosing the record type by the fingerprint in its header.
   * Never throws.
   */
  public static DecodeResult<SpecificRecord> decodeAny(byte[] bytes) {
    DecodeResult<SpecificRecord> header = checkHeader(bytes);
    if (header != null) {
      return header;
    }
    long writer = readFingerprint(bytes);
    for (ElapseSchemas.Contract contract : ElapseSchemas.ALL) {
      AvroCodec<? extends SpecificRecord> codec = of(contract.type());
      if (codec.readers.containsKey(writer)) {
        DecodeResult<? extends SpecificRecord> result = codec.decode(bytes);
        return result.isSuccess()
            ? DecodeResult.success(result.record())
            : DecodeResult.failure(result.reason(), result.message());
      }
    }
    return DecodeResult.failure(
        ReasonCodes.UNKNOWN_SCHEMA,
        "no Elapse record type has a schema with fingerprint " + hex(writer));
  }

  /** The writer-schema fingerprint in a single-object header, or empty when there is none. */
  public static OptionalLong fingerprintOf(byte[] bytes) {
    return checkHeader(bytes) == null
        ? OptionalLong.of(readFingerprint(bytes))
        : OptionalLong.empty();
  }

  /** Encodes {@code record} with today's schema. Throws on a record that is not valid Avro. */
  public byte[] encode(T record) {
    Encoding e = encoding.get();
    e.out.reset();
    e.out.write(header, 0, HEADER_LENGTH);
    try {
      e.encoder = EncoderFactory.get().binaryEncoder(e.out, e.encoder);
      writer.write(record, e.encoder);
      e.encoder.flush();
    } catch (IOException ex) {
      e.encoder = null; // it may hold part of the failed record
      throw new IllegalArgumentException(
          "cannot encode " + type.getSimpleName() + ": " + ex.getMessage(), ex);
    } catch (RuntimeException ex) {
      e.encoder = null;
      throw ex;
    }
    return e.out.toByteArray();
  }

  /**
   * One thread's reusable encoding buffers: a buffered binary encoder over a growable array (Avro's
   * own message encoder writes each value through a synchronized stream, unbuffered).
   */
  private static final class Encoding {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    BinaryEncoder encoder;
  }

  /**
   * Decodes one single-object-encoded value. Never throws: a failure carries {@link
   * ReasonCodes#EMPTY}, {@link ReasonCodes#UNDECODABLE}, {@link ReasonCodes#UNKNOWN_SCHEMA}, or
   * {@link ReasonCodes#WRONG_TYPE} for a record of another Elapse type.
   */
  public DecodeResult<T> decode(byte[] bytes) {
    DecodeResult<T> header = checkHeader(bytes);
    if (header != null) {
      return header;
    }
    long writer = readFingerprint(bytes);
    SpecificDatumReader<T> reader = readers.get(writer);
    if (reader == null) {
      for (ElapseSchemas.Contract contract : ElapseSchemas.ALL) {
        if (contract.type() != type && of(contract.type()).readers.containsKey(writer)) {
          return DecodeResult.failure(
              ReasonCodes.WRONG_TYPE,
              "expected " + type.getSimpleName() + ", got a " + contract.name() + " record");
        }
      }
      return DecodeResult.failure(
          ReasonCodes.UNKNOWN_SCHEMA,
          "no "
              + type.getSimpleName()
              + " schema has fingerprint "
              + hex(writer)
              + "; known: "
              + readers.keySet().stream().map(AvroCodec::hex).sorted().toList());
    }
    try {
      BoundedDecoder in = new BoundedDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
      T record = reader.read(null, in);
      if (!in.isEnd()) {
        return DecodeResult.failure(
            ReasonCodes.UNDECODABLE,
            type.getSimpleName()
                + " body of "
                + (bytes.length - HEADER_LENGTH)
                + " bytes has trailing bytes after the record");
      }
      return DecodeResult.success(record);
    } catch (EOFException e) {
      return DecodeResult.failure(
          ReasonCodes.UNDECODABLE,
          "truncated "
              + type.getSimpleName()
              + ": the body of "
              + (bytes.length - HEADER_LENGTH)
              + " bytes ends before the record does"
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    } catch (IOException | RuntimeException e) {
      return DecodeResult.failure(
          ReasonCodes.UNDECODABLE,
          "cannot decode "
              + type.getSimpleName()
              + " ("
              + (bytes.length - HEADER_LENGTH)
              + " body bytes): "
              + e);
    }
  }

  /** The record class. */
  public Class<T> type() {
    return type;
  }

  /** Today's schema of the record. */
  public Schema schema() {
    return schema;
  }

  /** The CRC-64-AVRO fingerprint of today's schema. */
  public long fingerprint() {
    return fingerprint;
  }

  /** Fingerprints of every writer schema this codec reads. */
  public Set<Long> knownFingerprints() {
    return readers.keySet();
  }

  @Override
  public String toString() {
    return "AvroCodec{" + type.getSimpleName() + ", fingerprint=" + hex(fingerprint) + "}";
  }

  /** Null when the header is fine, otherwise the failure. */
  private static <R> DecodeResult<R> checkHeader(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return DecodeResult.failure(
          ReasonCodes.EMPTY, bytes == null ? "the value is null" : "the value is empty");
    }
    if (bytes.length < 2 || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      return DecodeResult.failure(
          ReasonCodes.UNDECODABLE,
          "no Avro single-object marker: expected C3 01, got "
              + HexFormat.of()
                  .withUpperCase()
                  .withDelimiter(" ")
                  .formatHex(bytes, 0, Math.min(2, bytes.length)));
    }
    if (bytes.length < HEADER_LENGTH) {
      return DecodeResult.failure(
          ReasonCodes.UNDECODABLE,
          "truncated header: expected at least " + HEADER_LENGTH + " bytes, got " + bytes.length);
    }
    return null;
  }

  private static long readFingerprint(byte[] bytes) {
    long value = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      value = (value << 8) | (bytes[i] & 0xFFL);
    }
    return value;
  }

  private static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  private static Map<String, List<Schema>> previousSchemas() {
    Map<String, List<Schema>> loaded = previousSchemas;
    if (loaded == null) {
      synchronized (AvroCodec.class) {
        loaded = previousSchemas;
        if (loaded == null) {
          loaded = loadPreviousSchemas();
          previousSchemas = loaded;
        }
      }
    }
    return loaded;
  }

  private static Map<String, List<Schema>> loadPreviousSchemas() {
    Map<String, List<Schema>> out = new LinkedHashMap<>();
    for (String version : PREVIOUS_VERSIONS) {
      Schema.Parser parser = new Schema.Parser();
      for (String name : List.of("ModelVersion", "CellVariant")) {
        parse(parser, version, name);
      }
      for (ElapseSchemas.Contract contract : ElapseSchemas.ALL) {
        if (!ElapseSchemas.existedIn(version, contract.name())) {
          continue;
        }
        Schema s = parse(parser, version, contract.name());
        out.computeIfAbsent(s.getFullName(), k -> new ArrayList<>()).add(s);
      }
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(out);
  }

  private static Schema parse(Schema.Parser parser, String version, String name) {
    String path = "schemas/" + version + "/" + name + ".avsc";
    try (InputStream in = AvroCodec.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource io/elapse/connectors/" + path);
      }
      return parser.parse(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema resource " + path, e);
    }
  }
}
