package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.Optional;

/** The tag register: which manifest a tag points at, or a tombstone ({@code digest} empty) once deleted. */
public record TagRecord(RepositoryName repository, Tag tag, Optional<Digest> digest, Stamp stamp) {
  public TagRecord {
    requireNonNull(repository, "repository");
    requireNonNull(tag, "tag");
    requireNonNull(digest, "digest");
    requireNonNull(stamp, "stamp");
  }

  public boolean isDeleted() {
    return digest.isEmpty();
  }
}
