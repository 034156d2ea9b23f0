package dev.meridian.core.digest;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;

/** A string that is not a digest this registry accepts; answered with {@code DIGEST_INVALID}. */
public final class InvalidDigestException extends RegistryException {
  public InvalidDigestException(String text) {
    super(OciErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(text), abbreviate(text), 400);
  }

  private static String abbreviate(String text) {
    if (text == null) return "null";
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
