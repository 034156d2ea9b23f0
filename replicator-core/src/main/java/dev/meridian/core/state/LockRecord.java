package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import java.util.Optional;

/**
 * The lock register of a repository ({@code reference} empty), a tag or a manifest: whether it may be written
 * (pushed over, re-tagged) and deleted. Both flags travel together and merge by stamp like every register, so
 * a lock and a concurrent unlock in two regions end the same everywhere. No register means both enabled.
 */
public record LockRecord(RepositoryName repository, Optional<Reference> reference, boolean writeEnabled,
    boolean deleteEnabled, Stamp stamp) {
  public LockRecord {
    requireNonNull(repository, "repository");
    requireNonNull(reference, "reference");
    requireNonNull(stamp, "stamp");
  }

  /** The register's key within its repository: empty for the repository, {@code tag:NAME} or {@code digest:ALG:HEX}. */
  public String scope() {
    return scope(reference);
  }

  public static String scope(Optional<Reference> reference) {
    if (reference.isEmpty()) return "";
    return reference.get() instanceof Reference.TagReference t ? "tag:" + t.tag().value()
        : "digest:" + ((Reference.DigestReference) reference.get()).digest();
  }

  /** The reference a {@link #scope()} names. */
  public static Optional<Reference> parseScope(String scope) {
    if (scope.isEmpty()) return Optional.empty();
    if (scope.startsWith("tag:")) return Optional.of(Reference.parse(scope.substring(4)));
    if (scope.startsWith("digest:")) return Optional.of(Reference.parse(scope.substring(7)));
    throw new IllegalArgumentException("not a lock scope: " + scope);
  }
}
