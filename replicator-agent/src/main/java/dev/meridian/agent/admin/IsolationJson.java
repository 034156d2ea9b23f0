package dev.meridian.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of {@code /admin/v1/region/isolation}, both ways:
 * {@code {"region", "isolated", "outboxBacklog", "unshipped": [{"type", "repository", "tag", "digest", "hlc"}], "truncated"}}.
 */
public final class IsolationJson {
  /** At most this many unshipped writes are listed; {@code truncated} says when there were more. */
  public static final int LIST_LIMIT = 10_000;

  private IsolationJson() {}

  public static ObjectNode isolation(String region, RegionIsolation isolation) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("region", region);
    n.put("isolated", isolation.isolated());
    n.put("outboxBacklog", isolation.outboxBacklog());
    List<UnshippedWrite> writes = isolation.unshipped(LIST_LIMIT);
    ArrayNode list = n.putArray("unshipped");
    for (UnshippedWrite w : writes) {
      ObjectNode e = list.addObject();
      e.put("type", w.type());
      e.put("repository", w.repository());
      e.put("tag", w.tag().orElse(null));
      e.put("digest", w.digest().orElse(null));
      e.put("hlc", w.hlc());
    }
    n.put("truncated", writes.size() >= LIST_LIMIT);
    return n;
  }

  public static boolean parseIsolated(JsonNode n) {
    JsonNode isolated = n.path("isolated");
    if (!isolated.isBoolean()) throw new IllegalArgumentException("isolation answer without a boolean 'isolated'");
    return isolated.booleanValue();
  }

  public static List<UnshippedWrite> parseUnshipped(JsonNode n) {
    JsonNode list = n.path("unshipped");
    if (!list.isArray()) throw new IllegalArgumentException("isolation answer without an 'unshipped' list");
    List<UnshippedWrite> writes = new ArrayList<>();
    for (JsonNode e : list) {
      writes.add(new UnshippedWrite(e.path("type").asText(), e.path("repository").asText(), text(e, "tag"), text(e, "digest"),
          e.path("hlc").asText()));
    }
    return List.copyOf(writes);
  }

  private static Optional<String> text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
  }
}
