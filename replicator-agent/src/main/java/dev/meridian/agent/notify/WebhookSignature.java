package dev.meridian.agent.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook body: header {@value #HEADER} = {@code sha256=} + hex HMAC-SHA256 with the webhook's
 * secret over the exact body bytes (the convention GitHub's and many other webhooks use). A receiver recomputes it
 * over the bytes it received and compares in constant time ({@link #verify}).
 */
public final class WebhookSignature {
  public static final String HEADER = "X-Meridian-Signature";
  private static final String PREFIX = "sha256=";

  private final byte[] secret;

  public WebhookSignature(byte[] secret) {
    if (secret == null || secret.length == 0) throw new IllegalArgumentException("webhook secret is empty");
    this.secret = secret.clone();
  }

  /** The header value for {@code body}. */
  public String sign(byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(body));
  }

  /** Whether {@code header} is this secret's signature of {@code body}. */
  public boolean verify(byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX)) return false;
    byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, header.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
