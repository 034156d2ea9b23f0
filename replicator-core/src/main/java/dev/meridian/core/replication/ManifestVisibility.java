package dev.meridian.core.replication;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import java.util.Optional;

/**
 * Complete-before-visible, read side: which manifests a region serves, and what a tag resolves to.
 *
 * <p>A manifest is served when its register is present and no MANIFEST transfer job marks it pending. A
 * tag serves its winning manifest when that is served, else the complete manifest it served before
 * (its fallback), else nothing.
 */
public final class ManifestVisibility {
  private final RegistryState state;

  public ManifestVisibility(RegistryState state) {
    this.state = state;
  }

  public Optional<ManifestRecord> servedManifest(RepositoryName repository, Digest digest) {
    return state.findManifest(repository, digest)
        .filter(ManifestRecord::present)
        .filter(m -> !isPending(repository, digest));
  }

  public boolean isPending(RepositoryName repository, Digest digest) {
    return state.findTransfer(repository, digest, TransferJob.Kind.MANIFEST).isPresent();
  }

  /** The digest a tag serves now, if any. */
  public Optional<Digest> servedDigest(RepositoryName repository, Tag tag) {
    Optional<Digest> winner = state.findTag(repository, tag).flatMap(TagRecord::digest);
    if (winner.isEmpty()) return Optional.empty();
    if (servedManifest(repository, winner.get()).isPresent()) return winner;
    return state.findTagFallback(repository, tag).filter(d -> servedManifest(repository, d).isPresent());
  }
}
