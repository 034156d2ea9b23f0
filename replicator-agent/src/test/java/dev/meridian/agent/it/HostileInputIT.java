package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.it.support.AgentProcess;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.DataDirFiles;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.RawHttp;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests a registry must refuse: each gets its spec status and OCI error code, and none leaves a trace in
 * the blob area (or, once its upload is cancelled, in the upload area). Error codes are those of the
 * <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">spec</a>.
 */
class HostileInputIT {
  private static final String REPO = "team-a/app";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final Agents agents = new Agents();

  private AgentProcess agent;
  private RegistryHttp http;
  private byte[] config;
  private Digest configDigest;
  private SortedMap<String, Long> blobsBefore;
  private SortedMap<String, Long> uploadsBefore;
  private final List<String> openUploads = new ArrayList<>();

  @BeforeEach
  void pushAnImageAndSnapshotTheDataDirectory() {
    agent = agents.start("eu-west");
    http = RegistryHttp.of(agent);
    config = OciLayoutWriter.json(Map.of("architecture", "amd64", "os", "linux"));
    configDigest = http.pushBlob(REPO, config);
    byte[] manifest = manifest(List.of());
    var put = http.putManifest(REPO, "v1", manifest, MediaType.OCI_MANIFEST.value());
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(201);
    blobsBefore = DataDirFiles.snapshot(agent.dataDir(), "blobs");
    uploadsBefore = DataDirFiles.snapshot(agent.dataDir(), "uploads");
  }

  @AfterEach
  void refusedRequestsLeftNoTrace() {
    if (agent == null || !agent.isAlive()) return;
    for (String location : openUploads) {
      var cancel = http.send("DELETE", location, BodyPublishers.noBody());
      assertThat(cancel.statusCode()).as(RegistryHttp.describe(cancel)).isIn(204, 404);
    }
    assertThat(DataDirFiles.snapshot(agent.dataDir(), "blobs")).as("blob area").isEqualTo(blobsBefore);
    assertThat(DataDirFiles.snapshot(agent.dataDir(), "uploads")).as("upload area after cancelling")
        .isEqualTo(uploadsBefore);
    var v1 = http.get("/v2/" + REPO + "/manifests/v1", "Accept", MediaType.OCI_MANIFEST.value());
    assertThat(v1.statusCode()).as("the image pushed first still resolves").isEqualTo(200);
  }

