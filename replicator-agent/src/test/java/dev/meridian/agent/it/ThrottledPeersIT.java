package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.embedded.EmbeddedKafkaBroker;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.ClientLimits;
import dev.meridian.agent.security.SecurityConfig;
import dev.meridian.agent.transfer.TransferConfig;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.topology.Region;
import dev.meridian.topology.RegionMode;
import dev.meridian.topology.Topology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two regions with a strict per-client rate limit (1 request/s, bursts of 2) and no exemption: the other region's
 * transfers are throttled with 429 like any client, back off, and still complete, so a limit slows replication
 * and never fails it.
 */
class ThrottledPeersIT {
  private static final Path RUN_DIR = Path.of("target", "it-runs", "ThrottledPeersIT").toAbsolutePath();
  private static final String REPO = "throttled/app";
  /** 429s to GETs: the test only POSTs and PUTs, so these were b's transfers. */
  private static final Pattern THROTTLED = Pattern.compile(
      "(?m)^meridian_http_requests_seconds_count\\{(?=.*method=\"GET\")(?=.*status=\"429\").*} (\\d+)$");

  private static EmbeddedKafkaBroker broker;
  private static final List<RegionAgent> agents = new ArrayList<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startTwoThrottledRegions() {
    Agents.deleteRecursively(RUN_DIR);
    int kafkaPort = FreePort.consecutive(2);
    broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Settings(RUN_DIR.resolve("kafka"), kafkaPort, kafkaPort + 1, true));
    int portA = FreePort.pick();
    int portB = FreePort.pick();
    Topology fleet = new Topology(broker.bootstrapServers(), 2, (short) 1, List.of(
        new Region(new RegionId("a"), URI.create("http://127.0.0.1:" + portA), true, RegionMode.READ_WRITE),
        new Region(new RegionId("b"), URI.create("http://127.0.0.1:" + portB), true, RegionMode.READ_WRITE)));
    SecurityConfig security = SecurityConfig.defaults().withLimits(ClientLimits.defaults().withRate(1, 2))
        .withFleetKey(TestCredentials.FLEET_KEY);
    TransferConfig transfers = TransferConfig.builder()
        .retryAttempts(2)
        .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .jobBackoff(Duration.ofMillis(300), Duration.ofSeconds(2))
        .breaker(50, 5, 10, Duration.ofSeconds(2))
        .scanInterval(Duration.ofSeconds(1))
        .build();
    for (Region region : fleet.regions()) {
      agents.add(RegionAgent.start(new AgentConfig(region.id(), AgentConfig.DEFAULT_BIND, region.url().getPort(),
          RUN_DIR.resolve("regions").resolve(region.id().value()), Optional.of(fleet), transfers).withSecurity(security)));
    }
  }

  @AfterAll
  static void stop() {
    agents.forEach(RegionAgent::close);
    if (broker != null) broker.close();
  }

  @Test
  void aThrottledPeerStillReplicatesEverything() throws Exception {
    RegionAgent a = agents.get(0);
    RegionAgent b = agents.get(1);
    List<byte[]> blobs = new ArrayList<>();
    blobs.add("{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8));
    Random random = new Random(42);
    for (int i = 0; i < 5; i++) {
      byte[] layer = new byte[50_000 + i];
      random.nextBytes(layer);
      blobs.add(layer);
    }
    for (byte[] blob : blobs) {
      String location = untilAdmitted(a, HttpRequest.newBuilder(uri(a, "/v2/" + REPO + "/blobs/uploads/"))
          .POST(HttpRequest.BodyPublishers.noBody())).headers().firstValue("Location").orElseThrow();
      var done = untilAdmitted(a, HttpRequest.newBuilder(uri(a, location + "?digest=" + Digest.sha256Of(blob)))
          .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
      assertThat(done.statusCode()).isEqualTo(201);
    }
    StringBuilder layers = new StringBuilder();
    for (byte[] layer : blobs.subList(1, blobs.size())) {
      if (layers.length() > 0) layers.append(',');
      layers.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"%s\",\"size\":%d}"
          .formatted(Digest.sha256Of(layer), layer.length));
    }
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\",\"size\":%d},\"layers\":[%s]}")
        .formatted(Digest.sha256Of(blobs.get(0)), blobs.get(0).length, layers).getBytes(StandardCharsets.UTF_8);
    var put = untilAdmitted(a, HttpRequest.newBuilder(uri(a, "/v2/" + REPO + "/manifests/v1"))
        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json").PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    assertThat(put.statusCode()).isEqualTo(201);

    // b copies the manifest and six blobs from a, well over a's burst, through 429s, and completes.
    await("b serves the image").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
        assertThat(Digest.sha256Of(b.service().getManifest(new RepositoryName(REPO), Reference.parse("v1"), true).bytes()))
            .isEqualTo(Digest.sha256Of(manifest)));
    assertThat(b.service().statBlob(new RepositoryName(REPO), Digest.sha256Of(blobs.get(5))).size()).isEqualTo(blobs.get(5).length);

    String metrics = new String(untilAdmitted(a, HttpRequest.newBuilder(uri(a, "/metrics")).GET()).body(), StandardCharsets.UTF_8);
    long throttled = 0;
    for (Matcher m = THROTTLED.matcher(metrics); m.find(); ) throttled += Long.parseLong(m.group(1));
    java.nio.file.Files.writeString(RUN_DIR.resolve("metrics-a.txt"), metrics);
    assertThat(throttled).as("GETs a answered 429 (b's transfers), metrics in %s", RUN_DIR).isPositive();
  }

  /** Sends until the answer is not 429, as a client honouring Retry-After would. */
  private HttpResponse<byte[]> untilAdmitted(RegionAgent region, HttpRequest.Builder request) {
    AtomicReference<HttpResponse<byte[]>> answer = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(350)).until(() -> {
      answer.set(client.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", TestCredentials.authorization()).build(),
          HttpResponse.BodyHandlers.ofByteArray()));
      return answer.get().statusCode() != 429;
    });
    return answer.get();
  }

  private static URI uri(RegionAgent region, String pathOrLocation) {
    return pathOrLocation.startsWith("http") ? URI.create(pathOrLocation) : URI.create(region.url() + pathOrLocation);
  }
}
