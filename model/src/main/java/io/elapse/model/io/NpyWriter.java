package io.elapse.model.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a float32 array as a NumPy {@code .npy} file, format version 1.0 (NumPy Enhancement
 * Proposal 1, "A Simple File Format for NumPy Arrays"): magic {@code \x93NUMPY}, version 1.0, a
 * little-endian uint16 header length, an ASCII dict {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (...), }} padded with spaces and a newline so the data starts at a multiple of 64 bytes,
 * then the values little-endian in C order. Readable by {@code numpy.load} and ND4J's {@code
 * Nd4j.createFromNpyFile}.
 */
public final class NpyWriter {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private NpyWriter() {}

  /** The {@code .npy} bytes of {@code data} with {@code shape} (product must equal the length). */
  public static byte[] toBytes(float[] data, int... shape) {
    long product = 1;
    StringBuilder dims = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("expected dimensions >= 0, got " + shape[i]);
      }
      product *= shape[i];
      dims.append(shape[i]);
      dims.append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
    }
    dims.append(")");
    if (product != data.length) {
      throw new IllegalArgumentException(
          "expected " + product + " values for shape " + dims + ", got " + data.length);
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    byte[] headerBytes = header.getBytes(StandardCharsets.US_ASCII);
    if (headerBytes.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "expected a header of at most 65535 bytes, got " + headerBytes.length);
    }
    ByteBuffer buf =
        ByteBuffer.allocate(MAGIC.length + 4 + headerBytes.length + 4 * data.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerBytes.length);
    buf.put(headerBytes);
    buf.asFloatBuffer().put(data);
    return buf.array();
  }

  /** Writes {@code data} with {@code shape} to {@code out}; the stream is not closed. */
  public static void write(OutputStream out, float[] data, int... shape) throws IOException {
    out.write(toBytes(data, shape));
  }

  /** Writes {@code data} with {@code shape} to the file {@code path}, replacing it. */
  public static void write(Path path, float[] data, int... shape) throws IOException {
    Files.write(path, toBytes(data, shape));
  }
}
