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
import dev.meridian.agent.lifecycle.GcReport;
import dev.meridian.agent.lifecycle.PurgeAction;
import dev.meridian.agent.lifecycle.Purger;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.ManifestRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
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
    ObjectNode storage = n.putObject("storage");
    storage.put("storedBytes", s.storage().storedBytes());
    storage.put("reclaimedBytes", s.storage().reclaimedBytes());
    storage.put("lastCollection", s.storage().lastCollection().map(Instant::toString).orElse(null));
    storage.put("usedBytes", s.storage().usedBytes());
    if (s.storage().quotaBytes().isPresent()) storage.put("quotaBytes", s.storage().quotaBytes().get());
    else storage.putNull("quotaBytes");
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
        n.path("eventsApplied").asLong(0), creation(n), parseStorage(n.path("storage")));
  }

  private static Optional<CreationProgress> creation(JsonNode n) {
    JsonNode manifests = n.get("manifestsRemaining");
    if (manifests == null || manifests.isNull()) return Optional.empty();
    JsonNode eta = n.get("etaSeconds");
    return Optional.of(new CreationProgress(false, manifests.asLong(), n.path("bytesRemaining").asLong(0),
        eta == null || eta.isNull() ? OptionalLong.empty() : OptionalLong.of(eta.asLong())));
  }

  private static StorageStatus parseStorage(JsonNode n) {
    if (n.isMissingNode() || n.isNull()) return StorageStatus.UNKNOWN;
    return new StorageStatus(n.path("storedBytes").asLong(0), n.path("reclaimedBytes").asLong(0),
        optional(n, "lastCollection").map(Instant::parse), n.path("usedBytes").asLong(0),
        optional(n, "quotaBytes").map(Long::parseLong));
  }

  // ---- locks

  public static ObjectNode lock(LockRecord l) {
    ObjectNode n = JSON.createObjectNode();
    n.put("repository", l.repository().value());
    n.put("reference", l.reference().map(Object::toString).orElse(null));
    n.put("writeEnabled", l.writeEnabled());
    n.put("deleteEnabled", l.deleteEnabled());
    n.put("hlc", l.stamp().hlc().toString());
    n.put("origin", l.stamp().origin().value());
    return n;
  }

  // ---- soft delete

  public static ObjectNode manifest(ManifestRecord m) {
    ObjectNode n = JSON.createObjectNode();
    n.put("repository", m.repository().value());
    n.put("digest", m.digest().toString());
    n.put("mediaType", m.mediaType().value());
    n.put("size", m.size());
    n.put("present", m.present());
    n.put(m.present() ? "updated" : "deleted", Instant.ofEpochMilli(m.stamp().hlc().physicalMillis()).toString());
    return n;
  }

  public static ObjectNode manifests(List<ManifestRecord> list) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode items = n.putArray("manifests");
    list.forEach(m -> items.add(manifest(m)));
    return n;
  }

  // ---- purge and retention

  public static ObjectNode purge(Purger.Report r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("dryRun", r.dryRun());
    ArrayNode deleted = n.putArray("deleted");
    r.deleted().forEach(a -> deleted.add(action(a)));
    ArrayNode locked = n.putArray("locked");
    r.locked().forEach(a -> locked.add(action(a)));
    return n;
  }

  private static ObjectNode action(PurgeAction a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", a.kind().wireName());
    n.put("image", a.image());
    n.put("digest", a.digest().toString());
    n.put("lastUpdated", a.lastUpdated().toString());
    return n;
  }

  // ---- garbage collection

  /** {@code {"region":..,"destinations":[{"destination","target","queued","delivered","failedAttempts","lastError",..}]}}. */
  public static ObjectNode notifications(String region, List<dev.meridian.agent.notify.NotificationStatus> statuses) {
    ObjectNode n = JSON.createObjectNode();
    n.put("region", region);
    var destinations = n.putArray("destinations");
    for (var s : statuses) {
      ObjectNode d = destinations.addObject();
      d.put("destination", s.destination());
      d.put("target", s.target());
      d.put("queued", s.queued());
      d.put("delivered", s.delivered());
      d.put("failedAttempts", s.failedAttempts());
      d.put("lastError", s.lastError().orElse(null));
      d.put("lastDelivery", s.lastDelivery().map(Instant::toString).orElse(null));
      d.put("nextAttempt", s.nextAttempt().map(Instant::toString).orElse(null));
    }
    return n;
  }

  public static ObjectNode gc(GcReport r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("dryRun", r.dryRun());
    n.put("startedAt", r.startedAt().toString());
    n.put("durationSeconds", r.duration().toMillis() / 1000.0);
    n.put("blobsScanned", r.blobsScanned());
    n.put("storedBytes", r.storedBytes());
    n.put("blobsDeleted", r.blobsDeleted());
    n.put("blobBytesReclaimed", r.blobBytesReclaimed());
    n.put("uploadsDeleted", r.uploadsDeleted());
    n.put("uploadBytesReclaimed", r.uploadBytesReclaimed());
    ArrayNode blobs = n.putArray("blobs");
    r.blobs().forEach(d -> blobs.add(d.toString()));
    ArrayNode uploads = n.putArray("uploads");
    r.uploads().forEach(u -> uploads.add(u.value()));
    return n;
  }

  public static GcReport parseGc(JsonNode n) {
    List<Digest> blobs = new ArrayList<>();
    n.path("blobs").forEach(d -> blobs.add(Digest.parse(d.asText())));
    List<UploadId> uploads = new ArrayList<>();
    n.path("uploads").forEach(u -> uploads.add(new UploadId(u.asText())));
    return new GcReport(required(n, "dryRun").asBoolean(), Instant.parse(text(n, "startedAt")),
        Duration.ofMillis(Math.round(n.path("durationSeconds").asDouble(0) * 1000)), n.path("blobsScanned").asLong(0),
        n.path("storedBytes").asLong(0), n.path("blobsDeleted").asInt(0), n.path("blobBytesReclaimed").asLong(0),
        n.path("uploadsDeleted").asInt(0), n.path("uploadBytesReclaimed").asLong(0), blobs, uploads);
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
    ObjectNode repositories = n.putObject("repositories");
    ArrayNode include = repositories.putArray("include");
    r.region().repositories().include().forEach(g -> include.add(g.text()));
    ArrayNode exclude = repositories.putArray("exclude");
    r.region().repositories().exclude().forEach(g -> exclude.add(g.text()));
    return n;
  }

  /** The fleet's transfer costs: {@code {"costs":[{"from":..,"to":..,"cost":N}]}}. */
  public static ObjectNode costs(List<dev.meridian.topology.TransferCost> costs) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode list = n.putArray("costs");
    for (var c : costs) list.addObject().put("from", c.from().value()).put("to", c.to().value()).put("cost", c.cost());
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
