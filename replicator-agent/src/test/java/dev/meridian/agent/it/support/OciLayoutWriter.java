package dev.meridian.agent.it.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.MediaType;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout directory by hand, the input skopeo copies from with {@code oci:DIR:TAG}.
 *
 * <pre>
 * DIR/oci-layout                      {"imageLayoutVersion":"1.0.0"}
 * DIR/index.json                      one descriptor per tag, tag in org.opencontainers.image.ref.name
 * DIR/blobs/sha256/&lt;hex&gt;             layers, configs, manifests, indexes
 * </pre>
 *
 * <p>Layers are real tar archives (see {@link TarArchive}), so umoci can unpack them and podman can store them;
 * each config's {@code rootfs.diff_ids} are the digests of the uncompressed tars. Layers are streamed to disk, so
 * a layer of hundreds of MiB costs no memory. Everything is deterministic: the same calls write the same bytes.
 * See the
 * <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">image layout spec</a>.
 */
public final class OciLayoutWriter {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final List<Map<String, Object>> taggedDescriptors = new ArrayList<>();

  public OciLayoutWriter(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root.resolve("blobs/sha256"));
      Files.write(root.resolve("oci-layout"), json(Map.of("imageLayoutVersion", "1.0.0")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writeIndexJson();
  }

  public Path root() {
    return root;
  }

  /** Writes an image manifest with these layers, tagged {@code tag} in index.json. */
  public WrittenImage image(String tag, Platform platform, List<LayerSpec> layers) {
    WrittenImage image = writeImage(tag, platform, layers);
    tag(tag, MediaType.OCI_MANIFEST, image.manifestDigest(), image.manifestBytes().length);
    return image;
  }

  /**
   * Writes one image manifest per platform (each with {@code layers} plus a platform-specific layer) and an
   * image index over them, tagged {@code tag}; only the index is tagged.
   */
  public WrittenIndex index(String tag, List<Platform> platforms, List<LayerSpec> layers) {
    var images = new ArrayList<WrittenImage>();
    var descriptors = new ArrayList<Map<String, Object>>();
    for (Platform platform : platforms) {
      var own = new ArrayList<>(layers);
      own.add(LayerSpec.gzip((tag + "/" + platform).hashCode(), 4096));
      WrittenImage image = writeImage(tag + "-" + platform.architecture(), platform, own);
      images.add(image);
      var descriptor = descriptor(MediaType.OCI_MANIFEST.value(), image.manifestDigest(), image.manifestBytes().length);
      descriptor.put("platform", ordered("architecture", platform.architecture(), "os", platform.os()));
      descriptors.add(descriptor);
    }
    byte[] index =
        json(ordered("schemaVersion", 2, "mediaType", MediaType.OCI_INDEX.value(), "manifests", descriptors));
    Digest digest = writeBlob(index);
    tag(tag, MediaType.OCI_INDEX, digest, index.length);
    return new WrittenIndex(digest, index, images);
  }

  private WrittenImage writeImage(String label, Platform platform, List<LayerSpec> layers) {
    var layerDescriptors = new ArrayList<Map<String, Object>>();
    var layerDigests = new ArrayList<Digest>();
    var diffIds = new ArrayList<Digest>();
    for (LayerSpec spec : layers) {
      WrittenLayer layer = writeLayer(spec);
      layerDigests.add(layer.digest());
      diffIds.add(layer.diffId());
      layerDescriptors.add(descriptor(spec.gzip() ? LAYER_TAR_GZIP : LAYER_TAR, layer.digest(), layer.size()));
    }
    byte[] config = json(ordered(
        "created", "1970-01-01T00:00:00Z",
        "architecture", platform.architecture(),
        "os", platform.os(),
        "config", Map.of("Labels", Map.of("dev.meridian.test.image", label)),
        "rootfs", ordered("type", "layers", "diff_ids", diffIds.stream().map(Digest::toString).toList())));
    Digest configDigest = writeBlob(config);
    byte[] manifest = json(ordered(
        "schemaVersion", 2,
        "mediaType", MediaType.OCI_MANIFEST.value(),
        "config", descriptor(MediaType.OCI_CONFIG.value(), configDigest, config.length),
        "layers", layerDescriptors));
    Digest manifestDigest = writeBlob(manifest);
    return new WrittenImage(manifestDigest, manifest, configDigest, layerDigests, diffIds, platform);
  }

  private void tag(String tag, MediaType mediaType, Digest digest, long size) {
    taggedDescriptors.removeIf(d -> tag.equals(((Map<?, ?>) d.get("annotations")).get(REF_NAME)));
    var descriptor = descriptor(mediaType.value(), digest, size);
    descriptor.put("annotations", Map.of(REF_NAME, tag));
    taggedDescriptors.add(descriptor);
    writeIndexJson();
  }

  private void writeIndexJson() {
    byte[] index =
        json(ordered("schemaVersion", 2, "mediaType", MediaType.OCI_INDEX.value(), "manifests", taggedDescriptors));
    try {
      Files.write(root.resolve("index.json"), index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record WrittenLayer(Digest digest, Digest diffId, long size) {}

  /**
   * Streams a layer to a temporary file while hashing both the tar (its diff id) and the blob, then moves it
   * under its digest: a layer of any size costs one buffer of memory.
   */
  private WrittenLayer writeLayer(LayerSpec spec) {
    try {
      Path temp = Files.createTempFile(root.resolve("blobs"), "layer-", ".partial");
      MessageDigest blobHash = sha256();
      MessageDigest tarHash = sha256();
      long size;
      try (var file = new CountingOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16))) {
        var blob = new DigestOutputStream(file, blobHash);
        OutputStream compressed = spec.gzip() ? new GZIPOutputStream(blob, 1 << 16) : blob;
        var tar = new DigestOutputStream(compressed, tarHash);
        TarArchive.writeSingleFile(spec.fileName(), spec.sizeBytes(), new SeededBytes(spec.seed()), tar);
        if (compressed instanceof GZIPOutputStream gzip) gzip.finish();
        tar.flush();
        size = file.count();
      }
      Digest digest = digest(blobHash);
      Path target = root.resolve("blobs/sha256").resolve(digest.hex());
      if (Files.exists(target)) {
        Files.delete(temp);
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return new WrittenLayer(digest, digest(tarHash), size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Digest digest(MessageDigest hash) {
    return Digest.parse("sha256:" + HexFormat.of().formatHex(hash.digest()));
  }

  /** Counts the bytes written through it: the size of a layer blob, without reading it back. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    long count() {
      return count;
    }
  }

  private Digest writeBlob(byte[] bytes) {
    Digest digest = Digest.sha256Of(bytes);
    Path path = root.resolve("blobs/sha256").resolve(digest.hex());
    try {
      if (!Files.exists(path)) Files.write(path, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return digest;
  }

  private static Map<String, Object> descriptor(String mediaType, Digest digest, long size) {
    return ordered("mediaType", mediaType, "digest", digest.toString(), "size", size);
  }

  public static Map<String, Object> ordered(Object... keysAndValues) {
    var map = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keysAndValues.length; i += 2) map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }

  /** Compact JSON; maps keep their iteration order (use {@link #ordered} for stable bytes). */
  public static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

}
