package dev.meridian.core.state.rocksdb;

import static dev.meridian.core.state.rocksdb.StateKeys.inRepository;
import static dev.meridian.core.state.rocksdb.StateKeys.referrer;
import static dev.meridian.core.state.rocksdb.StateKeys.utf8;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterMerge;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Turns the writes of one {@code StateBatch} into one RocksDB {@link WriteBatch}, merging each register
 * write against the current value: the stored one, or an earlier write of the same batch (every put
 * and delete is also kept in an overlay that later reads consult first, so writes within one batch see
 * each other). Not thread-safe: the store builds and commits one at a time under its write lock.
 */
final class MergingBatch {
  static final byte[] OUTBOX_NEXT_SEQUENCE = utf8("state.outbox.next-sequence");
  static final byte[] NOTIFICATIONS_NEXT_SEQUENCE = utf8("state.notifications.next-sequence");
  private static final byte[] EMPTY = new byte[0];

  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final WriteBatch batch;
  /** Family and key to the value this batch wrote; empty if deleted. */
  private final Map<OverlayKey, Optional<byte[]>> overlay = new HashMap<>();
  private long nextSequence;
  private int appended;
  private long nextNotification;
  /** Queue name to how many entries this batch appends to it. */
  private final Map<String, Integer> notificationsAppended = new HashMap<>();
  /** The keys of the transfer jobs this batch puts, for the store's {@link LiveFloor}. */
  private final List<byte[]> transfersPut = new ArrayList<>();

  MergingBatch(RocksDB db, Map<Family, ColumnFamilyHandle> handles, WriteBatch batch, long nextSequence) {
    this.db = db;
    this.handles = handles;
    this.batch = batch;
    this.nextSequence = nextSequence;
  }

  MergingBatch(RocksDB db, Map<Family, ColumnFamilyHandle> handles, WriteBatch batch, long nextSequence, long nextNotification) {
    this(db, handles, batch, nextSequence);
    this.nextNotification = nextNotification;
  }

  void add(StateWrite write) throws RocksDBException {
    if (write instanceof StateWrite.PutTag w) {
      putTag(w.tag());
    } else if (write instanceof StateWrite.PutManifest w) {
      putManifest(w.manifest());
    } else if (write instanceof StateWrite.PutBlobLink w) {
      putBlobLink(w.link());
    } else if (write instanceof StateWrite.PutLock w) {
      putLock(w.lock());
    } else if (write instanceof StateWrite.PutCredential w) {
      byte[] key = utf8(w.credential().name());
      Optional<CredentialRecord> current = get(Family.CREDENTIALS, key).map(v -> StateCodec.decodeCredential(w.credential().name(), v));
      if (wins(w.credential().stamp(), current, CredentialRecord::stamp)) {
        put(Family.CREDENTIALS, key, StateCodec.encodeCredential(w.credential()));
      }
    } else if (write instanceof StateWrite.PutUpload w) {
      put(Family.UPLOADS, utf8(w.session().id().value()), StateCodec.encodeUpload(w.session()));
    } else if (write instanceof StateWrite.DeleteUpload w) {
      delete(Family.UPLOADS, utf8(w.id().value()));
    } else if (write instanceof StateWrite.AppendOutbox w) {
      appendOutbox(w.payload());
    } else if (write instanceof StateWrite.PutConsumerOffset w) {
      put(Family.OFFSETS, StateKeys.logPosition(w.position()), StateKeys.longBytes(w.nextOffset()));
    } else if (write instanceof StateWrite.PutMeta w) {
      put(Family.META, utf8(w.key()), w.value());
    } else if (write instanceof StateWrite.PutTransfer w) {
      TransferJob job = w.job();
      byte[] key = StateKeys.transfer(job.repository(), job.digest(), job.kind());
      put(Family.TRANSFERS, key, StateCodec.encodeTransfer(job));
      transfersPut.add(key);
    } else if (write instanceof StateWrite.DeleteTransfer w) {
      delete(Family.TRANSFERS, StateKeys.transfer(w.repository(), w.digest(), w.kind()));
    } else if (write instanceof StateWrite.PutTagFallback w) {
      put(Family.TAG_FALLBACK, inRepository(w.repository(), w.tag().value()), utf8(w.digest().toString()));
    } else if (write instanceof StateWrite.DeleteTagFallback w) {
      delete(Family.TAG_FALLBACK, inRepository(w.repository(), w.tag().value()));
    } else if (write instanceof StateWrite.PutPrefetched w) {
      put(Family.PREFETCHED, inRepository(w.blob().repository(), w.blob().digest().toString()),
          StateKeys.longBytes(w.blob().fetchedAt().toEpochMilli()));
    } else if (write instanceof StateWrite.DeletePrefetched w) {
      delete(Family.PREFETCHED, inRepository(w.repository(), w.digest().toString()));
    } else if (write instanceof StateWrite.AppendNotification w) {
      appendNotification(w.queue(), w.payload());
    } else if (write instanceof StateWrite.PutReplica w) {
      put(Family.REPLICAS, StateKeys.replica(w.repository(), w.digest(), w.region()), EMPTY);
    } else {
      throw new IllegalArgumentException("unknown state write: " + write);
    }
  }

  /** The sequence the next outbox entry gets once this batch committed. */
  long nextSequence() {
    return nextSequence;
  }

  /** How many outbox entries this batch appends. */
  int appended() {
    return appended;
  }

