package dev.meridian.agent.http;

import dev.meridian.agent.registry.UploadRangeException;
import dev.meridian.core.error.RegistryException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import dev.meridian.core.blob.StorageFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception into the spec's error body, {@code {"errors":[{"code":..,"message":..,"detail":..}]}},
 * with the status it travels with. A {@link RegistryException} is an answer and is shown as is; anything
 * else is a fault of ours: logged with its stack trace, answered 500 {@code UNKNOWN} without any of it.
 *
 * <p>See <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">error
 * codes</a>.
 */
public final class OciErrorResponder {
  private static final Logger log = LoggerFactory.getLogger(OciErrorResponder.class);

  private OciErrorResponder() {}

  public static FullHttpResponse toResponse(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof RegistryException e) {
      FullHttpResponse response = error(HttpResponseStatus.valueOf(e.httpStatus()), e.code().name(), e.getMessage(), e.detail());
      if (e instanceof UploadRangeException range) UploadHandler.addUploadHeaders(response, range.status());
      if (e instanceof TooManyRequestsException limited) {
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.RETRY_AFTER, limited.retryAfterSeconds());
      }
      if (e instanceof ChallengeException challenge) response.headers().set("WWW-Authenticate", challenge.challenge());
      return response;
    }
    if (StorageFullException.isOutOfSpace(cause)) {
      // Not the client's fault and not a crash: 507 says so, and clients retry a 5xx later.
      log.warn("request failed: out of disk space reason={}", cause.getMessage());
      return error(HttpResponseStatus.INSUFFICIENT_STORAGE, "UNAVAILABLE", "this region is out of disk space", null);
    }
    log.error("request failed unexpectedly", cause);
    return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "UNKNOWN", "internal server error", null);
  }

  /** An error response with one error. */
  public static FullHttpResponse error(HttpResponseStatus status, String code, String message, Object detail) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message == null ? "" : message);
    if (detail != null) error.put("detail", jsonSafe(detail));
    return Responses.json(status, Map.of("errors", List.of(error)));
  }

  private static Object jsonSafe(Object detail) {
    boolean plain = detail instanceof String || detail instanceof Number || detail instanceof Boolean
        || detail instanceof Map || detail instanceof List;
    return plain ? detail : String.valueOf(detail);
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
