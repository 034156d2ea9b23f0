package dev.meridian.agent.registry;

import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.meridian.core.replication.ContentGuard;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One region's OCI registry: uploads, blobs, manifests, tags, the catalog and referrers, over a
 * {@link BlobStore} and a {@link RegistryState}. No HTTP here; every method blocks on disk and RocksDB, so
 * callers run it off any event loop.
 *
 * <p>A blob is visible in a repository only while the repository's blob link register says linked; the
 * bytes are shared by every repository of the region. Every local write is stamped with a fresh HLC reading
 * and this region as origin. Manifest work lives in {@link ManifestOperations}, sessions in
 * {@link UploadSessions}.
 */
public final class RegistryService {
  /** The largest page a listing returns, whatever {@code n} asks. */
  public static final int MAX_PAGE = 1000;

  private final BlobStore blobs;
  private final RegistryState state;
  private final Hlc hlc;
  private final RegionId region;
  private final UploadSessions uploads;
  private final ManifestOperations manifests;
  private final BooleanSupplier writable;
  private final Predicate<RepositoryName> admitted;
  private final ContentGuard guard;
  private final Locks locks;
  private final Clock clock;
  private final UploadAdmission uploadAdmission;

  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock) {
    this(blobs, state, hlc, region, clock, new ContentGuard());
  }

  /** With the guard a blob sweeper shares: a manifest push claims what it references while it commits. */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard) {
    this(blobs, state, hlc, region, clock, guard, () -> true);
  }

  /**
   * {@code writable} false makes this a read-only region: it keeps replicating and serving pulls, and refuses
   * pushes and deletes with {@code DENIED}, naming itself, so the client can push to a read-write region.
   */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard,
      BooleanSupplier writable) {
    this(blobs, state, hlc, region, clock, guard, writable, repository -> true, ManifestAdmission.ALL);
  }

  /**
   * {@code admitted} says which repositories this region holds (its topology filter): a write to any other is
   * refused with {@code DENIED}, since the region would hold content its filter keeps out (data residency) and
   * that the rest of the fleet could not tell apart from replicated content. Pulls answer as usual: there is
   * nothing to find.
   */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard,
      BooleanSupplier writable, Predicate<RepositoryName> admitted) {
    this(blobs, state, hlc, region, clock, guard, writable, admitted, ManifestAdmission.ALL);
  }

  /** With {@code admission} deciding whether each validated manifest push may be stored (quotas). */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard,
      BooleanSupplier writable, ManifestAdmission admission) {
    this(blobs, state, hlc, region, clock, guard, writable, repository -> true, admission);
  }

  /** With both the topology filter and the admission of manifest pushes. */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard,
      BooleanSupplier writable, Predicate<RepositoryName> admitted, ManifestAdmission admission) {
    this(blobs, state, hlc, region, clock, guard, writable, admitted, admission, UploadAdmission.ALL);
  }

  /** With the topology filter, the admission of manifest pushes and that of blob uploads (quotas). */
  public RegistryService(BlobStore blobs, RegistryState state, Hlc hlc, RegionId region, Clock clock, ContentGuard guard,
      BooleanSupplier writable, Predicate<RepositoryName> admitted, ManifestAdmission admission,
      UploadAdmission uploadAdmission) {
    this.uploadAdmission = requireNonNull(uploadAdmission, "uploadAdmission");
    this.admitted = requireNonNull(admitted, "admitted");
    this.writable = requireNonNull(writable, "writable");
    this.blobs = requireNonNull(blobs, "blobs");
    this.state = requireNonNull(state, "state");
    this.hlc = requireNonNull(hlc, "hlc");
    this.region = requireNonNull(region, "region");
    this.guard = requireNonNull(guard, "guard");
    this.uploads = new UploadSessions(blobs, state, clock, this::stamp, guard);
    this.locks = new Locks(state);
    this.clock = requireNonNull(clock, "clock");
    this.manifests = new ManifestOperations(blobs, state, this::stamp, guard, locks, requireNonNull(admission, "admission"));
  }

  public RegionId region() {
    return region;
  }

  private void requireWritable(RepositoryName repository) {
    if (!writable.getAsBoolean()) {
      throw new RegistryException(OciErrorCode.DENIED,
          "region " + region + " is read-only: push to a read-write region of the fleet", region.value(), 403);
    }
    if (!admitted.test(repository)) {
      throw new RegistryException(OciErrorCode.DENIED, "repository " + repository + " is not replicated to region "
          + region + " by its topology filter: push it to a region whose filter admits it", repository.value(), 403);
    }
  }

  /** A stamp for a new local write. */
  Stamp stamp() {
    return new Stamp(hlc.tick(), region);
  }

  /** Whether the state answers queries: the readiness probe. */
  public boolean ready() {
    try {
      state.listRepositories(Optional.empty(), 1);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  // ---- uploads

  public UploadStatus startUpload(RepositoryName repository) {
    requireWritable(repository);
    locks.requireRepositoryWritable(repository);
    uploadAdmission.admit(repository, 0, 0);
    return uploads.start(repository);
  }

  /** Links the blob from {@code from} if that repository has it linked, else starts an ordinary upload. */
  public MountOutcome mount(RepositoryName repository, Digest digest, Optional<RepositoryName> from) {
    requireWritable(repository);
    locks.requireRepositoryWritable(repository);
    uploadAdmission.admit(repository, 0, 0);
    if (from.isPresent()) {
      // Claimed from the presence check to the link, as a manifest push is: garbage collection keeps it.
      Optional<BlobInfo> mounted = guard.claiming(List.of(digest), () -> {
        Optional<BlobInfo> source = findLinked(from.get(), digest);
        source.ifPresent(s -> link(repository, digest));
        return source;
      });
      if (mounted.isPresent()) return new MountOutcome.Mounted(mounted.get());
    }
    return new MountOutcome.Started(uploads.start(repository));
  }

  public UploadStatus uploadStatus(RepositoryName repository, String uploadId) {
    return uploads.status(repository, uploadId);
  }

  /**
   * Takes the session for one request. With {@code expectedOffset} (a {@code Content-Range} start) a chunk
   * that does not continue where the session stands is refused with {@link UploadRangeException}.
   */
  public UploadWriter beginWrite(RepositoryName repository, String uploadId, OptionalLong expectedOffset) {
    return beginWrite(repository, uploadId, expectedOffset, 0);
  }

  /**
   * As above, for a request announcing {@code adds} bytes (0 when unknown): the upload admission is asked
   * first, with what the session holds, so a refused chunk leaves the session untouched and resumable.
   */
  public UploadWriter beginWrite(RepositoryName repository, String uploadId, OptionalLong expectedOffset, long adds) {
    requireWritable(repository);
    uploadAdmission.admit(repository, uploads.status(repository, uploadId).offset(), Math.max(0, adds));
    return uploads.beginWrite(repository, uploadId, expectedOffset);
  }

  /** Fsyncs the chunk just written and releases the session: the 202 may go out after this. */
  public UploadStatus endChunk(UploadWriter writer) {
    return uploads.endChunk(writer);
  }

  /** Releases the session after a failed request; bytes already appended stay (the client may resume). */
  public void abandonWrite(UploadWriter writer) {
    uploads.abandon(writer);
  }

  /** Verifies the whole upload against {@code digest}, publishes it, links it here; the 201 follows. */
  public BlobInfo completeUpload(UploadWriter writer, Digest digest) {
    return uploads.complete(writer, digest);
  }

  public void cancelUpload(RepositoryName repository, String uploadId) {
    uploads.cancel(repository, uploadId);
  }

  /** Ends an abandoned upload session (garbage collection); false if a request is writing to it right now. */
  public boolean expireUpload(dev.meridian.core.blob.UploadId id) {
    return uploads.expire(id);
  }

  // ---- blobs

  /** The blob's info if it is linked in this repository and stored; else {@code BLOB_UNKNOWN}. */
  public BlobInfo statBlob(RepositoryName repository, Digest digest) {
    return findLinked(repository, digest).orElseThrow(() -> RegistryException.blobUnknown(digest));
  }

  /** Opens a blob linked in this repository; the caller closes it. */
  public BlobContent openBlob(RepositoryName repository, Digest digest) {
    statBlob(repository, digest);
    return blobs.open(digest);
  }

  /** Unlinks the blob from this repository; the bytes stay for other repositories (and garbage collection). */
  public void deleteBlob(RepositoryName repository, Digest digest) {
    requireWritable(repository);
    locks.requireRepositoryDeletable(repository);
    boolean linked = state.findBlobLink(repository, digest).map(BlobLinkRecord::linked).orElse(false);
    if (!linked) throw RegistryException.blobUnknown(digest);
    state.apply(StateBatch.of(new StateWrite.PutBlobLink(new BlobLinkRecord(repository, digest, false, stamp()))));
  }

  private Optional<BlobInfo> findLinked(RepositoryName repository, Digest digest) {
    boolean linked = state.findBlobLink(repository, digest).map(BlobLinkRecord::linked).orElse(false);
    return linked ? blobs.stat(digest) : Optional.empty();
  }

  private void link(RepositoryName repository, Digest digest) {
    state.apply(StateBatch.of(new StateWrite.PutBlobLink(new BlobLinkRecord(repository, digest, true, stamp()))));
  }

  // ---- manifests

  public PutManifestResult putManifest(RepositoryName repository, Reference reference, MediaType contentType, byte[] body) {
    requireWritable(repository);
    locks.requireManifestWritable(repository, reference);
    return manifests.put(repository, reference, contentType, body);
  }

  /**
   * The references of a manifest about to be put that this region lacks, each once: what a PUT refused with
   * {@code MANIFEST_BLOB_UNKNOWN} would need read through from a peer. Refuses a body {@link #putManifest} refuses.
   */
  public List<Descriptor> missingReferences(RepositoryName repository, MediaType contentType, byte[] body) {
    return manifests.missingReferences(repository, contentType, body);
  }

  /** The manifest's register and bytes; {@code withBytes} false for a HEAD. */
  public StoredManifest getManifest(RepositoryName repository, Reference reference, boolean withBytes) {
    return manifests.get(repository, reference, withBytes);
  }

  public void deleteManifest(RepositoryName repository, Reference reference) {
    requireWritable(repository);
    manifests.delete(repository, reference);
  }

  /**
   * Restores a manifest deleted within {@code retention} (soft delete), optionally under {@code tag}; the restore
   * replicates. {@code MANIFEST_UNKNOWN} when it is not restorable here.
   */
  public ManifestRecord restoreManifest(RepositoryName repository, Digest digest, Optional<Tag> tag,
      java.time.Duration retention) {
    requireWritable(repository);
    locks.requireManifestWritable(repository, tag.<Reference>map(Reference.TagReference::new)
        .orElse(new Reference.DigestReference(digest)));
    return manifests.restore(repository, digest, tag, retention, clock.instant());
  }

  /** Deleted manifests of {@code repository} still restorable within {@code retention}, by digest. */
  public List<ManifestRecord> listRestorable(RepositoryName repository, java.time.Duration retention) {
    List<ManifestRecord> found = new java.util.ArrayList<>();
    java.time.Instant now = clock.instant();
    // The repository's key range only: a registry of a million tags is not scanned for one repository's list.
    for (ManifestRecord m : state.repositoryRegisters(repository).manifests()) {
      if (m.size() > 0 && ManifestOperations.isRestorable(m, retention, now)) found.add(m);
    }
    return found;
  }

  /** The lock rules over this region's registers: what is locked, for purge and retention too. */
  public Locks locks() {
    return locks;
  }

  /**
   * Sets the lock of a repository ({@code reference} empty), a tag or a manifest: the flags given change, the
   * other keeps its value. The register replicates like any write. {@code NAME_UNKNOWN} or
   * {@code MANIFEST_UNKNOWN} if there is nothing to lock.
   */
  public LockRecord updateLock(RepositoryName repository, Optional<Reference> reference, Optional<Boolean> writeEnabled,
      Optional<Boolean> deleteEnabled) {
    requireWritable(repository);
    if (!state.repositoryExists(repository)) throw RegistryException.nameUnknown(repository.value());
    reference.ifPresent(r -> manifests.requireKnown(repository, r));
    Optional<LockRecord> current = locks.find(repository, reference);
    LockRecord lock = new LockRecord(repository, reference,
        writeEnabled.orElse(current.map(LockRecord::writeEnabled).orElse(true)),
        deleteEnabled.orElse(current.map(LockRecord::deleteEnabled).orElse(true)), stamp());
    state.apply(StateBatch.of(new StateWrite.PutLock(lock)));
    return lock;
  }

  public List<Descriptor> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
    return manifests.referrers(repository, subject, artifactType);
  }

  // ---- listings

  /** Tags in lexical order after {@code last}; {@code NAME_UNKNOWN} if the repository never had content. */
  public Page<Tag> listTags(RepositoryName repository, Optional<Tag> last, int limit) {
    if (!state.repositoryExists(repository)) throw RegistryException.nameUnknown(repository.value());
    if (limit == 0) return new Page<>(List.of(), false);
    return Page.ofOverfetched(state.listTags(repository, last, checkLimit(limit) + 1), limit);
  }

  public Page<RepositoryName> catalog(Optional<RepositoryName> last, int limit) {
    if (limit == 0) return new Page<>(List.of(), false);
    return Page.ofOverfetched(state.listRepositories(last, checkLimit(limit) + 1), limit);
  }

  private static int checkLimit(int limit) {
    if (limit < 0 || limit > MAX_PAGE) {
      throw new RegistryException(
          OciErrorCode.PAGINATION_NUMBER_INVALID, "n must be between 0 and " + MAX_PAGE, String.valueOf(limit), 400);
    }
    return limit;
  }
}
