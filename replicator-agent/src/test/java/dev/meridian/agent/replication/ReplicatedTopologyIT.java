package dev.meridian.agent.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.CliRun;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet changes through the replicated topology on a real three-region fleet in one process (embedded KRaft
 * broker, {@link LocalFleet}), driven by {@code meridian replication ...}: every region and the front door
 * apply them without a restart.
 */
class ReplicatedTopologyIT {
  private static final Duration AWAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SEED = new AtomicInteger(7_000);

  @TempDir static Path dir;
  static LocalFleet fleet;

  @BeforeAll
  static void startFleet() throws Exception {
    int first = FreePort.consecutive(7); // front door, three regions, a spare, the broker and its controller
    fleet = LocalFleet.start(new LocalFleet.Settings(
        List.of(new RegionId("eastus"), new RegionId("westus"), new RegionId("centralus")), first + 1, first + 5, dir),
        Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @Test
  void routingDisabledAppliesInEveryRegionAndTheFrontDoorWhileTheRegionKeepsSyncing() throws Exception {
    // The front door sends new uploads to the first routable region: eastus.
    RegistryHttp door = new RegistryHttp(() -> URI.create(fleet.frontDoor().url()));
    await().atMost(AWAIT).untilAsserted(() -> assertThat(door.startUpload("team/routed")).contains("eastus~"));

    CliRun off = cli("replication", "update", "--region", "eastus", "--routing-enabled", "false", "--registry", west().url());
    assertThat(off.exitCode()).as(off.err()).isZero();
    assertThat(off.out()).contains("routingEnabled=false");
    try {
      for (RegionAgent agent : fleet.agents()) {
        await().atMost(AWAIT).untilAsserted(() -> assertThat(region(agent, "eastus").path("routingEnabled").asBoolean()).isFalse());
      }
      await().atMost(AWAIT).untilAsserted(() -> assertThat(door.startUpload("team/routed")).contains("westus~"));

      // eastus still replicates: an image pushed to westus reaches it.
      Digest pushed = pushImage(west(), "team/routing");
      await().atMost(AWAIT).untilAsserted(() -> assertThat(servesLocally(east(), "team/routing", pushed)).isTrue());
    } finally {
      assertThat(cli("replication", "update", "--region", "eastus", "--routing-enabled", "true", "--registry", east().url()).exitCode()).isZero();
    }
    Path audit = dir.resolve("regions").resolve("westus").resolve("audit.log");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(audit))
        .anySatisfy(line -> assertThat(line).contains("\"action\":\"replication.update\"").contains("\"reference\":\"eastus\"")));
  }

  @Test
  void aDisabledRegionNeitherFetchesNorIsAskedAndResumesWhenEnabled() throws Exception {
    CliRun off = cli("replication", "update", "--region", "centralus", "--enabled", "false", "--registry", east().url());
    assertThat(off.exitCode()).as(off.err()).isZero();
    RegionAgent central = fleet.agents().get(2);
    try {
      await().atMost(AWAIT).untilAsserted(() -> {
        assertThat(getJson(central, "/admin/v1/region").path("state").asText()).isEqualTo("disabled");
        assertThat(region(east(), "centralus").path("state").asText()).isEqualTo("disabled");
      });
      Digest pushed = pushImage(east(), "team/disabled");
      await().atMost(AWAIT).untilAsserted(() -> assertThat(servesLocally(west(), "team/disabled", pushed)).isTrue());
      assertThat(servesLocally(central, "team/disabled", pushed)).isFalse();
      // Not even a client's pull makes it fetch.
      assertThat(http(central).get("/v2/team/disabled/manifests/" + pushed, "Accept", TestImages.OCI_MANIFEST).statusCode()).isEqualTo(404);
      assertThat(servesLocally(central, "team/disabled", pushed)).isFalse();

      assertThat(cli("replication", "update", "--region", "centralus", "--enabled", "true", "--registry", east().url()).exitCode()).isZero();
      await().atMost(AWAIT).untilAsserted(() -> assertThat(servesLocally(central, "team/disabled", pushed)).isTrue());
      await().atMost(AWAIT).untilAsserted(() -> assertThat(getJson(central, "/admin/v1/region").path("state").asText()).isNotEqualTo("disabled"));
    } finally {
      cli("replication", "update", "--region", "centralus", "--enabled", "true", "--registry", east().url());
    }
  }

