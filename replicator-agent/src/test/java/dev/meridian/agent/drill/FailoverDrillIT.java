package dev.meridian.agent.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.FleetCredential;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meridian drill failover} against a whole local fleet in this process (embedded broker, two regions, the
 * front door). Before the drill the region is cut off and two images are pushed straight to it: they are what
 * the region acknowledged and the fleet had not received at cut-over, so the report must name exactly them. The
 * drain goes through the replicated topology: while the drill runs, every region reports the region out of routing.
 */
class FailoverDrillIT {
  /** Peers ask each other with the fleet credential: how a region answers a peer. */
  private static final String FLEET = FleetCredential.authorization(TestCredentials.FLEET_KEY);

  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  @TempDir Path dir;
  private LocalFleet fleet;
  private Path fleetFile;

  @AfterEach
  void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @Test
  void aDrillDrainsAndRestoresTheRegionWithoutClientErrorsAndReportsTheWritesItHadNotShipped() throws Exception {
    fleet = startFleet();
    RegionClient east = RegionClient.of(region(EAST));
    RegionClient west = RegionClient.of(region(WEST));
    var admin = new DrillHttp(Duration.ofSeconds(10), Optional.of(TestCredentials.authorization()));
    JsonNode isolated = admin.post(east.http().uri("/admin/v1/region/isolation?isolated=true").toString());
    assertThat(isolated.path("isolated").asBoolean()).isTrue();
    Digest first = push(east.http(), "team/app", "before-cutover-1", 1);
    Digest second = push(east.http(), "team/app", "before-cutover-2", 2);
    assertThat(east.http().send("HEAD", "/v2/team/app/manifests/before-cutover-1", BodyPublishers.noBody(),
        "Meridian-Internal", "no-read-through", "Authorization", FLEET).statusCode()).as("peers are refused, as a partition would").isEqualTo(503);
    assertThat(servedWithoutReadThrough(west, "team/app", "before-cutover-1")).isEmpty();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    CompletableFuture<Integer> drill = CompletableFuture.supplyAsync(() -> cli.execute("drill", "failover", "--region", "eastus",
        "--fleet", fleetFile.toString(), "--front-door", fleet.frontDoor().url(), "--json", "--duration", "6s",
        "--lag-threshold", "2s", "--catch-up-timeout", "60s"));

    // During the drill the drain is the replicated topology's: every region's view and `replication show` say so,
    // and the front door routes around it without a drain of its own.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(drill).isNotDone();
      assertThat(routingInRegions(west, EAST)).isFalse();
      assertThat(routingInRegions(east, EAST)).isFalse();
      assertThat(replicationShow(WEST, EAST).path("routingEnabled").asBoolean(true)).isFalse();
    });
    JsonNode atFrontDoor = admin.get(fleet.frontDoor().url() + "/admin/v1/frontdoor/regions/eastus");
    assertThat(atFrontDoor.path("routingEnabled").asBoolean(true)).isFalse();
    assertThat(atFrontDoor.path("drained").asBoolean(true)).isFalse();
    int exit = drill.get(2, TimeUnit.MINUTES);

    String context = "stdout:\n" + out + "\nstderr:\n" + err;
    assertThat(exit).as(context).isZero();
    assertThat(err.toString()).contains("drill: routing through the replicated topology");
    assertThat(replicationShow(WEST, EAST).path("routingEnabled").asBoolean(false)).isTrue();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(routingInRegions(west, EAST)).isTrue();
      assertThat(routingInRegions(east, EAST)).isTrue();
    });
    JsonNode report = AdminJson.parse(out.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(report.path("passed").asBoolean()).as(context).isTrue();
    assertThat(report.path("drained").asBoolean()).isTrue();
    assertThat(report.path("routingRestored").asBoolean()).isTrue();
    assertThat(report.path("lagAtRestoreSeconds").asDouble()).isLessThan(2.0);
    assertThat(report.path("catchUpSeconds").isNumber()).isTrue();
    assertThat(report.path("converged").asBoolean()).isTrue();
    assertThat(report.path("workload").path("clientErrors").asInt()).as(context).isZero();
    assertThat(report.path("workload").path("pushes").asInt()).isPositive();
    assertThat(report.path("workload").path("pulls").asInt()).isEqualTo(report.path("workload").path("pushes").asInt());
    // Two pushes by tag, nothing else written to eastus: per image at least a layer, a config, a manifest and a tag.
    assertThat(strings(report.path("rpo").path("references"))).containsExactly("team/app:before-cutover-1", "team/app:before-cutover-2");
    assertThat(report.path("rpo").path("count").asInt()).isEqualTo(2);
    assertThat(report.path("rpo").path("writes").asInt()).isGreaterThanOrEqualTo(8);
    assertThat(report.path("acknowledgedWhileOut").path("count").asInt()).isZero();
    assertThat(err.toString()).contains("drill: isolated eastus", "drill: cut over", "drill: reconnected eastus", "back in routing");

    // What was at risk reached the other region once eastus came back, and eastus gets traffic again.
    assertThat(servedWithoutReadThrough(west, "team/app", "before-cutover-1")).contains(first.toString());
    assertThat(servedWithoutReadThrough(west, "team/app", "before-cutover-2")).contains(second.toString());
    assertThat(fleet.frontDoor().overrides().drained(EAST)).isFalse();
    assertThat(region(EAST).replication().orElseThrow().isolated()).isFalse();
    // The workload went to westeurope only, so its writes reached eastus by replication.
    List<String> written = strings(report.path("workload").path("references"));
    assertThat(written).hasSize(report.path("workload").path("pushes").asInt());
    String last = written.get(written.size() - 1);
    int colon = last.lastIndexOf(':');
    assertThat(servedWithoutReadThrough(east, last.substring(0, colon), last.substring(colon + 1))).isPresent();
  }

  @Test
  void withRoutingViaTheFrontDoorOnlyThatFrontDoorDrainsTheRegionAndTheTopologyKeepsRoutingToIt() throws Exception {
    fleet = startFleet();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    CompletableFuture<Integer> drill = CompletableFuture.supplyAsync(() -> cli.execute("drill", "failover", "--region", "eastus",
        "--fleet", fleetFile.toString(), "--front-door", fleet.frontDoor().url(), "--routing-via", "front-door", "--json",
        "--duration", "4s", "--lag-threshold", "2s", "--catch-up-timeout", "60s"));

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      assertThat(drill).isNotDone();
      assertThat(fleet.frontDoor().overrides().drained(EAST)).isTrue();
    });
    assertThat(replicationShow(WEST, EAST).path("routingEnabled").asBoolean(false)).as("the topology is not touched").isTrue();
    int exit = drill.get(2, TimeUnit.MINUTES);

    String context = "stdout:\n" + out + "\nstderr:\n" + err;
    assertThat(exit).as(context).isZero();
    assertThat(err.toString()).contains("drill: routing through the front door at " + fleet.frontDoor().url() + " only");
    assertThat(AdminJson.parse(out.toString().getBytes(StandardCharsets.UTF_8)).path("routingRestored").asBoolean()).isTrue();
    assertThat(fleet.frontDoor().overrides().drained(EAST)).isFalse();
  }

  private LocalFleet startFleet() throws InterruptedException {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Path data = dir.resolve("fleet-" + attempt);
        LocalFleet started = LocalFleet.start(new LocalFleet.Settings(List.of(EAST, WEST), FreePort.pick(), FreePort.pick(), data),
            Duration.ofSeconds(60));
        fleetFile = data.resolve("fleet.yaml");
        return started;
      } catch (IllegalStateException e) {
        last = e; // a neighbouring port was taken: pick again
      }
    }
    throw last;
  }

  private RegionAgent region(RegionId id) {
    return fleet.agents().stream().filter(a -> a.config().region().equals(id)).findFirst().orElseThrow();
  }

  /** A one-layer image pushed by tag; returns its manifest digest. */
  private static Digest push(RegistryHttp http, String repository, String tag, long seed) {
    byte[] layer = new byte[2048];
    new Random(seed).nextBytes(layer);
    Digest layerDigest = http.pushBlob(repository, layer);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
    Digest configDigest = http.pushBlob(repository, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":"
        + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    var response = http.putManifest(repository, tag, manifest, MANIFEST_TYPE);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(201);
    return Digest.sha256Of(manifest);
  }

  private static Optional<String> servedWithoutReadThrough(RegionClient region, String repository, String tag) {
    var response = region.http().send("HEAD", "/v2/" + repository + "/manifests/" + tag, BodyPublishers.noBody(),
        "Accept", RegionClient.MANIFEST_ACCEPT, "Meridian-Internal", "no-read-through", "Authorization", FLEET);
    return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest") : Optional.empty();
  }

  /** The region's {@code routingEnabled} in {@code asked}'s {@code /admin/v1/regions}. */
  private static boolean routingInRegions(RegionClient asked, RegionId region) {
    JsonNode regions = new DrillHttp(Duration.ofSeconds(10), Optional.of(TestCredentials.authorization())).get(asked.http().uri("/admin/v1/regions").toString());
    for (JsonNode r : regions.path("regions")) {
      if (r.path("id").asText().equals(region.value())) return r.path("routingEnabled").asBoolean();
    }
    throw new AssertionError("no " + region + " in " + regions);
  }

  /** {@code meridian replication show --region REGION --json} asked of {@code asked}. */
  private JsonNode replicationShow(RegionId asked, RegionId region) {
    StringWriter out = new StringWriter();
    CommandLine cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int exit = cli.execute("replication", "show", "--region", region.value(), "--registry", region(asked).url(), "--json");
    assertThat(exit).as(out.toString()).isZero();
    return AdminJson.parse(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
