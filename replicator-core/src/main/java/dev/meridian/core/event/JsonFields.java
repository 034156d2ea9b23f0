package dev.meridian.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.event.EventDecodeException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed reads from one JSON object, each failure an {@link EventDecodeException} naming the field by its
 * path (e.g. {@code references[2].digest}). A JSON {@code null} counts as absent.
 */
final class JsonFields {
  private static final int MAX_DETAIL = 160;

  private final ObjectNode node;
  private final String path;

  JsonFields(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static JsonFields of(JsonNode node, String path) {
    if (!(node instanceof ObjectNode object)) throw invalid(path, "not a JSON object");
    return new JsonFields(object, path);
  }

  ObjectNode node() {
    return node;
  }

  String name(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  Optional<JsonNode> optional(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  JsonNode require(String field) {
    return optional(field)
        .orElseThrow(() -> new EventDecodeException(Reason.MISSING_FIELD, "missing field '" + name(field) + "'"));
  }

  Optional<String> optionalText(String field) {
    return optional(field).map(value -> text(field, value));
  }

  String requireText(String field) {
    return text(field, require(field));
  }

  /** The field's text parsed by a core value type's constructor or parser; its refusal names the field. */
  <T> T require(String field, Function<String, T> parse) {
    String text = requireText(field);
    return parse(field, () -> parse.apply(text));
  }

  <T> Optional<T> optional(String field, Function<String, T> parse) {
    return optionalText(field).map(text -> parse(field, () -> parse.apply(text)));
  }

  long requireLong(String field) {
    JsonNode value = require(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) throw invalid(name(field), "not a 64-bit integer");
    return value.longValue();
  }

  boolean requireBoolean(String field) {
    JsonNode value = require(field);
    if (!value.isBoolean()) throw invalid(name(field), "not true or false");
    return value.booleanValue();
  }

  List<JsonNode> requireArray(String field) {
    JsonNode value = require(field);
    if (!value.isArray()) throw invalid(name(field), "not a JSON array");
    var items = new ArrayList<JsonNode>(value.size());
    value.elements().forEachRemaining(items::add);
    return items;
  }

  Optional<JsonFields> optionalObject(String field) {
    return optional(field).map(value -> of(value, name(field)));
  }

  /** A string-to-string map such as {@code annotations}; absent means empty. */
  Map<String, String> stringMap(String field) {
    var map = new LinkedHashMap<String, String>();
    optionalObject(field).ifPresent(object -> {
      for (Map.Entry<String, JsonNode> entry : object.node.properties()) {
        map.put(entry.getKey(), object.text(entry.getKey(), entry.getValue()));
      }
    });
    return map;
  }

  <T> T parse(String field, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (EventDecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      throw invalid(name(field), e.getMessage());
    }
  }

  /** Builds a value from fields already read; a refusal by its constructor describes this object. */
  <T> T construct(Supplier<T> build) {
    try {
      return build.get();
    } catch (EventDecodeException e) {
      throw e;
    } catch (RuntimeException e) {
      String what = path.isEmpty() ? "event" : "'" + path + "'";
      throw new EventDecodeException(Reason.INVALID_FIELD, "invalid " + what + ": " + shorten(e.getMessage()));
    }
  }

  private String text(String field, JsonNode value) {
    if (!value.isTextual()) throw invalid(name(field), "not a JSON string");
    return value.textValue();
  }

  static EventDecodeException invalid(String name, String why) {
    return new EventDecodeException(Reason.INVALID_FIELD, "invalid field '" + name + "': " + shorten(why));
  }

  static String shorten(String text) {
    if (text == null) return "no detail";
    return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "...";
  }
}
