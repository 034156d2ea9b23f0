package dev.meridian.agent.http;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;

/** {@code 401 UNAUTHORIZED} with the {@code WWW-Authenticate} challenge that tells the client how to authenticate. */
final class ChallengeException extends RegistryException {
  private final String challenge;

  ChallengeException(String message, String challenge) {
    super(OciErrorCode.UNAUTHORIZED, message, null, 401);
    this.challenge = challenge;
  }

  String challenge() {
    return challenge;
  }
}
