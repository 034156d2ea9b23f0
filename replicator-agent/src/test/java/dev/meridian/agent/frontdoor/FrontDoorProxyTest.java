package dev.meridian.agent.frontdoor;

import dev.meridian.agent.it.support.TestCredentials;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.Region;
import dev.meridian.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front door over real sockets, in front of two real standalone region agents (no log: each region keeps
 * what it is sent), so where each request went shows in which region holds the content.
 */
class FrontDoorProxyTest {
  private static final RepositoryName REPO = new RepositoryName("team-a/app");
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private RegionAgent east;
  private RegionAgent west;
  private Topology fleet;
  private FrontDoor door;
  private FrontDoor other;

  @BeforeEach
  void start() {
    east = RegionAgent.start(new AgentConfig(EAST, "127.0.0.1", 0, dir.resolve("east")));
    west = RegionAgent.start(new AgentConfig(WEST, "127.0.0.1", 0, dir.resolve("west")));
    fleet = new Topology("127.0.0.1:9092", 1, (short) 1, List.of(Region.of("eastus", east.url()), Region.of("westeurope", west.url())));
    door = frontDoor(List.of(WEST));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {door, other, east, west}) {
      try {
        if (c != null) c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private FrontDoor frontDoor(List<RegionId> preference) {
    return FrontDoor.start(new FrontDoorConfig(fleet, "127.0.0.1", 0, preference, List.of(), Duration.ofMillis(200)));
  }

  @Test
  void aChunkedPushAndItsPullGoThroughTheFrontDoorToThePreferredRegionOnly() throws Exception {
    byte[] layer = randomBytes(1, 5 * 1024 * 1024 + 17);
    Digest digest = sha256(layer);
    HttpResponse<Void> started = send(door, "POST", "/v2/" + REPO + "/blobs/uploads/", new byte[0]);
    assertThat(started.statusCode()).isEqualTo(202);
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/v2/" + REPO + "/blobs/uploads/westeurope~");
    int half = layer.length / 2;
    HttpResponse<Void> patched = send(door, "PATCH", location, Arrays.copyOfRange(layer, 0, half));
    assertThat(patched.statusCode()).isEqualTo(202);
    assertThat(patched.headers().firstValue("Range")).contains("0-" + (half - 1));
    String next = patched.headers().firstValue("Location").orElseThrow();
    assertThat(next).startsWith("/v2/" + REPO + "/blobs/uploads/westeurope~");
    HttpResponse<Void> put = send(door, "PUT", next + "?digest=" + digest, Arrays.copyOfRange(layer, half, layer.length));
    assertThat(put.statusCode()).isEqualTo(201);

    assertThat(west.service().statBlob(REPO, digest).size()).isEqualTo(layer.length);
    assertThatBlobIsUnknown(east, digest);
    HttpResponse<byte[]> pulled = http.send(request(door, "GET", "/v2/" + REPO + "/blobs/" + digest).build(), BodyHandlers.ofByteArray());
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(layer);
    HttpResponse<byte[]> ranged = http.send(request(door, "GET", "/v2/" + REPO + "/blobs/" + digest).header("Range", "bytes=10-19").build(),
        BodyHandlers.ofByteArray());
    assertThat(ranged.statusCode()).isEqualTo(206);
    assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(layer, 10, 20));
    HttpResponse<Void> head = send(door, "HEAD", "/v2/" + REPO + "/blobs/" + digest, null);
    assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(layer.length));
  }

  @Test
  void anUploadStartedInOneRegionKeepsGoingThereWhateverRoutingPicksLater() throws Exception {
    byte[] blob = randomBytes(2, 300_000);
    Digest digest = sha256(blob);
    String location = send(door, "POST", "/v2/" + REPO + "/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
    // Another front door of the fleet prefers eastus: the session still belongs to westeurope.
    other = frontDoor(List.of(EAST));
    assertThat(send(other, "GET", "/v2/" + REPO + "/blobs/uploads/", null).statusCode()).isEqualTo(405); // reached a region
    HttpResponse<Void> put = send(other, "PUT", location + "?digest=" + digest, blob);
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(west.service().statBlob(REPO, digest).size()).isEqualTo(blob.length);
    assertThatBlobIsUnknown(east, digest);
  }

  @Test
  void aStoppedPreferredRegionIsSkippedAndItsUploadSessionsAreUnknown() throws Exception {
    String location = send(door, "POST", "/v2/" + REPO + "/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
    west.close();

    HttpResponse<String> patched = http.send(request(door, "PATCH", location)
        .method("PATCH", BodyPublishers.ofByteArray(randomBytes(3, 100_000))).build(), BodyHandlers.ofString());
    assertThat(patched.statusCode()).isEqualTo(404);
    assertThat(patched.body()).contains("BLOB_UPLOAD_UNKNOWN");

    byte[] blob = randomBytes(4, 50_000);
    Digest digest = sha256(blob);
    HttpResponse<Void> monolithic = send(door, "POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + digest, blob);
    assertThat(monolithic.statusCode()).isEqualTo(201);
    assertThat(east.service().statBlob(REPO, digest).size()).isEqualTo(blob.length);
    await().atMost(Duration.ofSeconds(5)).until(() -> !door.health().isUp(WEST));
  }

  @Test
  void aRegionComingBackIsPreferredAgainOnceItsProbeSucceeds() throws Exception {
    door.health().markDown(WEST, "test");
    await().atMost(Duration.ofSeconds(5)).until(() -> door.health().isUp(WEST));
    String location = send(door, "POST", "/v2/" + REPO + "/blobs/uploads/", new byte[0]).headers().firstValue("Location").orElseThrow();
    assertThat(location).contains("/westeurope~");
  }

  private static void assertThatBlobIsUnknown(RegionAgent region, Digest digest) {
    try {
      region.service().statBlob(REPO, digest);
      throw new AssertionError(digest + " should not be in " + region.config().region());
    } catch (RegistryException expected) {
      assertThat(expected.code().name()).isEqualTo("BLOB_UNKNOWN");
    }
  }

  private HttpResponse<Void> send(FrontDoor target, String method, String path, byte[] body) throws Exception {
    HttpRequest.Builder builder = request(target, method, path);
    builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
    if (body != null) builder.header("Content-Type", "application/octet-stream");
    return http.send(builder.build(), BodyHandlers.discarding());
  }

  private static HttpRequest.Builder request(FrontDoor target, String method, String path) {
    return HttpRequest.newBuilder(URI.create(target.url() + path)).method(method, BodyPublishers.noBody()).timeout(Duration.ofSeconds(30))
        .header("Authorization", TestCredentials.authorization());
  }

  private static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static Digest sha256(byte[] bytes) {
    return Digest.of(DigestAlgorithm.SHA256, bytes);
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, UTF_8);
  }
}
