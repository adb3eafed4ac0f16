package io.elapse.connectors;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over a byte array that refuses lengths and item counts larger than the
 * bytes left, before anything is allocated. Avro's own decoder allocates whatever length a
 * corrupted record claims (a 1 GB string from five bytes), which would let one bad record take down
 * the job with an {@link OutOfMemoryError}. Assumes every collection item takes at least one byte,
 * which holds for every Elapse schema (no arrays or maps of null or of empty records).
 */
final class BoundedDecoder extends Decoder {

  private final ArrayStream bytes;
  private final BinaryDecoder in;

  BoundedDecoder(byte[] data, int offset, int length) {
    this.bytes = new ArrayStream(data, offset, length);
    this.in = DecoderFactory.get().directBinaryDecoder(bytes, null);
  }

  /** An unsynchronized stream over a byte array slice (ByteArrayInputStream locks per byte). */
  private static final class ArrayStream extends InputStream {
    private final byte[] data;
    private final int end;
    private int pos;

    ArrayStream(byte[] data, int offset, int length) {
      this.data = data;
      this.pos = offset;
      this.end = offset + length;
    }

    @Override
    public int read() {
      return pos < end ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) {
      long k = Math.max(0, Math.min(n, end - pos));
      pos += (int) k;
      return k;
    }

    @Override
    public int available() {
      return end - pos;
    }
  }

  /** Whether every byte was consumed. */
  boolean isEnd() {
    return bytes.available() == 0;
  }

  private int checkedLength(long length, String what) throws IOException {
    if (length < 0) {
      throw new IOException(what + ": expected a non-negative length, got " + length);
    }
    if (length > bytes.available()) {
      throw new EOFException(
          what + " of " + length + " bytes, but only " + bytes.available() + " bytes are left");
    }
    return (int) length;
  }

  private long checkedCount(long count, String what) throws IOException {
    if (count > bytes.available()) {
      throw new EOFException(
          what + " of " + count + " items, but only " + bytes.available() + " bytes are left");
    }
    return count;
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength(in.readLong(), "string");
    byte[] data = new byte[length];
    in.readFixed(data, 0, length);
    Utf8 out = old != null ? old : new Utf8();
    out.set(new Utf8(data));
    return out;
  }

  @Override
  public String readString() throws IOException {
    int length = checkedLength(in.readLong(), "string");
    byte[] data = new byte[length];
    in.readFixed(data, 0, length);
    return new String(data, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    skipFixed(checkedLength(in.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkedLength(in.readLong(), "bytes");
    byte[] data = new byte[length];
    in.readFixed(data, 0, length);
    return ByteBuffer.wrap(data);
  }

  @Override
  public void skipBytes() throws IOException {
    skipFixed(checkedLength(in.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] data, int start, int length) throws IOException {
    checkedLength(length, "fixed");
    in.readFixed(data, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    checkedLength(length, "fixed");
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart(), "array block");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext(), "array block");
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart(), "map block");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext(), "map block");
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
