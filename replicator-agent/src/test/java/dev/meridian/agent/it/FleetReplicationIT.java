package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.agent.it.support.WrittenIndex;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.TagRecord;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Geo-replication end to end: a {@link LocalFleet} of three regions (a real KRaft broker and three agents in
 * this JVM, on loopback ports), driven by skopeo and raw HTTP only, as users would. One fleet serves the whole
 * class to keep the run short; every test works in repositories of its own.
 */
class FleetReplicationIT {
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(90));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "FleetReplicationIT").toAbsolutePath();

  private static LocalFleet fleet;
  private static RegionClient a;
  private static RegionClient b;
  private static RegionClient c;
  private static List<RegionClient> regions;

  private Path scratch;

  @BeforeAll
  static void startFleet() throws InterruptedException {
    Agents.deleteRecursively(RUN_DIR);
    int basePort = FreePort.consecutive(3);
    int kafkaPort = FreePort.consecutive(2);
    fleet = LocalFleet.start(new LocalFleet.Settings(
            List.of(new RegionId("a"), new RegionId("b"), new RegionId("c")), basePort, kafkaPort, RUN_DIR.resolve("fleet")),
        Duration.ofSeconds(60));
    a = RegionClient.of(fleet.agents().get(0));
    b = RegionClient.of(fleet.agents().get(1));
    c = RegionClient.of(fleet.agents().get(2));
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

  @Test
  void imagePushedToOneRegionPullsFromEveryOtherWithTheSameManifestAndBlobDigests() {
    String repo = "geo/layers";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    List<LayerSpec> layers = List.of(LayerSpec.gzip(101, 1 << 20), LayerSpec.gzip(102, 300_000), LayerSpec.plain(103, 64 * 1024));
    WrittenImage v1 = layout.image("v1", Platform.LINUX_AMD64, layers);
    WrittenImage v2 = layout.image("v2", Platform.LINUX_AMD64, List.of(layers.get(0), LayerSpec.gzip(104, 5000)));
    assertThat(v2.layerDigests()).contains(v1.layerDigests().get(0));

    push(layout, "v1", a, repo + ":v1");
    push(layout, "v2", a, repo + ":v2");

    for (RegionClient region : List.of(b, c)) {
      CONVERGENCE.await(() -> {
        assertThat(region.resolve(repo, "v1")).as("%s v1", region).contains(v1.manifestDigest());
        assertThat(region.resolve(repo, "v2")).as("%s v2", region).contains(v2.manifestDigest());
      });
      Path pulled = scratch.resolve("pulled-" + region.name());
      region.skopeo().copy(region.ref(repo + ":v1"), Skopeo.oci(pulled, "v1"), false);
      region.skopeo().copy(region.ref(repo + ":v2"), Skopeo.oci(pulled, "v2"), false);
      var copy = new OciLayout(pulled);
      assertThat(copy.digestOf("v1")).isEqualTo(v1.manifestDigest());
      assertThat(copy.digestOf("v2")).isEqualTo(v2.manifestDigest());
      var expected = new HashSet<Digest>(with(v1.manifestDigest(), v1.blobDigests()));
      expected.addAll(with(v2.manifestDigest(), v2.blobDigests()));
      assertThat(copy.claimedToActualDigests())
          .as("blobs pulled from %s", region)
          .containsOnlyKeys(expected)
          .allSatisfy((claimed, actual) -> assertThat(actual).as("bytes of %s", claimed).isEqualTo(claimed));
      assertThat(region.skopeo().listTags(repo)).containsExactlyInAnyOrder("v1", "v2");
    }
  }

  @Test
  void tagMovedInOneRegionMovesInEveryRegion() {
    String repo = "geo/moved";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage first = layout.image("first", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(201, 20_000)));
    WrittenImage second = layout.image("second", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(202, 30_000)));

    push(layout, "first", a, repo + ":stable");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "stable")).as("%s", region).contains(first.manifestDigest()));

    push(layout, "second", b, repo + ":stable");

    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "stable")).as("%s", region).contains(second.manifestDigest()));
    for (RegionClient region : regions) {
      assertThat(region.resolve(repo, first.manifestDigest().toString()))
          .as("%s still serves the old manifest by digest", region).contains(first.manifestDigest());
    }
  }

  @Test
  void concurrentWritesOfOneTagInThreeRegionsConvergeOnOneWinner() throws Exception {
    String repo = "geo/contended";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    Map<RegionClient, WrittenImage> pushed = Map.of(
        a, layout.image("from-a", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(301, 200_000))),
        b, layout.image("from-b", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(302, 200_000))),
        c, layout.image("from-c", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(303, 200_000))));

    ExecutorService pushers = Executors.newFixedThreadPool(3);
    try {
      var pushes = new ArrayList<CompletableFuture<Void>>();
      for (RegionClient region : regions) {
        pushes.add(CompletableFuture.runAsync(() -> push(layout, "from-" + region.name(), region, repo + ":latest"), pushers));
      }
      CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).get();
    } finally {
      pushers.shutdownNow();
    }

    Set<Digest> candidates = new HashSet<>();
    pushed.values().forEach(image -> candidates.add(image.manifestDigest()));
    CONVERGENCE.await(() -> {
      List<Optional<Digest>> resolved = new ArrayList<>();
      for (RegionClient region : regions) resolved.add(region.resolve(repo, "latest"));
      assertThat(resolved).as("what each region serves for latest").doesNotContain(Optional.empty());
      assertThat(new HashSet<>(resolved)).as("one winner everywhere: %s", resolved).hasSize(1);
      assertThat(candidates).contains(resolved.get(0).orElseThrow());
    });
    // The registers agree too, not only what is served: the same digest under the same stamp everywhere.
    Set<Optional<TagRecord>> registers = new HashSet<>();
    for (RegionAgent agent : fleet.agents()) {
      registers.add(agent.state().findTag(new RepositoryName(repo), new Tag("latest")));
    }
    assertThat(registers).hasSize(1);
    Digest winner = a.resolve(repo, "latest").orElseThrow();
    for (RegionClient region : regions) {
      Path pulled = scratch.resolve("pulled-" + region.name());
      region.skopeo().copy(region.ref(repo + ":latest"), Skopeo.oci(pulled, "latest"), false);
      assertThat(new OciLayout(pulled).digestOf("latest")).isEqualTo(winner);
    }
  }

  @Test
  void manifestDeleteAndTagDeleteInOneRegionPropagateToTheOthers() {
    String repo = "geo/deleted";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage doomed = layout.image("doomed", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(401, 10_000)));
    WrittenImage kept = layout.image("kept", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(402, 10_000)));
    push(layout, "doomed", a, repo + ":doomed");
    push(layout, "kept", a, repo + ":kept");
    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, "doomed")).contains(doomed.manifestDigest());
      assertThat(region.resolve(repo, "kept")).contains(kept.manifestDigest());
    });

    b.skopeo().delete(b.ref(repo + "@" + doomed.manifestDigest()));

    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, doomed.manifestDigest().toString())).as("%s by digest", region).isEmpty();
      assertThat(region.resolve(repo, "doomed")).as("%s by its tag", region).isEmpty();
      assertThat(region.resolve(repo, "kept")).as("%s other tag", region).contains(kept.manifestDigest());
    });

    var untag = c.http().send("DELETE", "/v2/" + repo + "/manifests/kept", BodyPublishers.noBody());
    assertThat(untag.statusCode()).as(RegistryHttp.describe(untag)).isEqualTo(202);

    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, "kept")).as("%s the deleted tag", region).isEmpty();
      assertThat(region.resolve(repo, kept.manifestDigest().toString()))
          .as("%s the untagged manifest by digest", region).contains(kept.manifestDigest());
    });
    for (RegionClient region : regions) assertThat(region.skopeo().listTags(repo)).as("%s", region).isEmpty();
  }

  @Test
  void referrerAndMultiPlatformIndexReplicateCompleteToEveryRegion() {
    String repo = "geo/multi";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenIndex multi = layout.index("multi", List.of(Platform.LINUX_AMD64, Platform.LINUX_ARM64),
        List.of(LayerSpec.gzip(501, 100_000)));
    a.skopeo().copy(Skopeo.oci(layout.root(), "multi"), a.ref(repo + ":multi"), true);
    Digest sbom = pushReferrer(a, repo, multi);

    CONVERGENCE.awaitEvery(regions, region -> {
      assertThat(region.resolve(repo, "multi")).as("%s index", region).contains(multi.digest());
      assertThat(region.referrers(repo, multi.digest())).as("%s referrers", region).containsExactly(sbom);
      assertThat(region.resolve(repo, sbom.toString())).as("%s referrer by digest", region).contains(sbom);
    });
    var expected = new HashSet<Digest>(List.of(multi.digest()));
    for (WrittenImage child : multi.manifests()) expected.addAll(with(child.manifestDigest(), child.blobDigests()));
    for (RegionClient region : regions) {
      for (WrittenImage child : multi.manifests()) {
        assertThat(region.resolve(repo, child.manifestDigest().toString())).as("%s child", region).contains(child.manifestDigest());
      }
      Path pulled = scratch.resolve("pulled-" + region.name());
      region.skopeo().copy(region.ref(repo + ":multi"), Skopeo.oci(pulled, "multi"), true);
      assertThat(new OciLayout(pulled).digestOf("multi")).isEqualTo(multi.digest());
      assertThat(new OciLayout(pulled).claimedToActualDigests())
          .as("index, children and blobs pulled from %s", region)
          .containsOnlyKeys(expected)
          .allSatisfy((claimed, actual) -> assertThat(actual).isEqualTo(claimed));
    }
  }

  /**
   * Complete-before-visible, watched from outside: while a 96 MiB layer is on its way to b and c, every time
   * they serve the tag (old or new manifest) or the new manifest by digest, every blob it references answers.
   */
  @Test
  void aRegionServesATagOnlyWhenEveryBlobOfItsManifestIsThere() throws Exception {
    String repo = "geo/big";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage small = layout.image("small", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(601, 10_000)));
    WrittenImage big = layout.image("big", Platform.LINUX_AMD64,
        List.of(LayerSpec.gzip(601, 10_000), LayerSpec.plain(602, 96 << 20), LayerSpec.gzip(603, 50_000)));
    push(layout, "small", a, repo + ":app");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "app")).contains(small.manifestDigest()));

    CompletableFuture<Void> pushing = CompletableFuture.runAsync(() -> push(layout, "big", a, repo + ":app"));
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger observations = new AtomicInteger();
    AtomicInteger servedOld = new AtomicInteger();
    await("b and c serve the big image").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          boolean converged = true;
          for (RegionClient region : List.of(b, c)) {
            for (String reference : List.of("app", big.manifestDigest().toString())) {
              Optional<byte[]> served = region.manifest(repo, reference);
              if (served.isEmpty()) continue;
              observations.incrementAndGet();
              Digest digest = Digest.sha256Of(served.get());
              if (digest.equals(small.manifestDigest())) servedOld.incrementAndGet();
              for (Digest blob : RegionClient.references(served.get())) {
                if (!region.blobGettable(repo, blob)) {
                  violations.add(region + " served " + repo + ":" + reference + " = " + digest + " without blob " + blob);
                }
              }
            }
            converged &= region.resolve(repo, "app").equals(Optional.of(big.manifestDigest()));
          }
          return converged && pushing.isDone();
        });
    pushing.get();
    assertThat(violations).isEmpty();
    assertThat(observations.get()).isPositive();
    System.out.printf("complete-before-visible: %d servings observed, %d of the previous manifest%n",
        observations.get(), servedOld.get());
  }

  @Test
  void afterConvergenceEveryRegionKnowsThatEveryRegionHoldsTheManifest() {
    String repo = "geo/acked";
    var layout = new OciLayoutWriter(scratch.resolve("source"));
    WrittenImage image = layout.image("v1", Platform.LINUX_AMD64, List.of(LayerSpec.gzip(701, 40_000)));
    push(layout, "v1", c, repo + ":v1");
    CONVERGENCE.awaitEvery(regions, region -> assertThat(region.resolve(repo, "v1")).contains(image.manifestDigest()));

    Set<RegionId> all = Set.of(new RegionId("a"), new RegionId("b"), new RegionId("c"));
    CONVERGENCE.await(() -> {
      for (RegionAgent agent : fleet.agents()) {
        assertThat(agent.state().findReplicas(new RepositoryName(repo), image.manifestDigest()))
            .as("replicas known to %s", agent.config().region())
            .containsExactlyInAnyOrderElementsOf(all);
      }
    });
  }

  /** Uploads an SBOM-like artifact whose {@code subject} is the index, with raw HTTP; returns its digest. */
  private static Digest pushReferrer(RegionClient region, String repo, WrittenIndex subject) {
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    byte[] content = "{\"sbom\":\"for the multi-platform index\"}".getBytes(StandardCharsets.UTF_8);
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
            "digest", subject.digest().toString(), "size", subject.bytes().length)));
    Digest digest = Digest.sha256Of(manifest);
    var response = region.http().putManifest(repo, digest.toString(), manifest, MediaType.OCI_MANIFEST.value());
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(201);
    assertThat(response.headers().firstValue("OCI-Subject")).contains(subject.digest().toString());
    return digest;
  }

  private static void push(OciLayoutWriter layout, String tag, RegionClient region, String repositoryAndTag) {
    region.skopeo().copy(Skopeo.oci(layout.root(), tag), region.ref(repositoryAndTag), false);
  }




  private static List<Digest> with(Digest manifest, List<Digest> blobs) {
    var all = new ArrayList<Digest>(List.of(manifest));
    all.addAll(blobs);
    return all;
  }
}
