package dev.meridian.agent.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Told about every answered request, after the response went out: the hook for HTTP metrics and the audit
 * log, so handlers carry neither. Called on an event loop: implementations must be quick, thread-safe, and
 * must not throw.
 */
public interface RequestListener {
  RequestListener NONE = request -> {};

  void answered(AnsweredRequest request);

  /** Combines listeners; each is told in turn. */
  static RequestListener all(RequestListener... listeners) {
    return request -> {
      for (RequestListener l : listeners) l.answered(request);
    };
  }

  /**
   * One request and its answer.
   *
   * @param route the route template ({@code /v2/{name}/manifests/{reference}}), or {@code none} if unrouted
   * @param name the repository, for routes under {@code /v2/<name>/}
   * @param parameter the last path parameter (reference, digest or session)
   * @param contentDigest the {@code Docker-Content-Digest} of the response, if it had one
   */
  record AnsweredRequest(String method, String route, Optional<String> name, Optional<String> parameter, int status,
      Duration duration, String remoteAddress, Optional<String> contentDigest) {
    public AnsweredRequest {
      requireNonNull(method, "method");
      requireNonNull(route, "route");
      requireNonNull(name, "name");
      requireNonNull(parameter, "parameter");
      requireNonNull(duration, "duration");
      requireNonNull(remoteAddress, "remoteAddress");
      requireNonNull(contentDigest, "contentDigest");
    }
  }
}
