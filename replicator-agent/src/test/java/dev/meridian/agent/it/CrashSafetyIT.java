package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.it.support.AgentProcess;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.LayerSpec;
import dev.meridian.agent.it.support.OciLayout;
import dev.meridian.agent.it.support.OciLayoutWriter;
import dev.meridian.agent.it.support.PausingBodyPublisher;
import dev.meridian.agent.it.support.Platform;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.SeededBytes;
import dev.meridian.agent.it.support.Skopeo;
import dev.meridian.agent.it.support.WrittenImage;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 at the worst moments: what the agent acknowledged survives intact, and what it had not finished
 * never becomes visible.
 */
class CrashSafetyIT {
  private static final String REPO = "team-a/crash";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final Agents agents = new Agents();

  @Test
  void killDuringALargeUploadLeavesNoBlobAndKeepsEarlierImagesIntact() throws IOException {
    AgentProcess agent = agents.start("eu-west");
    var skopeo = new Skopeo(agent.hostPort());
    var layout = new OciLayoutWriter(agents.scratch("source"));
    WrittenImage acked = layout.image("v1", Platform.LINUX_AMD64,
        List.of(LayerSpec.gzip(41, 2 << 20), LayerSpec.gzip(42, 100_000), LayerSpec.plain(43, 10_000)));
    skopeo.copy(Skopeo.oci(layout.root(), "v1"), skopeo.ref(REPO + ":v1"), false);
    var http = RegistryHttp.of(agent);
    var body = new PausingBodyPublisher(44, 256L << 20, 96L << 20);
    Digest large = body.digest();

    var upload = http.sendAsync("PUT", RegistryHttp.withDigest(http.startUpload(REPO), large), body,
        "Content-Type", "application/octet-stream");
    await("upload paused half-way").atMost(Duration.ofMinutes(2)).until(body::isPaused);
    agent.kill9();
    body.release();
    assertThat(upload).as("the interrupted upload got no answer").failsWithin(Duration.ofMinutes(1));
    agent.restart();

    var head = http.head("/v2/" + REPO + "/blobs/" + large);
    assertThat(head.statusCode()).as(RegistryHttp.describe(head)).isEqualTo(404);
    assertThat(filesNamedAfter(agent.dataDir(), large)).as("files named after the unfinished blob").isEmpty();
    assertThat(skopeo.inspectRaw(skopeo.ref(REPO + ":v1"))).isEqualTo(acked.manifestBytes());
    Path pulled = agents.scratch("pulled");
    skopeo.copy(skopeo.ref(REPO + ":v1"), Skopeo.oci(pulled, "v1"), false);
    var expected = new ArrayList<>(acked.blobDigests());
    expected.add(acked.manifestDigest());
    assertThat(new OciLayout(pulled).claimedToActualDigests()).containsOnlyKeys(expected)
        .allSatisfy((claimed, actual) -> assertThat(actual).isEqualTo(claimed));
  }

