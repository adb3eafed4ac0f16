package io.elapse.model.export;

import io.elapse.model.LstmModel;
import io.elapse.model.ParameterLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes each parameter group of a model as a NumPy {@code .npy} file (format version 1.0,
 * little-endian float32 {@code '<f4'}, C order), named after the group in lower case ({@code
 * embedding.npy} [V,E], {@code w_x.npy} [I,4H], {@code w_h.npy} [H,4H], {@code b.npy} [4H], …,
 * {@code head_w.npy} [H,K], {@code head_b.npy} [K]). Readable by {@code numpy.load} and ND4J's
 * {@code Nd4j.createFromNpyFile}.
 */
public final class NpyExport {
  private NpyExport() {}

  /**
   * Writes one file per present group into {@code dir} (created if missing).
   *
   * @return the written files in layout order
   */
  public static List<Path> write(LstmModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    ParameterLayout layout = model.layout();
    float[] p = model.parameters();
    List<Path> out = new ArrayList<>();
    for (ParameterLayout.Segment s : layout.segments()) {
      boolean vector = s.rows() == 1;
      int[] shape = vector ? new int[] {s.cols()} : new int[] {s.rows(), s.cols()};
      Path f = dir.resolve(s.group().name().toLowerCase(Locale.ROOT) + ".npy");
      try (OutputStream os = Files.newOutputStream(f)) {
        writeNpy(os, p, s.offset(), s.length(), shape);
      }
      out.add(f);
    }
    return out;
  }

  /** Writes {@code length} floats from {@code data[offset..]} as a C-order float32 array. */
  public static void writeNpy(OutputStream os, float[] data, int offset, int length, int[] shape)
      throws IOException {
    long n = 1;
    StringBuilder sh = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      n *= shape[i];
      sh.append(shape[i]);
      sh.append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
    }
    sh.append(')');
    if (n != length) {
      throw new IllegalArgumentException(
          "expected " + n + " values for shape " + sh + ", got " + length);
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + sh + ", }";
    int unpadded = 10 + dict.length() + 1; // magic(6) + version(2) + len(2) + dict + '\n'
    int pad = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
    pre.put((byte) 0x93)
        .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 1)
        .put((byte) 0);
    pre.putShort((short) header.length());
    os.write(pre.array());
    os.write(header.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer body = ByteBuffer.allocate(4 * length).order(ByteOrder.LITTLE_ENDIAN);
    for (int q = 0; q < length; q++) {
      body.putFloat(data[offset + q]);
    }
    os.write(body.array());
  }
}
