package dev.meridian.agent.registry;

import dev.meridian.core.replication.ContentGuard;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Manifest;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.ManifestParser;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ManifestVisibility;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifest push, pull and delete, and referrers. A push validates everything first (size, JSON, digest,
 * every reference present and linked here), stores the bytes as a blob, and then commits the manifest
 * register, the tag and the manifest's own blob link in one batch: that commit is the acknowledgement.
 */
final class ManifestOperations {
  private static final Logger log = LoggerFactory.getLogger(ManifestOperations.class);
  private static final int TAG_SCAN_PAGE = 500;

  private final BlobStore blobs;
  private final RegistryState state;
  private final Supplier<Stamp> stamps;
  private final ManifestVisibility visibility;
  private final ContentGuard guard;
  private final Locks locks;
  private final ManifestAdmission admission;

  ManifestOperations(BlobStore blobs, RegistryState state, Supplier<Stamp> stamps, ContentGuard guard, Locks locks,
      ManifestAdmission admission) {
    this.locks = locks;
    this.admission = admission;
    this.guard = guard;
    this.blobs = blobs;
    this.state = state;
    this.stamps = stamps;
    this.visibility = new ManifestVisibility(state);
  }

  PutManifestResult put(RepositoryName repository, Reference reference, MediaType contentType, byte[] body) {
    if (body.length > ManifestBytes.MAX_SIZE) {
      throw new RegistryException(
          OciErrorCode.MANIFEST_INVALID, "manifest larger than " + ManifestBytes.MAX_SIZE + " bytes", null, 413);
    }
    ManifestBytes bytes = new ManifestBytes(body, contentType);
    Digest digest = bytes.digest();
    if (reference instanceof Reference.DigestReference byDigest) {
      Digest claimed = byDigest.digest();
      Digest actual = Digest.of(claimed.algorithm(), body);
      if (!actual.equals(claimed)) {
        throw new RegistryException(OciErrorCode.DIGEST_INVALID,
            "manifest digest " + actual + " does not match the reference " + claimed, claimed.toString(), 400);
      }
      digest = claimed;
    }
    Manifest manifest = ManifestParser.parse(bytes);
    admission.admit(repository, digest, body.length, manifest.references());
    List<Digest> claims = new ArrayList<>();
    claims.add(digest);
    manifest.references().forEach(d -> claims.add(d.digest()));
    Digest stored = digest;
    // From "every reference is here" to the commit, no sweeper may delete what the commit relies on.
    guard.claiming(claims, () -> {
      boolean index = manifest instanceof Manifest.ImageIndex;
      for (Descriptor referenced : manifest.references()) requirePresent(repository, referenced, index);
      blobs.put(stored, new ByteArrayInputStream(body));
      Stamp stamp = stamps.get();
      ManifestRecord record = new ManifestRecord(repository, stored, contentType, body.length, manifest.references(),
          manifest.subject(), manifest.artifactType(), manifest.annotations(), true, stamp);
      StateBatch.Builder batch = StateBatch.builder().putManifest(record);
      if (reference instanceof Reference.TagReference byTag) {
        batch.putTag(new TagRecord(repository, byTag.tag(), Optional.of(stored), stamp));
      }
      batch.putBlobLink(new BlobLinkRecord(repository, stored, true, stamp));
      // Every reference was checked above: this region holds the manifest completely. Replicas learn it from
      // their own replay; the region that took the push must record it itself (it never acks its own push).
      batch.add(new StateWrite.PutReplica(repository, stored, stamp.origin()));
      state.apply(batch.build());
      return null;
    });
    log.info("manifest.put repo={} reference={} digest={} size_bytes={} media_type={}",
        repository, reference, digest, body.length, contentType);
    return new PutManifestResult(digest, manifest.subject().map(Descriptor::digest));
  }

