package dev.meridian.agent.registry;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.RegistryState;
import java.util.Collection;
import java.util.Optional;

/**
 * The lock registers as rules (the {@code write-enabled} and {@code delete-enabled} attributes of
 * {@code az acr repository update}): a repository's lock covers every tag and manifest in it, a tag's covers
 * the tag, a manifest's covers the manifest and deleting it. Refusals are {@code DENIED} (403) and say how to
 * unlock. Only local writes are checked: a replicated write was allowed where it was made, and the registers
 * merge by stamp, so every region ends with the same lock and the same content.
 */
public final class Locks {
  private final RegistryState state;

  public Locks(RegistryState state) {
    this.state = state;
  }

  /** The lock register of the repository, a tag or a manifest; none means both flags enabled. */
  public Optional<LockRecord> find(RepositoryName repository, Optional<Reference> reference) {
    return state.findLock(repository, reference);
  }

  public boolean writeEnabled(RepositoryName repository, Optional<Reference> reference) {
    return find(repository, reference).map(LockRecord::writeEnabled).orElse(true);
  }

  public boolean deleteEnabled(RepositoryName repository, Optional<Reference> reference) {
    return find(repository, reference).map(LockRecord::deleteEnabled).orElse(true);
  }

  /** Whether a manifest may not be deleted: by its repository's, its own, or any of its tags' lock. */
  public boolean deleteLocked(RepositoryName repository, Digest digest, Collection<Tag> tags) {
    if (!deleteEnabled(repository, Optional.empty())) return true;
    if (!deleteEnabled(repository, Optional.of(new Reference.DigestReference(digest)))) return true;
    return tags.stream().anyMatch(t -> !deleteEnabled(repository, Optional.of(new Reference.TagReference(t))));
  }

  /** Pushes (uploads, mounts, manifests) into the repository. */
  void requireRepositoryWritable(RepositoryName repository) {
    if (!writeEnabled(repository, Optional.empty())) throw denied(repository, Optional.empty(), "write");
  }

  /** A manifest PUT: the repository, and the tag it moves when pushed by tag. */
  void requireManifestWritable(RepositoryName repository, Reference reference) {
    requireRepositoryWritable(repository);
    if (reference instanceof Reference.TagReference && !writeEnabled(repository, Optional.of(reference))) {
      throw denied(repository, Optional.of(reference), "write");
    }
  }

  void requireRepositoryDeletable(RepositoryName repository) {
    if (!deleteEnabled(repository, Optional.empty())) throw denied(repository, Optional.empty(), "delete");
  }

  /** Deleting a tag, or a manifest by digest together with every tag pointing at it. */
  void requireDeletable(RepositoryName repository, Reference reference, Digest digest, Collection<Tag> tags) {
    requireRepositoryDeletable(repository);
    if (reference instanceof Reference.TagReference) {
      if (!deleteEnabled(repository, Optional.of(reference))) throw denied(repository, Optional.of(reference), "delete");
      return;
    }
    if (!deleteEnabled(repository, Optional.of(reference))) throw denied(repository, Optional.of(reference), "delete");
    for (Tag tag : tags) {
      Optional<Reference> byTag = Optional.of(new Reference.TagReference(tag));
      if (!deleteEnabled(repository, byTag)) throw denied(repository, byTag, "delete");
    }
  }

  private static RegistryException denied(RepositoryName repository, Optional<Reference> reference, String what) {
    String subject = reference.map(r -> (r instanceof Reference.TagReference ? repository + ":" : repository + "@") + r)
        .orElse(repository.value());
    String option = reference.isEmpty() ? "--repository " + subject : "--image " + subject;
    return new RegistryException(OciErrorCode.DENIED, subject + " is locked: " + what + "-enabled is false"
        + " (meridian repository update " + option + " --" + what + "-enabled true)", subject, 403);
  }
}
