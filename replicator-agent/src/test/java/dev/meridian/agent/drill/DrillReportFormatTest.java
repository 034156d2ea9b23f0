package dev.meridian.agent.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillReportFormatTest {
  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private static DrillReport report(Optional<Duration> catchUp, List<String> errors, List<String> divergent) {
    var workload = new DrillWorkload.Result(List.of(new DrillWorkload.Write("drill/app", "w1", "sha256:" + "a".repeat(64))), 1, errors);
    return new DrillReport("eastus", List.of("eastus", "westeurope"), T0, T0.plusSeconds(1), T0.plusSeconds(11), T0.plusSeconds(25),
        true, List.of("team/app:v1", "team/app@sha256:" + "b".repeat(64)), 7, List.of("team/app:late"), workload, catchUp,
        catchUp.isPresent() ? 0.4 : Double.NaN, catchUp.isPresent(), divergent.isEmpty(), divergent);
  }

  @Test
  void theJsonCarriesEveryFigureAnOperatorScriptNeeds() {
    JsonNode json = DrillReportFormat.json(report(Optional.of(Duration.ofMillis(3_250)), List.of(), List.of()));
    assertThat(json.path("passed").asBoolean()).isTrue();
    assertThat(json.path("rpo").path("count").asInt()).isEqualTo(2);
    assertThat(json.path("rpo").path("writes").asInt()).isEqualTo(7);
    assertThat(json.path("rpo").path("references").get(0).asText()).isEqualTo("team/app:v1");
    assertThat(json.path("acknowledgedWhileOut").path("count").asInt()).isEqualTo(1);
    assertThat(json.path("workload").path("clientErrors").asInt()).isZero();
    assertThat(json.path("workload").path("references").get(0).asText()).isEqualTo("drill/app:w1");
    assertThat(json.path("catchUpSeconds").asDouble()).isEqualTo(3.25);
    assertThat(json.path("lagAtRestoreSeconds").asDouble()).isEqualTo(0.4);
    assertThat(json.path("converged").asBoolean()).isTrue();
  }

  @Test
  void aFailedDrillSaysWhyInTheTableAndNullsWhatNeverHappenedInTheJson() {
    DrillReport failed = report(Optional.empty(), List.of("GET /v2/drill/app/manifests/w1: 404"), List.of("drill/app:w1 eastus=absent"));
    String text = DrillReportFormat.text(failed);
    assertThat(text).contains("FAILED", "never (within the timeout)", "no: still disabled", "1 client errors",
        "GET /v2/drill/app/manifests/w1: 404", "drill/app:w1 eastus=absent", "team/app:v1");
    JsonNode json = DrillReportFormat.json(failed);
    assertThat(json.path("catchUpSeconds").isNull()).isTrue();
    assertThat(json.path("lagAtRestoreSeconds").isNull()).isTrue();
    assertThat(json.path("passed").asBoolean()).isFalse();
  }
}
