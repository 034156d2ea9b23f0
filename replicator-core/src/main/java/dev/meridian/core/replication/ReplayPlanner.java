package dev.meridian.core.replication;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.CredentialDelete;
import dev.meridian.core.event.CredentialPut;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterMerge;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Replay (DESIGN.md §6): the state writes one event from another region produces here. Registers always
 * merge; the local facts around them (pending marks, transfer jobs, tag fallbacks, replica sets) follow
 * only when the event's register wins, so the outcome does not depend on delivery order or duplicates.
 *
 * <p>It reads the current state and the local blob store but writes nothing itself; the caller commits
 * the result with the log offset in one batch.
 *
 * <p>Events of a repository this region does not {@code admit} (its topology filter keeps it out, e.g. for data
 * residency) produce no writes at all: no register, no transfer job, no replica. The caller still moves the
 * offset past them.
 */
public final class ReplayPlanner {
  private final RegionId self;
  private final RegistryState state;
  private final BlobPresence blobs;
  private final ContentClosure closure;
  private final ManifestVisibility visibility;
  private final ReplicaAcks acks;
  private final Clock clock;
  private final Predicate<RepositoryName> admitted;

  public ReplayPlanner(RegionId self, RegistryState state, BlobStore blobs, ReplicaAcks acks, Clock clock) {
    this(self, state, blobs, acks, clock, repository -> true);
  }

  /** @param admitted the repositories this region holds; events of any other are ignored */
  public ReplayPlanner(RegionId self, RegistryState state, BlobStore blobs, ReplicaAcks acks, Clock clock,
      Predicate<RepositoryName> admitted) {
    this(self, state, blobs, BlobPresence.eachTime(blobs), acks, clock, admitted);
  }

  /**
   * @param presence how blob presence is asked: {@link BlobPresence#withinBatch} when this planner plans one poll under
   *     one claim, so the blobs its events share are looked up once
   */
  public ReplayPlanner(RegionId self, RegistryState state, BlobStore blobs, BlobPresence presence, ReplicaAcks acks,
      Clock clock, Predicate<RepositoryName> admitted) {
    this.admitted = java.util.Objects.requireNonNull(admitted, "admitted");
    this.self = self;
    this.state = state;
    this.blobs = java.util.Objects.requireNonNull(presence, "presence");
    this.closure = new ContentClosure(blobs, presence::isPresent);
    this.visibility = new ManifestVisibility(state);
    this.acks = acks;
    this.clock = clock;
  }

  /** The region this planner replays into. */
  public RegionId self() {
    return self;
  }

  /**
   * The writes for {@code event}; none for this region's own events, which it applied when it made them, and
   * none for a repository this region does not admit.
   */
  public List<StateWrite> plan(ReplicationEvent event) {
    if (event.origin().equals(self)) return List.of();
    return merge(event);
  }

  /**
   * The writes for {@code event} whatever its origin: for registers learned from a peer's snapshot, where this
   * region's own earlier writes (a region rebuilt on an empty disk) must be merged like any other. None for a
   * repository this region does not admit.
   */
  public List<StateWrite> merge(ReplicationEvent event) {
    // Credentials belong to no repository (their pseudo-repository only keys them on the log): no filter applies.
    boolean credential = event instanceof CredentialPut || event instanceof CredentialDelete;
    if (!credential && !admitted.test(event.repository())) return List.of();
    List<StateWrite> writes = new ArrayList<>();
    if (event instanceof TagPut e) {
      tagPut(e, writes);
    } else if (event instanceof TagDelete e) {
      TagRecord tombstone = new TagRecord(e.repository(), e.tag(), Optional.empty(), e.stamp());
      writes.add(new StateWrite.PutTag(tombstone));
      if (tagWins(e.repository(), e.tag(), e.stamp())) writes.add(new StateWrite.DeleteTagFallback(e.repository(), e.tag()));
    } else if (event instanceof ManifestPut e) {
      manifestPut(e, writes);
    } else if (event instanceof ManifestDelete e) {
      manifestDelete(e, writes);
    } else if (event instanceof BlobPut e) {
      blobPut(e, writes);
    } else if (event instanceof BlobUnlink e) {
      writes.add(new StateWrite.PutBlobLink(new BlobLinkRecord(e.repository(), e.digest(), false, e.stamp())));
      if (linkWins(e.repository(), e.digest(), e.stamp())) dropJob(e.repository(), e.digest(), TransferJob.Kind.BLOB, writes);
    } else if (event instanceof dev.meridian.core.event.LockPut e) {
      writes.add(new StateWrite.PutLock(new dev.meridian.core.state.LockRecord(e.repository(), e.reference(),
          e.writeEnabled(), e.deleteEnabled(), e.stamp())));
    } else if (event instanceof CredentialPut e) {
      writes.add(new StateWrite.PutCredential(new CredentialRecord(e.name(), Optional.of(e.value()), e.stamp())));
    } else if (event instanceof CredentialDelete e) {
      writes.add(new StateWrite.PutCredential(new CredentialRecord(e.name(), Optional.empty(), e.stamp())));
    } else if (event instanceof ReplicaAck e) {
      if (!e.region().equals(self)) writes.add(new StateWrite.PutReplica(e.repository(), e.digest(), e.region()));
    }
    return writes;
  }

