package dev.meridian.core.state;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.meridian.core.clock.RegionId;

/**
 * A region's metadata: repositories, the tag, manifest and blob link registers, the referrers index and
 * upload sessions. Implementations commit each {@link StateBatch} atomically and durably, merging every
 * register by its stamp (see {@link RegisterMerge}).
 *
 * <p>Besides the replicated registers it keeps the region's local replication bookkeeping, written in
 * the same atomic batches: the outbox of events not yet shipped to the log, the consumer offsets of the
 * log partitions replayed so far, and small local settings.
 */
public interface RegistryState extends AutoCloseable {

  /** Commits the batch atomically; register writes that lose to the stored stamp are dropped. */
  void apply(StateBatch batch);

  /** The tag register, tombstones included. */
  Optional<TagRecord> findTag(RepositoryName repository, Tag tag);

  /** Live tags in lexical order, after {@code last} if given, at most {@code limit}. */
  List<Tag> listTags(RepositoryName repository, Optional<Tag> last, int limit);

  /** The manifest register, deleted ones included. */
  Optional<ManifestRecord> findManifest(RepositoryName repository, Digest digest);

  /** The lock register of the repository ({@code reference} empty), a tag or a manifest. */
  Optional<LockRecord> findLock(RepositoryName repository, Optional<dev.meridian.core.oci.Reference> reference);

  Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest);

  /** Present manifests of this repository whose {@code subject} is {@code subject}, by digest. */
  List<ManifestRecord> findReferrers(RepositoryName repository, Digest subject);

  /** Repositories that ever had content, in lexical order, after {@code last} if given, at most {@code limit}. */
  List<RepositoryName> listRepositories(Optional<RepositoryName> last, int limit);

  boolean repositoryExists(RepositoryName repository);

  Optional<UploadSession> findUpload(UploadId id);

  /** The oldest outbox entries, in sequence order, at most {@code limit}. */
  List<OutboxEntry> readOutbox(int limit);

  /**
   * The oldest outbox entries whose sequence is above {@code sequence}, in sequence order, at most {@code limit}: what
   * a relay with entries in flight reads next. The default filters {@link #readOutbox}; a store should seek.
   */
  default List<OutboxEntry> readOutboxAfter(long sequence, int limit) {
    List<OutboxEntry> entries = new java.util.ArrayList<>(limit);
    for (OutboxEntry entry : readOutbox(Math.max(limit, (int) Math.min(Integer.MAX_VALUE, outboxSize())))) {
      if (entry.sequence() > sequence && entries.size() < limit) entries.add(entry);
    }
    return entries;
  }

  /**
   * Removes a shipped outbox entry; removing one that is gone already does nothing. Not as durable as
   * {@link #apply}: after a power loss a deleted entry may come back and be shipped again, which replay
   * tolerates because applying an event twice changes nothing.
   */
  void deleteOutbox(long sequence);

  /**
   * Removes shipped outbox entries, as {@link #deleteOutbox(long)} does each, but at once: one write instead of
   * one per entry (the relay's deletes otherwise queue one by one behind every synced commit).
   */
  default void deleteOutbox(java.util.Collection<Long> sequences) {
    sequences.forEach(this::deleteOutbox);
  }

  /** How many entries wait in the outbox. */
  long outboxSize();

  /** The next offset to consume of every log partition an offset was stored for. */
  Map<LogPosition, Long> consumerOffsets();

  /** A local setting stored with {@link StateWrite.PutMeta}. */
  Optional<byte[]> findMeta(String key);

  /** Durable transfer work for this content, if any; a manifest with a job is pending (not served). */
  Optional<TransferJob> findTransfer(RepositoryName repository, Digest digest, TransferJob.Kind kind);

  /** Transfer jobs in key order (repository, digest, kind), after {@code after} if given, at most {@code limit}. */
  List<TransferJob> listTransfers(Optional<TransferJob> after, int limit);

  /** How many transfer jobs are waiting (an implementation may estimate a very large count). */
  long transferCount();

  /** The complete manifest a tag serves while its winning manifest is pending. */
  Optional<Digest> findTagFallback(RepositoryName repository, Tag tag);

  /** Regions known (from {@code replica.ack}) to hold this manifest completely. */
  Set<RegionId> findReplicas(RepositoryName repository, Digest digest);

  /** Blobs copied ahead of any manifest, oldest key first, at most {@code limit}. */
  List<PrefetchedBlob> listPrefetched(int limit);

  /** The credential register named {@code name}, tombstones included. */
  default Optional<CredentialRecord> findCredential(String name) {
    return Optional.empty();
  }

  /** Every credential register, tombstones included, by name. */
  default List<CredentialRecord> listCredentials() {
    return List.of();
  }

  /** Visits every manifest register, deleted ones included (a background scan: it may be long). */
  void forEachManifest(java.util.function.Consumer<ManifestRecord> visitor);

  /**
   * Visits the content of every manifest register, deleted ones included: what {@link #forEachManifest} visits, less
   * what storage accounting does not need. A store may read it for less than whole registers; this one reads them
   * whole.
   */
  default void forEachManifestContent(java.util.function.Consumer<ManifestContent> visitor) {
    forEachManifest(m -> visitor.accept(ManifestContent.of(m)));
  }

  /**
   * Every register of one repository, tombstones included, read by a scan of its key range (anti-entropy
   * compares and sends these). The three kinds are read one after the other, not as one snapshot.
   */
  RepositoryRegisters repositoryRegisters(RepositoryName repository);
  /** Visits every blob link register, unlinked ones included (a background scan: it may be long). */
  void forEachBlobLink(java.util.function.Consumer<BlobLinkRecord> visitor);

  @Override
  void close();
}
