package dev.meridian.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.agent.http.RequestListener.AnsweredRequest;
import dev.meridian.core.clock.RegionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private static AnsweredRequest request(String method, String route, String parameter, int status) {
    return new AnsweredRequest(method, route, Optional.of("team/app"), Optional.ofNullable(parameter), status,
        Duration.ofMillis(3), "127.0.0.1", Optional.of(DIGEST));
  }

  @Test
  void onlyAcknowledgedWritesAreAudited() {
    assertThat(AuditLog.action(request("PUT", "/v2/{name}/manifests/{reference}", "v1", 201))).contains("manifest.put");
    assertThat(AuditLog.action(request("DELETE", "/v2/{name}/manifests/{reference}", DIGEST, 202))).contains("manifest.delete");
    assertThat(AuditLog.action(request("DELETE", "/v2/{name}/manifests/{reference}", "v1", 202))).contains("tag.delete");
    assertThat(AuditLog.action(request("DELETE", "/v2/{name}/blobs/{digest}", DIGEST, 202))).contains("blob.delete");
    assertThat(AuditLog.action(request("PUT", "/v2/{name}/blobs/uploads/{session}", "s1", 201))).contains("blob.put");
    assertThat(AuditLog.action(request("PUT", "/v2/{name}/manifests/{reference}", "v1", 400))).isEmpty();
    assertThat(AuditLog.action(request("GET", "/v2/{name}/manifests/{reference}", "v1", 200))).isEmpty();
    assertThat(AuditLog.action(request("PATCH", "/v2/{name}/blobs/uploads/{session}", "s1", 202))).isEmpty();
  }

  @Test
  void fleetChangesAreAuditedWhenAccepted() {
    String route = "/admin/v1/replications/{region}";
    assertThat(AuditLog.action(request("PUT", route, "northeu", 201))).contains("replication.create");
    assertThat(AuditLog.action(request("PATCH", route, "northeu", 202))).contains("replication.update");
    assertThat(AuditLog.action(request("DELETE", route, "northeu", 202))).contains("replication.delete");
    assertThat(AuditLog.action(request("PUT", route, "northeu", 409))).isEmpty();
    assertThat(AuditLog.action(request("GET", route, "northeu", 200))).isEmpty();
  }

  @Test
  void eachWriteIsOneJsonLineWithWhoWhatWhereAndWhen(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.log");
    Clock clock = Clock.fixed(Instant.parse("2025-01-01T12:00:00Z"), ZoneOffset.UTC);
    try (AuditLog audit = new AuditLog(file, new RegionId("eastus"), clock)) {
      audit.answered(request("PUT", "/v2/{name}/manifests/{reference}", "v1", 201));
      audit.answered(request("GET", "/v2/{name}/manifests/{reference}", "v1", 200));
    }
    try (AuditLog again = new AuditLog(file, new RegionId("eastus"), clock)) {
      again.answered(request("DELETE", "/v2/{name}/manifests/{reference}", DIGEST, 202));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    var first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.path("time").asText()).isEqualTo("2025-01-01T12:00:00Z");
    assertThat(first.path("region").asText()).isEqualTo("eastus");
    assertThat(first.path("who").asText()).isEqualTo("127.0.0.1");
    assertThat(first.path("action").asText()).isEqualTo("manifest.put");
    assertThat(first.path("repository").asText()).isEqualTo("team/app");
    assertThat(first.path("reference").asText()).isEqualTo("v1");
    assertThat(first.path("digest").asText()).isEqualTo(DIGEST);
    assertThat(new ObjectMapper().readTree(lines.get(1)).path("action").asText()).isEqualTo("manifest.delete");
  }
}
