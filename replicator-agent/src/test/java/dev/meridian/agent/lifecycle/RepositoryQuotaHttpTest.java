package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.it.support.RegistryHttp.describe;
import static dev.meridian.agent.it.support.RegistryHttp.errorCodes;
import static dev.meridian.agent.it.support.RegistryHttp.location;
import static dev.meridian.agent.it.support.RegistryHttp.withDigest;
import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.AgentConfig;
import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.registry.TestImages;
import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repository quotas as a client sees them: real agent, real sockets, the OCI error body of a refused upload. */
class RepositoryQuotaHttpTest {
  private static final long QUOTA = 10_000;

  @TempDir Path dir;
  private RegionAgent agent;
  private RegistryHttp http;
  private final byte[] config = randomBytes(1, 100);
  private final byte[] layer = randomBytes(2, 6000);

  @BeforeEach
  void startWithAQuotaOnTeamARepositories() {
    QuotaPolicy quotas = new QuotaPolicy(Optional.empty(), Map.of(), List.of(QuotaPolicy.parseRepository("team-a/*=" + QUOTA)));
    agent = RegionAgent.start(new AgentConfig(new RegionId("eastus"), "127.0.0.1", 0, dir)
        .withLifecycle(LifecycleConfig.defaults().withQuota(quotas)));
    http = new RegistryHttp(() -> URI.create(agent.url()));
    push("team-a/app", "v1", config, layer);
  }

  @AfterEach
  void stop() {
    if (agent != null) agent.close();
  }

  private void push(String repository, String tag, byte[] config, byte[] layer) {
    http.pushBlob(repository, config);
    http.pushBlob(repository, layer);
    HttpResponse<byte[]> put = http.putManifest(repository, tag, TestImages.manifest(config, List.of(layer)), TestImages.OCI_MANIFEST);
    assertThat(put.statusCode()).as(describe(put)).isEqualTo(201);
  }

  private static void assertDenied(HttpResponse<byte[]> response, String... details) {
    assertThat(response.statusCode()).as(describe(response)).isEqualTo(403);
    assertThat(errorCodes(response)).containsExactly("DENIED");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("storage quota of the repository team-a/app")
        .contains(details);
  }

  @Test
  void anUploadBeyondTheRepositoryQuotaIsRefusedWithTheOciErrorWhileOtherRepositoriesStillAcceptPushes() {
    byte[] big = randomBytes(3, 5000);
    assertDenied(http.send("POST", "/v2/team-a/app/blobs/uploads/?digest=" + digest(big), BodyPublishers.ofByteArray(big)),
        "exceeded", "of " + QUOTA, "would hold 5000");

    push("team-a/web", "v1", randomBytes(4, 100), randomBytes(5, 6000)); // the glob gives each repository its own
    push("team-b/app", "v1", randomBytes(6, 100), randomBytes(7, 50_000)); // no quota at all
    assertThat(http.get("/v2/team-a/app/manifests/v1").statusCode()).isEqualTo(200);
  }

  @Test
  void aChunkThatWouldPassTheQuotaIsRefusedAndTheSessionKeepsWhatItHeld() {
    byte[] blob = randomBytes(8, 3000);
    String session = http.startUpload("team-a/app");
    HttpResponse<byte[]> first = http.send("PATCH", session, BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 0, 2000)),
        "Content-Range", "0-1999", "Content-Type", "application/octet-stream");
    assertThat(first.statusCode()).as(describe(first)).isEqualTo(202);
    session = location(first);
    byte[] tooMuch = randomBytes(9, 2500);

    assertDenied(http.send("PATCH", session, BodyPublishers.ofByteArray(tooMuch), "Content-Range", "2000-4499",
        "Content-Type", "application/octet-stream"), "exceeded", "would hold 4500");

    HttpResponse<byte[]> status = http.get(session);
    assertThat(status.statusCode()).as(describe(status)).isEqualTo(204);
    assertThat(status.headers().firstValue("Range")).contains("0-1999");
    HttpResponse<byte[]> rest = http.send("PUT", withDigest(session, digest(blob)),
        BodyPublishers.ofByteArray(Arrays.copyOfRange(blob, 2000, 3000)), "Content-Range", "2000-2999",
        "Content-Type", "application/octet-stream");
    assertThat(rest.statusCode()).as(describe(rest)).isEqualTo(201);
    assertThat(http.get("/v2/team-a/app/blobs/" + digest(blob)).body()).isEqualTo(blob);
  }

  @Test
  void aManifestPushBeyondTheRepositoryQuotaIsRefusedThoughEachOfItsUploadsFitted() {
    byte[] otherLayer = randomBytes(10, 3000);
    http.pushBlob("team-a/app", otherLayer);
    byte[] nextConfig = randomBytes(13, 1000);
    http.pushBlob("team-a/app", nextConfig);
    assertDenied(http.putManifest("team-a/app", "v2", TestImages.manifest(nextConfig, List.of(layer, otherLayer)),
        TestImages.OCI_MANIFEST), "exceeded", "of " + QUOTA);
    assertThat(http.get("/v2/team-a/app/manifests/v2").statusCode()).isEqualTo(404);
  }
}
