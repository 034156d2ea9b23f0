package dev.meridian.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link Descriptor} in the OCI image-spec's JSON form: {@code mediaType}, {@code digest}, {@code size},
 * then {@code artifactType}, {@code annotations} and {@code platform} only when set. Fields a descriptor
 * may also carry ({@code urls}, {@code data}) are ignored: the registry never needs them from an event.
 */
final class DescriptorJson {
  private final ObjectMapper mapper;

  DescriptorJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void write(JsonGenerator json, Descriptor descriptor) throws IOException {
    json.writeStartObject();
    json.writeStringField("mediaType", descriptor.mediaType().value());
    json.writeStringField("digest", descriptor.digest().toString());
    json.writeNumberField("size", descriptor.size());
    if (descriptor.artifactType().isPresent()) json.writeStringField("artifactType", descriptor.artifactType().get());
    if (!descriptor.annotations().isEmpty()) {
      json.writeFieldName("annotations");
      writeStringMap(json, descriptor.annotations());
    }
    if (descriptor.platform().isPresent()) {
      json.writeFieldName("platform");
      mapper.writeValue(json, new TreeMap<>(descriptor.platform().get()));
    }
    json.writeEndObject();
  }

  /** Sorted by key: equal events encode to equal bytes. */
  void writeStringMap(JsonGenerator json, Map<String, String> map) throws IOException {
    json.writeStartObject();
    for (var entry : new TreeMap<>(map).entrySet()) json.writeStringField(entry.getKey(), entry.getValue());
    json.writeEndObject();
  }

  Descriptor read(JsonNode value, String path) {
    JsonFields fields = JsonFields.of(value, path);
    MediaType mediaType = fields.require("mediaType", MediaType::new);
    Digest digest = fields.require("digest", Digest::parse);
    long size = fields.requireLong("size");
    Optional<String> artifactType = fields.optionalText("artifactType");
    Map<String, String> annotations = fields.stringMap("annotations");
    Optional<Map<String, Object>> platform = fields.optionalObject("platform").map(this::readPlatform);
    return fields.construct(() -> new Descriptor(mediaType, digest, size, artifactType, annotations, platform));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> readPlatform(JsonFields platform) {
    return platform.construct(() -> mapper.convertValue(platform.node(), Map.class));
  }
}
