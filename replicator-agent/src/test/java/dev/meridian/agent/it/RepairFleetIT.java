package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.ManualFleet;
import dev.meridian.agent.it.support.ManualFleet.Link;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The background repairs end to end, in a {@link ManualFleet} of three regions: a blob corrupted on one region's
 * disk is quarantined by its scrubber and fetched again, with its image never served meanwhile; events lost
 * before they reached the log are repaired by anti-entropy in every other region. Both are triggered through the
 * admin API, so the test does not wait for the background intervals.
 */
class RepairFleetIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(60));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "RepairFleetIT").toAbsolutePath();
  private static final TransferConfig TRANSFERS = TransferConfig.builder()
      .retryAttempts(2)
      .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
      .jobBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
      .breaker(50, 5, 10, Duration.ofSeconds(2))
      .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
      .scanInterval(Duration.ofSeconds(1))
      .build();

  private static ManualFleet fleet;
  private static RegionClient a;
  private static RegionClient b;
  private static RegionClient c;
  private static List<RegionClient> regions;

  private Path scratch;

  @BeforeAll
  static void startFleet() {
    Agents.deleteRecursively(RUN_DIR);
    fleet = ManualFleet.start(RUN_DIR.resolve("fleet"), List.of("a", "b", "c"),
        List.of(new Link("b", "a"), new Link("b", "c")), TRANSFERS);
    a = fleet.client("a");
    b = fleet.client("b");
    c = fleet.client("c");
    regions = List.of(a, b, c);
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @BeforeEach
  void scratchDir(TestInfo test) throws IOException {
    scratch = RUN_DIR.resolve("scratch").resolve(test.getTestMethod().orElseThrow().getName());
    Agents.deleteRecursively(scratch);
    Files.createDirectories(scratch);
  }

  @AfterEach
  void restoreLinks() {
    fleet.link("b", "a").unblock();
    fleet.link("b", "c").unblock();
  }

  @Test
  void aBlobCorruptedOnDiskIsQuarantinedNeverServedAndFetchedAgainFromAPeer() throws IOException {
    String repo = "repair/scrubbed";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(2101, 200_000)));
    push(layout, "v1", a, repo + ":v1");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "v1")).contains(image.manifestDigest()));
    Digest layer = image.layerDigests().get(0);
    Path stored = new BlobPaths(fleet.config("b").blobsRoot()).blob(layer);
    assertThat(stored).exists();

    // b cannot reach its peers while the scrubber runs, so what it does without the blob can be watched.
    fleet.link("b", "a").block();
    fleet.link("b", "c").block();
    corruptOneByte(stored);

    JsonNode pass = post(b, "/admin/v1/scrub");

    assertThat(pass.path("quarantined")).hasSize(1);
    assertThat(pass.path("quarantined").get(0).path("digest").asText()).isEqualTo(layer.toString());
    assertThat(pass.path("quarantined").get(0).path("pendingManifests").toString()).contains(repo + "@" + image.manifestDigest());
    assertThat(stored).doesNotExist();
    try (Stream<Path> quarantined = Files.list(fleet.config("b").blobsRoot().resolve("quarantine"))) {
      assertThat(quarantined.toList()).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).contains(layer.hex()));
    }
    // Not served while missing: not the image, not the blob, neither to a client nor to a peer.
    assertThat(b.resolve(repo, "v1")).isEmpty();
    assertThat(b.resolve(repo, image.manifestDigest().toString())).isEmpty();
    assertThat(b.blobGettable(repo, layer)).isFalse();
    assertThat(b.http().get("/v2/" + repo + "/blobs/" + layer, "Meridian-Internal", "no-read-through").statusCode()).isEqualTo(404);
    String status = new String(b.http().get("/admin/v1/region/manifest-status?repository=" + repo + "&reference=v1").body());
    assertThat(status).contains("pending");
    assertThat(new String(b.http().get("/metrics").body())).containsPattern("meridian_scrub_quarantined_total\\{[^}]*} 1.0");

    fleet.link("b", "a").unblock();
    fleet.link("b", "c").unblock();

    CONVERGENCE.await(() -> {
      assertThat(b.resolve(repo, "v1")).contains(image.manifestDigest());
      assertThat(b.servesBlob(repo, layer)).as("the layer, digest-correct").isTrue();
    });
    assertThat(stored).exists();
    assertThat(Digest.sha256Of(Files.readAllBytes(stored))).isEqualTo(layer);
    Path pulled = scratch.resolve("pulled");
    b.skopeo().copy(b.ref(repo + ":v1"), Skopeo.oci(pulled, "v1"), false);
  }

  @Test
  void writesWhoseEventsNeverReachedTheLogAreRepairedInEveryOtherRegionByAntiEntropy() {
    String repo = "repair/lost";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage old = layout.image("old", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(2201, 30_000)));
    WrittenImage fresh = layout.image("fresh", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(2202, 120_000)));
    push(layout, "old", c, repo + ":old");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "old")).contains(old.manifestDigest()));

    // c's relay stops, c takes writes, and their events are dropped from its outbox: lost before the log saw them.
    fleet.agent("c").replication().orElseThrow().relay().close();
    push(layout, "fresh", c, repo + ":fresh");
    HttpResponse<byte[]> untag = c.http().send("DELETE", "/v2/" + repo + "/manifests/old", BodyPublishers.noBody());
    assertThat(untag.statusCode()).as(RegistryHttp.describe(untag)).isEqualTo(202);
    JsonNode locked = post(c, "/admin/v1/lock?repository=" + repo + "&writeEnabled=false");
    assertThat(locked.path("writeEnabled").asBoolean(true)).isFalse();
    RegistryState cState = fleet.agent("c").state();
    List<OutboxEntry> lost = cState.readOutbox(1000);
    assertThat(lost).isNotEmpty();
    lost.forEach(e -> cState.deleteOutbox(e.sequence()));
    RepositoryName name = new RepositoryName(repo);
    for (String region : List.of("a", "b")) {
      assertThat(fleet.agent(region).state().findTag(name, new Tag("fresh"))).as("%s never heard of fresh", region).isEmpty();
    }

    List<JsonNode> rounds = new ArrayList<>();
    for (RegionClient region : List.of(a, b)) rounds.add(post(region, "/admin/v1/antientropy"));

    // a learns from c; b from whichever peer it asks first that has them (a, repaired just before, or c)
    for (JsonNode round : rounds) {
      int tags = 0;
      int manifests = 0;
      int locks = 0;
      for (JsonNode p : round.path("peers")) {
        assertThat(p.path("error").isNull()).as(round.toString()).isTrue();
        tags += p.path("repaired").path("tags").asInt();
        manifests += p.path("repaired").path("manifests").asInt();
        locks += p.path("repaired").path("locks").asInt();
      }
      assertThat(tags).as("fresh put and old deleted: %s", round).isEqualTo(2);
      assertThat(manifests).as("fresh: %s", round).isEqualTo(1);
      assertThat(locks).as("the repository's lock: %s", round).isEqualTo(1);
    }
    assertThat(peer(rounds.get(0), "c").path("repaired").path("tags").asInt()).isEqualTo(2);
    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, "fresh")).as("%s fresh", region).contains(fresh.manifestDigest());
      assertThat(region.servesBlob(repo, fresh.layerDigests().get(0))).as("%s fresh's layer", region).isTrue();
      assertThat(region.resolve(repo, "old")).as("%s old", region).isEmpty();
    });
    // The lost lock holds everywhere: a push into the repository is refused in every region.
    for (RegionClient region : regions) {
      HttpResponse<byte[]> upload = region.http().send("POST", "/v2/" + repo + "/blobs/uploads/", BodyPublishers.noBody());
      assertThat(upload.statusCode()).as("%s: %s", region, RegistryHttp.describe(upload)).isEqualTo(403);
      assertThat(RegistryHttp.errorCodes(upload)).containsExactly("DENIED");
    }
    // Same registers everywhere now, so a second round finds nothing to repair.
    String digestInC = summary(c).path("repositories").path(repo).asText();
    for (RegionClient region : List.of(a, b)) {
      assertThat(summary(region).path("repositories").path(repo).asText()).as("%s", region).isEqualTo(digestInC);
      for (JsonNode p : post(region, "/admin/v1/antientropy").path("peers")) assertThat(p.path("differing").asInt()).isZero();
    }
    assertThat(new String(a.http().get("/metrics").body())).containsPattern("meridian_antientropy_repaired_total\\{[^}]*kind=\"tag\"[^}]*} 2.0");

    // Give c its relay back for whatever runs next.
    fleet.stopRegion("c");
    fleet.startRegion("c");
  }

  private static JsonNode peer(JsonNode round, String region) {
    for (JsonNode p : round.path("peers")) if (p.path("region").asText().equals(region)) return p;
    throw new AssertionError("no round with " + region + " in " + round);
  }

  private static JsonNode summary(RegionClient region) {
    return json(region.http().get("/admin/v1/antientropy/summary"));
  }

  private static JsonNode post(RegionClient region, String path) {
    return json(region.http().send("POST", path, BodyPublishers.noBody()));
  }

  private static JsonNode json(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON", e);
    }
  }

  /** Flips one byte in the middle of a stored blob file, keeping its size. */
  private static void corruptOneByte(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long middle = channel.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, middle);
      one.put(0, (byte) (one.get(0) ^ 0xff)).rewind();
      channel.write(one, middle);
      channel.force(true);
    }
  }

  private static void push(OciLayoutWriter layout, String tag, RegionClient region, String repositoryAndTag) {
    region.skopeo().copy(Skopeo.oci(layout.root(), tag), region.ref(repositoryAndTag), false);
  }
}
