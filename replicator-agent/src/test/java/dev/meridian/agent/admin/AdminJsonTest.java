package dev.meridian.agent.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.meridian.agent.replication.CreationProgress;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AdminJsonTest {
  private static final Digest D = Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8));

  @Test
  void regionStatusSurvivesTheWireWithEveryField() {
    RegionStatus status = new RegionStatus("westus", "http://127.0.0.1:5002", RegionState.DEGRADED, Optional.of("stalled"), false,
        3.5, 4, 4096, 2, Optional.of("peer down"), 17);
    String json = new String(AdminJson.bytes(AdminJson.regions(List.of(status))), StandardCharsets.UTF_8);
    assertThat(json).contains("\"state\" : \"degraded\"").contains("\"routingEnabled\" : false").contains("\"lagSeconds\" : 3.5");
    assertThat(AdminJson.parseRegions(AdminJson.parse(json.getBytes(StandardCharsets.UTF_8)))).containsExactly(status);
  }

  @Test
  void aCreatingRegionsProgressSurvivesTheWire() {
    RegionStatus status = new RegionStatus("d", "http://127.0.0.1:5004", RegionState.CREATING, Optional.empty(), true, 0, 7,
        700, 0, Optional.empty(), 0, Optional.of(new CreationProgress(false, 7, 14_000_000, OptionalLong.of(12))));
    String json = new String(AdminJson.bytes(AdminJson.region(status)), StandardCharsets.UTF_8);
    assertThat(json).contains("\"state\" : \"creating\"").contains("\"manifestsRemaining\" : 7")
        .contains("\"bytesRemaining\" : 14000000").contains("\"etaSeconds\" : 12");
    assertThat(AdminJson.parseRegion(AdminJson.parse(json.getBytes(StandardCharsets.UTF_8)))).isEqualTo(status);
  }

  @Test
  void absentValuesAreNullAndComeBackEmpty() {
    RegionStatus status = new RegionStatus("eastus", "http://x:1", RegionState.READY, Optional.empty(), true, 0, 0, 0, 0, Optional.empty(), 0);
    assertThat(AdminJson.region(status).get("lastError").isNull()).isTrue();
    assertThat(AdminJson.region(status).get("manifestsRemaining").isNull()).isTrue();
    assertThat(AdminJson.region(status).get("etaSeconds").isNull()).isTrue();
    assertThat(AdminJson.parseRegion(AdminJson.region(status))).isEqualTo(status);
  }

  @Test
  void manifestFactsAndReportsSurviveTheWire() {
    ManifestFacts facts = new ManifestFacts("westus", ManifestStatus.PENDING, Optional.empty(), Optional.of(D),
        Optional.of(new Stamp(new HlcTimestamp(1732700000000L, 3), new RegionId("eastus"))), Optional.of(ManifestStatus.PENDING));
    assertThat(AdminJson.parseFacts(AdminJson.facts(facts))).isEqualTo(facts);
    ReplicationReport report = new ReplicationReport("team/app", "v1", Optional.of(D), List.of(
        new ReplicationReport.Entry("eastus", ManifestStatus.COMPLETE, Optional.of(D), Optional.empty()),
        new ReplicationReport.Entry("westus", ManifestStatus.UNKNOWN, Optional.empty(), Optional.of("no answer within 2000 ms"))));
    assertThat(AdminJson.parseReport(AdminJson.report(report))).isEqualTo(report);
  }

  @Test
  void aMissingRequiredFieldIsRefusedByName() {
    assertThatThrownBy(() -> AdminJson.parseRegion(AdminJson.parse("{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
  }
}
