package io.elapse.model.io;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 (RFC 2104, FIPS 198-1) signing and verification of byte strings, for model updates.
 * Verification compares in constant time ({@link MessageDigest#isEqual}). Immutable and
 * thread-safe: each call uses its own {@link Mac}.
 */
public final class Hmac {

  /** Length of a tag in bytes. */
  public static final int TAG_LENGTH = 32;

  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  /** A signer with {@code key} (copied; at least 1 byte, 32 or more recommended). */
  public Hmac(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("expected a key of at least 1 byte, got 0");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** The 32-byte HMAC-SHA256 tag of {@code data}. */
  public byte[] sign(byte[] data) {
    return mac().doFinal(data);
  }

  /** Whether {@code tag} is the tag of {@code data}, compared in constant time. */
  public boolean verify(byte[] data, byte[] tag) {
    return tag.length == TAG_LENGTH && MessageDigest.isEqual(sign(data), tag);
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "Hmac{HmacSHA256, key=<" + key.getEncoded().length + " bytes>}";
  }
}
