package dev.meridian.agent.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request resolved to a route: the decoded {@code name} and last path parameter ({@code reference},
 * {@code digest} or {@code session}) as raw strings, and the decoded query. Values are not validated here:
 * the handlers turn them into {@code RepositoryName}, {@code Digest} and so on, which answer bad input
 * with the spec's error codes.
 */
public record RouteMatch(Route route, Optional<String> name, Optional<String> parameter, Map<String, List<String>> query) {
  public RouteMatch {
    requireNonNull(route, "route");
    requireNonNull(name, "name");
    requireNonNull(parameter, "parameter");
    query = Map.copyOf(query);
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String key) {
    List<String> values = query.get(key);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of a query parameter, in order. */
  public List<String> queryParams(String key) {
    return query.getOrDefault(key, List.of());
  }

  /** The name; only routes under {@code /v2/<name>/} have one. */
  public String requireName() {
    return name.orElseThrow(() -> new IllegalStateException(route + " has no name"));
  }

  public String requireParameter() {
    return parameter.orElseThrow(() -> new IllegalStateException(route + " has no parameter"));
  }
}
