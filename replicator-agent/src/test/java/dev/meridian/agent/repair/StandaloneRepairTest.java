package dev.meridian.agent.repair;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import dev.meridian.agent.it.support.TestCredentials;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrubber and the anti-entropy endpoints of one standalone region over real files, RocksDB and HTTP. With
 * no peer to fetch from, a quarantined layer leaves its manifest pending for good, and the region says so.
 */
class StandaloneRepairTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;
  private RegionAgent agent;
  private final byte[] config = randomBytes(1, 100);
  private final byte[] layer = randomBytes(2, 300_000);
  private final byte[] other = randomBytes(3, 5_000);
  private final byte[] manifest = TestImages.manifest(config, List.of(layer));
  private final byte[] otherManifest = TestImages.manifest(config, List.of(other));

  @BeforeEach
  void pushTwoImages() throws Exception {
    agent = RegionAgent.start(new AgentConfig(new RegionId("eastus"), "127.0.0.1", 0, dir));
    for (byte[] blob : List.of(config, layer, other)) {
      assertThat(send(at("/v2/team/app/blobs/uploads/?digest=" + digest(blob)).POST(BodyPublishers.ofByteArray(blob))).statusCode())
          .isEqualTo(201);
    }
    assertThat(putManifest("v1", manifest).statusCode()).isEqualTo(201);
    assertThat(putManifest("other", otherManifest).statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (agent != null) agent.close();
  }

  @Test
  void aPassOverIntactBlobsQuarantinesNothing() throws Exception {
    JsonNode pass = json(send(at("/admin/v1/scrub").POST(BodyPublishers.noBody())));

    assertThat(pass.path("blobs").asInt()).isEqualTo(5); // config, two layers, two manifests
    assertThat(pass.path("bytes").asLong()).isEqualTo(config.length + layer.length + other.length + manifest.length + otherManifest.length);
    assertThat(pass.path("quarantined")).isEmpty();
    assertThat(send(at("/v2/team/app/manifests/v1")).body()).isEqualTo(manifest);
  }

  @Test
  void aCorruptLayerIsQuarantinedAndItsManifestIsNoLongerServedButStaysPendingWithNoPeerToAsk() throws Exception {
    Path file = new BlobPaths(agent.config().blobsRoot()).blob(digest(layer));
    byte[] corrupt = layer.clone();
    corrupt[corrupt.length / 2] ^= 0x01;
    Files.write(file, corrupt);

    JsonNode pass = json(send(at("/admin/v1/scrub").POST(BodyPublishers.noBody())));

    assertThat(pass.path("quarantined")).hasSize(1);
    assertThat(pass.path("quarantined").get(0).path("digest").asText()).isEqualTo(digest(layer).toString());
    assertThat(pass.path("quarantined").get(0).path("pendingManifests").get(0).asText())
        .isEqualTo("team/app@" + digest(manifest));
    // never served again, neither the corrupt bytes nor the manifest relying on them
    assertThat(send(at("/v2/team/app/blobs/" + digest(layer))).statusCode()).isEqualTo(404);
    assertThat(send(at("/v2/team/app/manifests/v1")).statusCode()).isEqualTo(404);
    assertThat(send(at("/v2/team/app/manifests/" + digest(manifest))).statusCode()).isEqualTo(404);
    assertThat(send(at("/v2/team/app/manifests/other")).body()).as("an image not relying on it").isEqualTo(otherManifest);
    JsonNode status = json(send(at("/admin/v1/region/manifest-status?repository=team/app&reference=v1")));
    assertThat(status.toString()).contains("pending");
    // kept for inspection, counted, audited
    try (Stream<Path> quarantined = Files.list(agent.config().blobsRoot().resolve("quarantine"))) {
      assertThat(quarantined.toList()).singleElement().satisfies(p -> assertThat(Files.readAllBytes(p)).isEqualTo(corrupt));
    }
    String metrics = new String(send(at("/metrics")).body(), StandardCharsets.UTF_8);
    assertThat(metrics).containsPattern("meridian_scrub_quarantined_total\\{[^}]*} 1.0");
    assertThat(metrics).contains("meridian_scrub_scrubbed_bytes_total");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Files.readString(agent.config().auditLog())).contains("\"action\":\"blob.quarantine\"")
            .contains(digest(layer).toString()));
    // a second pass finds nothing more
    assertThat(json(send(at("/admin/v1/scrub").POST(BodyPublishers.noBody()))).path("quarantined")).isEmpty();
  }

  @Test
  void aPeerAskingForACorruptBlobIsToldItIsNotHereAndTheBlobIsQuarantinedAtOnce() throws Exception {
    Path file = new BlobPaths(agent.config().blobsRoot()).blob(digest(layer));
    byte[] corrupt = layer.clone();
    corrupt[0] ^= 0x01;
    Files.write(file, corrupt);

    HttpResponse<byte[]> toPeer = send(at("/v2/team/app/blobs/" + digest(layer)).header("Meridian-Internal", "no-read-through"));

    assertThat(toPeer.statusCode()).isEqualTo(404);
    assertThat(new String(toPeer.body(), StandardCharsets.UTF_8)).contains("BLOB_UNKNOWN");
    assertThat(file).doesNotExist();
    assertThat(send(at("/v2/team/app/manifests/v1")).statusCode()).as("its manifest is pending now").isEqualTo(404);
    HttpResponse<byte[]> intact = send(at("/v2/team/app/blobs/" + digest(other)).header("Meridian-Internal", "no-read-through"));
    assertThat(intact.body()).as("an intact blob is sent as ever").isEqualTo(other);
  }

  @Test
  void theSummaryAndTheRegistersOfARepositoryDescribeEveryRegisterAsAnEvent() throws Exception {
    JsonNode summary = json(send(at("/admin/v1/antientropy/summary")));
    assertThat(summary.path("region").asText()).isEqualTo("eastus");
    assertThat(summary.path("repositories").path("team/app").asText()).hasSize(64);

    HttpResponse<byte[]> registers = send(at("/admin/v1/antientropy/repository/team/app"));
    assertThat(registers.statusCode()).isEqualTo(200);
    assertThat(registers.headers().firstValue("Content-Type")).contains("application/x-ndjson");
    List<ReplicationEvent> events = new ArrayList<>();
    for (String line : new String(registers.body(), StandardCharsets.UTF_8).split("\n")) {
      events.add(new EventCodec().decode(line.getBytes(StandardCharsets.UTF_8)));
    }
    // two manifests, five blob links (the manifests link their own bytes too), two tags
    assertThat(events).extracting(e -> e.type().toString()).containsExactly(
        "manifest.put", "manifest.put", "blob.put", "blob.put", "blob.put", "blob.put", "blob.put", "tag.put", "tag.put");
    assertThat(events).allSatisfy(e -> assertThat(e.origin()).isEqualTo(new RegionId("eastus")));

    assertThat(send(at("/admin/v1/antientropy/repository/team/none")).statusCode()).isEqualTo(404);
    assertThat(send(at("/admin/v1/antientropy").POST(BodyPublishers.noBody())).statusCode())
        .as("no peers to compare with").isEqualTo(404);
    assertThat(send(at("/admin/v1/scrub")).statusCode()).as("a scrub is a POST").isEqualTo(405);
  }

  private HttpResponse<byte[]> putManifest(String reference, byte[] bytes) throws Exception {
    return send(at("/v2/team/app/manifests/" + reference).header("Content-Type", TestImages.OCI_MANIFEST)
        .PUT(BodyPublishers.ofByteArray(bytes)));
  }

  private HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create(agent.url() + path));
  }

  /** Sends as the admin, or as a peer (the fleet credential) when marked {@code Meridian-Internal}. */
  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
    String authorization = built.headers().firstValue("Meridian-Internal").isPresent()
        ? TestCredentials.fleetAuthorization() : TestCredentials.authorization();
    return client.send(HttpRequest.newBuilder(built, (name, value) -> true).header("Authorization", authorization).build(),
        BodyHandlers.ofByteArray());
  }

  private static JsonNode json(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
