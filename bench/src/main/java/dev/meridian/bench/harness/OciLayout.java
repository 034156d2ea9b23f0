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
 * Writes an OCI image layout (the input of {@code skopeo copy oci:DIR:TAG}) whose layers are uncompressed
 * tar archives of one file of random bytes: incompressible, so no client or server can cheat by
 * compressing, and streamed to disk so a 4 GiB layer needs no 4 GiB of heap.
 *
 * <pre>
 * DIR/oci-layout        {"imageLayoutVersion":"1.0.0"}
 * DIR/index.json        one manifest descriptor per tag (org.opencontainers.image.ref.name)
 * DIR/blobs/sha256/HEX  layers, configs, manifests
 * </pre>
 *
 * <p>The same seed gives the same layer, so images written with shared seeds share layers. Layers are
 * uncompressed, so each config's {@code diff_ids} are the layer digests themselves. See the
 * <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image layout spec</a>.
 */
public final class OciLayout {
  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
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
  public record Blob(String mediaType, Digest digest, long size) {
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
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
        size = TarFile.write(out, "payload-" + seed + ".bin", payloadBytes, new RandomBytes(seed));
      }
      Digest digest = Digest.parse("sha256:" + HexFormat.of().formatHex(sha256.digest()));
      Path target = blobPath(digest);
      if (Files.exists(target)) {
        Files.delete(temp);
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        uniqueBytes += size;
      }
      return new Blob(LAYER_TAR, digest, size);
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
      diffIds.add("\"" + layer.digest() + "\"");
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
    return new Blob(mediaType, digest, bytes.length);
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
