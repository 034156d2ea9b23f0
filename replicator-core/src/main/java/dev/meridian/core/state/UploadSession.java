package dev.meridian.core.state;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.oci.RepositoryName;
import java.time.Instant;

/** An upload session's metadata; its bytes are in the blob store's upload area under the same id. */
public record UploadSession(UploadId id, RepositoryName repository, Instant startedAt) {
  public UploadSession {
    requireNonNull(id, "id");
    requireNonNull(repository, "repository");
    requireNonNull(startedAt, "startedAt");
  }
}
