package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Image lifecycle across a {@link LocalFleet} of three regions on a real Kafka broker: garbage collection in every
 * region, driven through the CLI and the admin API as an operator would. Collections run with no grace period
 * (and never in the background), so a test decides when they happen.
 */
class LifecycleFleetIT {
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(90));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "LifecycleFleetIT").toAbsolutePath();
  private static final GarbageCollector.Settings NO_GRACE =
      new GarbageCollector.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1));

  /** Untagged manifests of {@code retain/...} go at once; applied (by region a, the owner) only when a test asks. */
  private static final RetentionPolicy RETAIN_NONE =
      new RetentionPolicy(java.util.Optional.empty(), List.of(RetentionPolicy.Rule.parse("retain/.*=0")));

  private static LocalFleet fleet;
  private static List<RegionClient> regions;

  @BeforeAll
  static void startFleet() throws InterruptedException {
    Agents.deleteRecursively(RUN_DIR);
    fleet = LocalFleet.start(new LocalFleet.Settings(List.of(new RegionId("a"), new RegionId("b"), new RegionId("c")),
            FreePort.consecutive(3), FreePort.consecutive(2), RUN_DIR.resolve("fleet")), Duration.ofSeconds(60),
        config -> config.withLifecycle(config.lifecycle().withGc(NO_GRACE).withRetention(RETAIN_NONE)));
    regions = fleet.agents().stream().map(RegionClient::of).toList();
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  /** Pushes config, layers and manifest to {@code region}; returns the manifest bytes. */
  static byte[] push(RegionClient region, String repository, String tag, byte[] config, List<byte[]> layers) {
    region.http().pushBlob(repository, config);
    layers.forEach(l -> region.http().pushBlob(repository, l));
    byte[] manifest = TestImages.manifest(config, layers);
    var response = region.http().putManifest(repository, tag, manifest, TestImages.OCI_MANIFEST);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(201);
    return manifest;
  }

  static boolean stored(RegionAgent agent, Digest digest) {
    return Files.exists(new BlobPaths(agent.config().blobsRoot()).blob(digest));
  }

  static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = MeridianCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int code = command.execute(args);
    assertThat(code).as("meridian %s: %s", String.join(" ", args), err).isZero();
    return out.toString();
  }

  @Test
  void theContentOfAnImageReplacedUnderItsTagAndDeletedIsCollectedInEveryRegionAndTheNewOneStays() {
    String repo = "gc/app";
    byte[] shared = randomBytes(100, 40_000);
    byte[] oldLayer = randomBytes(101, 30_000);
    byte[] oldConfig = randomBytes(102, 300);
    byte[] newLayer = randomBytes(103, 20_000);
    RegionClient a = regions.get(0);
    Digest old = digest(push(a, repo, "stable", oldConfig, List.of(shared, oldLayer)));
    CONVERGENCE.awaitEvery(regions, r -> assertThat(r.resolve(repo, old.toString())).as("%s", r).contains(old));
    Digest current = digest(push(a, repo, "stable", randomBytes(104, 300), List.of(shared, newLayer)));
    assertThat(a.http().send("DELETE", "/v2/" + repo + "/manifests/" + old,
        java.net.http.HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(202);
    CONVERGENCE.awaitEvery(regions, r -> {
      assertThat(r.resolve(repo, "stable")).as("%s", r).contains(current);
      assertThat(r.resolve(repo, old.toString())).as("%s", r).isEmpty();
    });

    for (int i = 0; i < regions.size(); i++) {
      RegionAgent agent = fleet.agents().get(i);
      RegionClient region = regions.get(i);
      String dry = cli("gc", "--registry", region.http().uri("/").toString(), "--dry-run");
      assertThat(dry).as("dry run in %s", region).contains("would delete blob " + digest(oldLayer)).contains("would delete");
      assertThat(stored(agent, digest(oldLayer))).as("%s after a dry run", region).isTrue();

      String done = cli("gc", "--registry", region.http().uri("/").toString());

      assertThat(done).as("gc in %s", region).contains("deleted blob " + digest(oldLayer)).contains("deleted blob " + old);
      for (Digest gone : List.of(old, digest(oldLayer), digest(oldConfig))) {
        assertThat(stored(agent, gone)).as("%s in %s", gone, region).isFalse();
      }
      assertThat(stored(agent, digest(shared))).as("shared layer in %s", region).isTrue();
      assertThat(region.servesBlob(repo, digest(newLayer))).as("%s", region).isTrue();
      assertThat(region.resolve(repo, "stable")).contains(current);
      String status = new String(region.http().get("/admin/v1/region").body());
      assertThat(status).contains("\"reclaimedBytes\"").contains("\"usedBytes\"");
      assertThat(agent.gc().storage().reclaimedBytes()).isGreaterThanOrEqualTo(30_000 + 300);
      String metrics = new String(region.http().get("/metrics").body());
      assertThat(metrics).containsPattern("meridian_gc_reclaimed_bytes_total\\{kind=\"blob\",region=\"" + agent.config().region() + "\"} [1-9]");
    }
    String table = cli("status", "--registry", regions.get(0).http().uri("/").toString());
    assertThat(table).contains("RECLAIMED");
  }

  private static String lockOf(RegionClient region, String query) {
    var response = region.http().get("/admin/v1/lock?" + query);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    return new String(response.body());
  }

  @Test
  void aLockSetInOneRegionHoldsInEveryRegionAndAnUnlockReleasesIt() {
    String repo = "locks/app";
    RegionClient a = regions.get(0);
    byte[] first = push(a, repo, "prod", randomBytes(200, 300), List.of(randomBytes(201, 5000)));
    Digest locked = digest(first);
    CONVERGENCE.awaitEvery(regions, r -> assertThat(r.resolve(repo, "prod")).as("%s", r).contains(locked));

    String out = cli("repository", "update", "--registry", a.http().uri("/").toString(), "--image", repo + ":prod",
        "--write-enabled", "false", "--delete-enabled", "false");
    assertThat(out).contains(repo + ":prod writeEnabled=false deleteEnabled=false");

    CONVERGENCE.awaitEvery(regions, r -> assertThat(lockOf(r, "repository=" + repo + "&reference=prod"))
        .as("%s", r).contains("\"writeEnabled\" : false"));
    byte[] other = TestImages.manifest(randomBytes(202, 300), List.of(randomBytes(201, 5000)));
    for (RegionClient region : regions) {
      region.http().pushBlob(repo, randomBytes(202, 300));
      region.http().pushBlob(repo, randomBytes(201, 5000));
      var moved = region.http().putManifest(repo, "prod", other, TestImages.OCI_MANIFEST);
      assertThat(moved.statusCode()).as("%s: %s", region, RegistryHttp.describe(moved)).isEqualTo(403);
      assertThat(RegistryHttp.errorCodes(moved)).containsExactly("DENIED");
      for (String reference : List.of("prod", locked.toString())) {
        var deleted = region.http().send("DELETE", "/v2/" + repo + "/manifests/" + reference,
            java.net.http.HttpRequest.BodyPublishers.noBody());
        assertThat(deleted.statusCode()).as("DELETE %s in %s", reference, region).isEqualTo(403);
      }
      assertThat(region.resolve(repo, "prod")).contains(locked);
      // Another tag of the repository is not locked.
      assertThat(region.http().putManifest(repo, "dev-" + region.name().replaceAll("[^a-z0-9]", ""), other,
          TestImages.OCI_MANIFEST).statusCode()).isEqualTo(201);
    }

    // A lock and an unlock racing in two regions end the same everywhere.
    cli("repository", "update", "--registry", regions.get(1).http().uri("/").toString(), "--image", repo + ":prod",
        "--delete-enabled", "true");
    cli("repository", "update", "--registry", regions.get(2).http().uri("/").toString(), "--image", repo + ":prod",
        "--delete-enabled", "false");
    CONVERGENCE.await(() -> {
      List<String> seen = regions.stream().map(r -> lockOf(r, "repository=" + repo + "&reference=prod")).distinct().toList();
      assertThat(seen).hasSize(1);
    });

    cli("repository", "update", "--registry", a.http().uri("/").toString(), "--image", repo + ":prod",
        "--write-enabled", "true", "--delete-enabled", "true");
    CONVERGENCE.awaitEvery(regions, r -> assertThat(lockOf(r, "repository=" + repo + "&reference=prod"))
        .as("%s", r).contains("\"writeEnabled\" : true").contains("\"deleteEnabled\" : true"));
    var moved = regions.get(2).http().putManifest(repo, "prod", other, TestImages.OCI_MANIFEST);
    assertThat(moved.statusCode()).as(RegistryHttp.describe(moved)).isEqualTo(201);
  }

  @Test
  void anImagePushedManyTimesUnderOneTagLeavesStorageBoundedInEveryRegionAfterRetentionAndGc() {
    String repo = "retain/app";
    RegionClient b = regions.get(1);
    List<Digest> versions = new java.util.ArrayList<>();
    List<Digest> layers = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] layer = randomBytes(300 + i, 50_000);
      layers.add(digest(layer));
      versions.add(digest(push(regions.get(i % 2 + 1), repo, "latest", randomBytes(310 + i, 200), List.of(layer))));
    }
    byte[] pinnedLayer = randomBytes(320, 30_000);
    Digest pinned = digest(push(b, repo, "pinned", randomBytes(321, 200), List.of(pinnedLayer)));
    cli("repository", "update", "--registry", b.http().uri("/").toString(), "--image", repo + "@" + pinned,
        "--delete-enabled", "false");
    push(b, repo, "pinned", randomBytes(322, 200), List.of(randomBytes(323, 1000)));
    Digest latest = versions.get(4);
    CONVERGENCE.awaitEvery(regions, r -> {
      assertThat(r.resolve(repo, "latest")).as("%s", r).contains(latest);
      assertThat(lockOf(r, "repository=" + repo + "&reference=" + pinned)).as("%s", r).contains("\"deleteEnabled\" : false");
    });

    var refused = b.http().send("POST", "/admin/v1/retention", java.net.http.HttpRequest.BodyPublishers.noBody());
    assertThat(refused.statusCode()).as("retention outside the owner region").isEqualTo(409);
    var applied = regions.get(0).http().send("POST", "/admin/v1/retention", java.net.http.HttpRequest.BodyPublishers.noBody());
    assertThat(applied.statusCode()).as(RegistryHttp.describe(applied)).isEqualTo(200);
    String report = new String(applied.body());
    for (Digest old : versions.subList(0, 4)) assertThat(report).contains(repo + "@" + old);
    assertThat(report).contains("\"locked\"").contains(pinned.toString());

    CONVERGENCE.awaitEvery(regions, r -> {
      for (Digest old : versions.subList(0, 4)) assertThat(r.resolve(repo, old.toString())).as("%s %s", r, old).isEmpty();
      assertThat(r.resolve(repo, pinned.toString())).as("locked, untagged %s", r).contains(pinned);
    });
    for (int i = 0; i < regions.size(); i++) {
      RegionAgent agent = fleet.agents().get(i);
      GcReport gc = agent.gc().collect(false);
      for (Digest old : layers.subList(0, 4)) assertThat(stored(agent, old)).as("%s in %s", old, regions.get(i)).isFalse();
      assertThat(stored(agent, layers.get(4))).isTrue();
      assertThat(stored(agent, digest(pinnedLayer))).isTrue();
      // Storage holds the current image, not the history of the tag.
      assertThat(gc.storedBytes()).as("stored in %s", regions.get(i)).isLessThan(5 * 50_000);
      assertThat(regions.get(i).servesBlob(repo, layers.get(4))).isTrue();
    }
  }

  @Test
  void purgeDeletesOldTagsBeyondTheKeptOnesInEveryRegionAndSparesLockedImages() {
    String repo = "purge/app";
    RegionClient a = regions.get(0);
    Digest v1 = digest(push(a, repo, "v1", randomBytes(400, 200), List.of(randomBytes(401, 2000))));
    Digest v2 = digest(push(a, repo, "v2", randomBytes(402, 200), List.of(randomBytes(403, 2000))));
    Digest v3 = digest(push(a, repo, "v3", randomBytes(404, 200), List.of(randomBytes(405, 2000))));
    cli("repository", "update", "--registry", a.http().uri("/").toString(), "--image", repo + ":v1", "--write-enabled", "false");
    CONVERGENCE.awaitEvery(regions, r -> {
      assertThat(r.resolve(repo, "v3")).as("%s", r).contains(v3);
      assertThat(lockOf(r, "repository=" + repo + "&reference=v1")).as("%s", r).contains("\"writeEnabled\" : false");
    });
    String registry = regions.get(2).http().uri("/").toString();

    String dry = cli("purge", "--registry", registry, "--filter", "purge/.*:v.*", "--ago", "0", "--keep", "1", "--dry-run");
    assertThat(dry).contains("would delete manifest " + repo + "@" + v2).contains("locked, kept " + repo + "@" + v1)
        .doesNotContain(v3.toString());
    assertThat(regions.get(2).resolve(repo, "v2")).contains(v2);

    String done = cli("purge", "--registry", registry, "--filter", "purge/.*:v.*", "--ago", "0", "--keep", "1");

    assertThat(done).contains("deleted manifest " + repo + "@" + v2);
    CONVERGENCE.awaitEvery(regions, r -> {
      assertThat(r.resolve(repo, "v2")).as("%s", r).isEmpty();
      assertThat(r.resolve(repo, v2.toString())).as("%s", r).isEmpty();
      assertThat(r.resolve(repo, "v1")).as("%s", r).contains(v1);
      assertThat(r.resolve(repo, "v3")).as("%s", r).contains(v3);
    });
  }
}
