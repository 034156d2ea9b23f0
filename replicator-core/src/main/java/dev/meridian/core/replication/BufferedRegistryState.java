package dev.meridian.core.replication;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ForwardingRegistryState;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterMerge;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A state that collects writes instead of committing them, and answers the queries replay planning makes
 * (tags, manifests, blob links, transfer jobs, tag fallbacks) as if they were committed: so a whole poll
 * of the log can be planned record by record and committed as one batch.
 *
 * <p>Registers merge here by the same rule the store applies ({@link RegisterMerge}), so what a later
 * record sees is what the store will hold. Tags, manifests and blob links are read from the store at most once per
 * buffer (until {@link #drain}). Other queries see the store as it is. Not thread-safe.
 */
public final class BufferedRegistryState extends ForwardingRegistryState {
  private final List<StateWrite> writes = new ArrayList<>();
  private final Map<List<Object>, TagRecord> tags = new HashMap<>();
  private final Map<List<Object>, ManifestRecord> manifests = new HashMap<>();
  private final Map<List<Object>, BlobLinkRecord> links = new HashMap<>();
  private final Map<List<Object>, LockRecord> locks = new HashMap<>();
  private final Map<List<Object>, Optional<TransferJob>> transfers = new HashMap<>();
  private final Map<List<Object>, Optional<Digest>> fallbacks = new HashMap<>();
  /**
   * What the store answered for a register this poll asked about and has not written: planning asks about a register,
   * then merging its write into this buffer asks again, so the store is read once per register and poll. A register
   * another writer commits meanwhile is seen at the poll's commit, which merges against the store itself.
   */
  private final Map<List<Object>, Optional<TagRecord>> committedTags = new HashMap<>();
  private final Map<List<Object>, Optional<ManifestRecord>> committedManifests = new HashMap<>();
  private final Map<List<Object>, Optional<BlobLinkRecord>> committedLinks = new HashMap<>();

  public BufferedRegistryState(RegistryState committed) {
    super(committed);
  }

  /** Collects the batch's writes; nothing reaches the store until {@link #drain}. */
  @Override
  public void apply(StateBatch batch) {
    for (StateWrite w : batch.writes()) {
      writes.add(w);
      if (w instanceof StateWrite.PutTag t) {
        TagRecord tag = t.tag();
        if (RegisterMerge.wins(tag.stamp(), findTag(tag.repository(), tag.tag()).map(TagRecord::stamp))) {
          tags.put(List.of(tag.repository(), tag.tag()), tag);
        }
      } else if (w instanceof StateWrite.PutManifest m) {
        ManifestRecord manifest = m.manifest();
        if (RegisterMerge.wins(manifest.stamp(), findManifest(manifest.repository(), manifest.digest()).map(ManifestRecord::stamp))) {
          manifests.put(List.of(manifest.repository(), manifest.digest()), manifest);
        }
      } else if (w instanceof StateWrite.PutBlobLink l) {
        BlobLinkRecord link = l.link();
        if (RegisterMerge.wins(link.stamp(), findBlobLink(link.repository(), link.digest()).map(BlobLinkRecord::stamp))) {
          links.put(List.of(link.repository(), link.digest()), link);
        }
      } else if (w instanceof StateWrite.PutLock l) {
        LockRecord lock = l.lock();
        if (RegisterMerge.wins(lock.stamp(), findLock(lock.repository(), lock.reference()).map(LockRecord::stamp))) {
          locks.put(List.of(lock.repository(), lock.scope()), lock);
        }
      } else if (w instanceof StateWrite.PutTransfer p) {
        transfers.put(List.of(p.job().repository(), p.job().digest(), p.job().kind()), Optional.of(p.job()));
      } else if (w instanceof StateWrite.DeleteTransfer d) {
        transfers.put(List.of(d.repository(), d.digest(), d.kind()), Optional.empty());
      } else if (w instanceof StateWrite.PutTagFallback f) {
        fallbacks.put(List.of(f.repository(), f.tag()), Optional.of(f.digest()));
      } else if (w instanceof StateWrite.DeleteTagFallback f) {
        fallbacks.put(List.of(f.repository(), f.tag()), Optional.empty());
      }
    }
  }

  /** Everything collected, in order, as one batch; the buffer is then empty. */
  public StateBatch drain(boolean sync) {
    StateBatch batch = new StateBatch(writes, sync);
    writes.clear();
    tags.clear();
    manifests.clear();
    links.clear();
    locks.clear();
    transfers.clear();
    fallbacks.clear();
    committedTags.clear();
    committedManifests.clear();
    committedLinks.clear();
    return batch;
  }

  @Override
  public Optional<TagRecord> findTag(RepositoryName repository, Tag tag) {
    List<Object> key = List.of(repository, tag);
    TagRecord buffered = tags.get(key);
    return buffered != null ? Optional.of(buffered) : committedTags.computeIfAbsent(key, k -> delegate.findTag(repository, tag));
  }

  @Override
  public Optional<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
    List<Object> key = List.of(repository, digest);
    ManifestRecord buffered = manifests.get(key);
    return buffered != null ? Optional.of(buffered)
        : committedManifests.computeIfAbsent(key, k -> delegate.findManifest(repository, digest));
  }

  @Override
  public Optional<LockRecord> findLock(RepositoryName repository, Optional<Reference> reference) {
    LockRecord buffered = locks.get(List.of(repository, LockRecord.scope(reference)));
    return buffered != null ? Optional.of(buffered) : delegate.findLock(repository, reference);
  }

  @Override
  public Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest) {
    List<Object> key = List.of(repository, digest);
    BlobLinkRecord buffered = links.get(key);
    return buffered != null ? Optional.of(buffered) : committedLinks.computeIfAbsent(key, k -> delegate.findBlobLink(repository, digest));
  }

  @Override
  public Optional<TransferJob> findTransfer(RepositoryName repository, Digest digest, TransferJob.Kind kind) {
    Optional<TransferJob> buffered = transfers.get(List.of(repository, digest, kind));
    return buffered != null ? buffered : delegate.findTransfer(repository, digest, kind);
  }

  @Override
  public Optional<Digest> findTagFallback(RepositoryName repository, Tag tag) {
    Optional<Digest> buffered = fallbacks.get(List.of(repository, tag));
    return buffered != null ? buffered : delegate.findTagFallback(repository, tag);
  }

  /** Closing a view never closes the store under it. */
  @Override
  public void close() {}
}