  @Test
  void aRegionCreatedFromTheCliJoinsServesNewImagesAndLeavesWhenDeleted() throws Exception {
    int port = FreePort.pick();
    String url = "http://127.0.0.1:" + port;
    CountDownLatch seeded = new CountDownLatch(1);
    AtomicReference<RegionBootstrap.Context> bootstrapped = new AtomicReference<>();
    RegionBootstrap bootstrap = context -> {
      bootstrapped.set(context);
      seeded.await(); // the joining region stays `creating` until its bootstrap (e.g. seeding) is done
    };
    // The fleet's key (the test fleet's, as an operator copies it): a region with another key could verify no event.
    AgentConfig joining = AgentConfig.joining(new RegionId("northeu"), AgentConfig.DEFAULT_BIND, port, dir.resolve("northeu"),
        fleet.kafkaBootstrap()).withSecurity(SecurityConfig.defaults().withFleetKey(TestCredentials.FLEET_KEY));
    try (RegionAgent north = RegionAgent.start(joining, bootstrap)) {
      // Not in the fleet yet: it says so, and is not ready.
      await().atMost(AWAIT).untilAsserted(() -> {
        assertThat(http(north).get("/readyz").statusCode()).isEqualTo(503);
        JsonNode self = getJson(north, "/admin/v1/region");
        assertThat(self.path("state").asText()).isEqualTo("creating");
        assertThat(self.path("reason").asText()).contains("replication create");
      });

      CliRun created = cli("replication", "create", "--region", "northeu", "--url", url, "--registry", east().url());
      assertThat(created.exitCode()).as(created.err()).isZero();
      assertThat(created.out()).contains("created northeu " + url);
      CliRun again = cli("replication", "create", "--region", "northeu", "--url", "http://127.0.0.1:1", "--registry", west().url());
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("region northeu already exists");

      await().atMost(AWAIT).untilAsserted(() -> {
        JsonNode self = getJson(north, "/admin/v1/region");
        assertThat(self.path("state").asText()).isEqualTo("creating");
        assertThat(self.path("reason").asText()).isEqualTo("joining the fleet");
      });
      assertThat(bootstrapped.get().fleet().regions()).extracting(r -> r.id().value())
          .containsExactly("eastus", "westus", "centralus", "northeu");
      assertThat(north.replication().orElseThrow().replaying()).as("no replay before the bootstrap is done").isFalse();
      seeded.countDown();

      await().atMost(AWAIT).untilAsserted(() -> {
        assertThat(http(north).get("/readyz").statusCode()).isEqualTo(200);
        assertThat(ids(getJson(west(), "/admin/v1/regions"))).contains("northeu");
        assertThat(region(west(), "northeu").path("state").asText()).isIn("ready", "syncing");
      });
      CliRun list = cli("replication", "list", "--registry", north.url(), "--json");
      assertThat(list.exitCode()).as(list.err()).isZero();
      assertThat(JSON.readTree(list.out()).path("replications").findValuesAsText("id")).containsExactly("eastus", "westus", "centralus", "northeu");

      Digest joined = pushImage(east(), "team/joined");
      await().atMost(AWAIT).untilAsserted(() -> assertThat(servesLocally(north, "team/joined", joined)).isTrue());

      CliRun deleted = cli("replication", "delete", "--region", "northeu", "--registry", west().url());
      assertThat(deleted.exitCode()).as(deleted.err()).isZero();
      for (RegionAgent agent : fleet.agents()) {
        await().atMost(AWAIT).untilAsserted(() -> assertThat(ids(getJson(agent, "/admin/v1/regions"))).doesNotContain("northeu"));
      }
      await().atMost(AWAIT).untilAsserted(() -> assertThat(north.replication().orElseThrow().membership()).isEqualTo(RegionMembership.DELETED));
      Digest after = pushImage(east(), "team/after-delete");
      await().atMost(AWAIT).untilAsserted(() -> assertThat(servesLocally(west(), "team/after-delete", after)).isTrue());
      assertThat(servesLocally(north, "team/after-delete", after)).isFalse();
      assertThat(servesLocally(north, "team/joined", joined)).as("its data is left alone").isTrue();

      CliRun gone = cli("replication", "show", "--region", "northeu", "--registry", east().url());
      assertThat(gone.exitCode()).isEqualTo(1);
      assertThat(gone.err()).contains("region northeu is not in the fleet");
    }
  }

