package dev.meridian.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
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

  ObjectNode write(Descriptor descriptor) {
    ObjectNode node = mapper.createObjectNode();
    node.put("mediaType", descriptor.mediaType().value());
    node.put("digest", descriptor.digest().toString());
    node.put("size", descriptor.size());
    descriptor.artifactType().ifPresent(type -> node.put("artifactType", type));
    if (!descriptor.annotations().isEmpty()) node.set("annotations", writeStringMap(descriptor.annotations()));
    descriptor.platform().ifPresent(platform -> node.set("platform", mapper.valueToTree(new TreeMap<>(platform))));
    return node;
  }

  ObjectNode writeStringMap(Map<String, String> map) {
    ObjectNode node = mapper.createObjectNode();
    new TreeMap<>(map).forEach(node::put); // sorted: equal events encode to equal bytes
    return node;
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
