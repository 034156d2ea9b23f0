package dev.meridian.agent.synthetic;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Manifest;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.ManifestParser;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A synthetic registry for scale tests: {@code repositories} repositories ({@code scale/r000000} on), each with
 * {@code tagsPerRepository} tags ({@code v00} on) over a small shared set of images. Tag {@code i} of every
 * repository points at image {@code i}: one shared config, one shared small layer, a manifest that differs only by
 * an annotation; so the blob store holds {@code tagsPerRepository + 2} blobs whatever the number of repositories.
 *
 * <p>It writes what a push of each tag would write (the blobs into the blob store, and per repository the blob
 * links of the config and the layer, and per tag the manifest register, the tag, the manifest's blob link and
 * its replica), through the region's own {@link RegistryState} in unsynced batches with a synced last one, but
 * no outbox events: the registry looks as if every push had long been shipped to the log. A bench tool, so
 * loading a million tags takes a minute instead of the hours a million synced pushes would.
 */
public final class SyntheticRegistry {
  /** Repositories written per batch: a few thousand register writes, big enough to amortize each commit. */
  static final int REPOSITORIES_PER_BATCH = 200;
  static final String ANNOTATION = "dev.meridian.synthetic.image";

  private final int repositories;
  private final int tagsPerRepository;
  private final RegionId origin;

  public SyntheticRegistry(int repositories, int tagsPerRepository, RegionId origin) {
    if (repositories < 1 || repositories > 10_000_000) throw new IllegalArgumentException("repositories must be 1 to 10,000,000");
    if (tagsPerRepository < 1 || tagsPerRepository > 1000) throw new IllegalArgumentException("tags per repository must be 1 to 1,000");
    this.repositories = repositories;
    this.tagsPerRepository = tagsPerRepository;
    this.origin = origin;
  }

  /** The name of repository {@code k} (zero-padded, so the catalog's lexical order is the numeric order). */
  public static RepositoryName repository(int k) {
    return new RepositoryName(String.format("scale/r%06d", k));
  }

  /** The name of tag {@code i} of every repository. */
  public static Tag tag(int i) {
    return new Tag(String.format("v%03d", i));
  }

  /** What a load wrote. */
  public record Loaded(int repositories, long tags, int blobs, List<Digest> manifests) {
    public Loaded {
      manifests = List.copyOf(manifests);
    }
  }

  /** Stores the shared blobs and writes every repository; returns what it wrote. */
  public Loaded load(BlobStore blobs, RegistryState state, Hlc hlc, java.util.function.IntConsumer progress) {
    byte[] layer = new byte[4096];
    new Random(7).nextBytes(layer); // deterministic: two loads share their blobs
    Descriptor layerDescriptor = put(blobs, layer, new MediaType("application/vnd.oci.image.layer.v1.tar"));
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + layerDescriptor.digest() + "\"]}}").getBytes(UTF_8);
    Descriptor configDescriptor = put(blobs, config, MediaType.OCI_CONFIG);
    List<Manifest> images = new ArrayList<>();
    List<Descriptor> manifestDescriptors = new ArrayList<>();
    for (int i = 0; i < tagsPerRepository; i++) {
      byte[] body = manifestJson(configDescriptor, layerDescriptor, i);
      images.add(ManifestParser.parse(new ManifestBytes(body, MediaType.OCI_MANIFEST)));
      manifestDescriptors.add(put(blobs, body, MediaType.OCI_MANIFEST));
    }
    StateBatch.Builder batch = StateBatch.builder();
    for (int k = 0; k < repositories; k++) {
      RepositoryName repository = repository(k);
      Stamp stamp = new Stamp(hlc.tick(), origin);
      batch.putBlobLink(new BlobLinkRecord(repository, configDescriptor.digest(), true, stamp));
      batch.putBlobLink(new BlobLinkRecord(repository, layerDescriptor.digest(), true, stamp));
      for (int i = 0; i < tagsPerRepository; i++) {
        Manifest image = images.get(i);
        Descriptor manifest = manifestDescriptors.get(i);
        batch.putManifest(new ManifestRecord(repository, manifest.digest(), MediaType.OCI_MANIFEST, manifest.size(),
            image.references(), image.subject(), image.artifactType(), image.annotations(), true, stamp));
        batch.putTag(new TagRecord(repository, tag(i), Optional.of(manifest.digest()), stamp));
        batch.putBlobLink(new BlobLinkRecord(repository, manifest.digest(), true, stamp));
        batch.add(new StateWrite.PutReplica(repository, manifest.digest(), origin));
      }
      boolean last = k == repositories - 1;
      if (last || (k + 1) % REPOSITORIES_PER_BATCH == 0) {
        // Unsynced batches in one write-ahead log, the last one synced: a crash loses a suffix, never a hole.
        StateBatch built = batch.build();
        state.apply(last ? built : built.withoutSync());
        batch = StateBatch.builder();
        progress.accept(k + 1);
      }
    }
    return new Loaded(repositories, (long) repositories * tagsPerRepository, tagsPerRepository + 2,
        manifestDescriptors.stream().map(Descriptor::digest).toList());
  }

  private static byte[] manifestJson(Descriptor config, Descriptor layer, int image) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\","
        + "\"config\":" + descriptorJson(config) + ",\"layers\":[" + descriptorJson(layer) + "],"
        + "\"annotations\":{\"" + ANNOTATION + "\":\"" + image + "\"}}").getBytes(UTF_8);
  }

  private static String descriptorJson(Descriptor d) {
    return "{\"mediaType\":\"" + d.mediaType().value() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
  }

  private static Descriptor put(BlobStore blobs, byte[] bytes, MediaType mediaType) {
    Digest digest = Digest.sha256Of(bytes);
    blobs.put(digest, new ByteArrayInputStream(bytes));
    return Descriptor.of(mediaType, digest, bytes.length);
  }
}
