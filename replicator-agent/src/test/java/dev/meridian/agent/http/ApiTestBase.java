package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.digest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.registry.RegistryFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real server on 127.0.0.1 (ephemeral port) over a real blob store and state, and a JDK client. */
abstract class ApiTestBase {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  RegistryFixture fixture;
  HttpServer server;
  HttpClient client;

  @BeforeEach
  void startServer() {
    fixture = new RegistryFixture(dir);
    server = HttpServer.start(fixture.service(), new InetSocketAddress("127.0.0.1", 0));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
    fixture.close();
  }

  InetSocketAddress address() {
    return server.address();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + address().getPort() + pathAndQuery);
  }

  HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<byte[]> head(String path) {
    return send(HttpRequest.newBuilder(uri(path)).method("HEAD", BodyPublishers.noBody()));
  }

  HttpResponse<byte[]> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  HttpResponse<byte[]> post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(BodyPublishers.noBody()));
  }

  HttpResponse<byte[]> put(String path, String contentType, byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).PUT(BodyPublishers.ofByteArray(body));
    if (contentType != null) builder.header("Content-Type", contentType);
    return send(builder);
  }

  HttpResponse<byte[]> patch(String location, String contentRange, byte[] body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(location))
        .method("PATCH", BodyPublishers.ofByteArray(body)).header("Content-Type", "application/octet-stream");
    if (contentRange != null) builder.header("Content-Range", contentRange);
    return send(builder);
  }

  /** Pushes a blob the way most clients do: POST, then PUT with the body and digest. Returns its digest text. */
  String pushBlob(String repository, byte[] content) {
    HttpResponse<byte[]> started = post("/v2/" + repository + "/blobs/uploads/");
    assertThat(started.statusCode()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    HttpResponse<byte[]> done = put(withDigest(location, digest(content).toString()), "application/octet-stream", content);
    assertThat(done.statusCode()).as(new String(done.body())).isEqualTo(201);
    return digest(content).toString();
  }

  static String withDigest(String location, String digest) {
    return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
  }

  /** Asserts the status and the single OCI error code of a response. */
  static void assertError(HttpResponse<byte[]> response, int status, String code) {
    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(status);
    JsonNode errors = readJson(response.body()).get("errors");
    assertThat(errors).as("errors array").isNotNull();
    assertThat(errors.get(0).get("code").asText()).isEqualTo(code);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
  }

  static void assertError(RawHttp.Response response, int status, String code) {
    assertThat(response.status()).as(response.text()).isEqualTo(status);
    assertThat(readJson(response.body()).get("errors").get(0).get("code").asText()).isEqualTo(code);
  }

  static JsonNode readJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(body), e);
    }
  }
}
