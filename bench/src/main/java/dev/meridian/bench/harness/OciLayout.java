package dev.meridian.bench.harness;

import dev.meridian.core.digest.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes an OCI image layout (the input of {@code skopeo copy oci:DIR:TAG}) whose layers are tar archives of
 * one file of random bytes, gzipped with stored (level 0) deflate blocks: incompressible, so no client or
 * server can cheat by compressing, and streamed to disk so a 4 GiB layer needs no 4 GiB of heap.
 *
 * <p>Why gzip at all: skopeo compresses uncompressed layers when pushing to a registry, which would make
 * the client's gzip, not the registry, the bottleneck. A layer already in gzip form is copied as it is.
 *
 * <pre>
 * DIR/oci-layout        {"imageLayoutVersion":"1.0.0"}
 * DIR/index.json        one manifest descriptor per tag (org.opencontainers.image.ref.name)
 * DIR/blobs/sha256/HEX  layers, configs, manifests
 * </pre>
 *
 * <p>The same seed gives the same layer, so images written with shared seeds share layers. Layers are
 * hashed twice while written: the gzip bytes give the layer digest, the tar bytes the config's
 * {@code diff_ids}. See the
 * <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image layout spec</a>.
 */
public final class OciLayout {
  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String CONFIG = "application/vnd.oci.image.config.v1+json";

  private final Path root;
  private final List<String> taggedDescriptors = new ArrayList<>();
  private long uniqueBytes;

  public OciLayout(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("blobs/sha256"));
      Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeIndex();
  }

  /** A written blob. */
  public record Blob(String mediaType, Digest digest, long size, Digest diffId) {
    String descriptorJson() {
      return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
  }

  /** A tagged image. */
  public record Image(String tag, Blob manifest, List<Blob> layers) {}

  public Path root() {
    return root;
  }

  /** Bytes of every distinct blob written so far (what a registry has to store). */
  public long uniqueBytes() {
    return uniqueBytes;
  }

  /** A tar layer holding one file of {@code payloadBytes} random bytes from {@code seed}; reuses an identical one. */
  public Blob layer(long seed, long payloadBytes) {
    Path temp = root.resolve("blobs/layer-" + seed + ".tmp");
    try {
      MessageDigest compressed = MessageDigest.getInstance("SHA-256");
      MessageDigest uncompressed = MessageDigest.getInstance("SHA-256");
      try (OutputStream file = new DigestOutputStream(Files.newOutputStream(temp), compressed);
          OutputStream gzip = new StoredGzipOutputStream(file);
          OutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
        TarFile.write(tar, "payload-" + seed + ".bin", payloadBytes, new RandomBytes(seed));
      }
      long size = Files.size(temp);
      Digest digest = sha256(compressed);
      Digest diffId = sha256(uncompressed);
      Path target = blobPath(digest);
      if (Files.exists(target)) {
        Files.delete(temp);
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        uniqueBytes += size;
      }
      return new Blob(LAYER_TAR_GZIP, digest, size, diffId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a config and manifest over {@code layers} and tags it in index.json. */
  public Image image(String tag, List<Blob> layers) {
    var diffIds = new ArrayList<String>();
    var layerJson = new ArrayList<String>();
    for (Blob layer : layers) {
      diffIds.add("\"" + layer.diffId() + "\"");
      layerJson.add(layer.descriptorJson());
    }
    String config = "{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
        + "\"config\":{\"Labels\":{\"dev.meridian.bench.tag\":\"" + tag + "\"}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}";
    Blob configBlob = small(CONFIG, config);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\",\"config\":" + configBlob.descriptorJson()
        + ",\"layers\":[" + String.join(",", layerJson) + "]}";
    Blob manifestBlob = small(MANIFEST, manifest);
    taggedDescriptors.add("{\"mediaType\":\"" + MANIFEST + "\",\"digest\":\"" + manifestBlob.digest() + "\",\"size\":"
        + manifestBlob.size() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}");
    writeIndex();
    return new Image(tag, manifestBlob, List.copyOf(layers));
  }

  /** Paths of every distinct blob, for copying them with other tools. */
  public Path blobsDirectory() {
    return root.resolve("blobs/sha256");
  }

  private Blob small(String mediaType, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256Of(bytes);
    try {
      Path target = blobPath(digest);
      if (!Files.exists(target)) {
        Files.write(target, bytes);
        uniqueBytes += bytes.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Blob(mediaType, digest, bytes.length, digest);
  }

  private static Digest sha256(MessageDigest digest) {
    return Digest.parse("sha256:" + HexFormat.of().formatHex(digest.digest()));
  }

  private Path blobPath(Digest digest) {
    return root.resolve("blobs/sha256").resolve(digest.hex());
  }

  private void writeIndex() {
    String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + String.join(",", taggedDescriptors) + "]}";
    try {
      Files.writeString(root.resolve("index.json"), index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
