package dev.meridian.agent.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The HTTP side of the conformance tests: a plain JDK client against one registry, the way the OCI
 * conformance suite drives one (relative or absolute {@code Location}s followed as given), plus the
 * header checks every response of a kind must pass.
 */
final class ConformanceClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OCTETS = "application/octet-stream";

  /** The error codes the suite recognises in a 400 body (the spec's table plus TAG_INVALID, MANIFEST_UNVERIFIED). */
  static final Set<String> SPEC_ERROR_CODES = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
      "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "MANIFEST_UNVERIFIED",
      "NAME_INVALID", "NAME_UNKNOWN", "SIZE_INVALID", "TAG_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED");

  private final String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ConformanceClient(String base) {
    this.base = base;
  }

  HttpResponse<byte[]> send(String method, String pathAndQuery, BodyPublisher body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).method(method, body);
    dev.meridian.agent.it.support.RegistryHttp.withHeaders(request, headers);
    try {
      return http.send(request.build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path, String... headers) {
    return send("GET", path, BodyPublishers.noBody(), headers);
  }

  HttpResponse<byte[]> head(String path, String... headers) {
    return send("HEAD", path, BodyPublishers.noBody(), headers);
  }

  HttpResponse<byte[]> delete(String path) {
    return send("DELETE", path, BodyPublishers.noBody());
  }

  HttpResponse<byte[]> post(String path) {
    return send("POST", path, BodyPublishers.noBody());
  }

  /** A body sent with a {@code Content-Length}. */
  HttpResponse<byte[]> withBody(String method, String path, byte[] body, String... headers) {
    return send(method, path, BodyPublishers.ofByteArray(body), headers);
  }

  /** A body of unknown length: sent with {@code Transfer-Encoding: chunked}. */
  HttpResponse<byte[]> streamed(String method, String path, byte[] body, String... headers) {
    return send(method, path, BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), headers);
  }

  HttpResponse<byte[]> putManifest(String repository, String reference, String mediaType, byte[] manifest) {
    return withBody("PUT", "/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", mediaType);
  }

  /** POST then PUT with the digest, as the suite's setup steps do; asserts a 2xx. Returns the digest. */
  String pushBlob(String repository, byte[] content) {
    HttpResponse<byte[]> started = post("/v2/" + repository + "/blobs/uploads/");
    String digest = ConformanceContent.digest(content);
    HttpResponse<byte[]> done = withBody("PUT", withQuery(location(started), "digest=" + digest), content,
        "Content-Type", OCTETS);
    assertThat(done.statusCode()).as(text(done)).isBetween(200, 299);
    return digest;
  }

  /** The {@code Location} header as a path and query; an absolute URL must point back at this registry. */
  String location(HttpResponse<byte[]> response) {
    String location = response.headers().firstValue("Location").orElse("");
    assertThat(location).as("Location of " + response.statusCode() + " " + text(response)).isNotEmpty();
    if (location.startsWith("/")) return location;
    assertThat(location).as("an absolute Location names this registry").startsWith(base + "/");
    return location.substring(base.length());
  }

  /** The location's path without its query, to compare with an expected path. */
  String locationPath(HttpResponse<byte[]> response) {
    String location = location(response);
    int q = location.indexOf('?');
    return q < 0 ? location : location.substring(0, q);
  }

  static String withQuery(String location, String parameter) {
    return location + (location.contains("?") ? "&" : "?") + parameter;
  }

  static String text(HttpResponse<byte[]> response) {
    return response.request().method() + " " + response.uri() + " -> " + response.statusCode() + " "
        + new String(response.body());
  }

  /** A 201 or 202 without a body says so: {@code Content-Length: 0}. */
  static void assertNoBody(HttpResponse<byte[]> response) {
    assertThat(response.headers().firstValue("Content-Length")).as(text(response)).contains("0");
    assertThat(response.body()).isEmpty();
  }

  static void assertDigestHeader(HttpResponse<byte[]> response, String digest) {
    assertThat(response.headers().firstValue("Docker-Content-Digest")).as(text(response)).contains(digest);
  }

  /** An upload response's {@code Range}: the spec's {@code 0-<last byte held>}, no {@code bytes=} prefix. */
  static void assertUploadRange(HttpResponse<byte[]> response, long held) {
    assertThat(response.headers().firstValue("Range")).as(text(response)).contains("0-" + (held - 1));
  }

  /**
   * The spec's error body: {@code {"errors":[{"code","message","detail"?}]}}, codes in upper case and
   * underscores. Returns the codes.
   */
  static List<String> errorCodes(HttpResponse<byte[]> response) {
    JsonNode errors = json(response).get("errors");
    assertThat(errors).as("errors array in " + text(response)).isNotNull();
    assertThat(errors.isArray() && errors.size() > 0).as(text(response)).isTrue();
    for (JsonNode error : errors) {
      assertThat(error.path("code").asText()).as(text(response)).matches("[A-Z_]+");
      assertThat(error.path("message").isTextual()).as("message is a string: " + text(response)).isTrue();
    }
    return errors.findValuesAsText("code");
  }

  /** Asserts a status and that the body's first error code is {@code code}. */
  static void assertError(HttpResponse<byte[]> response, int status, String code) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
    assertThat(errorCodes(response).get(0)).isEqualTo(code);
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(response), e);
    }
  }
}