  /** The sequence the next notification gets once this batch committed. */
  long nextNotification() {
    return nextNotification;
  }

  /** The keys of the transfer jobs this batch puts. */
  List<byte[]> transfersPut() {
    return transfersPut;
  }

  /** How many notifications this batch appends, per queue. */
  Map<String, Integer> notificationsAppended() {
    return notificationsAppended;
  }

  private void appendNotification(String queue, byte[] payload) throws RocksDBException {
    put(Family.NOTIFICATIONS, StateKeys.notification(queue, nextNotification), payload);
    nextNotification++;
    notificationsAppended.merge(queue, 1, Integer::sum);
    put(Family.META, NOTIFICATIONS_NEXT_SEQUENCE, StateKeys.longBytes(nextNotification));
  }

  private void putTag(TagRecord tag) throws RocksDBException {
    byte[] key = inRepository(tag.repository(), tag.tag().value());
    Optional<TagRecord> current = get(Family.TAGS, key).map(v -> StateCodec.decodeTag(tag.repository(), tag.tag(), v));
    touchRepository(tag.repository());
    if (wins(tag.stamp(), current, TagRecord::stamp)) put(Family.TAGS, key, StateCodec.encodeTag(tag));
  }

  private void putBlobLink(BlobLinkRecord link) throws RocksDBException {
    byte[] key = inRepository(link.repository(), link.digest().toString());
    Optional<BlobLinkRecord> current =
        get(Family.BLOB_LINKS, key).map(v -> StateCodec.decodeBlobLink(link.repository(), link.digest(), v));
    touchRepository(link.repository());
    if (wins(link.stamp(), current, BlobLinkRecord::stamp)) put(Family.BLOB_LINKS, key, StateCodec.encodeBlobLink(link));
  }

  private void putLock(dev.meridian.core.state.LockRecord lock) throws RocksDBException {
    byte[] key = inRepository(lock.repository(), lock.scope());
    Optional<dev.meridian.core.state.LockRecord> current =
        get(Family.LOCKS, key).map(v -> StateCodec.decodeLock(lock.repository(), lock.reference(), v));
    touchRepository(lock.repository());
    if (wins(lock.stamp(), current, dev.meridian.core.state.LockRecord::stamp)) {
      put(Family.LOCKS, key, StateCodec.encodeLock(lock));
    }
  }

  /** Also keeps the referrers index equal to what the winning register says. */
  private void putManifest(ManifestRecord manifest) throws RocksDBException {
    byte[] key = inRepository(manifest.repository(), manifest.digest().toString());
    Optional<ManifestRecord> current =
        get(Family.MANIFESTS, key).map(v -> StateCodec.decodeManifest(manifest.repository(), manifest.digest(), v));
    touchRepository(manifest.repository());
    if (!wins(manifest.stamp(), current, ManifestRecord::stamp)) return;
    put(Family.MANIFESTS, key, StateCodec.encodeManifest(manifest));
    // A digest's subject never changes in practice; removing the loser's entry first keeps the index
    // a pure function of the winning register even if it did.
    Optional<Descriptor> oldSubject = current.filter(ManifestRecord::present).flatMap(ManifestRecord::subject);
    if (oldSubject.isPresent()) {
      delete(Family.REFERRERS, referrer(manifest.repository(), oldSubject.get().digest(), manifest.digest()));
    }
    if (manifest.present() && manifest.subject().isPresent()) {
      put(Family.REFERRERS, referrer(manifest.repository(), manifest.subject().get().digest(), manifest.digest()), EMPTY);
    }
  }

  private void appendOutbox(byte[] payload) throws RocksDBException {
    put(Family.OUTBOX, StateKeys.longBytes(nextSequence), payload);
    nextSequence++;
    appended++;
    // The high-water mark outlives the entries: a reopened store with an empty outbox keeps counting up.
    put(Family.META, OUTBOX_NEXT_SEQUENCE, StateKeys.longBytes(nextSequence));
  }

  /** A repository exists once any register of it was written, won or lost, so this is order-free too. */
  private void touchRepository(RepositoryName repository) throws RocksDBException {
    put(Family.REPOSITORIES, utf8(repository.value()), EMPTY);
  }

  private static <R> boolean wins(Stamp incoming, Optional<R> current, Function<R, Stamp> stampOf) {
    return RegisterMerge.wins(incoming, current.map(stampOf));
  }

  private Optional<byte[]> get(Family family, byte[] key) throws RocksDBException {
    Optional<byte[]> written = overlay.get(overlayKey(family, key));
    if (written != null) return written;
    return Optional.ofNullable(db.get(handles.get(family), key));
  }

  private void put(Family family, byte[] key, byte[] value) throws RocksDBException {
    batch.put(handles.get(family), key, value);
    overlay.put(overlayKey(family, key), Optional.of(value));
  }

  private void delete(Family family, byte[] key) throws RocksDBException {
    batch.delete(handles.get(family), key);
    overlay.put(overlayKey(family, key), Optional.empty());
  }

  private static OverlayKey overlayKey(Family family, byte[] key) {
    return new OverlayKey(family, key, 31 * family.ordinal() + Arrays.hashCode(key));
  }

  /** A key of one family, compared by content; the hash is computed once (a batch looks most keys up twice). */
  private record OverlayKey(Family family, byte[] key, int hash) {
    @Override
    public boolean equals(Object o) {
      return o instanceof OverlayKey other && hash == other.hash && family == other.family && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
