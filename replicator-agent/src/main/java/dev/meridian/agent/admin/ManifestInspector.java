package dev.meridian.agent.admin;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ManifestVisibility;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TagRecord;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads this region's state to answer {@link ManifestFacts}: served, pending or absent by the same rules
 * the registry serves by ({@link ManifestVisibility}: complete-before-visible).
 */
public final class ManifestInspector {
  private final String region;
  private final RegistryState state;
  private final ManifestVisibility visibility;
  private final Predicate<RepositoryName> admitted;

  public ManifestInspector(String region, RegistryState state) {
    this(region, state, repository -> true);
  }

  /** @param admitted the repositories this region holds by its topology filter; any other is {@code excluded} */
  public ManifestInspector(String region, RegistryState state, Predicate<RepositoryName> admitted) {
    this.admitted = admitted;
    this.region = region;
    this.state = state;
    this.visibility = new ManifestVisibility(state);
  }

  public ManifestFacts facts(RepositoryName repository, Reference reference, Optional<Digest> expected) {
    if (!admitted.test(repository)) {
      return new ManifestFacts(region, ManifestStatus.EXCLUDED, Optional.empty(), Optional.empty(), Optional.empty(),
          expected.map(d -> ManifestStatus.EXCLUDED));
    }
    Optional<ManifestStatus> expectedStatus = expected.map(d -> digestStatus(repository, d));
    if (reference instanceof Reference.DigestReference byDigest) {
      ManifestStatus status = digestStatus(repository, byDigest.digest());
      Optional<Digest> served = status == ManifestStatus.COMPLETE ? Optional.of(byDigest.digest()) : Optional.empty();
      return new ManifestFacts(region, status, served, Optional.empty(), Optional.empty(), expectedStatus);
    }
    var tag = ((Reference.TagReference) reference).tag();
    Optional<TagRecord> record = state.findTag(repository, tag);
    Optional<Digest> winner = record.flatMap(TagRecord::digest);
    Optional<Digest> served = visibility.servedDigest(repository, tag);
    ManifestStatus status;
    if (winner.isPresent() && served.equals(winner)) {
      status = ManifestStatus.COMPLETE;
    } else if (winner.isPresent() && digestStatus(repository, winner.get()) == ManifestStatus.PENDING) {
      status = ManifestStatus.PENDING;
    } else {
      status = ManifestStatus.ABSENT;
    }
    return new ManifestFacts(region, status, served, winner, record.map(TagRecord::stamp), expectedStatus);
  }

  /** The winning register of a tag in this region, for the asking side of a fleet query. */
  public Optional<TagRecord> tag(RepositoryName repository, Reference.TagReference reference) {
    return state.findTag(repository, reference.tag()).filter(t -> !t.isDeleted());
  }

  private ManifestStatus digestStatus(RepositoryName repository, Digest digest) {
    if (visibility.servedManifest(repository, digest).isPresent()) return ManifestStatus.COMPLETE;
    boolean known = state.findManifest(repository, digest).filter(ManifestRecord::present).isPresent();
    return known && visibility.isPending(repository, digest) ? ManifestStatus.PENDING : ManifestStatus.ABSENT;
  }
}
