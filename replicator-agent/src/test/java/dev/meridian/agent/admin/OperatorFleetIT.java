package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.cli.MeridianCommand;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator surface on a real two-region fleet in one process (embedded KRaft broker): status, the
 * replication status of an image, {@code meridian wait} as a write barrier, {@code /metrics} and the audit log.
 */
class OperatorFleetIT {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger SEED = new AtomicInteger(1);

  @TempDir static Path dir;
  static LocalFleet fleet;

  @BeforeAll
  static void startFleet() throws Exception {
    int[] ports = consecutiveFreePorts(4);
    fleet = LocalFleet.start(new LocalFleet.Settings(List.of(EAST, WEST), ports[0], ports[2], dir), Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @Test
  void regionsListsEveryRegionAsReadyOnceTheFleetIsIdle() throws IOException {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode regions = getJson(east(), "/admin/v1/regions").path("regions");
      assertThat(regions).hasSize(2);
      assertThat(regions.findValuesAsText("id")).containsExactly("eastus", "westus");
      assertThat(regions.findValuesAsText("state")).containsOnly("ready");
      assertThat(regions.get(1).path("url").asText()).isEqualTo(west().url());
    });
    JsonNode self = getJson(west(), "/admin/v1/region");
    assertThat(self.path("id").asText()).isEqualTo("westus");
    assertThat(self.path("routingEnabled").asBoolean()).isTrue();
  }

