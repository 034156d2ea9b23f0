package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobContent;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.oci.Manifest;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.ManifestParser;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentClosure;
import dev.meridian.core.replication.MissingContent;
import dev.meridian.core.state.ManifestRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fetching for read-through, one attempt per source in the given order (a pull is waiting: no retry pauses,
 * the next source instead). Everything goes through the shared {@link BlobFetcher}, so what arrives is
 * verified against its digest before it is stored, and a blob the transfer worker is fetching too is fetched
 * once.
 */
public final class ContentCompletion {
  /** Fetch rounds of one manifest: an index of indexes is a few levels deep, never this many. */
  private static final int MAX_ROUNDS = 16;

  private final BlobStore blobs;
  private final BlobFetcher fetcher;
  private final ContentClosure closure;

  public ContentCompletion(BlobStore blobs, BlobFetcher fetcher) {
    this.blobs = requireNonNull(blobs, "blobs");
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.closure = new ContentClosure(blobs);
  }

  /** A manifest fetched from {@code source}, stored and parsed; its register is made with {@link #record}. */
  public record Fetched(RepositoryName repository, Digest digest, RegionId source, MediaType mediaType, long size, Manifest manifest) {
    public ManifestRecord record(Stamp stamp) {
      return new ManifestRecord(repository, digest, mediaType, size, manifest.references(), manifest.subject(),
          manifest.artifactType(), manifest.annotations(), true, stamp);
    }
  }

  /** The manifest's bytes from the first source that serves them; empty when none does. */
  public Optional<Fetched> fetchUnknownManifest(RepositoryName repository, Digest digest, List<PeerClient> sources) {
    for (PeerClient source : sources) {
      try {
        fetcher.fetchManifest(source, repository, digest);
      } catch (PeerUnavailableException | RegistryException e) {
        continue;
      }
      byte[] bytes = read(digest);
      MediaType mediaType = ManifestParser.detectMediaType(bytes);
      Manifest manifest = ManifestParser.parse(new ManifestBytes(bytes, mediaType));
      return Optional.of(new Fetched(repository, digest, source.region(), mediaType, bytes.length, manifest));
    }
    return Optional.empty();
  }

  /** Fetches whatever the manifest still lacks here; throws {@link TransferFailedException} if a piece has no source. */
  public void complete(RepositoryName repository, ManifestRecord manifest, List<PeerClient> sources) {
    for (int round = 1; ; round++) {
      List<MissingContent> missing = closure.missing(manifest.digest(), manifest.mediaType(), manifest.size());
      if (missing.isEmpty()) return;
      if (round > MAX_ROUNDS) throw new TransferFailedException("content still missing after " + MAX_ROUNDS + " rounds: " + missing);
      for (MissingContent item : missing) fetch(repository, item, sources);
    }
  }

  /**
   * Brings the blob here from the first source that serves it in this repository, and names that source. A
   * blob already stored here is only confirmed with the sources when {@code confirm} (this region does not
   * know it to be in the repository), else the first source is named. {@code claimedSize} (0: unknown) is a size a
   * client claims: see {@link BlobFetcher#fetchBlobOfClaimedSize}.
   */
  public Optional<RegionId> fetchBlob(RepositoryName repository, Digest digest, long claimedSize, List<PeerClient> sources,
      boolean confirm) {
    boolean stored = blobs.stat(digest).isPresent();
    for (PeerClient source : sources) {
      try {
        if (stored && !confirm) return Optional.of(source.region());
        if (stored ? source.hasBlob(repository, digest) : fetched(source, repository, digest, claimedSize)) {
          return Optional.of(source.region());
        }
      } catch (PeerUnavailableException | RegistryException e) {
        // the next source
      }
    }
    return Optional.empty();
  }

  private boolean fetched(PeerClient source, RepositoryName repository, Digest digest, long claimedSize) {
    fetcher.fetchBlobOfClaimedSize(source, repository, digest, claimedSize);
    return true;
  }

  private void fetch(RepositoryName repository, MissingContent item, List<PeerClient> sources) {
    List<String> reasons = new ArrayList<>();
    for (PeerClient source : sources) {
      try {
        if (item.manifest()) {
          fetcher.fetchManifest(source, repository, item.digest());
        } else {
          fetcher.fetchBlob(source, repository, item.digest(), item.size());
        }
        return;
      } catch (PeerUnavailableException | RegistryException e) {
        reasons.add(source.region() + ": " + e.getMessage());
      }
    }
    throw new TransferFailedException("no source served " + item.digest() + ": " + String.join("; ", reasons));
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
