package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.rocksdb.StateKeys.inRepository;
import static dev.meridian.core.state.rocksdb.StateKeys.utf8;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.LogPosition;
import dev.meridian.core.state.ManifestContent;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.NotificationQueues;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.QueuedNotification;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.RegisterSnapshots;
import dev.meridian.core.state.RepositoryRegisters;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateStoreException;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.UploadSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.PrefetchedBlob;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region's {@link RegistryState} in one RocksDB database: one column family per kind of record,
 * every batch committed as one synced RocksDB write batch (the acknowledgement point of a push survives
 * kill -9 and power loss).
 *
 * <p>The layout, in one place. Repository names, tags, digests and topics never contain 0x00, which
 * therefore separates key parts; byte order of keys is lexical order of names, so one repository's keys
 * are one contiguous range starting at {@code repository 0x00}. Values are JSON written by
 * {@link StateCodec} unless said otherwise; a JSON register's value holds its stamp as
 * {@code "hlc":"millis.logical","origin":"region"}. Tags, manifests and blob links are written in
 * {@link BinaryValue}'s form (0x01, then the fields below in order; ? is a presence byte, [] a count), and the JSON
 * form earlier versions wrote for them (shown after "or") is still read.
 *
 * <pre>
 * column family  key                                          value
 * repositories   repository                                   empty (exists once any register of it was written)
 * tags           repository 0x00 tag                          0x01 digest? stamp
 *                                                              or {"digest":"sha256:..."|null (tombstone), hlc, origin}
 * manifests      repository 0x00 digest                       0x01 mediaType size [descriptor] descriptor?(subject)
 *                                                              artifactType? annotations present stamp
 *                                                              or {"mediaType","size","references":[descriptor],
 *                                                              "subject":descriptor?, "artifactType"?, "annotations":{},
 *                                                              "present":bool, hlc, origin}
 *                                                             descriptor = mediaType digest size artifactType?
 *                                                              annotations platform?(JSON text)
 *                                                              or {"mediaType","digest","size",
 *                                                              "artifactType"?,"annotations"?,"platform"?}
 * blob_links     repository 0x00 digest                       0x01 linked stamp  or {"linked":bool, hlc, origin}
 * referrers      repository 0x00 subject 0x00 referrer        empty; present iff the referrer's manifest register is
 *                                                              present with that subject (the record is in manifests)
 * uploads        upload id                                    {"repository","startedAt":ISO-8601 instant}
 * outbox         sequence (8 bytes, big-endian, from 1)       the event payload, raw bytes
 * offsets        topic 0x00 partition (4 bytes, big-endian)   next offset to consume (8 bytes, big-endian)
 * meta           key (UTF-8)                                  raw bytes; the store keeps "state.outbox.next-sequence"
 *                                                              (8 bytes, big-endian) here so sequences keep growing
 *                                                              even after the outbox was emptied
 * transfers      repository 0x00 digest 0x00 kind            0x01 kind(0 manifest, 1 blob) origin size createdAt
 *                                                              (seconds, nanoseconds) or, as an earlier version wrote
 *                                                              it, {"kind":"manifest"|"blob","origin","size","createdAt"};
 *                                                              a manifest with an entry here is pending: not served
 * tag_fallback   repository 0x00 tag                          digest (UTF-8): what the tag serves while its winner
 *                                                              is pending
 * replicas       repository 0x00 digest 0x00 region           empty: that region holds the manifest completely
 * prefetched     repository 0x00 digest                       fetched-at epoch millis (8 bytes, big-endian): a blob
 *                                                              copied ahead of any manifest, until claimed or reclaimed
 * locks          repository 0x00 scope                        {"writeEnabled":bool,"deleteEnabled":bool, hlc, origin};
 *                                                              scope: "" (the repository), "tag:NAME", "digest:ALG:HEX"
 * credentials    name (UTF-8)                                 {"value":text|null,"hlc","origin"}: a user or token of
 *                                                              access control (its password only as a hash)
 * notifications  queue 0x00 sequence (8 bytes, big-endian)    the notification payload, raw bytes; sequences (from 1,
 *                                                              shared by all queues) keep growing through
 *                                                              "state.notifications.next-sequence" in meta
 * </pre>
 *
 * <p>Writes are serialized by one lock (merging reads the current register, so two writers must not
 * interleave); reads run concurrently. Every method throws {@link IllegalStateException} once closed,
 * instead of touching freed native memory.
 */
