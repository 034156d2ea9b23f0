package dev.meridian.agent.registry;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.oci.RepositoryName;

/** Where an upload session stands: how many bytes the registry durably holds for it. */
public record UploadStatus(RepositoryName repository, UploadId id, long offset) {
  public UploadStatus {
    requireNonNull(repository, "repository");
    requireNonNull(id, "id");
    if (offset < 0) throw new IllegalArgumentException("offset < 0: " + offset);
  }
}
