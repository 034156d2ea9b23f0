package dev.meridian.agent.http;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.time.Duration;

/**
 * A client asked more than its limit allows: {@code 429 TOOMANYREQUESTS} with {@code Retry-After} (whole seconds,
 * at least 1), so well-behaved clients back off and retry instead of failing.
 */
final class TooManyRequestsException extends RegistryException {
  private final long retryAfterSeconds;

  TooManyRequestsException(String message, Duration retryAfter) {
    super(OciErrorCode.TOOMANYREQUESTS, message, null, 429);
    this.retryAfterSeconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
