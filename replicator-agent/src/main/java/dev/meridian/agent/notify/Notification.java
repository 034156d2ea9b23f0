package dev.meridian.agent.notify;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One thing that happened in a region that a webhook receiver or a pipeline wants to hear of. Its {@code id} is
 * unique and stays the same on every delivery attempt, so a receiver deduplicates by it (delivery is at least once).
 *
 * @param region where it happened (the region sending the notification)
 * @param origin the region the manifest was written in (a push here: this region)
 * @param repository absent for {@code quarantined}: the blob store is shared by every repository
 * @param mediaType the manifest's media type, when known
 * @param size the manifest's (or the quarantined blob's) size in bytes; 0 when unknown
 * @param pendingManifests for {@code quarantined}: the manifests ({@code repository@digest}) waiting for the blob
 */
public record Notification(String id, NotificationType type, Instant timestamp, RegionId region, Optional<RegionId> origin,
    Optional<RepositoryName> repository, Digest digest, Optional<Tag> tag, Optional<String> mediaType, long size,
    List<String> pendingManifests) {
  public Notification {
    requireNonNull(id, "id");
    if (id.isBlank()) throw new IllegalArgumentException("notification id is empty");
    requireNonNull(type, "type");
    requireNonNull(timestamp, "timestamp");
    requireNonNull(region, "region");
    requireNonNull(origin, "origin");
    requireNonNull(repository, "repository");
    requireNonNull(digest, "digest");
    requireNonNull(tag, "tag");
    requireNonNull(mediaType, "mediaType");
    if (size < 0) throw new IllegalArgumentException("size < 0: " + size);
    pendingManifests = List.copyOf(pendingManifests);
    if (type != NotificationType.QUARANTINED && repository.isEmpty()) {
      throw new IllegalArgumentException(type.wireName() + " notification without a repository");
    }
  }

  /** The Kafka key of the notifications topic: the repository (one repository's notifications in order), else the digest. */
  public String key() {
    return repository.map(RepositoryName::value).orElse(digest.toString());
  }
}
