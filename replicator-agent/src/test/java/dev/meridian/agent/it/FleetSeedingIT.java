package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.admin.AdminConfig;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.CliRun;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.it.support.WrittenIndex;
import dev.meridian.agent.log.KafkaTopics;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A region joining a fleet whose log no longer holds the old events (DESIGN.md §7): a {@link LocalFleet} of three
 * regions holds several images, the events topic is emptied with Kafka's {@code deleteRecords}, and a fourth
 * region starts on an empty data directory. It seeds itself from a peer's register snapshot, fetches the content,
 * follows the log, and ends serving exactly what the others serve, from its own disk.
 */
class FleetSeedingIT {
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(90));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "FleetSeedingIT").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Asked of the new region: it answers from its own content, never by fetching from a peer on demand. */
  private static final String[] LOCAL_ONLY = {"Meridian-Internal", "no-read-through"};
  private static final String REPO = "seed/app";
  private static final String MULTI = "seed/multi";

  private LocalFleet fleet;
  private RegionAgent joiner;

  @BeforeEach
  void startFleet() throws InterruptedException {
    Agents.deleteRecursively(RUN_DIR);
    fleet = LocalFleet.start(new LocalFleet.Settings(List.of(new RegionId("a"), new RegionId("b"), new RegionId("c")),
        FreePort.consecutive(3), FreePort.consecutive(2), RUN_DIR.resolve("fleet")), Duration.ofSeconds(60));
  }

  @AfterEach
  void stopFleet() {
    if (joiner != null) joiner.close();
    if (fleet != null) fleet.close();
  }

  @Test
  void aRegionStartedAfterTheLogLostItsHistorySeedsFromAPeerAndServesEverythingTheFleetServes() throws Exception {
    RegionClient a = RegionClient.of(fleet.agents().get(0));
    RegionClient b = RegionClient.of(fleet.agents().get(1));
    RegionClient c = RegionClient.of(fleet.agents().get(2));
    var layout = new OciLayoutWriter(RUN_DIR.resolve("source"));
    // Big enough plain layers that fetching them takes several of the new region's status samples.
    LayerSpec shared = LayerSpec.plain(801, 8 << 20);
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, List.of(shared, LayerSpec.plain(802, 6 << 20)));
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(shared, LayerSpec.plain(803, 6 << 20)));
    WrittenImage old = layout.image("old", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(804, 20_000)));
    WrittenIndex multi = layout.index("multi", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        List.of(LayerSpec.gzip(805, 100_000)));
    WrittenImage late = layout.image("late", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(806, 50_000)));

    push(layout, "v1", a, REPO + ":v1");
    push(layout, "v2", b, REPO + ":v2");
    push(layout, "v1", a, REPO + ":stable");
    push(layout, "old", c, REPO + ":old");
    a.skopeo().copy(Skopeo.oci(layout.root(), "multi"), a.ref(MULTI + ":latest"), true);
    Digest sbom = pushReferrer(a, MULTI, multi.digest(), multi.bytes().length);
    CONVERGENCE.awaitEvery(List.of(a, b, c), region -> assertThat(region.resolve(REPO, "old")).contains(old.manifestDigest()));
    push(layout, "v2", b, REPO + ":stable"); // the tag moves
    var untag = c.http().send("DELETE", "/v2/" + REPO + "/manifests/old", BodyPublishers.noBody());
    assertThat(untag.statusCode()).as(RegistryHttp.describe(untag)).isEqualTo(202);
    CONVERGENCE.awaitEvery(List.of(a, b, c), region -> {
      assertThat(region.resolve(REPO, "stable")).as("%s stable", region).contains(v2.manifestDigest());
      assertThat(region.resolve(REPO, "old")).as("%s old", region).isEmpty();
      assertThat(region.referrers(MULTI, multi.digest())).as("%s referrers", region).containsExactly(sbom);
      assertThat(region.resolve(MULTI, "latest")).as("%s multi", region).contains(multi.digest());
    });

    forgetOldEvents();

    joiner = RegionAgent.start(joinerConfig());
    RegionClient d = RegionClient.of(joiner);
    // Written while the new region seeds: it reaches it through the log.
    CompletableFuture<Void> pushedLate = CompletableFuture.runAsync(() -> push(layout, "late", a, "seed/late:v1"));

    List<JsonNode> samples = new CopyOnWriteArrayList<>();
    await("the new region is ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
      JsonNode status = status(d);
      samples.add(status);
      return status.path("state").asText().equals("ready") && pushedLate.isDone();
    });
    pushedLate.get();
    List<JsonNode> creating = samples.stream().filter(s -> s.path("state").asText().equals("creating")).toList();
    assertThat(creating).as("samples while creating, of %s", samples.size()).isNotEmpty();
    assertThat(creating).as("a sample with work left")
        .anySatisfy(s -> {
          assertThat(s.path("manifestsRemaining").asLong()).isPositive();
          assertThat(s.path("bytesRemaining").asLong()).isPositive();
        });
    assertThat(creating).as("a sample with an estimated time left").anySatisfy(s -> assertThat(s.path("etaSeconds").isNumber()).isTrue());
    assertThat(samples.get(samples.size() - 1).path("manifestsRemaining").isNull()).isTrue();
    System.out.printf("seeding: %d status samples, %d creating:%n", samples.size(), creating.size());
    creating.forEach(s -> System.out.printf("  manifestsRemaining=%s bytesRemaining=%s etaSeconds=%s%n",
        s.path("manifestsRemaining"), s.path("bytesRemaining"), s.path("etaSeconds")));

    // Everything the fleet serves, the new region serves from its own disk.
    CONVERGENCE.await(() -> assertThat(localManifest(d, "seed/late", "v1")).contains(late.manifestDigest()));
    assertThat(catalog(d)).isEqualTo(catalog(a));
    for (String repo : catalog(a)) {
      assertThat(tags(d, repo)).as("tags of %s", repo).isEqualTo(tags(a, repo));
      for (String tag : tags(a, repo)) {
        Optional<Digest> served = localManifest(d, repo, tag);
        assertThat(served).as("%s:%s", repo, tag).isEqualTo(localManifest(a, repo, tag)).isPresent();
        for (Digest blob : RegionClient.references(d.manifest(repo, served.get().toString()).orElseThrow())) {
          assertThat(localManifestOrBlob(d, repo, blob)).as("%s %s", repo, blob).isTrue();
        }
      }
    }
    assertThat(localManifest(d, REPO, "old")).as("the deleted tag").isEmpty();
    assertThat(localManifest(d, REPO, "stable")).as("the moved tag").contains(v2.manifestDigest());
    assertThat(localManifest(d, REPO, v1.manifestDigest().toString())).as("v1 by digest").contains(v1.manifestDigest());
    for (WrittenImage child : multi.manifests()) {
      assertThat(localManifest(d, MULTI, child.manifestDigest().toString())).contains(child.manifestDigest());
    }
    assertThat(d.referrers(MULTI, multi.digest())).containsExactly(sbom);

    Path pulled = RUN_DIR.resolve("pulled");
    d.skopeo().copy(d.ref(MULTI + ":latest"), Skopeo.oci(pulled, "multi"), true);
    d.skopeo().copy(d.ref(REPO + ":stable"), Skopeo.oci(pulled, "stable"), false);
    assertThat(new OciLayout(pulled).digestOf("multi")).isEqualTo(multi.digest());
    assertThat(new OciLayout(pulled).digestOf("stable")).isEqualTo(v2.manifestDigest());
    assertThat(new OciLayout(pulled).claimedToActualDigests()).allSatisfy((claimed, actual) -> assertThat(actual).isEqualTo(claimed));

    // A write after it joined reaches it too.
    push(layout, "v1", b, "seed/after:v1");
    CONVERGENCE.await(() -> assertThat(localManifest(d, "seed/after", "v1")).contains(v1.manifestDigest()));
  }

  /**
   * The documented way in for a fleet whose log forgot (README "Joining"): {@code serve --kafka} with no fleet file,
   * then {@code replication create}. The region waits outside the fleet, then seeds from a peer as its bootstrap,
   * is {@code creating} with its progress, then {@code ready}, and every image pushed before it joined can be pulled
   * from it as soon as {@code meridian wait} says it is complete there.
   */
  @Test
  void aRegionServedWithOnlyTheLogAndCreatedFromTheCliSeedsFromAPeerAndServesEveryOlderImage() throws Exception {
    RegionClient a = RegionClient.of(fleet.agents().get(0));
    RegionClient b = RegionClient.of(fleet.agents().get(1));
    RegionClient c = RegionClient.of(fleet.agents().get(2));
    var layout = new OciLayoutWriter(RUN_DIR.resolve("source"));
    LayerSpec shared = LayerSpec.plain(811, 8 << 20);
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, List.of(shared, LayerSpec.plain(812, 6 << 20)));
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(shared, LayerSpec.plain(813, 6 << 20)));
    WrittenImage small = layout.image("small", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(814, 20_000)));
    push(layout, "v1", a, REPO + ":v1");
    push(layout, "v2", b, REPO + ":v2");
    push(layout, "small", c, "seed/small:latest");
    CONVERGENCE.awaitEvery(List.of(a, b, c), region -> {
      assertThat(region.resolve(REPO, "v1")).contains(v1.manifestDigest());
      assertThat(region.resolve(REPO, "v2")).contains(v2.manifestDigest());
      assertThat(region.resolve("seed/small", "latest")).contains(small.manifestDigest());
    });
    forgetOldEvents();

    int port = FreePort.pick();
    Path data = RUN_DIR.resolve("d");
    joiner = RegionAgent.start(slowCreation(AgentConfig.joining(new RegionId("d"), AgentConfig.DEFAULT_BIND, port, data,
        fleet.kafkaBootstrap())));
    RegionClient d = RegionClient.of(joiner);
    await("d waits outside the fleet").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode status = status(d);
      assertThat(status.path("state").asText()).isEqualTo("creating");
      assertThat(status.path("reason").asText()).contains("replication create");
    });
    assertThat(d.http().get("/readyz").statusCode()).isEqualTo(503);

    CliRun created = CliRun.of("replication", "create", "--region", "d", "--url", joiner.url(), "--registry", fleet.agents().get(0).url());
    assertThat(created.exitCode()).as(created.err()).isZero();
    // The write barrier, asked at once: it answers once d holds every image completely.
    List<CompletableFuture<CliRun>> waits = new ArrayList<>();
    for (String image : List.of(REPO + ":v1", REPO + ":v2", "seed/small:latest")) {
      waits.add(CompletableFuture.supplyAsync(() -> CliRun.of("wait", image, "--registry", fleet.agents().get(0).url(),
          "--regions", "d", "--timeout", "120s", "--interval", "100ms")));
    }

    List<JsonNode> samples = new CopyOnWriteArrayList<>();
    await("d is ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).until(() -> {
      JsonNode status = status(d);
      samples.add(status);
      return status.path("state").asText().equals("ready");
    });
    assertThat(samples).as("samples while seeding and fetching, of %s", samples.size()).anySatisfy(s -> {
      assertThat(s.path("state").asText()).isEqualTo("creating");
      assertThat(s.path("manifestsRemaining").asLong()).isPositive();
      assertThat(s.path("bytesRemaining").asLong()).isPositive();
    });

    for (CompletableFuture<CliRun> wait : waits) {
      CliRun done = wait.get();
      assertThat(done.exitCode()).as(done.out() + done.err()).isZero();
    }
    Path pulled = RUN_DIR.resolve("pulled");
    d.skopeo().copy(d.ref(REPO + ":v1"), Skopeo.oci(pulled, "v1"), false);
    d.skopeo().copy(d.ref(REPO + ":v2"), Skopeo.oci(pulled, "v2"), false);
    d.skopeo().copy(d.ref("seed/small:latest"), Skopeo.oci(pulled, "small"), false);
    OciLayout got = new OciLayout(pulled);
    assertThat(got.digestOf("v1")).isEqualTo(v1.manifestDigest());
    assertThat(got.digestOf("v2")).isEqualTo(v2.manifestDigest());
    assertThat(got.digestOf("small")).isEqualTo(small.manifestDigest());
    assertThat(got.claimedToActualDigests()).allSatisfy((claimed, actual) -> assertThat(actual).isEqualTo(claimed));
    // From its own disk: the images came with the seed, not by reading through at the pull.
    assertThat(catalog(d)).isEqualTo(catalog(a));
    for (String repo : catalog(a)) {
      for (String tag : tags(a, repo)) {
        Digest served = localManifest(d, repo, tag).orElseThrow(() -> new AssertionError(repo + ":" + tag + " not local"));
        for (Digest blob : RegionClient.references(d.manifest(repo, served.toString()).orElseThrow())) {
          assertThat(localManifestOrBlob(d, repo, blob)).as("%s %s", repo, blob).isTrue();
        }
      }
    }
  }

  /** The log forgets: a region replaying it from the start would learn nothing written so far. */
  private void forgetOldEvents() {
    Map<Integer, Long> earliest;
    try (KafkaTopics topics = new KafkaTopics(fleet.kafkaBootstrap())) {
      earliest = topics.deleteRecordsUpToEnd(KafkaTopics.EVENTS, Duration.ofSeconds(30));
    }
    assertThat(earliest.values().stream().mapToLong(Long::longValue).sum()).as("records deleted").isPositive();
  }

  /** Region d: a member of the fleet plus itself, on an empty data directory. */
  private AgentConfig joinerConfig() throws IOException {
    List<Region> regions = new ArrayList<>(fleet.topology().regions());
    int port = FreePort.pick();
    regions.add(new Region(new RegionId("d"), URI.create("http://127.0.0.1:" + port), true, RegionMode.READ_WRITE));
    Topology withD = new Topology(fleet.kafkaBootstrap(), fleet.topology().topicPartitions(),
        fleet.topology().topicReplicationFactor(), regions);
    Path data = RUN_DIR.resolve("d");
    Files.createDirectories(data);
    return slowCreation(AgentConfig.member(new RegionId("d"), AgentConfig.DEFAULT_BIND, port, data, withD));
  }

  /**
   * {@code config} sampling its status often and fetching one image at a time, so its creation lasts several
   * samples even on a fast machine.
   */
  private static AgentConfig slowCreation(AgentConfig config) {
    return new AgentConfig(config.region(), config.bindAddress(), config.port(), config.dataDir(), config.fleet(),
        TransferConfig.builder().maxConcurrent(1).build(),
        new AdminConfig(AdminConfig.DEFAULT_STALL_THRESHOLD, Duration.ofSeconds(2), Duration.ofMillis(20)))
        // The fleet's key (the test fleet's, as an operator copies it): a region with another key could verify no event.
        .withSecurity(SecurityConfig.defaults().withFleetKey(TestCredentials.FLEET_KEY));
  }

  private static JsonNode status(RegionClient region) throws IOException {
    HttpResponse<byte[]> response = region.http().get("/admin/v1/region");
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static Optional<Digest> localManifest(RegionClient region, String repo, String reference) {
    HttpResponse<byte[]> response = region.http().get("/v2/" + repo + "/manifests/" + reference,
        "Accept", RegionClient.MANIFEST_ACCEPT, LOCAL_ONLY[0], LOCAL_ONLY[1]);
    if (response.statusCode() == 404) return Optional.empty();
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    return Optional.of(Digest.sha256Of(response.body()));
  }

  /** Whether a blob or child manifest is served here, bytes matching the digest. */
  private static boolean localManifestOrBlob(RegionClient region, String repo, Digest digest) {
    HttpResponse<byte[]> blob = region.http().get("/v2/" + repo + "/blobs/" + digest, LOCAL_ONLY);
    if (blob.statusCode() == 200) return Digest.sha256Of(blob.body()).equals(digest);
    return localManifest(region, repo, digest.toString()).filter(digest::equals).isPresent();
  }

  private static List<String> catalog(RegionClient region) throws IOException {
    HttpResponse<byte[]> response = region.http().get("/v2/_catalog", LOCAL_ONLY);
    List<String> names = new ArrayList<>();
    JSON.readTree(response.body()).path("repositories").forEach(n -> names.add(n.asText()));
    return names;
  }

  private static List<String> tags(RegionClient region, String repo) throws IOException {
    HttpResponse<byte[]> response = region.http().get("/v2/" + repo + "/tags/list", LOCAL_ONLY);
    if (response.statusCode() == 404) return List.of();
    List<String> names = new ArrayList<>();
    JSON.readTree(response.body()).path("tags").forEach(n -> names.add(n.asText()));
    return names;
  }

  /** An SBOM-like artifact whose subject is the index, with raw HTTP; returns its digest. */
  private static Digest pushReferrer(RegionClient region, String repo, Digest subject, int subjectSize) {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] content = "{\"sbom\":\"seeded\"}".getBytes(StandardCharsets.UTF_8);
    Digest emptyDigest = region.http().pushBlob(repo, empty);
    Digest contentDigest = region.http().pushBlob(repo, content);
    byte[] manifest = OciLayoutWriter.json(OciLayoutWriter.ordered(
        "schemaVersion", 2,
        "mediaType", MediaType.OCI_MANIFEST.value(),
        "artifactType", "application/vnd.example.sbom+json",
        "config", OciLayoutWriter.ordered("mediaType", "application/vnd.oci.empty.v1+json",
            "digest", emptyDigest.toString(), "size", empty.length),
        "layers", List.of(OciLayoutWriter.ordered("mediaType", "application/vnd.example.sbom+json",
            "digest", contentDigest.toString(), "size", content.length)),
        "subject", OciLayoutWriter.ordered("mediaType", MediaType.OCI_INDEX.value(),
            "digest", subject.toString(), "size", subjectSize)));
    Digest digest = Digest.sha256Of(manifest);
    var response = region.http().putManifest(repo, digest.toString(), manifest, MediaType.OCI_MANIFEST.value());
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(201);
    return digest;
  }

  private static void push(OciLayoutWriter layout, String tag, RegionClient region, String repositoryAndTag) {
    region.skopeo().copy(Skopeo.oci(layout.root(), tag), region.ref(repositoryAndTag), false);
  }
}
