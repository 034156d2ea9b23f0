package dev.meridian.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever is on the topic, decode answers with an event or an {@link EventDecodeException}: nothing else. */
class EventCodecFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final EventCodec codec = new EventCodec();

  @Property(tries = 3000)
  void randomBytesDecodeToAnEventOrADecodeFailure(@ForAll @Size(max = 300) byte[] bytes) {
    decodesOrRefuses(bytes);
  }

  @Property(tries = 3000)
  void byteLevelMutationsOfValidEventsDecodeOrFail(
      @ForAll("events") ReplicationEvent event, @ForAll("positions") List<Integer> positions,
      @ForAll("byteValues") List<Byte> values, @ForAll boolean truncate) {
    byte[] bytes = codec.encode(event);
    for (int i = 0; i < positions.size() && i < values.size(); i++) {
      bytes[Math.floorMod(positions.get(i), bytes.length)] = values.get(i);
    }
    if (truncate) bytes = java.util.Arrays.copyOf(bytes, Math.floorMod(positions.hashCode(), bytes.length));
    decodesOrRefuses(bytes);
  }

  @Property(tries = 3000)
  void fieldLevelMutationsOfValidEventsDecodeOrFail(
      @ForAll("events") ReplicationEvent event, @ForAll int fieldChoice, @ForAll("jsonValues") JsonNode value,
      @ForAll boolean remove) throws Exception {
    ObjectNode node = (ObjectNode) JSON.readTree(codec.encode(event));
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    String field = names.get(Math.floorMod(fieldChoice, names.size()));
    ObjectNode target = node;
    JsonNode refs = node.get("references");
    if (refs != null && refs.size() > 0 && fieldChoice % 3 == 0) {
      target = (ObjectNode) refs.get(0); // reach into a descriptor too
      field = List.of("mediaType", "digest", "size", "annotations", "platform").get(Math.floorMod(fieldChoice, 5));
    }
    if (remove) target.remove(field); else target.set(field, value);

    decodesOrRefuses(JSON.writeValueAsBytes(node));
  }

  /**
   * The fast path reads with a parser that does not look for duplicate keys itself (that cost a set per object on
   * every replayed record), so a field written twice, at the top, in a descriptor or among annotations, must still be
   * refused exactly as the tree decoder refuses it.
   */
  @Property(tries = 2000)
  void aFieldWrittenTwiceAnywhereIsRefusedAsTheTreeDecoderRefusesIt(
      @ForAll("events") ReplicationEvent event, @ForAll int fieldChoice) throws Exception {
    JsonNode node = JSON.readTree(codec.encode(event));
    int fields = countFields(node);
    var out = new java.io.ByteArrayOutputStream();
    try (var json = JSON.getFactory().createGenerator(out)) {
      writeDuplicating(json, node, new int[] {Math.floorMod(fieldChoice, fields)});
    }
    byte[] bytes = out.toByteArray();

    decodesOrRefuses(bytes);
    assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> codec.decode(bytes), EventDecodeException.class))
        .as("decoding %s", new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
        .isNotNull()
        .hasMessageContaining("Duplicate field");
  }

  private static int countFields(JsonNode node) {
    int count = 0;
    for (JsonNode child : node) count += countFields(child);
    return node.isObject() ? count + node.size() : count;
  }

  /** Writes {@code node}, the field whose turn comes when {@code countdown[0]} reaches 0 written twice. */
  private static void writeDuplicating(com.fasterxml.jackson.core.JsonGenerator json, JsonNode node, int[] countdown)
      throws java.io.IOException {
    if (node.isObject()) {
      json.writeStartObject();
      var fields = node.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        boolean twice = countdown[0]-- == 0;
        json.writeFieldName(field.getKey());
        writeDuplicating(json, field.getValue(), countdown);
        if (twice) {
          json.writeFieldName(field.getKey());
          json.writeTree(field.getValue());
        }
      }
      json.writeEndObject();
    } else if (node.isArray()) {
      json.writeStartArray();
      for (JsonNode item : node) writeDuplicating(json, item, countdown);
      json.writeEndArray();
    } else {
      json.writeTree(node);
    }
  }

  @Provide
  Arbitrary<ReplicationEvent> events() {
    return EventArbitraries.events();
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Byte>> byteValues() {
    Arbitrary<Byte> structural = Arbitraries.of("{}[]\":,\\0-. n".chars().mapToObj(c -> (byte) c).toList());
    return Arbitraries.oneOf(Arbitraries.bytes(), structural).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<JsonNode> jsonValues() {
    return Arbitraries.oneOf(
        Arbitraries.just(NODES.nullNode()),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.longs().map(NODES::numberNode),
        Arbitraries.doubles().map(NODES::numberNode),
        Arbitraries.bigIntegers().between(java.math.BigInteger.ZERO, java.math.BigInteger.TEN.pow(40))
            .map(NODES::numberNode),
        Arbitraries.strings().ofMaxLength(80).map(NODES::textNode),
        Arbitraries.of("sha256:" + "0".repeat(64), "tag.put", "1.1", "a/b", "v1", "").map(NODES::textNode),
        Arbitraries.just(NODES.arrayNode().add(1).add("x")),
        Arbitraries.just(NODES.objectNode().put("mediaType", "a/b")));
  }

  @Property(tries = 1000)
  void theStreamingPathDecodesEveryEncodedEventAsTheTreeDecoderDoes(@ForAll("events") ReplicationEvent event) {
    byte[] bytes = codec.encode(event);
    assertThat(codec.decode(bytes)).isEqualTo(event).isEqualTo(codec.decodeTree(bytes));
  }

  /** Whatever the bytes, the fast path and the tree decoder give the same event or the same refusal. */
  private void decodesOrRefuses(byte[] bytes) {
    Object tree;
    try {
      tree = codec.decodeTree(bytes);
    } catch (EventDecodeException e) {
      tree = e.reason() + ": " + e.getMessage();
    }
    try {
      ReplicationEvent decoded = codec.decode(bytes);
      assertThat(decoded).isEqualTo(tree);
      assertThat(codec.decode(codec.encode(decoded))).isEqualTo(decoded); // anything accepted is a valid event
    } catch (EventDecodeException expected) {
      assertThat(expected.reason()).isNotNull();
      assertThat(expected.getMessage()).isNotBlank();
      assertThat(expected.reason() + ": " + expected.getMessage()).isEqualTo(tree);
    }
  }
}
