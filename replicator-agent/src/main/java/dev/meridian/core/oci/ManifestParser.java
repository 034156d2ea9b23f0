package dev.meridian.core.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TEMPORARY stand-in until the core's parser is merged; delete then. */
public final class ManifestParser {
  private ManifestParser() {}

  public static Manifest parse(ManifestBytes bytes) {
    if (!bytes.mediaType().isManifest()) throw RegistryException.manifestInvalid("not a manifest type");
    try {
      JsonNode root = new ObjectMapper().readTree(bytes.bytes());
      if (root == null || !root.isObject()) throw RegistryException.manifestInvalid("not an object");
      Optional<Descriptor> subject = root.has("subject") ? Optional.of(desc(root.get("subject"))) : Optional.empty();
      Optional<String> at = root.has("artifactType") ? Optional.of(root.get("artifactType").asText()) : Optional.empty();
      if (bytes.mediaType().isIndex()) {
        List<Descriptor> m = new ArrayList<>();
        for (JsonNode n : root.get("manifests")) m.add(desc(n));
        return new Manifest.ImageIndex(bytes.mediaType(), m, subject, at, Map.of());
      }
      Descriptor config = desc(root.get("config"));
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode n : root.get("layers")) layers.add(desc(n));
      if (at.isEmpty()) at = Optional.of(config.mediaType().value());
      return new Manifest.ImageManifest(bytes.mediaType(), config, layers, subject, at, Map.of());
    } catch (RegistryException e) {
      throw e;
    } catch (Exception e) {
      throw RegistryException.manifestInvalid("invalid: " + e.getMessage());
    }
  }

  private static Descriptor desc(JsonNode n) {
    return Descriptor.of(MediaType.parse(n.get("mediaType").asText()), Digest.parse(n.get("digest").asText()), n.get("size").asLong());
  }
}
