package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The manifest presence register of one repository: a manifest's metadata and whether it is present or
 * deleted. The manifest's bytes live in the blob store under {@code digest}.
 */
public record ManifestRecord(
    RepositoryName repository,
    Digest digest,
    MediaType mediaType,
    long size,
    List<Descriptor> references,
    Optional<Descriptor> subject,
    Optional<String> artifactType,
    Map<String, String> annotations,
    boolean present,
    Stamp stamp) {
  public ManifestRecord {
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    requireNonNull(mediaType, "mediaType");
    if (size < 0) throw new IllegalArgumentException("size < 0");
    references = List.copyOf(references);
    requireNonNull(subject, "subject");
    requireNonNull(artifactType, "artifactType");
    annotations = Map.copyOf(annotations);
    requireNonNull(stamp, "stamp");
  }

  /** The descriptor a referrers response lists for this manifest. */
  public Descriptor asDescriptor() {
    return new Descriptor(mediaType, digest, size, artifactType, annotations, Optional.empty());
  }

  /** Whether this register is a deletion made at or after {@code since} (by its HLC wall time): soft delete. */
  public boolean deletedSince(java.time.Instant since) {
    return !present && stamp.hlc().physicalMillis() >= since.toEpochMilli();
  }

  /** This register as deleted at {@code at}; metadata is kept so a late referrer query can still explain it. */
  public ManifestRecord deletedAt(Stamp at) {
    return new ManifestRecord(repository, digest, mediaType, size, references, subject, artifactType, annotations, false, at);
  }
}