  @Test
  void killDuringConcurrentManifestPutsKeepsEveryAcknowledgedTagWhole() throws Exception {
    AgentProcess agent = agents.start("eu-west");
    var http = RegistryHttp.of(agent);
    byte[] config = OciLayoutWriter.json(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", List.of())));
    Digest configDigest = http.pushBlob(REPO, config);
    byte[] sharedLayer = SeededBytes.of(50, 200_000);
    Digest sharedDigest = http.pushBlob(REPO, sharedLayer);
    var pusher = new ManifestPusher(http, configDigest, config.length, sharedDigest, sharedLayer.length);

    ExecutorService workers = Executors.newFixedThreadPool(4);
    for (int w = 0; w < 4; w++) {
      int worker = w;
      workers.execute(() -> pusher.pushUntilKilled(worker));
    }
    try {
      await("tags acknowledged before the kill").atMost(Duration.ofMinutes(3))
          .failFast("a push failed before the kill", () -> !pusher.errors.isEmpty())
          .until(() -> pusher.acked.size() >= 30);
      pusher.killed = true;
      agent.kill9();
    } finally {
      pusher.killed = true;
      workers.shutdown();
      assertThat(workers.awaitTermination(2, TimeUnit.MINUTES)).as("workers stopped").isTrue();
    }
    assertThat(pusher.errors).as("errors before the kill").isEmpty();
    agent.restart();

    for (ManifestPusher.Acked acked : pusher.acked) {
      var byTag = http.get("/v2/" + REPO + "/manifests/" + acked.tag(), "Accept", MediaType.OCI_MANIFEST.value());
      assertThat(byTag.statusCode()).as(RegistryHttp.describe(byTag)).isEqualTo(200);
      assertThat(Digest.sha256Of(byTag.body())).as("manifest of tag %s", acked.tag()).isEqualTo(acked.digest());
      for (Digest blob : acked.blobs()) assertBlobPresent(http, blob);
    }
    // Tags whose PUT never got its answer may exist or not, but a tag that exists must be complete.
    var tags = http.get("/v2/" + REPO + "/tags/list");
    assertThat(tags.statusCode()).as(RegistryHttp.describe(tags)).isEqualTo(200);
    for (JsonNode tag : JSON.readTree(tags.body()).path("tags")) {
      var manifest = http.get("/v2/" + REPO + "/manifests/" + tag.asText(), "Accept", MediaType.OCI_MANIFEST.value());
      assertThat(manifest.statusCode()).as(RegistryHttp.describe(manifest)).isEqualTo(200);
      JsonNode parsed = JSON.readTree(manifest.body());
      assertBlobPresent(http, Digest.parse(parsed.path("config").path("digest").asText()));
      for (JsonNode layer : parsed.path("layers")) assertBlobPresent(http, Digest.parse(layer.path("digest").asText()));
    }
  }

  private static void assertBlobPresent(RegistryHttp http, Digest blob) {
    var head = http.head("/v2/" + REPO + "/blobs/" + blob);
    assertThat(head.statusCode()).as(RegistryHttp.describe(head)).isEqualTo(200);
  }

  private static List<Path> filesNamedAfter(Path dir, Digest digest) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().contains(digest.hex())).toList();
    }
  }

  /** Pushes one small layer and one manifest per tag, in a loop, recording what the agent acknowledged. */
  private static final class ManifestPusher {
    record Acked(String tag, Digest digest, List<Digest> blobs) {}

    final Queue<Acked> acked = new ConcurrentLinkedQueue<>();
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    volatile boolean killed;
    private final RegistryHttp http;
    private final Map<String, Object> config;
    private final Map<String, Object> sharedLayer;
    private final Digest configDigest;
    private final Digest sharedDigest;

    ManifestPusher(RegistryHttp http, Digest configDigest, long configSize, Digest sharedDigest, long sharedSize) {
      this.http = http;
      this.configDigest = configDigest;
      this.sharedDigest = sharedDigest;
      this.config = descriptor(MediaType.OCI_CONFIG.value(), configDigest, configSize);
      this.sharedLayer = descriptor(OciLayoutWriter.LAYER_TAR, sharedDigest, sharedSize);
    }

    void pushUntilKilled(int worker) {
      for (int i = 0; !killed; i++) {
        String tag = "w" + worker + "-" + i;
        try {
          byte[] layer = SeededBytes.of(1000L * worker + i, 4096);
          Digest layerDigest = http.pushBlob(REPO, layer);
          byte[] manifest = OciLayoutWriter.json(Map.of(
              "schemaVersion", 2,
              "mediaType", MediaType.OCI_MANIFEST.value(),
              "config", config,
              "layers", List.of(sharedLayer, descriptor(OciLayoutWriter.LAYER_TAR, layerDigest, layer.length)),
              "annotations", Map.of("dev.meridian.test.tag", tag)));
          var response = http.putManifest(REPO, tag, manifest, MediaType.OCI_MANIFEST.value());
          if (response.statusCode() != 201) throw new AssertionError(RegistryHttp.describe(response));
          Digest digest = Digest.sha256Of(manifest);
          assertThat(response.headers().firstValue("Docker-Content-Digest")).contains(digest.toString());
          acked.add(new Acked(tag, digest, List.of(configDigest, sharedDigest, layerDigest)));
        } catch (Throwable e) {
          if (!killed) errors.add(e);
          return;
        }
      }
    }

    private static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
      return Map.of("mediaType", mediaType, "digest", digest.toString(), "size", size);
    }
  }
}