  @Test
  void malformedDigestsAreDigestInvalid() {
    String upper = "sha256:" + "AB".repeat(32);
    var soft = new SoftAssertions();
    for (String bad : List.of("sha256:zz", "sha256:" + "ab".repeat(31), upper, "md5:d41d8cd98f00b204e9800998ecf8427e",
        "sha256", "sha256:" + "ab".repeat(32) + "00")) {
      expectError(soft, http.get("/v2/" + REPO + "/blobs/" + bad), 400, "DIGEST_INVALID");
      soft.assertThat(http.head("/v2/" + REPO + "/blobs/" + bad).statusCode()).as("HEAD blob %s", bad).isEqualTo(400);
      // Without a colon the reference is a (valid) tag, not a digest.
      if (bad.contains(":")) expectError(soft, http.get("/v2/" + REPO + "/manifests/" + bad), 400, "DIGEST_INVALID");
      String location = startUpload();
      expectError(soft, http.send("PUT", RegistryHttp.withDigest(location, bad), BodyPublishers.ofByteArray(new byte[] {1}),
          "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
    }
    expectError(soft, http.send("PUT", startUpload(), BodyPublishers.ofByteArray(new byte[] {1}),
        "Content-Type", "application/octet-stream"), 400, "DIGEST_INVALID");
    soft.assertAll();
  }

  @Test
  void malformedRepositoryNamesAreNameInvalid() {
    var soft = new SoftAssertions();
    byte[] manifest = manifest(List.of());
    for (String bad : List.of("Team-A/app", "team-a/../app", "team-a/%2e%2e/app", "team-a//app", "team-a/app/",
        "-team/app", "a".repeat(300), "team-a/" + "b".repeat(250))) {
      expectError(soft, RawHttp.exchange(agent.port(), "GET /v2/" + bad + "/manifests/v1 HTTP/1.1"), 400, "NAME_INVALID");
      expectError(soft, RawHttp.exchange(agent.port(), "GET /v2/" + bad + "/tags/list HTTP/1.1"), 400, "NAME_INVALID");
      expectError(soft, RawHttp.exchange(agent.port(),
          "POST /v2/" + bad + "/blobs/uploads/ HTTP/1.1\r\nContent-Length: 0"), 400, "NAME_INVALID");
      expectError(soft, RawHttp.exchange(agent.port(), "PUT /v2/" + bad + "/manifests/v1 HTTP/1.1\r\nContent-Type: "
          + MediaType.OCI_MANIFEST + "\r\nContent-Length: " + manifest.length, manifest, false), 400, "NAME_INVALID");
    }
    soft.assertAll();
  }

  @Test
  void bodyShorterThanItsContentLengthPublishesNothing() {
    byte[] blob = SeededBytes.of(61, 1000);
    Digest digest = Digest.sha256Of(blob);
    String location = startUpload();

    var response = RawHttp.exchange(agent.port(), "PUT " + RegistryHttp.withDigest(path(location), digest)
        + " HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000",
        Arrays.copyOf(blob, 600), true);

    assertThat(response.answered() && response.status() / 100 == 2).as("accepted: %s", response).isFalse();
    assertThat(http.head("/v2/" + REPO + "/blobs/" + digest).statusCode()).isEqualTo(404);
    // The dropped request must give the session back: it can be cancelled (or resumed) afterwards.
    await("upload released by the dropped request").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          var cancel = http.send("DELETE", location, BodyPublishers.noBody());
          assertThat(cancel.statusCode()).as(RegistryHttp.describe(cancel)).isEqualTo(204);
        });
    openUploads.remove(location);
  }

