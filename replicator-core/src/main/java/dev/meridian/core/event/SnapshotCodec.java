package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.LogPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The wire form of a register snapshot (DESIGN.md §7): JSON lines, one object per line.
 *
 * <pre>{@code
 * {"snapshot":1,"region":"eastus","offsets":[{"topic":"meridian.events","partition":0,"next":1234},...]}
 * {"schema":1,"type":"manifest.put",...}      one register per line, in the event form of EventCodec
 * {"schema":1,"type":"tag.delete",...}
 * {"end":true,"records":2}
 * }</pre>
 *
 * <p>Each register is written as the event that would produce it (same origin and HLC), so a joining region merges
 * it with the replay rules it already has. The last line counts the register lines: a stream cut short has none,
 * and must not be taken as a whole snapshot. Thread-safe.
 */
public final class SnapshotCodec {
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private final EventCodec events = new EventCodec();

  /** One decoded line. */
  public sealed interface Line {}

  /** The first line: who took the snapshot, and the next offset of each partition its registers reflect. */
  public record Header(RegionId region, Map<LogPosition, Long> offsets) implements Line {
    public Header {
      requireNonNull(region, "region");
      offsets = Map.copyOf(offsets);
      offsets.values().forEach(o -> {
        if (o < 0) throw new IllegalArgumentException("negative offset " + o);
      });
    }
  }

  /** A register, as the event that writes it. */
  public record Register(ReplicationEvent event) implements Line {
    public Register {
      requireNonNull(event, "event");
    }
  }

  /** The last line: how many register lines came before it. */
  public record End(long records) implements Line {
    public End {
      if (records < 0) throw new IllegalArgumentException("records < 0: " + records);
    }
  }

  /** The line's bytes, ending with {@code \n}. */
  public byte[] encode(Line line) {
    byte[] json;
    if (line instanceof Register r) {
      json = events.encode(r.event());
    } else {
      ObjectNode node = MAPPER.createObjectNode();
      if (line instanceof Header h) {
        node.put("snapshot", VERSION);
        node.put("region", h.region().value());
        ArrayNode offsets = node.putArray("offsets");
        new TreeMap<>(h.offsets()).forEach((position, next) -> offsets.addObject()
            .put("topic", position.topic()).put("partition", position.partition()).put("next", next));
      } else if (line instanceof End e) {
        node.put("end", true);
        node.put("records", e.records());
      }
      try {
        json = MAPPER.writeValueAsBytes(node);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serialises", e);
      }
    }
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    return out;
  }

  /** The line in these bytes (without its newline); {@link IllegalArgumentException} if it is none. */
  public Line decode(byte[] bytes) {
    // Every line but the first and the last is a register, and the streaming decoder takes only a plain event (every
    // field one it knows: never a header's or an end's): a seed of 4.2 million registers built a JSON tree of each
    // just to look for those two fields, a tenth of the merging thread.
    ReplicationEvent event = events.decodeStreaming(bytes);
    if (event != null) return new Register(event);
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("snapshot line is not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) throw new IllegalArgumentException("snapshot line is not a JSON object");
    try {
      if (node.has("snapshot")) return header(node);
      if (node.has("end")) return new End(node.path("records").asLong(-1));
      return new Register(events.decode(bytes));
    } catch (EventDecodeException | IllegalArgumentException e) {
      throw new IllegalArgumentException("bad snapshot line: " + e.getMessage(), e);
    }
  }

  private static Header header(JsonNode node) {
    int version = node.path("snapshot").asInt(-1);
    if (version != VERSION) throw new IllegalArgumentException("unsupported snapshot version " + node.path("snapshot"));
    Map<LogPosition, Long> offsets = new TreeMap<>();
    for (JsonNode o : node.path("offsets")) {
      if (!o.path("next").canConvertToLong()) throw new IllegalArgumentException("offset without next: " + o);
      offsets.put(new LogPosition(o.path("topic").asText(), o.path("partition").asInt(-1)), o.path("next").asLong());
    }
    return new Header(new RegionId(node.path("region").asText()), offsets);
  }

  /** The line as text, for logs. */
  public static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8).strip();
  }
}
