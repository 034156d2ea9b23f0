package dev.meridian.core.oci;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: what a manifest says about content it references. {@code platform} is kept
 * only for index children, as its raw JSON map, because the registry never interprets it.
 */
public record Descriptor(
    MediaType mediaType,
    Digest digest,
    long size,
    Optional<String> artifactType,
    Map<String, String> annotations,
    Optional<Map<String, Object>> platform) {
  public Descriptor {
    requireNonNull(mediaType, "mediaType");
    requireNonNull(digest, "digest");
    if (size < 0) throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "negative descriptor size: " + size);
    requireNonNull(artifactType, "artifactType");
    annotations = Map.copyOf(requireNonNull(annotations, "annotations"));
    requireNonNull(platform, "platform");
    platform = platform.map(Map::copyOf);
  }

  public static Descriptor of(MediaType mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Optional.empty(), Map.of(), Optional.empty());
  }
}