  /**
   * A tag moving to a manifest that is not servable here yet keeps serving what it served before, so a
   * pull never sees a half-replicated image.
   */
  private void tagPut(TagPut e, List<StateWrite> writes) {
    boolean wins = tagWins(e.repository(), e.tag(), e.stamp());
    writes.add(new StateWrite.PutTag(new TagRecord(e.repository(), e.tag(), Optional.of(e.digest()), e.stamp())));
    if (!wins) return;
    if (visibility.servedManifest(e.repository(), e.digest()).isPresent()) {
      writes.add(new StateWrite.DeleteTagFallback(e.repository(), e.tag()));
    } else {
      visibility.servedDigest(e.repository(), e.tag())
          .filter(served -> !served.equals(e.digest()))
          .ifPresent(served -> writes.add(new StateWrite.PutTagFallback(e.repository(), e.tag(), served)));
    }
  }

  private void manifestPut(ManifestPut e, List<StateWrite> writes) {
    Optional<ManifestRecord> current = state.findManifest(e.repository(), e.digest());
    writes.add(new StateWrite.PutManifest(new ManifestRecord(e.repository(), e.digest(), e.mediaType(), e.size(),
        e.references(), e.subject(), e.artifactType(), e.annotations(), true, e.stamp())));
    // The origin checked every reference before it acknowledged the push: it holds the manifest completely,
    // and sends no replica.ack of its own, so this event is the only way the fleet learns it.
    writes.add(new StateWrite.PutReplica(e.repository(), e.digest(), e.origin()));
    if (!RegisterMerge.wins(e.stamp(), current.map(ManifestRecord::stamp))) return;
    if (current.filter(ManifestRecord::present).isPresent() && !visibility.isPending(e.repository(), e.digest())) {
      return; // already servable here: same digest, same bytes
    }
    // The event's references are what its origin parsed from these very bytes (same digest): signed for a replayed
    // event; for anti-entropy and snapshot seeding they come from a fleet member's registers over the fleet
    // credential, trusted as that member's own parse (a member could as well serve wrong registers).
    if (closure.isComplete(e.digest(), e.references())) {
      writes.addAll(acks.completed(e.repository(), e.digest()));
    } else {
      writes.add(new StateWrite.PutTransfer(
          new TransferJob(e.repository(), e.digest(), TransferJob.Kind.MANIFEST, e.origin(), e.size(), clock.instant())));
    }
  }

  private void manifestDelete(ManifestDelete e, List<StateWrite> writes) {
    Optional<ManifestRecord> current = state.findManifest(e.repository(), e.digest());
    ManifestRecord deleted = current.map(m -> m.deletedAt(e.stamp())).orElseGet(() -> tombstone(e.repository(), e.digest(), e.stamp()));
    writes.add(new StateWrite.PutManifest(deleted));
    if (RegisterMerge.wins(e.stamp(), current.map(ManifestRecord::stamp))) {
      dropJob(e.repository(), e.digest(), TransferJob.Kind.MANIFEST, writes);
    }
  }

  private void blobPut(BlobPut e, List<StateWrite> writes) {
    boolean wins = linkWins(e.repository(), e.digest(), e.stamp());
    writes.add(new StateWrite.PutBlobLink(new BlobLinkRecord(e.repository(), e.digest(), true, e.stamp())));
    // The winner's origin is where the blob is fetched from, whatever order the puts arrived in.
    if (wins && !blobs.isPresent(e.digest())) {
      writes.add(new StateWrite.PutTransfer(
          new TransferJob(e.repository(), e.digest(), TransferJob.Kind.BLOB, e.origin(), e.size(), clock.instant())));
    }
  }

  private void dropJob(RepositoryName repository, Digest digest, TransferJob.Kind kind, List<StateWrite> writes) {
    if (state.findTransfer(repository, digest, kind).isPresent()) {
      writes.add(new StateWrite.DeleteTransfer(repository, digest, kind));
    }
  }

  private boolean tagWins(RepositoryName repository, Tag tag, Stamp stamp) {
    return RegisterMerge.wins(stamp, state.findTag(repository, tag).map(TagRecord::stamp));
  }

  private boolean linkWins(RepositoryName repository, Digest digest, Stamp stamp) {
    return RegisterMerge.wins(stamp, state.findBlobLink(repository, digest).map(BlobLinkRecord::stamp));
  }

  /**
   * A delete that arrives before the manifest it deletes: the register must exist to win against the
   * late put, but nothing is known of the manifest, so its metadata is a placeholder never served.
   */
  private static ManifestRecord tombstone(RepositoryName repository, Digest digest, Stamp stamp) {
    return new ManifestRecord(repository, digest, MediaType.OCI_MANIFEST, 0, List.of(), Optional.empty(),
        Optional.empty(), Map.of(), false, stamp);
  }
}
