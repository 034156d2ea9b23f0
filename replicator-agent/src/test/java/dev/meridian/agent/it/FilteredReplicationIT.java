package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.ManualFleet;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.blob.fs.BlobPaths;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import dev.meridian.topology.Region;
import dev.meridian.topology.RepositoryFilter;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TransferCost;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Repository filters end to end, on a real fleet ({@link ManualFleet}: an embedded KRaft broker and three agents):
 * {@code westeu} and {@code northeu} hold everything, {@code eastus} excludes {@code eu-only/**} (data residency).
 *
 * <p>The events topic has one partition here, so every repository's events are replayed in the order they were
 * written: once {@code eastus} has replayed an image pushed after the filtered one, it has also seen (and ignored)
 * every event of the filtered one. Absence is asserted only then, so the test cannot pass by looking too early.
 */
class FilteredReplicationIT {
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(90));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "FilteredReplicationIT").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SEED = new AtomicInteger(4100);
  private static final RepositoryFilter OUTSIDE_EU = RepositoryFilter.of(List.of("**"), List.of("eu-only/**"));

  private static ManualFleet fleet;
  private static RegionClient westeu;
  private static RegionClient northeu;
  private static RegionClient eastus;

  @BeforeAll
  static void startFleet() {
    Agents.deleteRecursively(RUN_DIR);
    fleet = ManualFleet.start(RUN_DIR.resolve("fleet"), List.of("westeu", "northeu", "eastus"), List.of(),
        TransferConfig.defaults(), FilteredReplicationIT::shape);
    westeu = fleet.client("westeu");
    northeu = fleet.client("northeu");
    eastus = fleet.client("eastus");
  }

  /** One partition, eastus outside the EU, and the EU regions close to each other. */
  private static Topology shape(Topology view) {
    List<Region> regions = view.regions().stream()
        .map(r -> r.id().value().equals("eastus") ? r.withRepositories(OUTSIDE_EU) : r).toList();
    RegionId west = new RegionId("westeu");
    RegionId north = new RegionId("northeu");
    RegionId east = new RegionId("eastus");
    return new Topology(view.kafkaBootstrap(), 1, view.topicReplicationFactor(), regions, List.of(
        new TransferCost(west, north, 1), new TransferCost(east, west, 10), new TransferCost(east, north, 10)));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  /** A pushed image: its manifest digest and its one unique layer. */
  private record Pushed(Digest manifest, Digest layer) {}

  private static Pushed push(RegionClient region, String repository, String tag) {
    byte[] config = ("{\"seed\":" + SEED.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = TestImages.randomBytes(SEED.incrementAndGet(), 300_000);
    region.http().pushBlob(repository, config);
    Digest layerDigest = region.http().pushBlob(repository, layer);
    byte[] manifest = TestImages.manifest(config, List.of(layer));
    var put = region.http().putManifest(repository, tag, manifest, TestImages.OCI_MANIFEST);
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(201);
    return new Pushed(Digest.sha256Of(manifest), layerDigest);
  }

  /** Whether {@code region} has replayed the tag's event (read-through learns tags with the zero stamp; replay never). */
  private static boolean replayedTag(String region, String repository, String tag, Digest digest) {
    return fleet.agent(region).state().findTag(new RepositoryName(repository), new Tag(tag))
        .filter(t -> t.digest().equals(Optional.of(digest)))
        .filter(t -> !t.stamp().hlc().equals(HlcTimestamp.ZERO))
        .isPresent();
  }

  @Test
  void aFilteredNamespaceReachesTheOtherEuRegionButNeverTheExcludedOne() throws IOException {
    Pushed resident = push(westeu, "eu-only/app", "v1");
    CONVERGENCE.await(() -> assertThat(replayedTag("northeu", "eu-only/app", "v1", resident.manifest())).isTrue());
    CONVERGENCE.await(() -> assertThat(northeu.resolve("eu-only/app", "v1")).contains(resident.manifest()));
    assertThat(northeu.servesBlob("eu-only/app", resident.layer())).isTrue();

    // Pushed after the filtered image was everywhere it goes: once eastus replayed it, it replayed the other too.
    Pushed sentinel = push(westeu, "team/app", "v1");
    CONVERGENCE.await(() -> assertThat(replayedTag("eastus", "team/app", "v1", sentinel.manifest())).isTrue());
    CONVERGENCE.await(() -> assertThat(eastus.resolve("team/app", "v1")).contains(sentinel.manifest()));

    assertNothingOfTheFilteredImageIn("eastus", resident);
    // A pull there is an ordinary miss, and does not read through from the EU regions.
    assertThat(eastus.http().get("/v2/eu-only/app/manifests/v1", "Accept", TestImages.OCI_MANIFEST).statusCode()).isEqualTo(404);
    assertThat(eastus.http().get("/v2/eu-only/app/manifests/" + resident.manifest(), "Accept", TestImages.OCI_MANIFEST).statusCode())
        .isEqualTo(404);
    assertThat(eastus.http().get("/v2/eu-only/app/blobs/" + resident.layer()).statusCode()).isEqualTo(404);
    assertThat(eastus.http().get("/v2/eu-only/app/tags/list").statusCode()).isEqualTo(404);
    assertNothingOfTheFilteredImageIn("eastus", resident);

    // The fleet view: eastus is excluded, not pending; a barrier on every region returns at once.
    JsonNode status = JSON.readTree(westeu.http().get("/admin/v1/replication/status?repository=eu-only/app&reference=v1").body());
    Map<String, String> byRegion = new HashMap<>();
    status.path("regions").forEach(r -> byRegion.put(r.path("region").asText(), r.path("status").asText()));
    assertThat(byRegion).isEqualTo(Map.of("westeu", "complete", "northeu", "complete", "eastus", "excluded"));

    // Asked directly, eastus answers for itself by its own filter.
    JsonNode own = JSON.readTree(eastus.http().get("/admin/v1/region/manifest-status?repository=eu-only/app&reference=v1").body());
    assertThat(own.path("status").asText()).isEqualTo("excluded");

    var all = runCli("wait", "eu-only/app:v1", "--registry", registry("westeu"), "--regions", "all", "--timeout", "30s");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out()).contains("complete in westeu, northeu (excluded by topology filter: eastus)");
    var named = runCli("wait", "eu-only/app:v1", "--registry", registry("westeu"), "--regions", "eastus", "--timeout", "30s");
    assertThat(named.exitCode()).isEqualTo(2);
    assertThat(named.err()).contains("eastus excludes eu-only/app by its topology filter");
  }

  @Test
  void aPushOfTheFilteredNamespaceToTheExcludedRegionIsDenied() {
    Pushed ordinary = push(eastus, "team/denied-check", "v1");
    String message = "repository eu-only/pushed is not replicated to region eastus by its topology filter";

    var upload = eastus.http().send("POST", "/v2/eu-only/pushed/blobs/uploads/", BodyPublishers.noBody());
    assertThat(upload.statusCode()).as(RegistryHttp.describe(upload)).isEqualTo(403);
    assertThat(RegistryHttp.errorCodes(upload)).containsExactly("DENIED");
    assertThat(new String(upload.body(), StandardCharsets.UTF_8)).contains(message);

    var mount = eastus.http().send("POST", "/v2/eu-only/pushed/blobs/uploads/?mount=" + ordinary.layer() + "&from=team/denied-check",
        BodyPublishers.noBody());
    assertThat(mount.statusCode()).as(RegistryHttp.describe(mount)).isEqualTo(403);
    assertThat(RegistryHttp.errorCodes(mount)).containsExactly("DENIED");

    byte[] manifest = TestImages.manifest("{}".getBytes(StandardCharsets.UTF_8), List.of());
    var put = eastus.http().putManifest("eu-only/pushed", "v1", manifest, TestImages.OCI_MANIFEST);
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(403);
    assertThat(RegistryHttp.errorCodes(put)).containsExactly("DENIED");
    assertThat(new String(put.body(), StandardCharsets.UTF_8)).contains(message);

    assertThat(fleet.agent("eastus").state().repositoryExists(new RepositoryName("eu-only/pushed"))).isFalse();
    // The same push to an EU region is accepted.
    push(westeu, "eu-only/pushed", "v1");
  }

  @Test
  void aFilterChangedLiveWithTheCliKeepsANewlyPushedNamespaceOutOfThatRegionOnly() throws IOException {
    var update = runCli("replication", "update", "--region", "northeu", "--exclude", "secret/**", "--registry", registry("westeu"));
    assertThat(update.exitCode()).as(update.err()).isZero();
    assertThat(update.out()).contains("updated northeu", "include=** exclude=secret/**");
    // Every region follows the topic; northeu itself must have it before the push, or it would replay the image.
    CONVERGENCE.await(() -> {
      var shown = runCli("replication", "show", "--region", "northeu", "--registry", registry("northeu"), "--json");
      assertThat(JSON.readTree(shown.out()).path("repositories").path("exclude").get(0).asText()).isEqualTo("secret/**");
    });
    try {
      Pushed secret = push(westeu, "secret/app", "v1");
      Pushed sentinel = push(westeu, "team/after-filter", "v1");
      for (String region : List.of("northeu", "eastus")) {
        CONVERGENCE.await(() -> assertThat(replayedTag(region, "team/after-filter", "v1", sentinel.manifest())).isTrue());
      }
      // eastus (which excludes only eu-only/**) takes it; northeu, the region whose filter changed, never sees it.
      CONVERGENCE.await(() -> assertThat(eastus.resolve("secret/app", "v1")).contains(secret.manifest()));
      assertThat(replayedTag("eastus", "secret/app", "v1", secret.manifest())).isTrue();
      RegistryState north = fleet.agent("northeu").state();
      assertThat(north.repositoryExists(new RepositoryName("secret/app"))).isFalse();
      assertThat(north.findManifest(new RepositoryName("secret/app"), secret.manifest())).isEmpty();
      assertThat(Files.exists(new BlobPaths(fleet.config("northeu").blobsRoot()).blob(secret.layer()))).isFalse();
      JsonNode status = JSON.readTree(westeu.http().get("/admin/v1/replication/status?repository=secret/app&reference=v1").body());
      Map<String, String> byRegion = new HashMap<>();
      status.path("regions").forEach(r -> byRegion.put(r.path("region").asText(), r.path("status").asText()));
      assertThat(byRegion).isEqualTo(Map.of("westeu", "complete", "northeu", "excluded", "eastus", "complete"));
    } finally {
      runCli("replication", "update", "--region", "northeu", "--include", "**", "--registry", registry("westeu"));
    }
  }

  @Test
  void aTransferCostSetWithTheCliReachesEveryRegion() {
    var set = runCli("replication", "cost", "--from", "northeu", "--to", "eastus", "--cost", "7", "--registry", registry("westeu"));
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out()).containsPattern("northeu\\s+eastus\\s+7");
    try {
      CONVERGENCE.await(() -> assertThat(fleet.agent("eastus").replication().orElseThrow().topology().current()
          .cost(new RegionId("northeu"), new RegionId("eastus"))).isEqualTo(7));
      var listed = runCli("replication", "cost", "--registry", registry("eastus"));
      assertThat(listed.out()).containsPattern("northeu\\s+eastus\\s+7").containsPattern("westeu\\s+northeu\\s+1");
    } finally {
      runCli("replication", "cost", "--from", "northeu", "--to", "eastus", "--remove", "--registry", registry("westeu"));
    }
  }

  private static void assertNothingOfTheFilteredImageIn(String region, Pushed image) {
    RegistryState state = fleet.agent(region).state();
    RepositoryName repository = new RepositoryName("eu-only/app");
    assertThat(state.repositoryExists(repository)).as("repository in %s", region).isFalse();
    assertThat(state.findTag(repository, new Tag("v1"))).as("tag register in %s", region).isEmpty();
    assertThat(state.findManifest(repository, image.manifest())).as("manifest register in %s", region).isEmpty();
    assertThat(state.findBlobLink(repository, image.layer())).as("blob link in %s", region).isEmpty();
    assertThat(state.findTransfer(repository, image.manifest(), TransferJob.Kind.MANIFEST)).isEmpty();
    assertThat(state.findTransfer(repository, image.layer(), TransferJob.Kind.BLOB)).isEmpty();
    assertThat(state.findReplicas(repository, image.manifest())).isEmpty();
    assertThat(Files.exists(new BlobPaths(fleet.config(region).blobsRoot()).blob(image.layer())))
        .as("layer bytes on %s's disk", region).isFalse();
  }

  private static String registry(String region) {
    return "http://127.0.0.1:" + fleet.config(region).port();
  }

  private record CliResult(int exitCode, String out, String err) {}

  private static CliResult runCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliResult(code, out.toString(), err.toString());
  }
}
