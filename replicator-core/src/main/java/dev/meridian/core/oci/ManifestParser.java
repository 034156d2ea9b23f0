package dev.meridian.core.oci;

import static dev.meridian.core.oci.ManifestJson.has;
import static dev.meridian.core.oci.ManifestJson.invalid;
import static dev.meridian.core.oci.ManifestJson.optionalObject;
import static dev.meridian.core.oci.ManifestJson.optionalString;
import static dev.meridian.core.oci.ManifestJson.requiredNonNegativeLong;
import static dev.meridian.core.oci.ManifestJson.requiredObject;
import static dev.meridian.core.oci.ManifestJson.requiredObjectArray;
import static dev.meridian.core.oci.ManifestJson.requiredString;
import static dev.meridian.core.oci.ManifestJson.shorten;
import static dev.meridian.core.oci.ManifestJson.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the four manifest formats a registry stores (OCI image manifest and index, Docker schema 2 manifest
 * and manifest list) into a {@link Manifest}. It never re-serialises: the caller keeps the bytes.
 *
 * <p>Every refusal is a {@code MANIFEST_INVALID} {@link RegistryException} naming the field at fault, whatever
 * the input; no other exception escapes. Docker schema 1 is refused as unsupported. A manifest that also
 * carries an index's {@code manifests}, or an index that carries {@code config} or {@code layers}, is
 * refused as ambiguous (image-spec v1.0.2, CVE-2021-41190). Other unknown fields are ignored.
 *
 * <p>See <a href="https://github.com/opencontainers/image-spec/blob/main/manifest.md">manifest.md</a>,
 * <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">image-index.md</a> and
 * <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">descriptor.md</a>.
 */
public final class ManifestParser {
  private static final MediaType DOCKER_SCHEMA1 =
      new MediaType("application/vnd.docker.distribution.manifest.v1+json");
  private static final MediaType DOCKER_SCHEMA1_SIGNED =
      new MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws");

  private ManifestParser() {}

  /** Parses the bytes as the media type they were sent with; {@code MANIFEST_INVALID} if they are not one. */
  public static Manifest parse(ManifestBytes bytes) {
    MediaType declared = bytes.mediaType();
    if (isSchema1(declared)) throw schema1Unsupported();
    if (!declared.isManifest()) throw invalid("unsupported manifest media type: " + declared);
    if (bytes.size() > ManifestBytes.MAX_SIZE) {
      throw new RegistryException(OciErrorCode.MANIFEST_INVALID,
          "manifest larger than " + ManifestBytes.MAX_SIZE + " bytes", null, 413);
    }

    ObjectNode root = ManifestJson.readObject(bytes.bytes());
    Optional<MediaType> field = optionalString(root, "mediaType", "mediaType").map(ManifestParser::mediaTypeField);
    if (field.isPresent() && isSchema1(field.get())) throw schema1Unsupported();
    if (field.isPresent() && !field.get().equals(declared)) {
      throw invalid("mediaType " + field.get() + " does not match the content type " + declared);
    }
    checkSchemaVersion(root);
    return declared.isIndex() ? index(root, declared) : imageManifest(root, declared);
  }

