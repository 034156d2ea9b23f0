package dev.meridian.agent.http;

import static dev.meridian.agent.registry.TestImages.digest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.agent.registry.RegistryFixture;
import dev.meridian.agent.security.ClientLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-client limits on a real server and real sockets: rate, uploads in progress, header size, timeouts. */
class ClientLimitsApiTest {
  private static final String REPO = "team-a/app";

  @TempDir Path dir;
  private RegistryFixture fixture;
  private HttpServer server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private void start(ClientLimits limits) {
    fixture = new RegistryFixture(dir);
    server = HttpServer.start(fixture.service(), new InetSocketAddress("127.0.0.1", 0), HttpExtensions.none(),
        ReadThrough.NONE, Optional.empty(), limits);
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (fixture != null) fixture.close();
  }

  @Test
  void aClientOverItsRateGets429TooManyRequestsWithRetryAfterAndThenGetsThroughAgain() throws Exception {
    start(ClientLimits.defaults().withRate(1, 3));
    for (int i = 0; i < 3; i++) assertThat(get("/v2/").statusCode()).as("request %d of the burst", i).isEqualTo(200);

    HttpResponse<byte[]> limited = get("/v2/");
    ApiTestBase.assertError(limited, 429, "TOOMANYREQUESTS");
    assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));

    await("a token again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(get("/v2/").statusCode()).isEqualTo(200));
  }

  @Test
  void byDefaultNoClientIsThrottled() throws Exception {
    start(ClientLimits.defaults());
    for (int i = 0; i < 300; i++) assertThat(get("/v2/").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedRequestLinesAndHeadersGet431WithAnOciErrorBody() throws Exception {
    start(ClientLimits.defaults());
    try (var raw = new RawHttp(server.address())) {
      raw.send("GET /v2/" + "a".repeat(10_000) + "/tags/list HTTP/1.1\r\nHost: x\r\n\r\n", null);
      RawHttp.Response response = raw.read(false);
      ApiTestBase.assertError(response, 431, "UNSUPPORTED");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (var raw = new RawHttp(server.address())) {
      raw.send("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Padding: " + "p".repeat(20_000) + "\r\n\r\n", null);
      ApiTestBase.assertError(raw.read(false), 431, "UNSUPPORTED");
    }
  }

  @Test
  void aClientThatStopsSendingMidBodyIsCutOffAndItsUploadResumesIntact() throws Exception {
    start(ClientLimits.defaults().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(30)));
    byte[] blob = new byte[1000];
    for (int i = 0; i < blob.length; i++) blob[i] = (byte) (i * 31 + 7);
    String location = startUpload();

    try (var raw = new RawHttp(server.address())) {
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 1000\r\n\r\n", Arrays.copyOf(blob, 400));
      assertThat(raw.closedByServer()).as("the stalled client was cut off").isTrue();
    }

    // The session is neither lost nor corrupted: it says what it holds, and the rest completes the blob.
    HttpResponse<byte[]> status = await("the session released").atMost(Duration.ofSeconds(10))
        .until(() -> send(HttpRequest.newBuilder(uri(location)).GET()), r -> r.statusCode() == 204);
    long held = status.headers().firstValue("Range").map(r -> Long.parseLong(r.substring(r.indexOf('-') + 1)) + 1).orElse(0L);
    assertThat(held).isBetween(0L, 400L);
    HttpResponse<byte[]> done = send(HttpRequest.newBuilder(uri(ApiTestBase.withDigest(location, digest(blob).toString())))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, (int) held, blob.length)))
        .header("Content-Type", "application/octet-stream")
        .header("Content-Range", held + "-" + (blob.length - 1)));
    assertThat(done.statusCode()).as(new String(done.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    assertThat(get("/v2/" + REPO + "/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    start(ClientLimits.defaults().withTimeouts(Duration.ofSeconds(30), Duration.ofMillis(500)));
    try (var raw = new RawHttp(server.address())) {
      raw.send("GET /v2/ HTTP/1.1\r\nHost: x\r\n\r\n", null);
      assertThat(raw.read(false).status()).isEqualTo(200);
      assertThat(raw.closedByServer()).as("closed after idling").isTrue();
    }
  }

  @Test
  void uploadsInProgressAreCappedPerClientAndTheirPlaceIsFreedWhenAnswered() throws Exception {
    start(ClientLimits.defaults().withMaxConcurrentUploads(1));
    String location = startUpload();
    try (var raw = new RawHttp(server.address())) {
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 10\r\n\r\n", new byte[5]);
      // That PATCH is in progress: a second upload from the same address must wait.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        HttpResponse<byte[]> refused = post("/v2/" + REPO + "/blobs/uploads/");
        ApiTestBase.assertError(refused, 429, "TOOMANYREQUESTS");
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      });
      assertThat(get("/v2/").statusCode()).as("other requests pass").isEqualTo(200);
      raw.sendBytes(new byte[5]);
      assertThat(raw.read(false).status()).isEqualTo(202);
    }
    assertThat(post("/v2/" + REPO + "/blobs/uploads/").statusCode()).isEqualTo(202);
  }

  @Test
  void aDroppedUploadFreesItsPlace() throws Exception {
    start(ClientLimits.defaults().withMaxConcurrentUploads(1));
    String location = startUpload();
    try (var raw = new RawHttp(server.address())) {
      raw.send("PATCH " + location + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n", new byte[5]);
      await().atMost(Duration.ofSeconds(10)).until(() -> post("/v2/" + REPO + "/blobs/uploads/").statusCode() == 429);
    }
    await("the place given back").atMost(Duration.ofSeconds(10))
        .until(() -> post("/v2/" + REPO + "/blobs/uploads/").statusCode() == 202);
  }

  private String startUpload() {
    HttpResponse<byte[]> started = post("/v2/" + REPO + "/blobs/uploads/");
    assertThat(started.statusCode()).isEqualTo(202);
    return started.headers().firstValue("Location").orElseThrow();
  }

  private java.net.URI uri(String pathAndQuery) {
    return java.net.URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery);
  }

  private HttpResponse<byte[]> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<byte[]> post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
