package dev.meridian.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a region's admin API over HTTP ({@link HttpClient}): the fan-out of {@code /regions} and
 * {@code /replication/status}, and the CLI. A non-200 answer fails the future with the message of its OCI
 * error body, so the caller can show why.
 */
public final class AdminHttpClient {
  private final HttpClient http;
  private final Duration timeout;
  private final Optional<String> authorization;

  /** Calls https regions trusting {@code tls}. */
  public AdminHttpClient(Duration timeout, javax.net.ssl.SSLContext tls) {
    this(timeout, tls, Optional.empty());
  }

  public AdminHttpClient(Duration timeout) {
    this(timeout, Optional.empty());
  }

  /** Sending {@code authorization} (Basic credentials, or the fleet credential between regions) with every call. */
  public AdminHttpClient(Duration timeout, Optional<String> authorization) {
    this.timeout = timeout;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Calling https regions with {@code tls}'s trust, and sending {@code authorization} with every call. */
  public AdminHttpClient(Duration timeout, javax.net.ssl.SSLContext tls, Optional<String> authorization) {
    this.timeout = timeout;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** GET {@code base + path + ?query}, parsed as JSON. */
  public CompletableFuture<JsonNode> get(String base, String path, Map<String, String> query) {
    URI uri = URI.create(stripSlash(base) + path + encode(query));
    HttpRequest request = builder(uri).GET().build();
    return send(request, 200);
  }

  /** {@code method} {@code base + path} with a JSON body (or none), expecting {@code expected}; answers the JSON body, or an empty object. */
  public CompletableFuture<JsonNode> call(String method, String base, String path, byte[] json, int expected) {
    URI uri = URI.create(stripSlash(base) + path);
    HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(json);
    HttpRequest.Builder request = builder(uri).method(method, body);
    if (json != null) request.header("Content-Type", "application/json");
    return send(request.build(), expected);
  }

  private HttpRequest.Builder builder(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private CompletableFuture<JsonNode> send(HttpRequest request, int expected) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() != expected) {
        throw new AdminCallException(response.statusCode(), errorMessage(response.body()));
      }
      return response.body().length == 0 ? AdminJson.parse("{}".getBytes(StandardCharsets.UTF_8)) : AdminJson.parse(response.body());
    });
  }

  /**
   * {@code method} (PUT, PATCH, DELETE...) {@code base + path} with a JSON body (or none), the answer parsed as
   * JSON; any 2xx is success.
   */
  public CompletableFuture<JsonNode> send(String method, String base, String path, java.util.Optional<JsonNode> body) {
    URI uri = URI.create(stripSlash(base) + path);
    HttpRequest.BodyPublisher publisher = body.map(b -> HttpRequest.BodyPublishers.ofByteArray(AdminJson.bytes(b)))
        .orElse(HttpRequest.BodyPublishers.noBody());
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
        .header("Content-Type", "application/json").method(method, publisher).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() / 100 != 2) throw new AdminCallException(response.statusCode(), errorMessage(response.body()));
      return response.body().length == 0 ? AdminJson.parse("{}".getBytes(StandardCharsets.UTF_8)) : AdminJson.parse(response.body());
    });
  }

  /** POST {@code base + path + ?query} with an empty body (an admin action), the answer parsed as JSON. */
  public CompletableFuture<JsonNode> post(String base, String path, Map<String, String> query) {
    return post(base, path, List.copyOf(new java.util.TreeMap<>(query).entrySet()));
  }

  /** The same with a query whose parameters may repeat. */
  public CompletableFuture<JsonNode> post(String base, String path, List<Map.Entry<String, String>> query) {
    StringJoiner joined = new StringJoiner("&", "?", "");
    query.forEach(e -> joined.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)));
    URI uri = URI.create(stripSlash(base) + path + (query.isEmpty() ? "" : joined.toString()));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.noBody()).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new AdminCallException(response.statusCode(), errorMessage(response.body()));
      }
      return AdminJson.parse(response.body());
    });
  }

  public CompletableFuture<RegionStatus> region(String base) {
    return get(base, "/admin/v1/region", Map.of()).thenApply(AdminJson::parseRegion);
  }

  /** A failed admin call: the HTTP status and the message of the error body. */
  public static final class AdminCallException extends RuntimeException {
    private final int status;
    private final String answer;

    public AdminCallException(int status, String message) {
      super("HTTP " + status + ": " + message);
      this.status = status;
      this.answer = message;
    }

    /** The error as the region put it, without the HTTP status. */
    public String answer() {
      return answer;
    }

    public int status() {
      return status;
    }
  }

  private static String errorMessage(byte[] body) {
    try {
      JsonNode error = AdminJson.parse(body).path("errors").path(0);
      String message = error.path("message").asText("");
      String detail = error.path("detail").isMissingNode() || error.path("detail").isNull() ? "" : " (" + error.path("detail").asText() + ")";
      return error.path("code").asText("UNKNOWN") + " " + message + detail;
    } catch (IllegalArgumentException e) {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static String stripSlash(String base) {
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  static String encode(Map<String, String> query) {
    if (query.isEmpty()) return "";
    StringJoiner joined = new StringJoiner("&", "?", "");
    new java.util.TreeMap<>(query).forEach((k, v) -> joined.add(
        URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return joined.toString();
  }
}
