package dev.meridian.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.RegionAgent;
import dev.meridian.agent.admin.AdminHttpClient;
import dev.meridian.agent.admin.AdminJson;
import dev.meridian.agent.embedded.LocalFleet;
import dev.meridian.agent.it.support.FreePort;
import dev.meridian.agent.it.support.RegistryHttp;
import dev.meridian.agent.it.support.TestCredentials;
import dev.meridian.agent.security.FleetCredential;
import dev.meridian.core.clock.RegionId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials replicate through the log (a real embedded Kafka fleet): a token created in one region works
 * in every region, and once deleted there it stops working everywhere within the replication lag.
 */
class CredentialReplicationIT {
  private static final RegionId EAST = new RegionId("eastus");
  private static final RegionId WEST = new RegionId("westeurope");

  @TempDir static Path dir;
  static LocalFleet fleet;

  @BeforeAll
  static void startFleet() throws Exception {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5 && fleet == null; attempt++) {
      try {
        fleet = LocalFleet.start(new LocalFleet.Settings(List.of(EAST, WEST), FreePort.pick(), FreePort.pick(),
            dir.resolve("fleet-" + attempt)), Duration.ofSeconds(60), TestCredentials.settings());
      } catch (IllegalStateException e) {
        last = e; // a neighbouring port was taken: pick again
      }
    }
    if (fleet == null) throw last;
  }

  @AfterAll
  static void stopFleet() {
    if (fleet != null) fleet.close();
  }

  private static RegionAgent region(RegionId id) {
    return fleet.agents().stream().filter(a -> a.config().region().equals(id)).findFirst().orElseThrow();
  }

  private static int statusAs(RegionAgent agent, String user, String password) {
    return new RegistryHttp(() -> URI.create(agent.url()))
        .get("/v2/team-a/app/tags/list", "Authorization", FleetCredential.basic(user, password)).statusCode();
  }

  @Test
  void aTokenCreatedInOneRegionWorksInEveryRegionUntilItIsRevoked() throws Exception {
    var admin = new AdminHttpClient(Duration.ofSeconds(10), Optional.of(TestCredentials.authorization()));
    var body = AdminJson.parse("{\"name\":\"pipeline\",\"scopes\":[\"team-a/**:pull,push\"]}".getBytes());
    String password = admin.call("POST", region(EAST).url(), "/admin/v1/tokens", AdminJson.bytes(body), 201).join()
        .path("password").asText();
    assertThat(statusAs(region(EAST), "pipeline", password)).isEqualTo(404); // allowed: the repository just does not exist
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(statusAs(region(WEST), "pipeline", password)).isEqualTo(404));
    assertThat(statusAs(region(WEST), "pipeline", "wrong")).isEqualTo(401);
    assertThat(admin.call("GET", region(WEST).url(), "/admin/v1/tokens", null, 200).join().toString())
        .contains("pipeline").doesNotContain(password);

    admin.call("DELETE", region(WEST).url(), "/admin/v1/tokens/pipeline", null, 202).join();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(statusAs(region(WEST), "pipeline", password)).isEqualTo(401);
      assertThat(statusAs(region(EAST), "pipeline", password)).isEqualTo(401);
    });
    assertThat(admin.get(region(EAST).url(), "/admin/v1/tokens", Map.of()).join().path("tokens")).isEmpty();
  }
}
