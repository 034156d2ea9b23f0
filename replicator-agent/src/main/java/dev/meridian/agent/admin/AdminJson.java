package dev.meridian.agent.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.meridian.agent.replication.CreationProgress;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON of the admin API, both ways: the one place that knows its field names. An absent value is
 * written as {@code null}. Parsing is lenient about extra fields, strict about missing required ones
 * ({@link IllegalArgumentException}).
 */
public final class AdminJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminJson() {}

  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write admin JSON", e);
    }
  }

  public static JsonNode parse(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  // ---- regions

  public static ObjectNode region(RegionStatus s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", s.id());
    n.put("url", s.url());
    n.put("state", s.state().wireName());
    n.put("reason", s.reason().orElse(null));
    n.put("routingEnabled", s.routingEnabled());
    n.put("lagSeconds", s.lagSeconds());
    n.put("pendingTransfers", s.pendingTransfers());
    n.put("pendingBytes", s.pendingBytes());
    n.put("outboxBacklog", s.outboxBacklog());
    n.put("lastError", s.lastError().orElse(null));
    n.put("eventsApplied", s.eventsApplied());
    // Only a creating region has these; null otherwise.
    n.put("manifestsRemaining", s.creation().map(CreationProgress::manifestsRemaining).orElse(null));
    n.put("bytesRemaining", s.creation().map(CreationProgress::bytesRemaining).orElse(null));
    OptionalLong eta = s.creation().map(CreationProgress::etaSeconds).orElse(OptionalLong.empty());
    n.put("etaSeconds", eta.isPresent() ? eta.getAsLong() : null);
    return n;
  }

  public static ObjectNode regions(List<RegionStatus> regions) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode list = n.putArray("regions");
    regions.forEach(r -> list.add(region(r)));
    return n;
  }

  public static RegionStatus parseRegion(JsonNode n) {
    return new RegionStatus(text(n, "id"), text(n, "url"), RegionState.parse(text(n, "state")), optional(n, "reason"),
        n.path("routingEnabled").asBoolean(true), n.path("lagSeconds").asDouble(0), n.path("pendingTransfers").asLong(0),
        n.path("pendingBytes").asLong(0), n.path("outboxBacklog").asLong(0), optional(n, "lastError"),
        n.path("eventsApplied").asLong(0), creation(n));
  }

  private static Optional<CreationProgress> creation(JsonNode n) {
    JsonNode manifests = n.get("manifestsRemaining");
    if (manifests == null || manifests.isNull()) return Optional.empty();
    JsonNode eta = n.get("etaSeconds");
    return Optional.of(new CreationProgress(false, manifests.asLong(), n.path("bytesRemaining").asLong(0),
        eta == null || eta.isNull() ? OptionalLong.empty() : OptionalLong.of(eta.asLong())));
  }

  public static List<RegionStatus> parseRegions(JsonNode n) {
    List<RegionStatus> regions = new ArrayList<>();
    for (JsonNode r : required(n, "regions")) regions.add(parseRegion(r));
    return regions;
  }

  // ---- the fleet's regions as the operator manages them (/admin/v1/replications)

  public static ObjectNode replica(dev.meridian.topology.Replica r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", r.id().value());
    n.put("url", r.region().url().toString());
    n.put("routingEnabled", r.region().routingEnabled());
    n.put("mode", r.region().mode().text());
    n.put("enabled", r.enabled());
    return n;
  }

  public static ObjectNode replicas(List<dev.meridian.topology.Replica> replicas) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode list = n.putArray("replications");
    replicas.forEach(r -> list.add(replica(r)));
    return n;
  }

  // ---- one region's facts about a reference

  public static ObjectNode facts(ManifestFacts f) {
    ObjectNode n = JSON.createObjectNode();
    n.put("region", f.region());
    n.put("status", f.status().wireName());
    n.put("servedDigest", f.servedDigest().map(Digest::toString).orElse(null));
    n.put("winningDigest", f.winningDigest().map(Digest::toString).orElse(null));
    n.put("winningHlc", f.winningStamp().map(s -> s.hlc().toString()).orElse(null));
    n.put("winningOrigin", f.winningStamp().map(s -> s.origin().value()).orElse(null));
    n.put("expectedStatus", f.expectedStatus().map(ManifestStatus::wireName).orElse(null));
    return n;
  }

  public static ManifestFacts parseFacts(JsonNode n) {
    Optional<Stamp> stamp = optional(n, "winningHlc")
        .map(hlc -> new Stamp(HlcTimestamp.parse(hlc), new RegionId(text(n, "winningOrigin"))));
    return new ManifestFacts(text(n, "region"), ManifestStatus.parse(text(n, "status")),
        optional(n, "servedDigest").map(Digest::parse), optional(n, "winningDigest").map(Digest::parse), stamp,
        optional(n, "expectedStatus").map(ManifestStatus::parse));
  }

  // ---- the fleet's answer about a reference

  public static ObjectNode report(ReplicationReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("repository", r.repository());
    n.put("reference", r.reference());
    n.put("digest", r.expectedDigest().map(Digest::toString).orElse(null));
    ArrayNode list = n.putArray("regions");
    for (ReplicationReport.Entry e : r.regions()) {
      ObjectNode entry = list.addObject();
      entry.put("region", e.region());
      entry.put("status", e.status().wireName());
      entry.put("servedDigest", e.servedDigest().map(Digest::toString).orElse(null));
      entry.put("error", e.error().orElse(null));
    }
    return n;
  }

  public static ReplicationReport parseReport(JsonNode n) {
    List<ReplicationReport.Entry> entries = new ArrayList<>();
    for (JsonNode e : required(n, "regions")) {
      entries.add(new ReplicationReport.Entry(text(e, "region"), ManifestStatus.parse(text(e, "status")),
          optional(e, "servedDigest").map(Digest::parse), optional(e, "error")));
    }
    return new ReplicationReport(text(n, "repository"), text(n, "reference"), optional(n, "digest").map(Digest::parse), entries);
  }

  // ---- helpers

  private static JsonNode required(JsonNode n, String field) {
    JsonNode value = n.get(field);
    if (value == null || value.isNull()) throw new IllegalArgumentException("missing field \"" + field + "\"");
    return value;
  }

  private static String text(JsonNode n, String field) {
    return required(n, field).asText();
  }

  private static Optional<String> optional(JsonNode n, String field) {
    JsonNode value = n.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }
}
