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
}
