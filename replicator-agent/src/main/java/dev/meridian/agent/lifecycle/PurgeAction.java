package dev.meridian.agent.lifecycle;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.time.Instant;

/**
 * One delete a purge or retention decided: a tag (the manifest keeps other tags), a tagged manifest with all its
 * tags, or an untagged manifest, all as ordinary deletes so they replicate as {@code tag.delete} and
 * {@code manifest.delete}.
 *
 * @param lastUpdated when the tag was last moved, or the manifest pushed (from the register's HLC)
 */
public record PurgeAction(Kind kind, RepositoryName repository, Reference reference, Digest digest, Instant lastUpdated) {
  /** What is deleted. */
  public enum Kind {
    TAG,
    MANIFEST,
    UNTAGGED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public PurgeAction {
    requireNonNull(kind, "kind");
    requireNonNull(repository, "repository");
    requireNonNull(reference, "reference");
    requireNonNull(digest, "digest");
    requireNonNull(lastUpdated, "lastUpdated");
  }

  /** {@code repo:tag} or {@code repo@digest}. */
  public String image() {
    return repository + (reference instanceof Reference.TagReference ? ":" : "@") + reference;
  }
}
