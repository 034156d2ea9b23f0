package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks replication records with the fleet key: {@code v1=<hex HMAC-SHA256>} over the record's key
 * and value, carried in the Kafka record header {@value #HEADER}. Only a holder of the fleet key (a fleet
 * member) can write a record replay accepts, so write access to Kafka alone cannot inject or delete images.
 *
 * <p>The MAC covers the key's length (4 bytes, big-endian; -1 for no key), the key's UTF-8 bytes, then the value,
 * so no split of one byte string into key and value signs another. Comparison is constant-time. Thread-safe:
 * each thread uses its own {@link Mac}.
 */
public final class EventSigner {
  public static final String HEADER = "meridian.sig";
  private static final String ALGORITHM = "HmacSHA256";
  private static final String VERSION = "v1=";
  private static final int MIN_KEY_BYTES = 16;

  private final SecretKeySpec key;
  /** Looking up and keying a Mac per record showed in replay's profile: each thread keeps one. */
  private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

  /** What the signing key is derived for from the fleet key: HMAC-SHA256(fleet key, this). */
  public static final String KEY_PURPOSE = "meridian/event-signing/v1";

  /**
   * A signer with the key derived from the fleet's shared secret ({@link #KEY_PURPOSE}), as every region derives it:
   * the secret itself is never used directly, so one use cannot leak another's key.
   */
  public static EventSigner fromFleetSecret(byte[] fleetSecret) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(fleetSecret, ALGORITHM));
      return new EventSigner(mac.doFinal(KEY_PURPOSE.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** A signer with {@code fleetKey}, at least 16 bytes. */
  public EventSigner(byte[] fleetKey) {
    requireNonNull(fleetKey, "fleetKey");
    if (fleetKey.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("fleet key too short: " + fleetKey.length + " bytes, at least " + MIN_KEY_BYTES);
    }
    this.key = new SecretKeySpec(fleetKey.clone(), ALGORITHM);
  }

  /** The header value for a record with {@code recordKey} (may be null) and {@code value}. */
  public String sign(String recordKey, byte[] value) {
    return VERSION + HexFormat.of().formatHex(mac(recordKey, value));
  }

  /** Why the record is not one a fleet member wrote, or empty when its signature holds. */
  public Optional<String> reject(String recordKey, byte[] value, Optional<String> signature) {
    requireNonNull(signature, "signature");
    if (signature.isEmpty()) return Optional.of("SIGNATURE_MISSING: no " + HEADER + " header");
    String text = signature.get();
    if (!text.startsWith(VERSION)) return Optional.of("SIGNATURE_INVALID: unknown signature scheme");
    byte[] claimed = parseHex(text, VERSION.length());
    if (claimed == null) return Optional.of("SIGNATURE_INVALID: not hex");
    return MessageDigest.isEqual(claimed, mac(recordKey, value))
        ? Optional.empty()
        : Optional.of("SIGNATURE_INVALID: not signed with this fleet's key");
  }

  /**
   * The bytes of {@code text}'s hex digits from {@code from} on (either case, as {@link HexFormat#parseHex} reads them),
   * or null if they are not hex: by a plain loop, as every replayed record's signature is parsed here.
   */
  static byte[] parseHex(String text, int from) {
    int digits = text.length() - from;
    if (digits < 0 || digits % 2 != 0) return null;
    byte[] bytes = new byte[digits / 2];
    for (int i = 0; i < bytes.length; i++) {
      int high = Character.digit(text.charAt(from + 2 * i), 16);
      int low = Character.digit(text.charAt(from + 2 * i + 1), 16);
      // Character.digit also takes non-ASCII digits (e.g. fullwidth): HexFormat does not, nor do we.
      if (high < 0 || low < 0 || text.charAt(from + 2 * i) > 'f' || text.charAt(from + 2 * i + 1) > 'f') return null;
      bytes[i] = (byte) ((high << 4) | low);
    }
    return bytes;
  }

  private byte[] mac(String recordKey, byte[] value) {
    requireNonNull(value, "value");
    Mac mac = macs.get();
    try {
      byte[] keyBytes = recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8);
      mac.update(ByteBuffer.allocate(4).putInt(keyBytes == null ? -1 : keyBytes.length).array());
      if (keyBytes != null) mac.update(keyBytes);
      mac.update(value);
      return mac.doFinal(); // doFinal also resets the Mac for the thread's next record
    } catch (RuntimeException e) {
      mac.reset(); // never leave half a record in the thread's Mac
      throw e;
    }
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e); // every JDK has it
    }
  }
}