public final class RocksDbRegistryState implements RegistryState, RegisterSnapshots, NotificationQueues {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbRegistryState.class);

  private final RocksDbHandle rocks;
  private final ReentrantLock writeLock = new ReentrantLock();
  /**
   * Serializes outbox deletes among themselves, not with {@link #apply}: a batch only ever appends outbox keys above
   * every existing one and a delete only removes keys already committed, so the two never touch one key, and the
   * relay's delete need not wait behind every synced commit (which holds {@code writeLock} through its fsync).
   */
  private final ReentrantLock outboxDeletes = new ReentrantLock();
  private final AtomicLong outboxSize;
  private final LiveFloor transfersFloor = new LiveFloor();
  private long nextSequence; // guarded by writeLock
  private long nextNotification; // guarded by writeLock
  private final java.util.concurrent.ConcurrentMap<String, AtomicLong> notificationCounts =
      new java.util.concurrent.ConcurrentHashMap<>();

  private RocksDbRegistryState(RocksDbHandle rocks, long nextSequence, long outboxSize) {
    this.rocks = rocks;
    this.nextSequence = nextSequence;
    this.outboxSize = new AtomicLong(outboxSize);
    long[] last = {0};
    rocks.scan(Family.NOTIFICATIONS, new byte[0], new byte[0], (key, value) -> {
      notificationCounts.computeIfAbsent(notificationQueue(key), q -> new AtomicLong()).incrementAndGet();
      last[0] = Math.max(last[0], notificationSequence(key));
      return true;
    });
    long highWater = rocks.get(Family.META, MergingBatch.NOTIFICATIONS_NEXT_SEQUENCE).map(StateKeys::longOf).orElse(1L);
    this.nextNotification = Math.max(last[0] + 1, highWater);
  }

  /** Opens the store in {@code directory}, creating the directory and the database if missing. */
  public static RocksDbRegistryState open(Path directory) {
    RocksDbHandle rocks = RocksDbHandle.open(directory);
    try {
      long[] lastAndCount = {0, 0};
      rocks.scan(Family.OUTBOX, new byte[0], new byte[0], (key, value) -> {
        lastAndCount[0] = StateKeys.longOf(key);
        lastAndCount[1]++;
        return true;
      });
      long highWater = rocks.get(Family.META, MergingBatch.OUTBOX_NEXT_SEQUENCE).map(StateKeys::longOf).orElse(1L);
      long nextSequence = Math.max(lastAndCount[0] + 1, highWater);
      LOG.info("state store opened dir={} outbox_entries={} next_sequence={}", directory, lastAndCount[1], nextSequence);
      return new RocksDbRegistryState(rocks, nextSequence, lastAndCount[1]);
    } catch (RuntimeException e) {
      rocks.close();
      throw e;
    }
  }

  @Override
  public void apply(StateBatch batch) {
    rocks.run(() -> {
      writeLock.lock();
      try (WriteBatch writes = new WriteBatch()) {
        MergingBatch merging = new MergingBatch(rocks.db(), rocks.handles(), writes, nextSequence, nextNotification);
        for (StateWrite write : batch.writes()) merging.add(write);
        if (writes.count() > 0) rocks.db().write(batch.sync() ? rocks.syncWrites() : rocks.unsyncedWrites(), writes);
        merging.transfersPut().forEach(transfersFloor::added);
        // Only a committed batch consumes sequences: a failed one leaves the counter as it was.
        nextSequence = merging.nextSequence();
        nextNotification = merging.nextNotification();
        outboxSize.addAndGet(merging.appended());
        merging.notificationsAppended().forEach(
            (queue, n) -> notificationCounts.computeIfAbsent(queue, q -> new AtomicLong()).addAndGet(n));
      } finally {
        writeLock.unlock();
      }
      return null;
    });
  }

  @Override
  public Optional<CredentialRecord> findCredential(String name) {
    return rocks.get(Family.CREDENTIALS, StateKeys.utf8(name)).map(v -> StateCodec.decodeCredential(name, v));
  }

  @Override
  public List<CredentialRecord> listCredentials() {
    List<CredentialRecord> credentials = new ArrayList<>();
    rocks.scan(Family.CREDENTIALS, new byte[0], new byte[0], (key, value) -> {
      String name = new String(key, java.nio.charset.StandardCharsets.UTF_8);
      credentials.add(StateCodec.decodeCredential(name, value));
      return true;
    });
    return credentials;
  }

  @Override
  public Optional<TagRecord> findTag(RepositoryName repository, Tag tag) {
    return rocks.get(Family.TAGS, inRepository(repository, tag.value()))
        .map(v -> StateCodec.decodeTag(repository, tag, v));
  }

  @Override
  public List<Tag> listTags(RepositoryName repository, Optional<Tag> last, int limit) {
    requireLimit(limit);
    byte[] prefix = StateKeys.repositoryPrefix(repository);
    byte[] from = last.map(t -> inRepository(repository, t.value())).orElse(prefix);
    List<Tag> tags = new ArrayList<>();
    if (limit == 0) return tags;
    rocks.scan(Family.TAGS, prefix, from, (key, value) -> {
      Tag tag = new Tag(StateKeys.suffix(key, prefix));
      if (last.isPresent() && tag.equals(last.get())) return true;
      if (!StateCodec.decodeTag(repository, tag, value).isDeleted()) tags.add(tag);
      return tags.size() < limit;
    });
    return tags;
  }

  @Override
  public Optional<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
    return rocks.get(Family.MANIFESTS, inRepository(repository, digest.toString()))
        .map(v -> StateCodec.decodeManifest(repository, digest, v));
  }

  @Override
  public Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest) {
    return rocks.get(Family.BLOB_LINKS, inRepository(repository, digest.toString()))
        .map(v -> StateCodec.decodeBlobLink(repository, digest, v));
  }

  @Override
  public List<ManifestRecord> findReferrers(RepositoryName repository, Digest subject) {
    byte[] prefix = StateKeys.referrersPrefix(repository, subject);
    List<Digest> digests = new ArrayList<>();
    rocks.scan(Family.REFERRERS, prefix, prefix, (key, value) -> digests.add(Digest.parse(StateKeys.suffix(key, prefix))));
    List<ManifestRecord> referrers = new ArrayList<>();
    for (Digest digest : digests) {
      // The index and the registers are written in one batch, but a reader between two scans may see a
      // newer register: the register has the last word.
      findManifest(repository, digest).filter(ManifestRecord::present).ifPresent(referrers::add);
    }
    return referrers;
  }

  @Override
  public List<RepositoryName> listRepositories(Optional<RepositoryName> last, int limit) {
    requireLimit(limit);
    List<RepositoryName> names = new ArrayList<>();
    if (limit == 0) return names;
    byte[] from = last.map(r -> utf8(r.value())).orElse(new byte[0]);
    rocks.scan(Family.REPOSITORIES, new byte[0], from, (key, value) -> {
      RepositoryName name = new RepositoryName(StateKeys.suffix(key, new byte[0]));
      if (last.isEmpty() || !name.equals(last.get())) names.add(name);
      return names.size() < limit;
    });
    return names;
  }

  @Override
  public boolean repositoryExists(RepositoryName repository) {
    return rocks.get(Family.REPOSITORIES, utf8(repository.value())).isPresent();
  }

  @Override
  public Optional<UploadSession> findUpload(UploadId id) {
    return rocks.get(Family.UPLOADS, utf8(id.value())).map(v -> StateCodec.decodeUpload(id, v));
  }

  @Override
  public List<OutboxEntry> readOutbox(int limit) {
    requireLimit(limit);
    List<OutboxEntry> entries = new ArrayList<>();
    if (limit == 0) return entries;
    rocks.scan(Family.OUTBOX, new byte[0], new byte[0], (key, value) -> {
      entries.add(new OutboxEntry(StateKeys.longOf(key), value));
      return entries.size() < limit;
    });
    return entries;
  }

  @Override
  public List<OutboxEntry> readOutboxAfter(long sequence, int limit) {
    requireLimit(limit);
    List<OutboxEntry> entries = new ArrayList<>();
    if (limit == 0) return entries;
    if (sequence == Long.MAX_VALUE) return entries;
    // Sequences are non-negative and big-endian, so the keys sort as the numbers do and the scan starts right there.
    byte[] from = sequence < 0 ? new byte[0] : StateKeys.longBytes(sequence + 1);
    rocks.scan(Family.OUTBOX, new byte[0], from, (key, value) -> {
      entries.add(new OutboxEntry(StateKeys.longOf(key), value));
      return entries.size() < limit;
    });
    return entries;
  }

  @Override
  public void deleteOutbox(long sequence) {
    deleteOutbox(List.of(sequence));
  }

  @Override
  public void deleteOutbox(java.util.Collection<Long> sequences) {
    if (sequences.isEmpty()) return;
    rocks.run(() -> {
      outboxDeletes.lock();
      try {
        // Not synced: a delete lost to a power cut only ships the events once more.
        outboxSize.addAndGet(-deletePresent(Family.OUTBOX, new java.util.LinkedHashSet<>(sequences), StateKeys::longBytes));
      } finally {
        outboxDeletes.unlock();
      }
      return null;
    });
  }

  @Override
  public long outboxSize() {
    return outboxSize.get();
  }

  @Override
  public Map<LogPosition, Long> consumerOffsets() {
    Map<LogPosition, Long> offsets = new TreeMap<>();
    rocks.scan(Family.OFFSETS, new byte[0], new byte[0], (key, value) -> {
      offsets.put(StateKeys.logPosition(key), StateKeys.longOf(value));
      return true;
    });
    return Collections.unmodifiableMap(offsets);
  }

  @Override
  public Optional<byte[]> findMeta(String key) {
    return rocks.get(Family.META, utf8(key));
  }

  @Override
  public Optional<TransferJob> findTransfer(RepositoryName repository, Digest digest, TransferJob.Kind kind) {
    return rocks.get(Family.TRANSFERS, StateKeys.transfer(repository, digest, kind))
        .map(v -> StateCodec.decodeTransfer(repository, digest, v));
  }

  @Override
  public List<TransferJob> listTransfers(Optional<TransferJob> after, int limit) {
    requireLimit(limit);
    List<TransferJob> jobs = new ArrayList<>();
    if (limit == 0) return jobs;
    byte[] from = after.map(j -> StateKeys.transfer(j.repository(), j.digest(), j.kind())).orElse(new byte[0]);
    scanTransfers(from, (key, value) -> {
      String[] parts = StateKeys.suffix(key, new byte[0]).split("\0");
      TransferJob job = StateCodec.decodeTransfer(new RepositoryName(parts[0]), Digest.parse(parts[1]), value);
      if (after.isEmpty() || !sameKey(job, after.get())) jobs.add(job);
      return jobs.size() < limit;
    });
    return jobs;
  }

  /**
   * Visits the jobs from {@code from} on, beginning no earlier than the {@link LiveFloor} (no live job is below it, only
   * the tombstones of done ones), and moves the floor up to the first live job when the scan began at it.
   */
  private void scanTransfers(byte[] from, RocksDbHandle.Visitor visitor) {
    LiveFloor.View view = transfersFloor.view();
    byte[] start = LiveFloor.later(from, view.floor());
    byte[][] first = {null};
    rocks.scan(Family.TRANSFERS, new byte[0], start, (key, value) -> {
      if (first[0] == null) first[0] = key;
      return visitor.visit(key, value);
    });
    if (java.util.Arrays.equals(start, view.floor())) transfersFloor.found(view, Optional.ofNullable(first[0]));
  }

  private static boolean sameKey(TransferJob a, TransferJob b) {
    return a.repository().equals(b.repository()) && a.digest().equals(b.digest()) && a.kind() == b.kind();
  }

  /**
   * Exact up to {@value #EXACT_TRANSFER_COUNT} jobs; beyond, RocksDB's estimate of the family's keys (never less than
   * that bound). The status samples it every second: a region seeding a million tags has a million jobs, and
   * counting them one by one each second would take a core.
   */
  @Override
  public long transferCount() {
    long[] count = {0};
    scanTransfers(new byte[0], (key, value) -> ++count[0] < EXACT_TRANSFER_COUNT);
    if (count[0] < EXACT_TRANSFER_COUNT) return count[0];
    long estimate = rocks.run(() -> rocks.db().getLongProperty(rocks.handle(Family.TRANSFERS), "rocksdb.estimate-num-keys"));
    return Math.max(EXACT_TRANSFER_COUNT, estimate);
  }

  static final int EXACT_TRANSFER_COUNT = 100_000;

  @Override
  public Optional<Digest> findTagFallback(RepositoryName repository, Tag tag) {
    return rocks.get(Family.TAG_FALLBACK, inRepository(repository, tag.value()))
        .map(v -> Digest.parse(new String(v, java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Override
  public Set<RegionId> findReplicas(RepositoryName repository, Digest digest) {
    byte[] prefix = StateKeys.replicasPrefix(repository, digest);
    Set<RegionId> regions = new TreeSet<>();
    rocks.scan(Family.REPLICAS, prefix, prefix, (key, value) -> regions.add(new RegionId(StateKeys.suffix(key, prefix))));
    return regions;
  }

  @Override
  public List<PrefetchedBlob> listPrefetched(int limit) {
    requireLimit(limit);
    List<PrefetchedBlob> blobs = new ArrayList<>();
    if (limit == 0) return blobs;
    rocks.scan(Family.PREFETCHED, new byte[0], new byte[0], (key, value) -> {
      String[] parts = StateKeys.suffix(key, new byte[0]).split("\0");
      blobs.add(new PrefetchedBlob(new RepositoryName(parts[0]), Digest.parse(parts[1]),
          java.time.Instant.ofEpochMilli(StateKeys.longOf(value))));
      return blobs.size() < limit;
    });
    return blobs;
  }

  @Override
  public void forEachManifest(java.util.function.Consumer<ManifestRecord> visitor) {
    forEachManifestRegister(StateCodec::decodeManifest, visitor);
  }

  @Override
  public void forEachManifestContent(java.util.function.Consumer<ManifestContent> visitor) {
    forEachManifestRegister(StateCodec::decodeManifestContent, visitor);
  }

  /** How a pass reads one manifest register: whole, or its content only. */
  private interface ManifestDecoder<T> {
    T decode(RepositoryName repository, Digest digest, byte[] value);
  }

  private <T> void forEachManifestRegister(ManifestDecoder<T> decoder, java.util.function.Consumer<T> visitor) {
    RepositoryKeys keys = new RepositoryKeys();
    rocks.scanWhole(Family.MANIFESTS, (key, value) -> {
      visitor.accept(decoder.decode(keys.repository(key), Digest.parse(keys.rest(key)), value));
      return true;
    });
  }

  /**
   * Reads the keys of one pass over a family keyed {@code repository 0x00 rest}. They come grouped by repository, so
   * a repository's name is read and checked once for all its keys (a million tags in a hundred thousand
   * repositories), not once for each. One pass, one thread.
   */
  private static final class RepositoryKeys {
    private byte[] repositoryKey = new byte[0];
    private RepositoryName repository;

    RepositoryName repository(byte[] key) {
      int separator = separator(key);
      if (repository == null || !Arrays.equals(key, 0, separator, repositoryKey, 0, repositoryKey.length)) {
        repositoryKey = Arrays.copyOf(key, separator);
        repository = new RepositoryName(new String(repositoryKey, java.nio.charset.StandardCharsets.UTF_8));
      }
      return repository;
    }

    /** What follows the repository: a digest, a tag. */
    String rest(byte[] key) {
      int separator = separator(key);
      return new String(key, separator + 1, key.length - separator - 1, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int separator(byte[] key) {
      for (int i = 0; i < key.length; i++) if (key[i] == StateKeys.SEPARATOR) return i;
      throw new StateStoreException("corrupt key: no separator after the repository");
    }
  }

  /**
   * One RocksDB snapshot, read family by family with iterators pinned to it: later writes are invisible, so the
   * offsets and the registers agree. Holds the store open (a close waits) until the visitor is done, so the
   * visitor should write somewhere fast (a local file), not to a slow network peer.
   */
  @Override
  public void readSnapshot(RegisterSnapshots.Visitor visitor) {
    rocks.run(() -> {
      Snapshot snapshot = rocks.db().getSnapshot();
      // A pass over every family: its blocks are read once, and would evict from the cache those requests read.
      try (ReadOptions read = new ReadOptions().setSnapshot(snapshot).setFillCache(false)) {
        Map<LogPosition, Long> offsets = new TreeMap<>();
        rocks.scan(Family.OFFSETS, read, (key, value) -> offsets.put(StateKeys.logPosition(key), StateKeys.longOf(value)));
        visitor.offsets(Collections.unmodifiableMap(offsets));
        RepositoryKeys manifests = new RepositoryKeys();
        rocks.scan(Family.MANIFESTS, read, (key, value) -> visitor.manifest(
            StateCodec.decodeManifest(manifests.repository(key), Digest.parse(manifests.rest(key)), value)));
        RepositoryKeys tags = new RepositoryKeys();
        rocks.scan(Family.TAGS, read, (key, value) ->
            visitor.tag(StateCodec.decodeTag(tags.repository(key), new Tag(tags.rest(key)), value)));
        RepositoryKeys links = new RepositoryKeys();
        rocks.scan(Family.BLOB_LINKS, read, (key, value) -> visitor.blobLink(
            StateCodec.decodeBlobLink(links.repository(key), Digest.parse(links.rest(key)), value)));
        rocks.scan(Family.LOCKS, read, (key, value) -> {
          String rest = StateKeys.suffix(key, new byte[0]);
          int separator = rest.indexOf('\0'); // the scope after it may be empty (the repository's own lock)
          RepositoryName repository = new RepositoryName(rest.substring(0, separator));
          String scope = rest.substring(separator + 1);
          visitor.lock(StateCodec.decodeLock(repository, dev.meridian.core.state.LockRecord.parseScope(scope), value));
        });
        rocks.scan(Family.REPLICAS, read, (key, value) -> {
          String[] parts = StateKeys.suffix(key, new byte[0]).split("\0");
          visitor.replica(new RepositoryName(parts[0]), Digest.parse(parts[1]), new RegionId(parts[2]));
        });
      } finally {
        rocks.db().releaseSnapshot(snapshot);
      }
      return null;
    });
  }

  @Override
  public RepositoryRegisters repositoryRegisters(RepositoryName repository) {
    byte[] prefix = StateKeys.repositoryPrefix(repository);
    List<TagRecord> tags = new ArrayList<>();
    rocks.scan(Family.TAGS, prefix, prefix,
        (key, value) -> tags.add(StateCodec.decodeTag(repository, new Tag(StateKeys.suffix(key, prefix)), value)));
    List<ManifestRecord> manifests = new ArrayList<>();
    rocks.scan(Family.MANIFESTS, prefix, prefix,
        (key, value) -> manifests.add(StateCodec.decodeManifest(repository, Digest.parse(StateKeys.suffix(key, prefix)), value)));
    List<BlobLinkRecord> links = new ArrayList<>();
    rocks.scan(Family.BLOB_LINKS, prefix, prefix,
        (key, value) -> links.add(StateCodec.decodeBlobLink(repository, Digest.parse(StateKeys.suffix(key, prefix)), value)));
    List<dev.meridian.core.state.LockRecord> locks = new ArrayList<>();
    rocks.scan(Family.LOCKS, prefix, prefix, (key, value) -> locks.add(StateCodec.decodeLock(repository,
        dev.meridian.core.state.LockRecord.parseScope(StateKeys.suffix(key, prefix)), value)));
    return new RepositoryRegisters(repository, tags, manifests, links, locks);
  }

  @Override
  public Optional<dev.meridian.core.state.LockRecord> findLock(RepositoryName repository,
      Optional<dev.meridian.core.oci.Reference> reference) {
    return rocks.get(Family.LOCKS, inRepository(repository, dev.meridian.core.state.LockRecord.scope(reference)))
        .map(v -> StateCodec.decodeLock(repository, reference, v));
  }

  @Override
  public void forEachBlobLink(java.util.function.Consumer<BlobLinkRecord> visitor) {
    rocks.scan(Family.BLOB_LINKS, new byte[0], new byte[0], (key, value) -> {
      String[] parts = StateKeys.suffix(key, new byte[0]).split("\0");
      RepositoryName repository = new RepositoryName(parts[0]);
      Digest digest = Digest.parse(parts[1]);
      visitor.accept(StateCodec.decodeBlobLink(repository, digest, value));
      return true;
    });
  }

  @Override
  public List<QueuedNotification> readNotificationsAfter(String queue, long sequence, int limit) {
    requireLimit(limit);
    if (sequence < 0) throw new IllegalArgumentException("sequence < 0: " + sequence);
    List<QueuedNotification> entries = new ArrayList<>();
    if (limit == 0 || sequence == Long.MAX_VALUE) return entries;
    String name = QueuedNotification.requireQueueName(queue);
    byte[] prefix = StateKeys.notificationQueue(name);
    // Sequences are positive and big-endian, so the keys sort as the numbers do and the scan starts right there.
    rocks.scan(Family.NOTIFICATIONS, prefix, StateKeys.notification(name, sequence + 1), (key, value) -> {
      entries.add(new QueuedNotification(queue, notificationSequence(key), value));
      return entries.size() < limit;
    });
    return entries;
  }

  @Override
  public void deleteNotification(String queue, long sequence) {
    deleteNotifications(queue, List.of(sequence));
  }

  @Override
  public void deleteNotifications(String queue, List<Long> sequences) {
    String name = QueuedNotification.requireQueueName(queue);
    if (sequences.isEmpty()) return;
    rocks.run(() -> {
      // Under the write lock: a batch that appends to this queue counts its entries in the same critical section.
      writeLock.lock();
      try {
        // Not synced: a delete lost to a power cut only delivers the notification once more (same id).
        int deleted = deletePresent(Family.NOTIFICATIONS, new java.util.LinkedHashSet<>(sequences),
            sequence -> StateKeys.notification(name, sequence));
        if (deleted > 0) notificationCounts.computeIfAbsent(queue, q -> new AtomicLong()).addAndGet(-deleted);
      } finally {
        writeLock.unlock();
      }
      return null;
    });
  }

  /**
   * Deletes, in one unsynced write, those of the entries numbered {@code sequences} that are there; returns how many
   * were. The caller holds the lock its counter is kept under, and passes each sequence once: one listed twice would
   * be found by both gets and counted twice.
   */
  private int deletePresent(Family family, java.util.Set<Long> sequences, java.util.function.LongFunction<byte[]> keyOf)
      throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      int present = 0;
      for (long sequence : sequences) {
        byte[] key = keyOf.apply(sequence);
        if (rocks.db().get(rocks.handle(family), key) == null) continue;
        batch.delete(rocks.handle(family), key);
        present++;
      }
      if (present > 0) rocks.db().write(rocks.unsyncedWrites(), batch);
      return present;
    }
  }

  @Override
  public long notificationCount(String queue) {
    AtomicLong count = notificationCounts.get(queue);
    return count == null ? 0 : count.get();
  }

  private static String notificationQueue(byte[] key) {
    int end = 0;
    while (key[end] != StateKeys.SEPARATOR) end++;
    return new String(key, 0, end, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static long notificationSequence(byte[] key) {
    return java.nio.ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }

  /** Releases every native handle; later calls throw {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    rocks.close();
  }

  /** The raw database, for tests in this package that check the layout itself (e.g. that no index entry is stale). */
  RocksDbHandle rocks() {
    return rocks;
  }

  private static void requireLimit(int limit) {
    if (limit < 0) throw new IllegalArgumentException("limit < 0: " + limit);
  }
}
