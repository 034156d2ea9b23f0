package dev.meridian.core.event;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest was stored in the origin region. It carries what a peer needs to fetch the content before
 * the manifest bytes themselves: every referenced descriptor (config, layers, child manifests), the
 * subject for the referrers API, and the artifact type.
 *
 * <p>{@code size} is the manifest's own size in bytes, at most {@link ManifestBytes#MAX_SIZE}.
 */
public record ManifestPut(
    String id,
    RegionId origin,
    HlcTimestamp hlc,
    RepositoryName repository,
    Digest digest,
    MediaType mediaType,
    long size,
    List<Descriptor> references,
    Optional<Descriptor> subject,
    Optional<String> artifactType,
    Map<String, String> annotations)
    implements ReplicationEvent {
  public ManifestPut {
    EventFields.requireCommon(id, origin, hlc, repository);
    requireNonNull(digest, "digest");
    requireNonNull(mediaType, "mediaType");
    EventFields.requireSize(size);
    if (size > ManifestBytes.MAX_SIZE) {
      throw new IllegalArgumentException("manifest size " + size + " exceeds " + ManifestBytes.MAX_SIZE);
    }
    references = List.copyOf(requireNonNull(references, "references"));
    requireNonNull(subject, "subject");
    requireNonNull(artifactType, "artifactType");
    if (artifactType.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("artifactType is blank");
    }
    annotations = Map.copyOf(requireNonNull(annotations, "annotations"));
  }

  @Override
  public EventType type() {
    return EventType.MANIFEST_PUT;
  }
}
