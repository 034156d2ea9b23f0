package dev.meridian.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.RegionId;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The records of the topology topic ({@code meridian.topology}, compacted), both ways. A region's record is
 * keyed {@code region/ID} and holds the whole region as JSON, or nothing (a tombstone) once it is deleted;
 * the fleet's settings are keyed {@code fleet}:
 *
 * <pre>
 * region/eastus  {"schema":1,"id":"eastus","url":"http://127.0.0.1:5001","routingEnabled":true,
 *                 "mode":"read-write","enabled":true,"ordinal":0,
 *                 "repositories":{"include":["**"],"exclude":["eu-only/**"]}}     (only when not the default)
 * fleet          {"schema":1,"topics":{"partitions":8,"replicationFactor":1},
 *                 "costs":[{"from":"eastus","to":"westeu","cost":10}]}
 * </pre>
 *
 * <p>Unknown fields are ignored, so a newer agent may add some. A record that does not parse fails with
 * {@link TopologyException}; the reader skips it.
 */
public final class TopologyCodec {
  public static final String FLEET_KEY = "fleet";
  public static final String REGION_PREFIX = "region/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A record as it goes to the topic: its key and its value (empty for a tombstone). */
  public record Encoded(String key, Optional<byte[]> value) {}

  private TopologyCodec() {}

  public static String key(RegionId region) {
    return REGION_PREFIX + region.value();
  }

  public static Encoded encode(TopologyChange change) {
    if (change instanceof TopologyChange.RegionPut put) {
      return new Encoded(key(put.replica().id()), Optional.of(bytes(region(put.replica()))));
    }
    if (change instanceof TopologyChange.RegionDeleted deleted) return new Encoded(key(deleted.region()), Optional.empty());
    return new Encoded(FLEET_KEY, Optional.of(bytes(settings(((TopologyChange.SettingsPut) change).settings()))));
  }

  /** Decodes one record; {@code value} is null or empty for a tombstone. */
  public static TopologyChange decode(String key, byte[] value) {
    if (key == null) throw invalid("a record without a key");
    boolean tombstone = value == null || value.length == 0;
    if (key.equals(FLEET_KEY)) {
      if (tombstone) throw invalid("a tombstone for the fleet settings");
      JsonNode tree = tree(key, value);
      JsonNode topics = tree.path("topics");
      List<TransferCost> costs = new ArrayList<>();
      for (JsonNode c : tree.path("costs")) {
        try {
          costs.add(new TransferCost(new RegionId(c.path("from").asText()), new RegionId(c.path("to").asText()),
              c.path("cost").asInt(Topology.DEFAULT_COST)));
        } catch (IllegalArgumentException e) {
          throw invalid(key + ": cost " + c + ": " + e.getMessage());
        }
      }
      return new TopologyChange.SettingsPut(new FleetSettings(
          topics.path("partitions").asInt(Topology.DEFAULT_PARTITIONS),
          (short) topics.path("replicationFactor").asInt(Topology.DEFAULT_REPLICATION_FACTOR), costs));
    }
    if (!key.startsWith(REGION_PREFIX)) throw invalid("unknown key '" + key + "'");
    RegionId id;
    try {
      id = new RegionId(key.substring(REGION_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw invalid("key '" + key + "': " + e.getMessage());
    }
    if (tombstone) return new TopologyChange.RegionDeleted(id);
    JsonNode n = tree(key, value);
    if (!id.value().equals(n.path("id").asText())) throw invalid(key + ": id " + n.path("id") + " does not match the key");
    List<String> violations = new ArrayList<>();
    URI url = TopologyValidator.parseUrl(n.path("url").isTextual() ? n.path("url").asText() : null, key, violations);
    Optional<RegionMode> mode = RegionMode.parse(n.path("mode").asText(RegionMode.READ_WRITE.text()));
    if (mode.isEmpty()) violations.add(key + ": unknown mode " + n.path("mode"));
    RepositoryFilter repositories = RepositoryFilter.ALL;
    JsonNode filter = n.path("repositories");
    if (filter.isObject()) {
      try {
        List<String> include = new ArrayList<>();
        filter.path("include").forEach(g -> include.add(g.asText()));
        List<String> exclude = new ArrayList<>();
        filter.path("exclude").forEach(g -> exclude.add(g.asText()));
        repositories = RepositoryFilter.of(include.isEmpty() ? List.of("**") : include, exclude);
      } catch (IllegalArgumentException e) {
        violations.add(key + ": repositories: " + e.getMessage());
      }
    }
    if (!violations.isEmpty()) throw new TopologyException(violations);
    Region region = new Region(id, url, n.path("routingEnabled").asBoolean(true), mode.get(), repositories);
    return new TopologyChange.RegionPut(new Replica(region, n.path("enabled").asBoolean(true), Math.max(0, n.path("ordinal").asInt(0))));
  }

  static ObjectNode region(Replica replica) {
    ObjectNode n = JSON.createObjectNode();
    n.put("schema", 1);
    n.put("id", replica.id().value());
    n.put("url", replica.region().url().toString());
    n.put("routingEnabled", replica.region().routingEnabled());
    n.put("mode", replica.region().mode().text());
    n.put("enabled", replica.enabled());
    n.put("ordinal", replica.ordinal());
    RepositoryFilter filter = replica.region().repositories();
    if (!filter.isDefault()) {
      ObjectNode repositories = n.putObject("repositories");
      var include = repositories.putArray("include");
      filter.include().forEach(g -> include.add(g.text()));
      var exclude = repositories.putArray("exclude");
      filter.exclude().forEach(g -> exclude.add(g.text()));
    }
    return n;
  }

  private static ObjectNode settings(FleetSettings settings) {
    ObjectNode n = JSON.createObjectNode();
    n.put("schema", 1);
    ObjectNode topics = n.putObject("topics");
    topics.put("partitions", settings.topicPartitions());
    topics.put("replicationFactor", settings.topicReplicationFactor());
    var costs = n.putArray("costs");
    for (TransferCost c : settings.costs()) {
      ObjectNode cost = costs.addObject();
      cost.put("from", c.from().value());
      cost.put("to", c.to().value());
      cost.put("cost", c.cost());
    }
    return n;
  }

  private static JsonNode tree(String key, byte[] value) {
    try {
      JsonNode n = JSON.readTree(value);
      if (n == null || !n.isObject()) throw invalid(key + ": not a JSON object");
      return n;
    } catch (IOException e) {
      throw invalid(key + ": not JSON: " + e.getMessage());
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write topology JSON", e);
    }
  }

  private static TopologyException invalid(String what) {
    return new TopologyException(List.of("topology record: " + what));
  }

  /** Parses a region URL as a fleet file would ({@code http(s)://host:port}, no path); throws with why not. */
  public static URI parseUrl(String text) {
    List<String> violations = new ArrayList<>();
    URI url = TopologyValidator.parseUrl(text, "url", violations);
    if (url == null) throw new TopologyException(violations);
    return url;
  }
}