  /**
   * The media type of manifest bytes sent without a Content-Type: their {@code mediaType} field, else a
   * guess by shape ({@code manifests} means an OCI index, schemaVersion 1 means Docker schema 1, anything
   * else an OCI image manifest). {@link #parse} then checks the bytes against it.
   */
  public static MediaType detectMediaType(byte[] bytes) {
    ObjectNode root = ManifestJson.readObject(bytes);
    Optional<String> field = optionalString(root, "mediaType", "mediaType");
    if (field.isPresent()) return mediaTypeField(field.get());
    JsonNode version = root.get("schemaVersion");
    if (version != null && version.isIntegralNumber() && version.canConvertToLong() && version.longValue() == 1) {
      return has(root, "signatures") ? DOCKER_SCHEMA1_SIGNED : DOCKER_SCHEMA1;
    }
    return has(root, "manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
  }

  private static Manifest.ImageManifest imageManifest(ObjectNode root, MediaType mediaType) {
    if (has(root, "manifests")) throw invalid("an image manifest must not have manifests (ambiguous with an index)");
    Descriptor config = descriptor(requiredObject(root, "config", "config"), "config", false);
    var layerNodes = requiredObjectArray(root, "layers", "layers");
    var layers = new ArrayList<Descriptor>(layerNodes.size());
    for (int i = 0; i < layerNodes.size(); i++) layers.add(descriptor(layerNodes.get(i), "layers[" + i + "]", false));
    // The referrers API's rule: the manifest's own artifactType, else the config's media type, even when
    // that is the empty config (distribution-spec v1.1, "Listing Referrers").
    Optional<String> artifactType = artifactType(root, "artifactType").or(() -> Optional.of(config.mediaType().value()));
    return new Manifest.ImageManifest(
        mediaType, config, layers, subject(root), artifactType, stringMap(root, "annotations", "annotations"));
  }

  private static Manifest.ImageIndex index(ObjectNode root, MediaType mediaType) {
    if (has(root, "config") || has(root, "layers")) {
      throw invalid("an index must not have config or layers (ambiguous with an image manifest)");
    }
    var nodes = requiredObjectArray(root, "manifests", "manifests");
    var manifests = new ArrayList<Descriptor>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) manifests.add(descriptor(nodes.get(i), "manifests[" + i + "]", true));
    // An index without artifactType has none: the referrers API omits it.
    return new Manifest.ImageIndex(
        mediaType, manifests, subject(root), artifactType(root, "artifactType"),
        stringMap(root, "annotations", "annotations"));
  }

  private static Optional<Descriptor> subject(ObjectNode root) {
    return optionalObject(root, "subject", "subject").map(node -> descriptor(node, "subject", false));
  }

  /** A descriptor; {@code platform} is kept only where the spec defines it, on an index's children. */
  private static Descriptor descriptor(ObjectNode node, String path, boolean keepPlatform) {
    MediaType mediaType = mediaType(requiredString(node, "mediaType", path + ".mediaType"), path + ".mediaType");
    Digest digest = digest(requiredString(node, "digest", path + ".digest"), path + ".digest");
    long size = requiredNonNegativeLong(node, "size", path + ".size");
    Optional<Map<String, Object>> platform = keepPlatform
        ? optionalObject(node, "platform", path + ".platform").map(ManifestJson::rawMap)
        : Optional.empty();
    return new Descriptor(mediaType, digest, size, artifactType(node, path + ".artifactType"),
        stringMap(node, "annotations", path + ".annotations"), platform);
  }

  /** An optional artifactType; the spec treats an empty one as missing. */
  private static Optional<String> artifactType(ObjectNode node, String path) {
    return optionalString(node, "artifactType", path).filter(text -> !text.isEmpty()).map(text -> mediaType(text, path).value());
  }

  private static Digest digest(String text, String path) {
    try {
      return Digest.parse(text);
    } catch (RegistryException e) {
      // DIGEST_INVALID answers a mismatched upload; a malformed digest inside a manifest is the manifest's fault.
      throw invalid(path + " is not a valid digest: " + shorten(text, 150));
    }
  }

  private static MediaType mediaType(String text, String path) {
    try {
      return new MediaType(text);
    } catch (RegistryException e) {
      throw invalid(path + " is not a valid media type: " + shorten(text, 150));
    }
  }

  private static MediaType mediaTypeField(String text) {
    return mediaType(text, "mediaType");
  }

  private static void checkSchemaVersion(ObjectNode root) {
    JsonNode version = root.get("schemaVersion");
    if (version == null || version.isNull()) throw invalid("schemaVersion is required");
    boolean integral = version.isIntegralNumber() && version.canConvertToLong();
    if (integral && version.longValue() == 1) throw schema1Unsupported();
    if (!integral || version.longValue() != 2) throw invalid("schemaVersion must be 2");
  }

  private static boolean isSchema1(MediaType mediaType) {
    return mediaType.equals(DOCKER_SCHEMA1) || mediaType.equals(DOCKER_SCHEMA1_SIGNED);
  }

  private static RegistryException schema1Unsupported() {
    return invalid("Docker schema 1 manifests are unsupported: push schema 2 or OCI");
  }
}
