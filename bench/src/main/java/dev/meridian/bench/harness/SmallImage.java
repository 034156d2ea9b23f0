package dev.meridian.bench.harness;

import dev.meridian.core.digest.Digest;
import java.nio.charset.StandardCharsets;

/**
 * A tiny image whose config and layer are pushed once, then referenced by many distinct manifests: each
 * {@link #manifest(String)} differs only in an annotation, so every push is a new manifest digest.
 */
public final class SmallImage {
  private final byte[] config;
  private final byte[] layer;

  public SmallImage(long seed) {
    this.config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
        + "\"config\":{\"Labels\":{\"seed\":\"" + seed + "\"}}}").getBytes(StandardCharsets.UTF_8);
    this.layer = new byte[4096];
    new RandomBytes(seed).fill(layer, layer.length);
  }

  public Digest configDigest() {
    return Digest.sha256Of(config);
  }

  public Digest layerDigest() {
    return Digest.sha256Of(layer);
  }

  public long configSize() {
    return config.length;
  }

  public long layerSize() {
    return layer.length;
  }

  /** The config and layer by digest, to store them without a registry. */
  public java.util.Map<Digest, byte[]> blobs() {
    return java.util.Map.of(configDigest(), config.clone(), layerDigest(), layer.clone());
  }

  /** Uploads the config and layer into {@code repository}. */
  public void pushBlobs(String registry, String repository) {
    Http.putBlob(registry, repository, configDigest().toString(), config);
    Http.putBlob(registry, repository, layerDigest().toString(), layer);
  }

  /** An image manifest over the config and layer, made unique by {@code nonce}. */
  public byte[] manifest(String nonce) {
    return ("{\"schemaVersion\":2,\"mediaType\":\"" + OciLayout.MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + OciLayout.CONFIG + "\",\"digest\":\"" + configDigest() + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"" + OciLayout.LAYER_TAR + "\",\"digest\":\"" + layerDigest() + "\",\"size\":" + layer.length + "}],"
        + "\"annotations\":{\"dev.meridian.bench.nonce\":\"" + nonce + "\"}}").getBytes(StandardCharsets.UTF_8);
  }

  /** The config and layer as a manifest references them. */
  public java.util.List<dev.meridian.core.oci.Descriptor> references() {
    return java.util.List.of(
        dev.meridian.core.oci.Descriptor.of(dev.meridian.core.oci.MediaType.OCI_CONFIG, configDigest(), configSize()),
        dev.meridian.core.oci.Descriptor.of(new dev.meridian.core.oci.MediaType(OciLayout.LAYER_TAR), layerDigest(), layerSize()));
  }

  /**
   * The four events a push of this image into {@code repository} makes at {@code origin} (the config's and the
   * layer's {@code blob.put}, the {@code manifest.put} of {@code manifest} and the {@code tag.put} of {@code v1}), as
   * the apply scenario and the replay benchmark replay them; {@code k} makes their ids unique.
   */
  public java.util.List<dev.meridian.core.event.ReplicationEvent> pushEvents(int k, dev.meridian.core.clock.RegionId origin,
      dev.meridian.core.clock.HlcTimestamp hlc, dev.meridian.core.oci.RepositoryName repository, Digest manifest,
      long manifestSize) {
    return java.util.List.of(
        new dev.meridian.core.event.BlobPut("bench-" + k + "-c", origin, hlc, repository, configDigest(), configSize()),
        new dev.meridian.core.event.BlobPut("bench-" + k + "-l", origin, hlc, repository, layerDigest(), layerSize()),
        new dev.meridian.core.event.ManifestPut("bench-" + k + "-m", origin, hlc, repository, manifest,
            dev.meridian.core.oci.MediaType.OCI_MANIFEST, manifestSize, references(), java.util.Optional.empty(),
            java.util.Optional.empty(), java.util.Map.of()),
        new dev.meridian.core.event.TagPut("bench-" + k + "-t", origin, hlc, repository,
            new dev.meridian.core.oci.Tag("v1"), manifest));
  }
}
