package dev.meridian.agent.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Raw OCI distribution API calls with the JDK's HttpClient, for what skopeo cannot be made to do: stop half-way
 * through an upload, send a bad digest, read an error body.
 *
 * <p>The base URI is read on every call, so a client keeps working after its agent restarted on another port.
 * Redirects are not followed: the status is what the registry said. See the
 * <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">distribution spec</a>.
 */
public final class RegistryHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<URI> base;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  public RegistryHttp(Supplier<URI> base) {
    this.base = base;
  }

  public static RegistryHttp of(AgentProcess agent) {
    return new RegistryHttp(agent::baseUri);
  }

  /** {@code path} (absolute, or a Location header) against the current base: only path and query are kept. */
  public URI uri(String pathOrLocation) {
    URI given = base.get().resolve(pathOrLocation);
    return base.get().resolve(given.getRawPath() + (given.getRawQuery() == null ? "" : "?" + given.getRawQuery()));
  }

  public HttpResponse<byte[]> send(String method, String pathOrLocation, BodyPublisher body, String... headers) {
    var builder = HttpRequest.newBuilder(uri(pathOrLocation)).timeout(Duration.ofMinutes(2)).method(method, body);
    withHeaders(builder, headers);
    try {
      return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + pathOrLocation, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends without waiting, for a request the test interrupts half-way (a body that pauses, an agent killed). */
  public CompletableFuture<HttpResponse<byte[]>> sendAsync(
      String method, String pathOrLocation, BodyPublisher body, String... headers) {
    var builder = HttpRequest.newBuilder(uri(pathOrLocation)).timeout(Duration.ofMinutes(5)).method(method, body);
    withHeaders(builder, headers);
    return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * The headers given, plus the admin's credentials unless they include an Authorization ("none": send none); a
   * request marked {@code Meridian-Internal} (what a peer sends) gets the fleet credential instead, as a peer's has.
   */
  public static void withHeaders(HttpRequest.Builder builder, String... headers) {
    boolean own = false;
    boolean internal = false;
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("Meridian-Internal")) internal = true;
      if (headers[i].equalsIgnoreCase("Authorization")) {
        own = true;
        if (!headers[i + 1].equals("none")) builder.header(headers[i], headers[i + 1]);
      } else {
        builder.header(headers[i], headers[i + 1]);
      }
    }
    if (!own) builder.header("Authorization", internal ? TestCredentials.fleetAuthorization() : TestCredentials.authorization());
  }

  public HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, BodyPublishers.noBody(), headers);
  }

  public HttpResponse<byte[]> head(String path, String... headers) {
    return send("HEAD", path, BodyPublishers.noBody(), headers);
  }

  /** Opens an upload session; returns its Location. */
  public String startUpload(String repository) {
    var response = send("POST", "/v2/" + repository + "/blobs/uploads/", BodyPublishers.noBody());
    assertThat(response.statusCode()).as(describe(response)).isEqualTo(202);
    return location(response);
  }

  /** Uploads {@code bytes} in one POST then PUT (the spec's "POST then PUT" flow) and checks the 201. */
  public Digest pushBlob(String repository, byte[] bytes) {
    Digest digest = Digest.sha256Of(bytes);
    var response = send("PUT", withDigest(startUpload(repository), digest), BodyPublishers.ofByteArray(bytes),
        "Content-Type", "application/octet-stream");
    assertThat(response.statusCode()).as(describe(response)).isEqualTo(201);
    return digest;
  }

  public HttpResponse<byte[]> putManifest(String repository, String reference, byte[] manifest, String mediaType) {
    return send("PUT", "/v2/" + repository + "/manifests/" + reference, BodyPublishers.ofByteArray(manifest),
        "Content-Type", mediaType);
  }

  public static String withDigest(String location, Digest digest) {
    return withDigest(location, digest.toString());
  }

  /** {@code location} with {@code digest=text} added to its query, whatever {@code text} is. */
  public static String withDigest(String location, String text) {
    return location + (location.contains("?") ? "&" : "?") + "digest=" + text;
  }

  public static String location(HttpResponse<?> response) {
    return response.headers().firstValue("Location")
        .orElseThrow(() -> new AssertionError("no Location header: " + response));
  }

  /** The {@code code} of every entry in an OCI error body {@code {"errors":[{"code":...}]}}. */
  public static List<String> errorCodes(HttpResponse<byte[]> response) {
    var codes = new ArrayList<String>();
    try {
      JsonNode body = JSON.readTree(response.body());
      if (body != null) body.path("errors").forEach(e -> codes.add(e.path("code").asText()));
    } catch (IOException e) {
      throw new AssertionError("error body is not JSON: " + describe(response), e);
    }
    return codes;
  }

  /** Status, headers and body (if short) of a response, for assertion messages. */
  public static String describe(HttpResponse<byte[]> response) {
    String body = response.body() == null ? "" : new String(response.body(), StandardCharsets.UTF_8);
    if (body.length() > 2000) body = body.substring(0, 2000) + "...";
    return response.request().method() + " " + response.uri() + " -> " + response.statusCode() + " "
        + response.headers().map() + " " + body;
  }
}
