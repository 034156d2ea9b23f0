package dev.meridian.core.state;

import dev.meridian.core.blob.UploadId;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A {@link RegistryState} that forwards every call: the base of decorators that change a few. */
public abstract class ForwardingRegistryState implements RegistryState {
  protected final RegistryState delegate;

  protected ForwardingRegistryState(RegistryState delegate) {
    this.delegate = delegate;
  }

  @Override
  public void apply(StateBatch batch) {
    delegate.apply(batch);
  }

  @Override
  public Optional<TagRecord> findTag(RepositoryName repository, Tag tag) {
    return delegate.findTag(repository, tag);
  }

  @Override
  public Optional<CredentialRecord> findCredential(String name) {
    return delegate.findCredential(name);
  }

  @Override
  public List<CredentialRecord> listCredentials() {
    return delegate.listCredentials();
  }

  @Override
  public List<Tag> listTags(RepositoryName repository, Optional<Tag> last, int limit) {
    return delegate.listTags(repository, last, limit);
  }

  @Override
  public Optional<ManifestRecord> findManifest(RepositoryName repository, Digest digest) {
    return delegate.findManifest(repository, digest);
  }

  @Override
  public Optional<BlobLinkRecord> findBlobLink(RepositoryName repository, Digest digest) {
    return delegate.findBlobLink(repository, digest);
  }

  @Override
  public List<ManifestRecord> findReferrers(RepositoryName repository, Digest subject) {
    return delegate.findReferrers(repository, subject);
  }

  @Override
  public List<RepositoryName> listRepositories(Optional<RepositoryName> last, int limit) {
    return delegate.listRepositories(last, limit);
  }

  @Override
  public boolean repositoryExists(RepositoryName repository) {
    return delegate.repositoryExists(repository);
  }

  @Override
  public Optional<UploadSession> findUpload(UploadId id) {
    return delegate.findUpload(id);
  }

  @Override
  public List<OutboxEntry> readOutbox(int limit) {
    return delegate.readOutbox(limit);
  }

  @Override
  public List<OutboxEntry> readOutboxAfter(long sequence, int limit) {
    return delegate.readOutboxAfter(sequence, limit);
  }

  @Override
  public void deleteOutbox(long sequence) {
    delegate.deleteOutbox(sequence);
  }

  @Override
  public void deleteOutbox(java.util.Collection<Long> sequences) {
    delegate.deleteOutbox(sequences);
  }

  @Override
  public long outboxSize() {
    return delegate.outboxSize();
  }

  @Override
  public Map<LogPosition, Long> consumerOffsets() {
    return delegate.consumerOffsets();
  }

  @Override
  public Optional<byte[]> findMeta(String key) {
    return delegate.findMeta(key);
  }

  @Override
  public Optional<TransferJob> findTransfer(RepositoryName repository, Digest digest, TransferJob.Kind kind) {
    return delegate.findTransfer(repository, digest, kind);
  }

  @Override
  public List<TransferJob> listTransfers(Optional<TransferJob> after, int limit) {
    return delegate.listTransfers(after, limit);
  }

  @Override
  public long transferCount() {
    return delegate.transferCount();
  }

  @Override
  public Optional<Digest> findTagFallback(RepositoryName repository, Tag tag) {
    return delegate.findTagFallback(repository, tag);
  }

  @Override
  public Set<RegionId> findReplicas(RepositoryName repository, Digest digest) {
    return delegate.findReplicas(repository, digest);
  }

  @Override
  public List<PrefetchedBlob> listPrefetched(int limit) {
    return delegate.listPrefetched(limit);
  }

  @Override
  public void forEachManifest(java.util.function.Consumer<ManifestRecord> visitor) {
    delegate.forEachManifest(visitor);
  }

  @Override
  public void forEachManifestContent(java.util.function.Consumer<ManifestContent> visitor) {
    delegate.forEachManifestContent(visitor);
  }

  @Override
  public Optional<LockRecord> findLock(RepositoryName repository, Optional<dev.meridian.core.oci.Reference> reference) {
    return delegate.findLock(repository, reference);
  }

  @Override
  public void forEachBlobLink(java.util.function.Consumer<BlobLinkRecord> visitor) {
    delegate.forEachBlobLink(visitor);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public RepositoryRegisters repositoryRegisters(RepositoryName repository) {
    return delegate.repositoryRegisters(repository);
  }
}
