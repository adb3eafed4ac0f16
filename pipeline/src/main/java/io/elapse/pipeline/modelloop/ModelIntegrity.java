package io.elapse.pipeline.modelloop;

import io.elapse.avro.ModelUpdate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Seals and verifies model updates. The checksum is SHA-256 over the canonical bytes: the update's
 * Avro binary encoding with {@code checksum} set to zero bytes and {@code signature} null. When a
 * key is configured, {@code signature} is HMAC-SHA256 over the same bytes, and verification
 * requires it.
 */
public final class ModelIntegrity {

  /** The result of a verification: ok, or the reason it failed. */
  public record Verdict(boolean ok, String problem) {
    static final Verdict OK = new Verdict(true, null);

    static Verdict fail(String problem) {
      return new Verdict(false, problem);
    }
  }

  private ModelIntegrity() {}

  /** Returns a copy of {@code update} with its checksum (and signature when a key is given). */
  public static ModelUpdate seal(ModelUpdate update, String hmacKey) {
    byte[] canonical = canonicalBytes(update);
    return ModelUpdate.newBuilder(update)
        .setChecksum(ByteBuffer.wrap(sha256(canonical)))
        .setSignature(hmacKey == null ? null : ByteBuffer.wrap(hmac(hmacKey, canonical)))
        .build();
  }

  /** Checks the checksum, and the signature when {@code hmacKey} is not null. */
  public static Verdict verify(ModelUpdate update, String hmacKey) {
    byte[] canonical = canonicalBytes(update);
    byte[] expected = sha256(canonical);
    byte[] actual = bytes(update.getChecksum());
    if (!MessageDigest.isEqual(expected, actual)) {
      return Verdict.fail(
          "checksum mismatch for model version "
              + update.getVersion().getEpoch()
              + "."
              + update.getVersion().getStep()
              + ": the update was altered or corrupted");
    }
    if (hmacKey != null) {
      if (update.getSignature() == null) {
        return Verdict.fail("unsigned model update, but a signing key is configured");
      }
      if (!MessageDigest.isEqual(hmac(hmacKey, canonical), bytes(update.getSignature()))) {
        return Verdict.fail("HMAC signature mismatch: signed with another key, or altered");
      }
    }
    return Verdict.OK;
  }

  static byte[] canonicalBytes(ModelUpdate update) {
    ModelUpdate blank =
        ModelUpdate.newBuilder(update)
            .setChecksum(ByteBuffer.allocate(0))
            .setSignature(null)
            .build();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(ModelUpdate.class).write(blank, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
