package dev.meridian.agent.registry;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.digest.Digest;
import java.util.Optional;

/** A committed manifest: its digest and, when it has one, its subject (for the {@code OCI-Subject} header). */
public record PutManifestResult(Digest digest, Optional<Digest> subject) {
  public PutManifestResult {
    requireNonNull(digest, "digest");
    requireNonNull(subject, "subject");
  }
}
