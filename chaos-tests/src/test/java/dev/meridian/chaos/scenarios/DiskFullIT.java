package dev.meridian.chaos.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.chaos.Workload.Image;
import dev.meridian.chaos.fleet.ChaosFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * southeastasia keeps its blobs on a 6 MiB tmpfs, filled until 256 KiB are left, when a 1 MiB layer is pushed
 * elsewhere. Its copy fails with ENOSPC: the agent keeps running, gives the partial copy back, keeps the job and
 * retries it with backoff, and says why in its status. Once the space is freed the copy resumes and the fleet
 * converges. RocksDB stays on the ordinary disk: only the blob store fills up. Needs root (mount); skipped if
 * mounting is not permitted.
 */
class DiskFullIT extends ChaosScenario {
  private static final String FULL = "southeastasia";
  private static final long HEADROOM = 256 * 1024;

  private Path mount;

  @BeforeAll
  static void mountingIsPermitted(@TempDir Path probe) {
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()) == 0;
    if (mounted) run("umount", probe.toString());
    Assumptions.assumeTrue(mounted, "DiskFullIT needs to mount a tmpfs (run as root, or with CAP_SYS_ADMIN): skipped");
  }

  @Override
  Map<String, List<String>> agentArguments() {
    // A short stall threshold, so the region's status turns degraded while the disk is full.
    return Map.of(FULL, List.of("--stall-threshold=4s"));
  }

  @Override
  void beforeAgentsStart(ChaosFleet fleet) {
    mount = fleet.dataDir(FULL).resolve("blobs-root");
    try {
      Files.createDirectories(mount);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString())).as("mount tmpfs on %s", mount).isZero();
  }

  @AfterEach
  @Override
  void stopFleet() {
    super.stopFleet();
    if (mount != null) run("umount", "-l", mount.toString());
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aRegionOutOfDiskKeepsRunningRetriesAndConvergesOnceSpaceIsFreed() throws IOException {
    Path filler = mount.resolve("filler");
    fill(filler, Files.getFileStore(mount).getUsableSpace() - HEADROOM);
    long freeBefore = Files.getFileStore(mount).getUsableSpace();

    Image image = workload.pushImage(fleet.client("eastus"), "team-a/app", "v1", 1024 * 1024);

    await("southeastasia reports the full disk and is degraded").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .untilAsserted(() -> {
          JsonNode status = status();
          assertThat(status.path("lastError").asText()).contains("out of disk space");
          assertThat(status.path("pendingTransfers").asLong()).isPositive();
          assertThat(status.path("state").asText()).isEqualTo("degraded");
        });
    assertThat(fleet.agent(FULL).isAlive()).as("the agent did not crash").isTrue();
    assertThat(fleet.client("westeurope").headManifest("team-a/app", "v1")).contains(image.digest());
    assertThat(fleet.client(FULL).headManifest("team-a/app", "v1")).isEmpty();
    await("the partial copies are given back").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(heldUploadBytes()).isZero();
      assertThat(Files.getFileStore(mount).getUsableSpace()).isGreaterThanOrEqualTo(freeBefore - 64 * 1024);
    });

    Files.delete(filler);
    assertConverges();
    assertThat(fleet.client(FULL).headManifest("team-a/app", "v1")).contains(image.digest());
    // The status is sampled every second: it may still show the last sample of the full disk for a moment.
    await("southeastasia is no longer degraded").atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .untilAsserted(() -> assertThat(status().path("state").asText()).isNotEqualTo("degraded"));
  }

  private JsonNode status() {
    var response = fleet.client(FULL).send("GET", "/admin/v1/region", BodyPublishers.noBody());
    assertThat(response.statusCode()).isEqualTo(200);
    return AdminJson.parse(response.body());
  }

  /** Bytes held by upload sessions on the full disk (a transfer's partial copy lives in one). */
  private long heldUploadBytes() throws IOException {
    Path uploads = mount.resolve("uploads");
    if (!Files.exists(uploads)) return 0;
    try (Stream<Path> files = Files.walk(uploads)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // removed meanwhile
        }
      }).sum();
    }
  }

  private static void fill(Path file, long bytes) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long written = 0;
      while (written < bytes) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - written));
        written += out.write(chunk);
      }
    }
  }

  private static int run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