  @Test
  void waitReturnsOnlyOnceTheImageIsPullableInEveryRegion() throws Exception {
    RegistryHttp eastHttp = http(east());
    RegistryHttp westHttp = http(west());
    String repository = "team/barrier";
    byte[] config = ("{\"seed\":" + SEED.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    List<byte[]> layers = List.of(TestImages.randomBytes(SEED.incrementAndGet(), 3 * 1024 * 1024),
        TestImages.randomBytes(SEED.incrementAndGet(), 200_000));
    eastHttp.pushBlob(repository, config);
    layers.forEach(layer -> eastHttp.pushBlob(repository, layer));

    // Blobs alone are no image: absent everywhere until the manifest is acknowledged.
    assertThat(statuses(east(), repository, "v1")).isEqualTo(Map.of("eastus", "absent", "westus", "absent"));

    byte[] manifest = TestImages.manifest(config, layers);
    var put = eastHttp.putManifest(repository, "v1", manifest, TestImages.OCI_MANIFEST);
    assertThat(put.statusCode()).as(RegistryHttp.describe(put)).isEqualTo(201);
    assertThat(statuses(east(), repository, "v1").get("eastus")).isEqualTo("complete");
    assertThat(statuses(east(), repository, "v1").get("westus")).isIn("absent", "pending", "complete");

    var result = runCli("wait", repository + ":v1", "--registry", east().url(), "--regions", "all", "--timeout", "90s", "--interval", "100ms");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("complete in eastus, westus");

    // Pullable in the second region at once: the manifest by tag and every blob it references.
    var pulled = westHttp.get("/v2/" + repository + "/manifests/v1", "Accept", TestImages.OCI_MANIFEST);
    assertThat(pulled.statusCode()).isEqualTo(200);
    assertThat(pulled.body()).isEqualTo(manifest);
    List<byte[]> blobs = new ArrayList<>(layers);
    blobs.add(config);
    for (byte[] blob : blobs) {
      var got = westHttp.get("/v2/" + repository + "/blobs/" + Digest.sha256Of(blob));
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(blob);
    }
    Digest digest = Digest.sha256Of(manifest);
    assertThat(statuses(west(), repository, digest.toString())).isEqualTo(
        Map.of("eastus", "complete", "westus", "complete"));
    assertThat(getJson(east(), "/admin/v1/replication/status?repository=" + repository + "&reference=v1")
        .path("digest").asText()).isEqualTo(digest.toString());

    // The write is in the origin's audit log, once, after its commit.
    Path audit = dir.resolve("regions").resolve("eastus").resolve("audit.log");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readAllLines(audit))
        .filteredOn(l -> l.contains("\"action\":\"manifest.put\"") && l.contains(digest.toString()))
        .singleElement().satisfies(line -> {
          JsonNode entry = JSON.readTree(line);
          assertThat(entry.path("region").asText()).isEqualTo("eastus");
          assertThat(entry.path("who").asText()).isEqualTo("127.0.0.1");
          assertThat(entry.path("repository").asText()).isEqualTo(repository);
          assertThat(entry.path("reference").asText()).isEqualTo("v1");
        }));
  }

  @Test
  void waitTimesOutNamingEachRegionThatLacksTheImage() {
    var all = runCli("wait", "team/never:v1", "--registry", east().url(), "--regions", "all", "--timeout", "300ms");
    assertThat(all.exitCode()).isEqualTo(1);
    assertThat(all.err()).contains("timed out").contains("eastus absent").contains("westus absent");

    var one = runCli("wait", "team/never:v1", "--registry", east().url(), "--regions", "westus", "--timeout", "200ms");
    assertThat(one.exitCode()).isEqualTo(1);
    assertThat(one.err()).contains("westus absent").doesNotContain("eastus");

    var unknown = runCli("wait", "team/never:v1", "--registry", east().url(), "--regions", "mars", "--timeout", "5s");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("mars");
  }

  @Test
  void statusPrintsTheFleetAsATableAndAsJson() {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var table = runCli("status", "--registry", west().url());
      assertThat(table.exitCode()).as(table.err()).isZero();
      assertThat(table.out().lines().toList()).hasSize(3);
      assertThat(table.out()).startsWith("REGION").contains("eastus").contains("westus").contains("ready");
    });
    var json = runCli("status", "--registry", west().url(), "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(AdminJson.parseRegions(AdminJson.parse(json.out().getBytes(StandardCharsets.UTF_8)))).hasSize(2);
  }

  @Test
  void metricsArePrometheusTextAndCountReplicatedWork() throws Exception {
    String before = scrape(west());
    assertThat(before).contains("# TYPE").contains("jvm_memory_used_bytes").contains("meridian_transfers_pending")
        .contains("jvm_compilation_time_ms_total");
    double applied = sum(before, "meridian_events_applied_total", "type=\"manifest.put\"");
    double fetched = sum(before, "meridian_blob_transfer_seconds_count", "outcome=\"success\"");
    double bytes = sum(before, "meridian_blob_transferred_bytes_total", "source=\"eastus\"");

    RegistryHttp eastHttp = http(east());
    String repository = "team/metered";
    byte[] config = ("{\"metered\":" + SEED.incrementAndGet() + "}").getBytes(StandardCharsets.UTF_8);
    byte[] layer = TestImages.randomBytes(SEED.incrementAndGet(), 500_000);
    eastHttp.pushBlob(repository, config);
    eastHttp.pushBlob(repository, layer);
    byte[] manifest = TestImages.manifest(config, List.of(layer));
    assertThat(eastHttp.putManifest(repository, "v1", manifest, TestImages.OCI_MANIFEST).statusCode()).isEqualTo(201);
    var waited = runCli("wait", repository + "@" + Digest.sha256Of(manifest), "--registry", east().url(), "--regions", "westus", "--timeout", "90s");
    assertThat(waited.exitCode()).as(waited.err()).isZero();
    // A pull in westus, so its request timer has a blob route of its own (not one left by another test).
    assertThat(http(west()).get("/v2/" + repository + "/blobs/" + Digest.sha256Of(layer)).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String after = scrape(west());
      assertThat(sum(after, "meridian_events_applied_total", "type=\"manifest.put\"")).isGreaterThan(applied);
      assertThat(sum(after, "meridian_blob_transfer_seconds_count", "outcome=\"success\"")).isGreaterThan(fetched);
      assertThat(sum(after, "meridian_blob_transferred_bytes_total", "source=\"eastus\"")).isGreaterThanOrEqualTo(bytes + layer.length);
      assertThat(sum(after, "meridian_replication_lag_seconds_count", "origin=\"eastus\"")).isPositive();
      assertThat(after).contains("meridian_http_requests_seconds_count{method=\"GET\",region=\"westus\",route=\"/v2/{name}/blobs/{digest}\"");
    });
    assertThat(scrape(east())).contains("route=\"/v2/{name}/manifests/{reference}\"").contains("status=\"201\"")
        .doesNotContain(repository);
  }

  // ---- helpers

  private static RegionAgent east() {
    return fleet.agents().get(0);
  }

  private static RegionAgent west() {
    return fleet.agents().get(1);
  }

  private static RegistryHttp http(RegionAgent agent) {
    return new RegistryHttp(() -> URI.create(agent.url()));
  }

  private static JsonNode getJson(RegionAgent agent, String path) throws IOException {
    var response = http(agent).get(path);
    assertThat(response.statusCode()).as(RegistryHttp.describe(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(response.body());
  }

  private static Map<String, String> statuses(RegionAgent asked, String repository, String reference) throws IOException {
    JsonNode report = getJson(asked, "/admin/v1/replication/status?repository=" + repository + "&reference=" + reference);
    Map<String, String> statuses = new java.util.TreeMap<>();
    report.path("regions").forEach(r -> statuses.put(r.path("region").asText(), r.path("status").asText()));
    return statuses;
  }

  private static String scrape(RegionAgent agent) {
    var response = http(agent).get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** The sum of a series' samples whose labels contain {@code label}; 0 when there is none yet. */
  private static double sum(String scrape, String series, String label) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE).matcher(scrape);
    double total = 0;
    while (m.find()) {
      if (m.group(1).contains(label)) total += Double.parseDouble(m.group(2));
    }
    return total;
  }

  record CliResult(int exitCode, String out, String err) {}

  private static CliResult runCli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = MeridianCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliResult(code, out.toString(), err.toString());
  }

  /** {@code n} consecutive free loopback ports (LocalFleet puts region i on base + i, the broker on two more). */
  private static int[] consecutiveFreePorts(int n) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < n; i++) held.add(new ServerSocket(base + i, 1, InetAddress.getLoopbackAddress()));
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) ports[i] = base + i;
        return ports;
      } catch (IOException taken) {
        // try another base
      } finally {
        for (ServerSocket s : held) s.close();
      }
    }
    throw new IOException("no " + n + " consecutive free ports");
  }
}
