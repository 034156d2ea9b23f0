package dev.meridian.core.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.error.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON side of {@link ManifestParser}: a hardened Jackson reader and typed field access that names the
 * offending field in every error. Every failure is a {@code MANIFEST_INVALID} {@link RegistryException}.
 *
 * <p>A JSON {@code null} is read as an absent field: Go's encoding/json, which most registries and clients
 * use, treats the two alike.
 */
final class ManifestJson {
  /** Far deeper than any real manifest (root, layers, descriptor, annotations: 4) yet shallow enough to be safe. */
  static final int MAX_NESTING_DEPTH = 32;
  /** A size is an int64 (19 digits); anything much longer is an attack, not a number. */
  static final int MAX_NUMBER_LENGTH = 32;
  /** No field of a real manifest comes near this; annotations carrying signatures are a few KiB. */
  static final int MAX_STRING_LENGTH = 1024 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxNumberLength(MAX_NUMBER_LENGTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .maxNameLength(MAX_STRING_LENGTH)
          .maxDocumentLength(ManifestBytes.MAX_SIZE)
          .build())
      // Two values for one key would let two parsers see two different manifests behind one digest.
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ManifestJson() {}

  /** Reads one JSON object; anything else (not JSON, an array, trailing bytes, limits exceeded) is refused. */
  static ObjectNode readObject(byte[] bytes) {
    JsonNode root;
    try {
      root = MAPPER.readTree(bytes);
    } catch (IOException | RuntimeException e) {
      // Jackson reports malformed input as IOExceptions, and a few corner cases as runtime exceptions.
      throw invalid("manifest is not valid JSON: " + shorten(String.valueOf(e.getMessage()), 200));
    }
    if (root == null || !root.isObject()) throw invalid("manifest is not a JSON object");
    return (ObjectNode) root;
  }

  static boolean has(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    return node != null && !node.isNull();
  }

  static Optional<String> optionalString(ObjectNode object, String field, String path) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) return Optional.empty();
    if (!node.isTextual()) throw invalid(path + " must be a string");
    return Optional.of(node.textValue());
  }

  static String requiredString(ObjectNode object, String field, String path) {
    return optionalString(object, field, path).orElseThrow(() -> invalid(path + " is required"));
  }

  static ObjectNode requiredObject(ObjectNode object, String field, String path) {
    return optionalObject(object, field, path).orElseThrow(() -> invalid(path + " is required"));
  }

  static Optional<ObjectNode> optionalObject(ObjectNode object, String field, String path) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) return Optional.empty();
    if (!node.isObject()) throw invalid(path + " must be an object");
    return Optional.of((ObjectNode) node);
  }

  /** The elements of a required array, each of which must be an object. */
  static List<ObjectNode> requiredObjectArray(ObjectNode object, String field, String path) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) throw invalid(path + " is required");
    if (!node.isArray()) throw invalid(path + " must be an array");
    var elements = new ArrayList<ObjectNode>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      if (!element.isObject()) throw invalid(path + "[" + i + "] must be an object");
      elements.add((ObjectNode) element);
    }
    return elements;
  }

  /** A required non-negative integer that fits an int64; {@code 1.0} and {@code 1e3} are not integers. */
  static long requiredNonNegativeLong(ObjectNode object, String field, String path) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) throw invalid(path + " is required");
    if (!node.isIntegralNumber()) throw invalid(path + " must be an integer");
    if (!node.canConvertToLong()) throw invalid(path + " is too large");
    long value = node.longValue();
    if (value < 0) throw invalid(path + " must not be negative: " + value);
    return value;
  }

  /** An optional string-to-string map, as {@code annotations} are. */
  static Map<String, String> stringMap(ObjectNode object, String field, String path) {
    Optional<ObjectNode> map = optionalObject(object, field, path);
    if (map.isEmpty()) return Map.of();
    var result = new LinkedHashMap<String, String>();
    map.get().fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual()) {
        throw invalid(path + "[\"" + shorten(entry.getKey(), 100) + "\"] must be a string");
      }
      result.put(entry.getKey(), entry.getValue().textValue());
    });
    return result;
  }

  /**
   * An object as plain, unmodifiable Java values (maps, lists, strings, numbers, booleans), for content the
   * registry keeps but never interprets. Top-level nulls are dropped, as absent fields.
   */
  static Map<String, Object> rawMap(ObjectNode object) {
    var result = new LinkedHashMap<String, Object>();
    object.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isNull()) result.put(entry.getKey(), raw(entry.getValue()));
    });
    return Collections.unmodifiableMap(result);
  }

  private static Object raw(JsonNode node) {
    if (node.isObject()) return rawMap((ObjectNode) node);
    if (node.isArray()) {
      var list = new ArrayList<Object>(node.size());
      node.forEach(element -> list.add(raw(element)));
      return Collections.unmodifiableList(list);
    }
    if (node.isTextual()) return node.textValue();
    if (node.isBoolean()) return node.booleanValue();
    if (node.isNumber()) return node.numberValue();
    return null;
  }

  static RegistryException invalid(String message) {
    return RegistryException.manifestInvalid(message);
  }

  /** Keeps error messages short whatever a client sent. */
  static String shorten(String text, int max) {
    return text.length() > max ? text.substring(0, max) + "..." : text;
  }
}