  @Test
  void modeUpdatesApplyAtTheNextPush() {
    RegistryHttp westHttp = http(west());
    assertThat(cli("replication", "update", "--region", "westus", "--mode", "read-only", "--registry", east().url()).exitCode()).isZero();
    try {
      await().atMost(AWAIT).untilAsserted(() -> assertThat(
          westHttp.send("POST", "/v2/team/ro/blobs/uploads/", BodyPublishers.noBody()).statusCode()).isEqualTo(403));
    } finally {
      assertThat(cli("replication", "update", "--region", "westus", "--mode", "read-write", "--registry", east().url()).exitCode()).isZero();
    }
    await().atMost(AWAIT).untilAsserted(() -> assertThat(
        westHttp.send("POST", "/v2/team/ro/blobs/uploads/", BodyPublishers.noBody()).statusCode()).isEqualTo(202));
  }

  @Test
  void mistakesAreClearAndChangeNothing() {
    CliRun unknown = cli("replication", "update", "--region", "mars", "--routing-enabled", "false", "--registry", east().url());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("region mars is not in the fleet");

    CliRun badUrl = cli("replication", "create", "--region", "mars", "--url", "ftp://127.0.0.1:21", "--registry", east().url());
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err()).contains("must be http:// or https://");

    CliRun nothing = cli("replication", "update", "--region", "eastus", "--registry", east().url());
    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).contains("nothing to change");

    CliRun list = cli("replication", "list", "--registry", east().url());
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).startsWith("REGION").contains("eastus").doesNotContain("mars");

    // The admin API checks a filter with the same glob rules as the fleet file, and a cost's regions and range.
    var badGlob = http(east()).send("PATCH", "/admin/v1/replications/eastus",
        BodyPublishers.ofString("{\"repositories\":{\"exclude\":[\"team/***\"]}}"), "Content-Type", "application/json");
    assertThat(badGlob.statusCode()).as(RegistryHttp.describe(badGlob)).isEqualTo(400);
    assertThat(new String(badGlob.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("pattern 'team/***' has '***'");
    var emptyInclude = http(east()).send("PATCH", "/admin/v1/replications/eastus",
        BodyPublishers.ofString("{\"repositories\":{\"include\":[]}}"), "Content-Type", "application/json");
    assertThat(emptyInclude.statusCode()).isEqualTo(400);
    var unknownCost = http(east()).send("PUT", "/admin/v1/costs",
        BodyPublishers.ofString("{\"from\":\"eastus\",\"to\":\"mars\",\"cost\":3}"), "Content-Type", "application/json");
    assertThat(unknownCost.statusCode()).isEqualTo(404);
    var notANumber = http(east()).send("PUT", "/admin/v1/costs",
        BodyPublishers.ofString("{\"from\":\"eastus\",\"to\":\"westus\",\"cost\":\"cheap\"}"), "Content-Type", "application/json");
    assertThat(notANumber.statusCode()).isEqualTo(400);
    CliRun shown = cli("replication", "show", "--region", "eastus", "--registry", east().url());
    assertThat(shown.out()).as("the filter is unchanged").doesNotContain("exclude=");
  }

  // ---- helpers

  private static RegionAgent east() {
    return fleet.agents().get(0);
  }

  private static RegionAgent west() {
    return fleet.agents().get(1);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  private static RegistryHttp http(RegionAgent agent) {
    return new RegistryHttp(() -> URI.create(agent.url()));
  }

  private static JsonNode getJson(RegionAgent agent, String path) throws Exception {
    var response = http(agent).get(path);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode region(RegionAgent asked, String id) throws Exception {
    for (JsonNode r : getJson(asked, "/admin/v1/regions").path("regions")) {
      if (r.path("id").asText().equals(id)) return r;
    }
    throw new AssertionError(id + " is not in " + asked.config().region() + "'s /admin/v1/regions");
  }

  private static List<String> ids(JsonNode regions) {
    return regions.path("regions").findValuesAsText("id");
  }

  /** Pushes a small image (a config and one layer) to {@code agent}; returns the manifest's digest. */
  private static Digest pushImage(RegionAgent agent, String repository) {
    RegistryHttp http = http(agent);
    byte[] config = ("{\"seed\":" + SEED.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = TestImages.randomBytes(SEED.incrementAndGet(), 100_000);
    http.pushBlob(repository, config);
    http.pushBlob(repository, layer);
    byte[] manifest = TestImages.manifest(config, List.of(layer));
    var put = http.putManifest(repository, "v1", manifest, TestImages.OCI_MANIFEST);
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(201);
    return Digest.sha256Of(manifest);
  }

  /** Whether the region serves the manifest from its own content (a peer's request: no read-through). */
  private static boolean servesLocally(RegionAgent agent, String repository, Digest digest) {
    return http(agent).head("/v2/" + repository + "/manifests/" + digest, "Meridian-Internal", "no-read-through",
        "Accept", TestImages.OCI_MANIFEST).statusCode() == 200;
  }
}
