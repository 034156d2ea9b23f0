package dev.meridian.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a fleet file (YAML) into a {@link Topology}, reporting every problem at once:
 *
 * <pre>
 * kafka: 127.0.0.1:9092
 * topics: { partitions: 8, replicationFactor: 1 }   # optional
 * regions:
 *   - id: eastus
 *     url: http://127.0.0.1:5001
 *     routingEnabled: true                           # optional, default true
 *     mode: read-write                               # optional: read-write | read-only
 * </pre>
 */
public final class TopologyLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TopologyLoader() {}

  public static Topology load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new TopologyException(List.of("cannot read fleet file " + file + ": " + e.getMessage()));
    }
  }

  public static Topology parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new TopologyException(List.of("fleet file is not valid YAML: " + firstLine(e.getMessage())));
    }
    if (root == null || !root.isObject()) throw new TopologyException(List.of("fleet file must be a YAML mapping"));
    return TopologyValidator.validate(toRaw(root));
  }

  /** Writes a topology back as a fleet file, e.g. the one {@code meridian up} leaves in its data dir. */
  public static String toYaml(Topology topology) {
    var sb = new StringBuilder();
    sb.append("kafka: ").append(topology.kafkaBootstrap()).append('\n');
    sb.append("topics: { partitions: ").append(topology.topicPartitions())
        .append(", replicationFactor: ").append(topology.topicReplicationFactor()).append(" }\n");
    sb.append("regions:\n");
    for (Region r : topology.regions()) {
      sb.append("  - id: ").append(r.id()).append('\n');
      sb.append("    url: ").append(r.url()).append('\n');
      sb.append("    routingEnabled: ").append(r.routingEnabled()).append('\n');
      sb.append("    mode: ").append(r.mode().text()).append('\n');
    }
    return sb.toString();
  }

  private static TopologyValidator.RawTopology toRaw(JsonNode root) {
    List<TopologyValidator.RawRegion> regions = new ArrayList<>();
    JsonNode regionsNode = root.get("regions");
    if (regionsNode != null && regionsNode.isArray()) {
      for (JsonNode r : regionsNode) {
        regions.add(new TopologyValidator.RawRegion(text(r, "id"), text(r, "url"), text(r, "routingEnabled"), text(r, "mode")));
      }
    }
    JsonNode topics = root.path("topics");
    return new TopologyValidator.RawTopology(
        text(root, "kafka"),
        text(topics, "partitions"),
        text(topics, "replicationFactor"),
        regionsNode == null ? null : regionsNode.isArray() ? regions : null,
        fieldNames(root));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) names.add(e.getKey());
    return names;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
