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

  private static LocalFleet fleet;
  private static List<RegionClient> regions;

  @BeforeAll
  static void startFleet() throws InterruptedException {
    Agents.deleteRecursively(RUN_DIR);
    fleet = LocalFleet.start(new LocalFleet.Settings(List.of(new RegionId("a"), new RegionId("b"), new RegionId("c")),
            FreePort.consecutive(3), FreePort.consecutive(2), RUN_DIR.resolve("fleet")), Duration.ofSeconds(60),
        config -> config.withLifecycle(config.lifecycle().withGc(NO_GRACE)));
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
      assertThat(status).contains("\"reclaimedBytes\"");
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
}
