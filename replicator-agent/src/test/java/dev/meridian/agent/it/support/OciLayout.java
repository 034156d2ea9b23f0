package dev.meridian.agent.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.Digester;
import dev.meridian.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads an OCI image layout directory, typically one skopeo pulled into: which digest a tag names, what a
 * manifest references, and whether every blob file really hashes to its name.
 */
public final class OciLayout {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  public OciLayout(Path root) {
    this.root = root;
  }

  /** The digest index.json gives for {@code tag}. */
  public Digest digestOf(String tag) {
    for (JsonNode descriptor : readJson(root.resolve("index.json")).path("manifests")) {
      if (tag.equals(descriptor.path("annotations").path(OciLayoutWriter.REF_NAME).asText(null))) {
        return Digest.parse(descriptor.path("digest").asText());
      }
    }
    throw new AssertionError("no tag " + tag + " in " + root.resolve("index.json"));
  }

  public byte[] blob(Digest digest) {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonNode blobJson(Digest digest) {
    return readJson(blobPath(digest));
  }

  /** The digests of a manifest's config and layers, or of an index's child manifests, in document order. */
  public List<Digest> references(Digest manifest) {
    JsonNode node = blobJson(manifest);
    var digests = new ArrayList<Digest>();
    if (node.has("config")) digests.add(Digest.parse(node.path("config").path("digest").asText()));
    for (String field : List.of("layers", "manifests")) {
      for (JsonNode d : node.path(field)) digests.add(Digest.parse(d.path("digest").asText()));
    }
    return digests;
  }

  /** Every blob file, by the digest its name claims, with the digest its bytes really have. */
  public Map<Digest, Digest> claimedToActualDigests() {
    var result = new TreeMap<Digest, Digest>();
    try (Stream<Path> files = Files.list(root.resolve("blobs/sha256"))) {
      for (Path file : files.toList()) {
        Digest claimed = Digest.parse("sha256:" + file.getFileName());
        result.put(claimed, hash(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm().id()).resolve(digest.hex());
  }

  private static Digest hash(Path file) {
    var digester = new Digester(DigestAlgorithm.SHA256);
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) digester.update(buffer, 0, n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return digester.digest();
  }

  private static JsonNode readJson(Path path) {
    try {
      return JSON.readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
