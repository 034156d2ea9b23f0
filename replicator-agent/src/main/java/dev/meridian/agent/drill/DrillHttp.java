package dev.meridian.agent.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The drill's admin calls: blocking JSON requests; any status but 2xx fails with it and the error body's message. */
final class DrillHttp {
  private final HttpClient http;
  private final Duration timeout;
  private final java.util.Optional<String> authorization;

  /** @param authorization the {@code Authorization} header sent with every call (the operator's credentials) */
  DrillHttp(Duration timeout, java.util.Optional<String> authorization) {
    this.timeout = timeout;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
  }

  JsonNode get(String url) {
    return send(authorized(HttpRequest.newBuilder(URI.create(url))).timeout(timeout).GET().build());
  }

  JsonNode post(String url) {
    return send(authorized(HttpRequest.newBuilder(URI.create(url))).timeout(timeout).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** {@code builder} with the credentials, if any. */
  HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    authorization.ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  JsonNode patch(String url, String json) {
    return send(authorized(HttpRequest.newBuilder(URI.create(url))).timeout(timeout).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
  }

  HttpClient client() {
    return http;
  }

  static String base(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
    if (response.statusCode() / 100 != 2) {
      String message = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ");
      throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + message);
    }
    return AdminJson.parse(response.body());
  }
}