  @Test
  void bodyLongerThanItsContentLengthIsJudgedOnTheAnnouncedBytesOnly() {
    byte[] sent = SeededBytes.of(62, 1500);
    Digest meant = Digest.sha256Of(sent);
    String location = startUpload();

    var response = RawHttp.exchange(agent.port(), "PUT " + RegistryHttp.withDigest(path(location), meant)
        + " HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000", sent, false);

    var soft = new SoftAssertions();
    expectError(soft, response, 400, "DIGEST_INVALID");
    soft.assertThat(http.head("/v2/" + REPO + "/blobs/" + meant).statusCode()).isEqualTo(404);
    soft.assertThat(http.head("/v2/" + REPO + "/blobs/" + Digest.sha256Of(Arrays.copyOf(sent, 1000))).statusCode())
        .isEqualTo(404);
    expectError(soft, http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    soft.assertAll();
  }

  @Test
  void uploadCompletedWithAnotherDigestIsDigestInvalidAndDiscarded() {
    byte[] blob = SeededBytes.of(63, 5000);
    Digest other = Digest.sha256Of(SeededBytes.of(64, 5000));
    String location = startUpload();

    var put = http.send("PUT", RegistryHttp.withDigest(location, other), BodyPublishers.ofByteArray(blob),
        "Content-Type", "application/octet-stream");

    var soft = new SoftAssertions();
    expectError(soft, put, 400, "DIGEST_INVALID");
    soft.assertThat(http.head("/v2/" + REPO + "/blobs/" + other).statusCode()).isEqualTo(404);
    soft.assertThat(http.head("/v2/" + REPO + "/blobs/" + Digest.sha256Of(blob)).statusCode()).isEqualTo(404);
    expectError(soft, http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    soft.assertAll();
  }

  @Test
  void chunksThatDoNotFitTheirContentRangeAreRefused() {
    byte[] chunk = SeededBytes.of(65, 500);
    var soft = new SoftAssertions();

    expectError(soft, http.send("PATCH", startUpload(), BodyPublishers.ofByteArray(chunk),
        "Content-Type", "application/octet-stream", "Content-Range", "0-999"), 400, "SIZE_INVALID");
    var outOfOrder = http.send("PATCH", startUpload(), BodyPublishers.ofByteArray(chunk),
        "Content-Type", "application/octet-stream", "Content-Range", "100-599");
    expectError(soft, outOfOrder, 416, "RANGE_INVALID");
    soft.assertThat(outOfOrder.headers().firstValue("Range")).as("Range of a 416").contains("0-0");
    expectError(soft, http.get("/v2/" + REPO + "/blobs/uploads/no-such-upload"), 404, "BLOB_UPLOAD_UNKNOWN");
    soft.assertAll();
  }

  @Test
  void invalidManifestsAreRefusedAndTagNothing() throws IOException {
    Digest missing = Digest.sha256Of("never uploaded".getBytes(StandardCharsets.UTF_8));
    byte[] valid = manifest(List.of());
    var soft = new SoftAssertions();

    for (String body : List.of("{\"schemaVersion\":2,\"config\":", "[]", "not json",
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"layers\":[]}")) {
      expectError(soft, putManifest("bad", body.getBytes(StandardCharsets.UTF_8)), 400, "MANIFEST_INVALID");
    }
    expectError(soft, putManifest("bad", manifest(List.of(Map.of(
        "mediaType", OciLayoutWriter.LAYER_TAR, "digest", missing.toString(), "size", 14)))),
        400, "MANIFEST_BLOB_UNKNOWN");
    expectError(soft, putManifest(Digest.sha256Of(new byte[] {1}).toString(), valid), 400, "DIGEST_INVALID");
    expectError(soft, putManifest("-bad-tag", valid), 400, "TAG_INVALID");
    expectError(soft, putManifest("t".repeat(129), valid), 400, "TAG_INVALID");
    expectError(soft, http.get("/v2/" + REPO + "/manifests/bad"), 404, "MANIFEST_UNKNOWN");
    var tags = http.get("/v2/" + REPO + "/tags/list");
    soft.assertThat(JSON.readTree(tags.body()).path("tags").toString()).isEqualTo("[\"v1\"]");
    soft.assertAll();
  }

  private HttpResponse<byte[]> putManifest(String reference, byte[] body) {
    return http.putManifest(REPO, reference, body, MediaType.OCI_MANIFEST.value());
  }

  private byte[] manifest(List<Map<String, Object>> layers) {
    return OciLayoutWriter.json(OciLayoutWriter.ordered(
        "schemaVersion", 2,
        "mediaType", MediaType.OCI_MANIFEST.value(),
        "config", OciLayoutWriter.ordered(
            "mediaType", MediaType.OCI_CONFIG.value(), "digest", configDigest.toString(), "size", config.length),
        "layers", layers));
  }

  /** Starts an upload that {@link #refusedRequestsLeftNoTrace} cancels. */
  private String startUpload() {
    String location = http.startUpload(REPO);
    openUploads.add(location);
    return location;
  }

  /** The request target (path and query) of a Location header. */
  private String path(String location) {
    var uri = http.uri(location);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static void expectError(SoftAssertions soft, HttpResponse<byte[]> response, int status, String code) {
    soft.assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(status);
    if (response.statusCode() == status) {
      soft.assertThat(RegistryHttp.errorCodes(response)).as(RegistryHttp.describe(response)).containsExactly(code);
    }
  }

  private static void expectError(SoftAssertions soft, RawHttp.Response response, int status, String code) {
    soft.assertThat(response.status()).as("%s", response).isEqualTo(status);
    if (response.status() == status) {
      List<String> codes = new ArrayList<>();
      try {
        JSON.readTree(response.body()).path("errors").forEach(e -> codes.add(e.path("code").asText()));
      } catch (IOException e) {
        soft.fail("error body is not JSON: " + response);
      }
      soft.assertThat(codes).as("%s", response).containsExactly(code);
    }
  }
}