  /**
   * A reference counts as present when it is a manifest served here or a blob linked here and stored. An index's
   * child described as a manifest must be a served manifest: its bytes alone (a manifest's bytes are linked as a blob
   * too, and a client could upload them as one) say nothing of the child's own content, and an index accepted over
   * them would be served with children that cannot be pulled (complete-before-visible).
   *
   * <p>Its size must be the descriptor's: every other region copies it by the descriptor and refuses bytes of
   * another length ({@code SIZE_INVALID}), so a manifest accepted here with a wrong size would never replicate, and
   * a client pulling it would distrust the content (image-spec: content whose length does not match SHOULD NOT be
   * trusted). Distribution does not check this.
   */
  private void requirePresent(RepositoryName repository, Descriptor referenced, boolean indexChild) {
    Digest digest = referenced.digest();
    OptionalLong held = heldSize(repository, referenced, indexChild);
    if (held.isEmpty()) {
      String detail = indexChild && referenced.mediaType().isManifest()
          ? "index references manifest " + digest + ", not served in " + repository
          : "manifest references " + digest + ", unknown in " + repository;
      throw new RegistryException(OciErrorCode.MANIFEST_BLOB_UNKNOWN, detail, digest.toString(), 400);
    }
    if (held.getAsLong() != referenced.size()) {
      throw new RegistryException(OciErrorCode.MANIFEST_INVALID, "manifest gives " + digest + " a size of "
          + referenced.size() + " bytes; it is " + held.getAsLong() + " bytes", digest.toString(), 400);
    }
  }

  /** The size of the reference as this region holds it (see {@link #requirePresent}); empty when it does not. */
  private OptionalLong heldSize(RepositoryName repository, Descriptor referenced, boolean indexChild) {
    Digest digest = referenced.digest();
    Optional<ManifestRecord> served = visibility.servedManifest(repository, digest);
    if (served.isPresent()) return OptionalLong.of(served.get().size());
    if (indexChild && referenced.mediaType().isManifest()) return OptionalLong.empty();
    boolean linked = state.findBlobLink(repository, digest).map(BlobLinkRecord::linked).orElse(false);
    if (!linked) return OptionalLong.empty();
    return blobs.stat(digest).map(info -> OptionalLong.of(info.size())).orElse(OptionalLong.empty());
  }

  /**
   * The references of a manifest about to be put that {@link #put} would refuse as absent, each once, in the
   * manifest's order: what a read-through must bring first. Parses as {@link #put} does and refuses what it refuses.
   */
  List<Descriptor> missingReferences(RepositoryName repository, MediaType contentType, byte[] body) {
    Manifest manifest = ManifestParser.parse(new ManifestBytes(body, contentType));
    boolean index = manifest instanceof Manifest.ImageIndex;
    Map<Digest, Descriptor> missing = new LinkedHashMap<>();
    for (Descriptor referenced : manifest.references()) {
      if (!missing.containsKey(referenced.digest()) && heldSize(repository, referenced, index).isEmpty()) {
        missing.put(referenced.digest(), referenced);
      }
    }
    return List.copyOf(missing.values());
  }

