package io.elapse.model.io;

import io.elapse.model.io.CorruptParametersException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The versioned binary encoding of a named flat float32 parameter vector, format {@value
 * #FORMAT_NAME}, full (dense) or as a sparse delta. All integers and floats little-endian:
 *
 * <pre>
 *   offset  size  field
 *   0       4     magic "ELPM" (0x45 0x4C 0x50 0x4D)
 *   4       2     format version, unsigned (1)
 *   6       2     flags, unsigned: 0 = dense, 1 = sparse; any other value is rejected as unsupported
 *   8       2     n = byte length of the layout name, unsigned
 *   10      n     layout name, UTF-8
 *   dense:
 *   10+n    4     count = number of parameters, signed, ≥ 0
 *   14+n    4·count  the parameters, IEEE-754 float32 (bit patterns preserved, NaN included)
 *   sparse:
 *   10+n    4     full length of the vector the entries belong to, ≥ 0
 *   14+n    4     count = number of entries, 0 ≤ count ≤ full length
 *   18+n    4·count  indices, int32, strictly increasing, each &lt; full length
 *   ...     4·count  values, float32
 *   both:
 *   end-4   4     CRC32C (Castagnoli, java.util.zip.CRC32C) of every preceding byte
 * </pre>
 *
 * CRC32C detects accidental corruption (every burst up to 32 bits, any odd number of flipped bits);
 * it is not a defence against tampering: sign the bytes with {@link Hmac} for that. Decoding
 * checks, in order: magic, version and flags, header bounds, exact length, checksum, then (sparse)
 * the indices.
 */
public final class ParameterCodec {

  /** Name of this encoding, for the Avro {@code ModelUpdate.parameterFormat} field. */
  public static final String FORMAT_NAME = "elapse-params-v1";

  /** The version written. */
  public static final int VERSION = 1;

  /** The magic bytes "ELPM" as a big-endian int. */
  public static final int MAGIC = 0x454C504D;

  /** Flags value of a sparse delta. */
  public static final int FLAG_SPARSE = 1;

  private static final int HEADER = 4 + 2 + 2 + 2;
  private static final int CRC = 4;
  private static final int FIXED = HEADER + 4 + CRC;

  private ParameterCodec() {}

  /** Encodes {@code params} under {@code layoutName} (at most 65,535 UTF-8 bytes). */
  public static byte[] encode(String layoutName, float[] params) {
    byte[] name = nameBytes(layoutName);
    ByteBuffer buf = allocate(FIXED + (long) name.length + 4L * params.length);
    putHeader(buf, 0, name);
    buf.putInt(params.length);
    buf.asFloatBuffer().put(params);
    buf.position(buf.position() + 4 * params.length);
    return finish(buf);
  }

  /**
   * Encodes a sparse delta: entries {@code indices[i]} of a vector of {@code fullLength} take the
   * value {@code values[i]}. Indices must be strictly increasing and in [0, fullLength).
   */
  public static byte[] encodeSparse(
      String layoutName, int fullLength, int[] indices, float[] values) {
    SparseParameters.check(fullLength, indices, values);
    byte[] name = nameBytes(layoutName);
    ByteBuffer buf = allocate(FIXED + 4 + (long) name.length + 8L * indices.length);
    putHeader(buf, FLAG_SPARSE, name);
    buf.putInt(fullLength).putInt(indices.length);
    buf.asIntBuffer().put(indices);
    buf.position(buf.position() + 4 * indices.length);
    buf.asFloatBuffer().put(values);
    buf.position(buf.position() + 4 * values.length);
    return finish(buf);
  }

  /** Whether valid-looking bytes hold a sparse delta (reads magic, version and flags only). */
  public static boolean isSparse(byte[] bytes) {
    return readHeader(bytes).flags == FLAG_SPARSE;
  }

  /**
   * Decodes a full vector written by {@link #encode}.
   *
   * @throws CorruptParametersException naming the first check that failed and both values
   */
  public static DecodedParameters decode(byte[] bytes) {
    Header h = readHeader(bytes);
    if (h.flags != 0) {
      throw new CorruptParametersException(
          Reason.WRONG_KIND, "expected a dense vector (flags 0), got flags " + h.flags);
    }
    ByteBuffer buf = h.buf;
    int count = buf.getInt();
    if (count < 0) {
      throw new CorruptParametersException(
          Reason.BAD_HEADER, "expected a parameter count >= 0, got " + count);
    }
    checkLengthAndCrc(bytes, FIXED + (long) h.nameLength + 4L * count, count + " parameters");
    float[] params = new float[count];
    buf.asFloatBuffer().get(params);
    return new DecodedParameters(h.layoutName(), h.version, params);
  }

  /**
   * Decodes a sparse delta written by {@link #encodeSparse}.
   *
   * @throws CorruptParametersException naming the first check that failed and both values
   */
  public static SparseParameters decodeSparse(byte[] bytes) {
    Header h = readHeader(bytes);
    if (h.flags != FLAG_SPARSE) {
      throw new CorruptParametersException(
          Reason.WRONG_KIND, "expected a sparse delta (flags 1), got flags " + h.flags);
    }
    ByteBuffer buf = h.buf;
    if (bytes.length < FIXED + 4 + h.nameLength) {
      throw new CorruptParametersException(
          Reason.TRUNCATED,
          "expected at least " + (FIXED + 4 + h.nameLength) + " bytes, got " + bytes.length);
    }
    int fullLength = buf.getInt();
    int count = buf.getInt();
    if (fullLength < 0 || count < 0 || count > fullLength) {
      throw new CorruptParametersException(
          Reason.BAD_HEADER,
          "expected 0 <= count <= full length, got count " + count + ", full length " + fullLength);
    }
    checkLengthAndCrc(
        bytes, FIXED + 4 + (long) h.nameLength + 8L * count, count + " sparse entries");
    int[] indices = new int[count];
    float[] values = new float[count];
    buf.asIntBuffer().get(indices);
    buf.position(buf.position() + 4 * count);
    buf.asFloatBuffer().get(values);
    try {
      SparseParameters.check(fullLength, indices, values);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new CorruptParametersException(Reason.BAD_HEADER, e.getMessage());
    }
    return new SparseParameters(h.layoutName(), h.version, fullLength, indices, values);
  }

  private static byte[] nameBytes(String layoutName) {
    byte[] name = layoutName.getBytes(StandardCharsets.UTF_8);
    if (name.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "expected a layout name of at most 65535 UTF-8 bytes, got " + name.length);
    }
    return name;
  }

  private static ByteBuffer allocate(long total) {
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "expected an encoding of at most " + (Integer.MAX_VALUE - 8) + " bytes, got " + total);
    }
    return ByteBuffer.allocate((int) total);
  }

  private static void putHeader(ByteBuffer buf, int flags, byte[] name) {
    buf.order(ByteOrder.BIG_ENDIAN).putInt(MAGIC);
    buf.order(ByteOrder.LITTLE_ENDIAN);
    buf.putShort((short) VERSION).putShort((short) flags).putShort((short) name.length).put(name);
  }

  private static byte[] finish(ByteBuffer buf) {
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    return buf.array();
  }

  /** Parsed common header; {@code buf} is positioned after the layout name. */
  private record Header(int version, int flags, int nameLength, byte[] name, ByteBuffer buf) {
    String layoutName() {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(name))
            .toString();
      } catch (CharacterCodingException e) {
        throw new CorruptParametersException(
            Reason.BAD_HEADER, "expected a UTF-8 layout name, got malformed bytes");
      }
    }
  }

  private static Header readHeader(byte[] bytes) {
    if (bytes.length < 4) {
      throw new CorruptParametersException(
          Reason.TRUNCATED, "expected at least " + FIXED + " bytes, got " + bytes.length);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    int magic = buf.getInt();
    if (magic != MAGIC) {
      throw new CorruptParametersException(
          Reason.BAD_MAGIC, String.format("expected magic %08x (ELPM), got %08x", MAGIC, magic));
    }
    if (bytes.length < FIXED) {
      throw new CorruptParametersException(
          Reason.TRUNCATED, "expected at least " + FIXED + " bytes, got " + bytes.length);
    }
    buf.order(ByteOrder.LITTLE_ENDIAN);
    int version = Short.toUnsignedInt(buf.getShort());
    if (version != VERSION) {
      throw new CorruptParametersException(
          Reason.UNSUPPORTED_VERSION, "expected format version " + VERSION + ", got " + version);
    }
    int flags = Short.toUnsignedInt(buf.getShort());
    if (flags != 0 && flags != FLAG_SPARSE) {
      throw new CorruptParametersException(
          Reason.UNSUPPORTED_VERSION, "expected flags 0 or 1 in version 1, got " + flags);
    }
    int nameLength = Short.toUnsignedInt(buf.getShort());
    if (bytes.length < FIXED + nameLength) {
      throw new CorruptParametersException(
          Reason.TRUNCATED,
          "expected at least "
              + (FIXED + nameLength)
              + " bytes for a layout name of "
              + nameLength
              + " bytes, got "
              + bytes.length);
    }
    byte[] name = new byte[nameLength];
    buf.get(name);
    return new Header(version, flags, nameLength, name, buf);
  }

  private static void checkLengthAndCrc(byte[] bytes, long expected, String what) {
    if (bytes.length < expected) {
      throw new CorruptParametersException(
          Reason.TRUNCATED,
          "expected " + expected + " bytes for " + what + ", got " + bytes.length);
    }
    if (bytes.length > expected) {
      throw new CorruptParametersException(
          Reason.TRAILING_BYTES,
          "expected " + expected + " bytes for " + what + ", got " + bytes.length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - CRC);
    int stored =
        ByteBuffer.wrap(bytes, bytes.length - CRC, CRC).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int actual = (int) crc.getValue();
    if (stored != actual) {
      throw new CorruptParametersException(
          Reason.CHECKSUM_MISMATCH,
          String.format("expected CRC32C %08x (stored), got %08x (computed)", stored, actual));
    }
  }
}
