package dev.meridian.core.replication;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Manifest;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.ManifestParser;
import dev.meridian.core.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a manifest needs locally to be complete: its own bytes, every blob it references, and, for an
 * index, every child manifest with everything those reference, all present in the blob store. A
 * manifest's {@code subject} is not part of it (a referrer may arrive before its subject).
 *
 * <p>Reads the local blob store only; it never fetches. A manifest that is missing hides what it
 * references, so callers fetch what this returns and ask again until nothing is missing.
 */
public final class ContentClosure {
  private final BlobStore blobs;
  private final java.util.function.Predicate<Digest> present;

  public ContentClosure(BlobStore blobs) {
    this(blobs, digest -> blobs.stat(digest).isPresent());
  }

  /** @param present whether a blob is in {@code blobs}: e.g. a {@link BlobPresence} shared by one batch of planning */
  public ContentClosure(BlobStore blobs, java.util.function.Predicate<Digest> present) {
    this.blobs = blobs;
    this.present = java.util.Objects.requireNonNull(present, "present");
  }

  /** Everything missing for {@code root} that can be known now, root first; empty when complete. */
  public List<MissingContent> missing(Digest root, MediaType rootMediaType, long rootSize) {
    return missing(root, rootMediaType, rootSize, null);
  }

  /**
   * @param rootReferences the root's references when already known (from its signed {@code manifest.put}, which
   *     the origin parsed from the same bytes: same digest, same parser), so the root's stored bytes need not be
   *     read and parsed again; null to parse them
   */
  private List<MissingContent> missing(Digest root, MediaType rootMediaType, long rootSize, List<Descriptor> rootReferences) {
    Map<Digest, MissingContent> missing = new LinkedHashMap<>();
    Set<Digest> seen = new HashSet<>();
    Deque<MissingContent> toVisit = new ArrayDeque<>();
    toVisit.add(new MissingContent(root, true, rootSize));
    seen.add(root);
    while (!toVisit.isEmpty()) {
      MissingContent next = toVisit.poll();
      if (!present.test(next.digest())) {
        missing.put(next.digest(), next);
        continue;
      }
      if (!next.manifest()) continue;
      boolean isRoot = next.digest().equals(root);
      List<Descriptor> references = isRoot && rootReferences != null ? rootReferences
          : references(next.digest(), isRoot ? rootMediaType : null);
      for (Descriptor ref : references) {
        if (seen.add(ref.digest())) toVisit.add(new MissingContent(ref.digest(), ref.mediaType().isManifest(), ref.size()));
      }
    }
    return List.copyOf(missing.values());
  }

  public boolean isComplete(Digest root, MediaType rootMediaType) {
    return missing(root, rootMediaType, 0).isEmpty();
  }

  /**
   * Whether {@code root} is complete, its own references being {@code rootReferences} (those its signed
   * {@code manifest.put} carries): replay's check, which then reads no manifest bytes for an image manifest and
   * only the children's for an index.
   */
  public boolean isComplete(Digest root, List<Descriptor> rootReferences) {
    return missing(root, null, 0, java.util.Objects.requireNonNull(rootReferences, "rootReferences")).isEmpty();
  }

  /**
   * The references of a stored manifest. Its media type comes from the referencing descriptor or the
   * manifest's own {@code mediaType} field; bytes that do not parse reference nothing we can know of, and
   * the peer that served them was already held to their digest.
   */
  private List<Descriptor> references(Digest digest, MediaType knownType) {
    byte[] bytes = read(digest);
    try {
      MediaType type = knownType != null ? knownType : ManifestParser.detectMediaType(bytes);
      return parse(bytes, type).references();
    } catch (RegistryException e) {
      return List.of();
    }
  }

  private static Manifest parse(byte[] bytes, MediaType type) {
    return ManifestParser.parse(new ManifestBytes(bytes, type));
  }

  private byte[] read(Digest digest) {
    try (BlobContent content = blobs.open(digest);
        InputStream in = content.openStream(0, Math.min(content.info().size(), ManifestBytes.MAX_SIZE))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
