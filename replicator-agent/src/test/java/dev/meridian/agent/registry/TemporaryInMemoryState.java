package dev.meridian.agent.registry;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterMerge;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.UploadSession;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** TEMPORARY: stands in for the RocksDB state until it is merged; delete then. */
public final class TemporaryInMemoryState implements RegistryState {
  private final Map<String, TagRecord> tags = new ConcurrentSkipListMap<>();
  private final Map<String, ManifestRecord> manifests = new ConcurrentSkipListMap<>();
  private final Map<String, BlobLinkRecord> links = new ConcurrentSkipListMap<>();
  private final Map<UploadId, UploadSession> uploads = new ConcurrentSkipListMap<>((a, b) -> a.value().compareTo(b.value()));
  private final Map<RepositoryName, Boolean> repos = new ConcurrentSkipListMap<>();

  @Override
  public synchronized void apply(StateBatch batch) {
    for (StateWrite w : batch.writes()) {
      if (w instanceof StateWrite.PutTag t) {
        merge(tags, t.tag().repository() + "|" + t.tag().tag(), t.tag(), t.tag().stamp());
        repos.put(t.tag().repository(), true);
      } else if (w instanceof StateWrite.PutManifest m) {
        merge(manifests, m.manifest().repository() + "|" + m.manifest().digest(), m.manifest(), m.manifest().stamp());
        repos.put(m.manifest().repository(), true);
      } else if (w instanceof StateWrite.PutBlobLink l) {
        merge(links, l.link().repository() + "|" + l.link().digest(), l.link(), l.link().stamp());
        repos.put(l.link().repository(), true);
      } else if (w instanceof StateWrite.PutUpload u) {
        uploads.put(u.session().id(), u.session());
      } else if (w instanceof StateWrite.DeleteUpload d) {
        uploads.remove(d.id());
      }
    }
  }

  private static <T> void merge(Map<String, T> map, String key, T value, Stamp stamp) {
    T current = map.get(key);
    Optional<Stamp> currentStamp = Optional.ofNullable(current).map(TemporaryInMemoryState::stampOf);
    if (RegisterMerge.wins(stamp, currentStamp)) map.put(key, value);
  }

  private static Stamp stampOf(Object o) {
    if (o instanceof TagRecord t) return t.stamp();
    if (o instanceof ManifestRecord m) return m.stamp();
    return ((BlobLinkRecord) o).stamp();
  }

  @Override
  public Optional<TagRecord> findTag(RepositoryName repository, Tag tag) {
    return Optional.ofNullable(tags.get(repository + "|" + tag));
  }

  @Override
  public List<Tag> listTags(RepositoryName repository, Optional<Tag> last, int limit) {
    TreeMap<String, Tag> live = new TreeMap<>();
    for (TagRecord t : tags.values()) {
      if (t.repository().equals(repository) && !t.isDeleted()) live.put(t.tag().value(), t.tag());
    }
    return live.values().stream().filter(t -> last.isEmpty() || t.compareTo(last.get()) > 0).limit(limit).toList();
  }

  @Override
  public Optional<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
    return Optional.ofNullable(manifests.get(repository + "|" + digest));
  }

  @Override
  public Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest) {
    return Optional.ofNullable(links.get(repository + "|" + digest));
  }

  @Override
  public List<ManifestRecord> findReferrers(RepositoryName repository, Digest subject) {
    return manifests.values().stream()
        .filter(m -> m.repository().equals(repository) && m.present())
        .filter(m -> m.subject().map(s -> s.digest().equals(subject)).orElse(false))
        .toList();
  }

  @Override
  public List<RepositoryName> listRepositories(Optional<RepositoryName> last, int limit) {
    return repos.keySet().stream().filter(r -> last.isEmpty() || r.compareTo(last.get()) > 0).limit(limit).toList();
  }

  @Override
  public boolean repositoryExists(RepositoryName repository) {
    return repos.containsKey(repository);
  }

  @Override
  public Optional<UploadSession> findUpload(UploadId id) {
    return Optional.ofNullable(uploads.get(id));
  }

  @Override
  public void close() {}
}