  StoredManifest get(RepositoryName repository, Reference reference, boolean withBytes) {
    ManifestRecord record = resolve(repository, reference);
    if (!withBytes) return new StoredManifest(record, new byte[0]);
    try (BlobContent content = blobs.open(record.digest());
        InputStream in = content.openStream(0, content.info().size())) {
      return new StoredManifest(record, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A served manifest by tag or digest (complete-before-visible: a replicated manifest still missing content
   * is not served, and its tag serves the previous complete one). A tag whose manifest was deleted
   * resolves to nothing.
   */
  private ManifestRecord resolve(RepositoryName repository, Reference reference) {
    if (!state.repositoryExists(repository)) throw RegistryException.nameUnknown(repository.value());
    Digest digest;
    if (reference instanceof Reference.TagReference byTag) {
      digest = visibility.servedDigest(repository, byTag.tag())
          .orElseThrow(() -> RegistryException.manifestUnknown(reference.toString()));
    } else {
      digest = ((Reference.DigestReference) reference).digest();
    }
    return visibility.servedManifest(repository, digest)
        .orElseThrow(() -> RegistryException.manifestUnknown(reference.toString()));
  }

  /**
   * By tag: tombstones the tag only. By digest: marks the manifest deleted, unlinks its bytes, and
   * tombstones every tag pointing at it, all in one batch, so none of them resolves afterwards.
   */
  void delete(RepositoryName repository, Reference reference) {
    ManifestRecord record = resolve(repository, reference);
    List<Tag> tags = reference instanceof Reference.TagReference ? List.of() : tagsPointingAt(repository, record.digest());
    locks.requireDeletable(repository, reference, record.digest(), tags);
    Stamp stamp = stamps.get();
    StateBatch.Builder batch = StateBatch.builder();
    if (reference instanceof Reference.TagReference byTag) {
      batch.putTag(new TagRecord(repository, byTag.tag(), Optional.empty(), stamp));
    } else {
      batch.putManifest(record.deletedAt(stamp));
      batch.putBlobLink(new BlobLinkRecord(repository, record.digest(), false, stamp));
      for (Tag tag : tags) {
        batch.putTag(new TagRecord(repository, tag, Optional.empty(), stamp));
      }
    }
    state.apply(batch.build());
    log.info("manifest.delete repo={} reference={} digest={}", repository, reference, record.digest());
  }

  /**
   * Soft delete's way back: a deleted manifest becomes present again (with a fresh stamp, so the restore
   * replicates as a {@code manifest.put} and wins over the delete everywhere), optionally tagged. Only within
   * {@code retention} of its deletion and only while its content is all here; else {@code MANIFEST_UNKNOWN}.
   */
  ManifestRecord restore(RepositoryName repository, Digest digest, Optional<Tag> tag, java.time.Duration retention,
      java.time.Instant now) {
    ManifestRecord deleted = state.findManifest(repository, digest)
        .filter(m -> !m.present() && m.size() > 0 && isRestorable(m, retention, now))
        .orElseThrow(() -> new RegistryException(OciErrorCode.MANIFEST_UNKNOWN,
            "no deleted manifest " + digest + " in " + repository + " is restorable (soft delete keeps one "
                + retention.toDays() + " days)", digest.toString(), 404));
    List<Digest> claims = new ArrayList<>();
    claims.add(digest);
    deleted.references().forEach(d -> claims.add(d.digest()));
    ManifestRecord restored = guard.claiming(claims, () -> {
      if (blobs.stat(digest).isEmpty()) throw RegistryException.manifestUnknown(digest.toString());
      for (Descriptor referenced : deleted.references()) requirePresent(repository, referenced, deleted.mediaType().isIndex());
      Stamp stamp = stamps.get();
      ManifestRecord record = new ManifestRecord(repository, digest, deleted.mediaType(), deleted.size(), deleted.references(),
          deleted.subject(), deleted.artifactType(), deleted.annotations(), true, stamp);
      StateBatch.Builder batch = StateBatch.builder().putManifest(record);
      tag.ifPresent(t -> batch.putTag(new TagRecord(repository, t, Optional.of(digest), stamp)));
      batch.putBlobLink(new BlobLinkRecord(repository, digest, true, stamp));
      batch.add(new StateWrite.PutReplica(repository, digest, stamp.origin()));
      state.apply(batch.build());
      return record;
    });
    log.info("manifest.restore repo={} digest={} tag={}", repository, digest, tag.map(Tag::value).orElse(""));
    return restored;
  }

  /** A deleted manifest register still within soft delete's retention. */
  static boolean isRestorable(ManifestRecord m, java.time.Duration retention, java.time.Instant now) {
    return !retention.isZero() && m.deletedSince(now.minus(retention));
  }

  /** {@code MANIFEST_UNKNOWN} unless the tag is live or the manifest present here. */
  void requireKnown(RepositoryName repository, Reference reference) {
    boolean known = reference instanceof Reference.TagReference byTag
        ? state.findTag(repository, byTag.tag()).filter(t -> !t.isDeleted()).isPresent()
        : state.findManifest(repository, ((Reference.DigestReference) reference).digest()).filter(ManifestRecord::present).isPresent();
    if (!known) throw RegistryException.manifestUnknown(reference.toString());
  }

  /** Live tags of this repository pointing at {@code digest}. */
  List<Tag> tagsPointingAt(RepositoryName repository, Digest digest) {
    List<Tag> pointing = new ArrayList<>();
    Optional<Tag> last = Optional.empty();
    while (true) {
      List<Tag> page = state.listTags(repository, last, TAG_SCAN_PAGE);
      for (Tag tag : page) {
        if (state.findTag(repository, tag).flatMap(TagRecord::digest).filter(digest::equals).isPresent()) {
          pointing.add(tag);
        }
      }
      if (page.size() < TAG_SCAN_PAGE) return pointing;
      last = Optional.of(page.get(page.size() - 1));
    }
  }

  List<Descriptor> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
    return state.findReferrers(repository, subject).stream()
        .filter(r -> r.present() && !visibility.isPending(repository, r.digest()))
        .filter(r -> artifactType.isEmpty() || r.artifactType().equals(artifactType))
        .map(ManifestRecord::asDescriptor)
        .toList();
  }
}
