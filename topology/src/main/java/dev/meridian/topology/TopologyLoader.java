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
 *     repositories:                                  # optional: which repositories the region holds
 *       include: ["**"]                              #   default: every repository
 *       exclude: ["eu-only/**"]                      #   default: none; exclude wins
 * costs:                                             # optional: copying costs, default 1 per pair
 *   - { from: eastus, to: westeurope, cost: 10 }     # symmetric unless both directions are given
 * </pre>
 *
 * Shapes that cannot be read (a list where a mapping belongs) are reported with the field checks of
 * {@link TopologyValidator}, all together.
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
      if (!r.repositories().isDefault()) {
        sb.append("    repositories:\n");
        sb.append("      include: ").append(quoted(r.repositories().include())).append('\n');
        sb.append("      exclude: ").append(quoted(r.repositories().exclude())).append('\n');
      }
    }
    if (!topology.costs().isEmpty()) {
      sb.append("costs:\n");
      for (TransferCost c : topology.costs()) {
        sb.append("  - { from: ").append(c.from()).append(", to: ").append(c.to()).append(", cost: ").append(c.cost()).append(" }\n");
      }
    }
    return sb.toString();
  }

  /** Globs are written quoted: a plain YAML scalar cannot start with {@code *} (it would be an alias). */
  private static String quoted(List<RepositoryGlob> globs) {
    return globs.stream().map(g -> "\"" + g.text() + "\"").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }

  private static TopologyValidator.RawTopology toRaw(JsonNode root) {
    List<String> problems = new ArrayList<>();
    List<TopologyValidator.RawRegion> regions = new ArrayList<>();
    JsonNode regionsNode = root.get("regions");
    if (regionsNode != null && regionsNode.isArray()) {
      for (JsonNode r : regionsNode) {
        String where = TopologyValidator.where(regions.size(), text(r, "id"));
        regions.add(new TopologyValidator.RawRegion(text(r, "id"), text(r, "url"), text(r, "routingEnabled"), text(r, "mode"),
            filter(r.get("repositories"), where + ": repositories", problems)));
      }
    }
    JsonNode topics = root.path("topics");
    return new TopologyValidator.RawTopology(
        text(root, "kafka"),
        text(topics, "partitions"),
        text(topics, "replicationFactor"),
        regionsNode == null ? null : regionsNode.isArray() ? regions : null,
        fieldNames(root),
        costs(root.get("costs"), problems),
        problems);
  }

  private static TopologyValidator.RawFilter filter(JsonNode node, String where, List<String> problems) {
    if (node == null || node.isNull()) return null;
    if (!node.isObject()) {
      problems.add(where + " must be a mapping {include: [...], exclude: [...]}");
      return null;
    }
    return new TopologyValidator.RawFilter(patterns(node.get("include"), where + ".include", problems),
        patterns(node.get("exclude"), where + ".exclude", problems), fieldNames(node));
  }

  /** The patterns of a list, null when absent or unreadable (the problem is recorded). */
  private static List<String> patterns(JsonNode node, String where, List<String> problems) {
    if (node == null || node.isNull()) return null;
    if (!node.isArray()) {
      problems.add(where + " must be a list of patterns, e.g. [\"team-a/**\"]");
      return null;
    }
    List<String> patterns = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        problems.add(where + " has " + item + ", not a pattern");
        continue;
      }
      patterns.add(item.asText());
    }
    return patterns;
  }

  private static List<TopologyValidator.RawCost> costs(JsonNode node, List<String> problems) {
    List<TopologyValidator.RawCost> costs = new ArrayList<>();
    if (node == null || node.isNull()) return costs;
    if (!node.isArray()) {
      problems.add("costs: must be a list of {from, to, cost}");
      return costs;
    }
    int i = 0;
    for (JsonNode c : node) {
      if (!c.isObject()) {
        problems.add("costs[" + i + "]: must be a mapping {from, to, cost}");
        costs.add(null);
      } else {
        costs.add(new TopologyValidator.RawCost(text(c, "from"), text(c, "to"), text(c, "cost"), fieldNames(c)));
      }
      i++;
    }
    return costs;
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
