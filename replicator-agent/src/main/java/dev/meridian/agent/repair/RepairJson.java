package dev.meridian.agent.repair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.oci.RepositoryName;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON of the repair endpoints ({@code /admin/v1/scrub}, {@code /admin/v1/antientropy/...}), both ways. */
public final class RepairJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventCodec CODEC = new EventCodec();

  private RepairJson() {}

  /** {@code {"region":"eastus","repositories":{"team/app":"<64 hex>",...}}}. */
  public static ObjectNode summary(String region, Map<RepositoryName, String> digests) {
    ObjectNode root = JSON.createObjectNode();
    root.put("region", region);
    ObjectNode repositories = root.putObject("repositories");
    digests.forEach((repository, digest) -> repositories.put(repository.value(), digest));
    return root;
  }

  public static Map<RepositoryName, String> parseSummary(JsonNode root) {
    JsonNode repositories = root.path("repositories");
    if (!repositories.isObject()) throw new IllegalStateException("a summary without repositories");
    Map<RepositoryName, String> digests = new TreeMap<>(java.util.Comparator.comparing(RepositoryName::value));
    for (Iterator<Map.Entry<String, JsonNode>> it = repositories.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      digests.put(new RepositoryName(e.getKey()), e.getValue().asText());
    }
    return digests;
  }

  /** One event per line (newline-delimited JSON). */
  public static byte[] registers(List<ReplicationEvent> events) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ReplicationEvent event : events) {
      out.writeBytes(CODEC.encode(event));
      out.write('\n');
    }
    return out.toByteArray();
  }

  public static ObjectNode scrub(Scrubber.Report report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("blobs", report.blobs());
    root.put("bytes", report.bytes());
    root.put("durationMs", report.took().toMillis());
    ArrayNode quarantined = root.putArray("quarantined");
    for (Scrubber.Quarantined q : report.quarantined()) {
      ObjectNode item = quarantined.addObject();
      item.put("digest", q.digest().toString());
      item.put("size", q.size());
      ArrayNode pending = item.putArray("pendingManifests");
      q.pendingManifests().forEach(pending::add);
    }
    return root;
  }

  public static ObjectNode antiEntropy(AntiEntropy.Report report) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode peers = root.putArray("peers");
    for (AntiEntropy.PeerRound p : report.peers()) {
      ObjectNode item = peers.addObject();
      item.put("region", p.region());
      item.put("repositories", p.repositories());
      item.put("differing", p.differing());
      ObjectNode repaired = item.putObject("repaired");
      repaired.put("tags", p.tags());
      repaired.put("manifests", p.manifests());
      repaired.put("blobLinks", p.blobLinks());
      repaired.put("locks", p.locks());
      item.put("error", p.error().orElse(null));
    }
    return root;
  }
}
