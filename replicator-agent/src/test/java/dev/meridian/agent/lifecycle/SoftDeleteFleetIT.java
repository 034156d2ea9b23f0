package dev.meridian.agent.lifecycle;

import static dev.meridian.agent.lifecycle.LifecycleFleetIT.cli;
import static dev.meridian.agent.lifecycle.LifecycleFleetIT.push;
import static dev.meridian.agent.registry.TestImages.digest;
import static dev.meridian.agent.registry.TestImages.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.Agents;
import dev.meridian.agent.it.support.Convergence;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.RegionClient;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Soft delete across two regions on a real Kafka broker: a manifest deleted in one is restored from the other. */
class SoftDeleteFleetIT {
  private static final Convergence CONVERGENCE = new Convergence(Duration.ofSeconds(90));
  private static final Path RUN_DIR = Path.of("target", "it-runs", "SoftDeleteFleetIT").toAbsolutePath();

  private static LocalFleet fleet;
  private static List<RegionClient> regions;

  @BeforeAll
  static void startFleet() throws InterruptedException {
    Agents.deleteRecursively(RUN_DIR);
    fleet = LocalFleet.start(new LocalFleet.Settings(List.of(new RegionId("a"), new RegionId("b")),
            FreePort.consecutive(2), FreePort.consecutive(2), RUN_DIR.resolve("fleet")), Duration.ofSeconds(60),
        config -> config.withLifecycle(config.lifecycle().withSoftDelete(Duration.ofDays(7))
            .withGc(new GarbageCollector.Settings(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1)))));
    regions = fleet.agents().stream().map(RegionClient::of).toList();
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  @Test
  void aManifestDeletedInOneRegionIsRestoredFromAnotherAndServedInEvery() {
    String repo = "soft/app";
    RegionClient a = regions.get(0);
    RegionClient b = regions.get(1);
    byte[] layer = randomBytes(500, 20_000);
    Digest image = digest(push(a, repo, "v1", randomBytes(501, 200), List.of(layer)));
    CONVERGENCE.awaitEvery(regions, r -> assertThat(r.resolve(repo, image.toString())).as("%s", r).contains(image));
    assertThat(a.http().send("DELETE", "/v2/" + repo + "/manifests/" + image, HttpRequest.BodyPublishers.noBody()).statusCode())
        .isEqualTo(202);
    CONVERGENCE.awaitEvery(regions, r -> assertThat(r.resolve(repo, image.toString())).as("%s", r).isEmpty());
    // Collections in both regions keep what may still be restored.
    fleet.agents().forEach(agent -> agent.gc().collect(false));

    assertThat(cli("restore", "--registry", b.http().uri("/").toString(), "--list", repo)).contains(repo + "@" + image);
    String out = cli("restore", "--registry", b.http().uri("/").toString(), repo + "@" + image, "--tag", "v1");

    assertThat(out).contains("restored " + repo + "@" + image);
    CONVERGENCE.awaitEvery(regions, r -> {
      assertThat(r.resolve(repo, "v1")).as("%s", r).contains(image);
      assertThat(r.servesBlob(repo, digest(layer))).as("%s", r).isTrue();
    });
  }
}
