package dev.meridian.core.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever arrives, the parser returns a manifest or refuses with {@code MANIFEST_INVALID}: no other
 * exception, no hang. Inputs: random bytes, random JSON-like text, and mutations of real manifests.
 */
class ManifestParserFuzzTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> VALID = List.of(ManifestExamples.DOCKER_MANIFEST, ManifestExamples.OCI_MANIFEST,
      ManifestExamples.OCI_INDEX, ManifestExamples.DOCKER_MANIFEST_LIST, ManifestExamples.OCI_ARTIFACT);
  private static final List<MediaType> TYPES = List.of(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX,
      MediaType.DOCKER_MANIFEST, MediaType.DOCKER_MANIFEST_LIST);
  private static final List<String> WORDS = List.of("schemaVersion", "mediaType", "config", "layers", "manifests",
      "digest", "size", "subject", "artifactType", "annotations", "platform", "urls", "data",
      MediaType.OCI_MANIFEST.value(), MediaType.OCI_INDEX.value(), ManifestExamples.CONFIG_DIGEST, "sha256:", "2");

  @Property
  void arbitraryBytesParseOrAreRefused(@ForAll @Size(max = 600) byte[] bytes, @ForAll("manifestTypes") MediaType type) {
    assertParsesOrIsRefused(bytes, type);
    assertDetectsOrIsRefused(bytes);
  }

  @Property
  void jsonLikeTextParsesOrIsRefused(@ForAll("jsonLikeText") String text, @ForAll("manifestTypes") MediaType type) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertParsesOrIsRefused(bytes, type);
    assertDetectsOrIsRefused(bytes);
  }

  @Property(tries = 2000)
  void byteMutationsOfRealManifestsParseOrAreRefused(@ForAll("byteMutants") byte[] bytes) {
    for (MediaType type : TYPES) assertParsesOrIsRefused(bytes, type);
    assertDetectsOrIsRefused(bytes);
  }

  @Property(tries = 2000)
  void valueReplacementsInRealManifestsParseOrAreRefused(@ForAll("treeMutants") String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    for (MediaType type : TYPES) assertParsesOrIsRefused(bytes, type);
    MediaType detected;
    try {
      detected = ManifestParser.detectMediaType(bytes);
    } catch (RegistryException e) {
      assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID);
      return;
    }
    // What a Content-Type-less client gets: detection then parsing, still only a manifest or a refusal.
    assertParsesOrIsRefused(bytes, detected);
  }

  @Test
  @Timeout(30)
  void pathologicalDocumentsAreRefusedQuickly() {
    var cases = List.of(
        "[".repeat(200_000),
        "{\"a\":".repeat(100_000),
        "{\"schemaVersion\": 2, \"layers\": " + "[".repeat(50) + "]".repeat(50) + "}",
        "{\"schemaVersion\": " + "9".repeat(1_000_000) + "}",
        "{\"schemaVersion\": 2, \"config\": {\"size\": 1e999999}}",
        "{\"annotations\": {\"a\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}",
        "{\"" + "k".repeat(2 * 1024 * 1024) + "\": 1}",
        "{\"schemaVersion\": 2" + ", \"x\": [] ".repeat(300_000) + "}");
    for (String text : cases) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      for (MediaType type : TYPES) {
        assertThatThrownBy(() -> ManifestParser.parse(new ManifestBytes(bytes, type)))
            .isInstanceOfSatisfying(RegistryException.class,
                e -> assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID));
      }
    }
  }

  @Test
  @Timeout(30)
  void deepPlatformWithinTheLimitIsKeptAndBeyondItIsRefused() {
    String within = ManifestExamples.with(ManifestExamples.OCI_INDEX, "/manifests/0/platform", nested(20));
    var index = (Manifest.ImageIndex) ManifestParser.parse(ManifestExamples.bytes(within, MediaType.OCI_INDEX));
    assertThat(index.manifests().get(0).platform()).isPresent();

    String beyond = ManifestExamples.with(ManifestExamples.OCI_INDEX, "/manifests/0/platform", nested(40));
    assertThatThrownBy(() -> ManifestParser.parse(ManifestExamples.bytes(beyond, MediaType.OCI_INDEX)))
        .isInstanceOf(RegistryException.class).hasMessageContaining("nesting depth");
  }

  /** Runs every generated case; also proves mutants are not all trivially refused. */
  @Test
  void someValueReplacementsStillParse() {
    var random = new Random(7);
    int parsed = 0;
    for (int i = 0; i < 500; i++) {
      try {
        ManifestParser.parse(ManifestExamples.bytes(replaceRandomValue(random), MediaType.OCI_MANIFEST));
        parsed++;
      } catch (RegistryException expected) {
        // Refusals are the common case; the assertion below needs only some successes.
      }
    }
    assertThat(parsed).isPositive();
  }

  private static ObjectNode nested(int depth) {
    ObjectNode root = NODES.objectNode();
    ObjectNode current = root;
    for (int i = 0; i < depth; i++) current = current.putObject("n");
    return root;
  }

  private static void assertParsesOrIsRefused(byte[] bytes, MediaType type) {
    long start = System.nanoTime();
    try {
      Manifest manifest = ManifestParser.parse(new ManifestBytes(bytes, type));
      assertThat(manifest.mediaType()).isEqualTo(type);
      assertThat(manifest.references()).doesNotContainNull();
      assertThat(manifest instanceof Manifest.ImageIndex).isEqualTo(type.isIndex());
    } catch (RegistryException e) {
      assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID);
      assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(600);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  private static void assertDetectsOrIsRefused(byte[] bytes) {
    try {
      assertThat(ManifestParser.detectMediaType(bytes)).isNotNull();
    } catch (RegistryException e) {
      assertThat(e.code()).isEqualTo(OciErrorCode.MANIFEST_INVALID);
    }
  }

  @Provide
  Arbitrary<MediaType> manifestTypes() {
    return Arbitraries.of(TYPES);
  }

  @Provide
  Arbitrary<String> jsonLikeText() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "-", "0", "1e9", "\\u0000", " "),
        Arbitraries.of(WORDS).map(w -> "\"" + w + "\""),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.strings().ofMaxLength(8));
    return token.list().ofMaxSize(60).map(tokens -> String.join("", tokens));
  }

  @Provide
  Arbitrary<byte[]> byteMutants() {
    return Arbitraries.randoms().map(random -> {
      byte[] bytes = VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8);
      int mutations = 1 + random.nextInt(4);
      for (int i = 0; i < mutations; i++) bytes = mutateBytes(bytes, random);
      return bytes;
    });
  }

  @Provide
  Arbitrary<String> treeMutants() {
    return Arbitraries.randoms().map(ManifestParserFuzzTest::replaceRandomValue);
  }

  private static byte[] mutateBytes(byte[] bytes, Random random) {
    if (bytes.length == 0) return new byte[] {(byte) random.nextInt()};
    int at = random.nextInt(bytes.length);
    int length = 1 + random.nextInt(Math.min(32, bytes.length - at));
    switch (random.nextInt(4)) {
      case 0: { // delete a run
        byte[] out = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(bytes, at + length, out, at, bytes.length - at - length);
        return out;
      }
      case 1: { // duplicate a run
        byte[] out = new byte[bytes.length + length];
        System.arraycopy(bytes, 0, out, 0, at + length);
        System.arraycopy(bytes, at, out, at + length, bytes.length - at);
        return out;
      }
      case 2: { // flip one bit
        byte[] out = bytes.clone();
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      default: { // overwrite with a random byte
        byte[] out = bytes.clone();
        out[at] = (byte) random.nextInt(256);
        return Arrays.copyOf(out, out.length);
      }
    }
  }

  /** A valid manifest with one value, anywhere in its tree, replaced by a value of some other JSON type. */
  private static String replaceRandomValue(Random random) {
    ObjectNode root = ManifestExamples.tree(VALID.get(random.nextInt(VALID.size())));
    var slots = new ArrayList<JsonNode>();
    collectContainers(root, slots);
    JsonNode container = slots.get(random.nextInt(slots.size()));
    JsonNode replacement = randomValue(random, 3);
    if (container instanceof ObjectNode object && object.size() > 0) {
      var names = new ArrayList<String>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      if (random.nextInt(5) == 0) object.remove(name);
      else object.set(name, replacement);
    } else if (container instanceof ArrayNode array && array.size() > 0) {
      int index = random.nextInt(array.size());
      if (random.nextInt(5) == 0) array.remove(index);
      else array.set(index, replacement);
    }
    return ManifestExamples.json(root);
  }

  private static void collectContainers(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      node.forEach(child -> collectContainers(child, out));
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    switch (random.nextInt(depth > 0 ? 13 : 11)) {
      case 0: return NODES.nullNode();
      case 1: return NODES.booleanNode(random.nextBoolean());
      case 2: return NODES.numberNode(random.nextLong());
      case 3: return NODES.numberNode(-1 - random.nextInt(10));
      case 4: return NODES.numberNode(new BigInteger("92233720368547758080").multiply(BigInteger.valueOf(random.nextInt(9) + 1)));
      case 5: return NODES.numberNode(random.nextDouble() * 1e6);
      case 6: return NODES.textNode(WORDS.get(random.nextInt(WORDS.size())));
      case 7: return NODES.textNode("");
      case 8: return NODES.numberNode(2);
      case 9: return NODES.textNode("sha256:" + "0".repeat(random.nextInt(70)));
      case 10: return NODES.textNode("application/vnd.example+json");
      case 11: {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) array.add(randomValue(random, depth - 1));
        return array;
      }
      default: {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          object.set(WORDS.get(random.nextInt(WORDS.size())), randomValue(random, depth - 1));
        }
        return object;
      }
    }
  }
}
