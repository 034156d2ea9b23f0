package dev.meridian.core.state.rocksdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.blob.UploadId;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.CredentialRecord;
import dev.meridian.core.state.ManifestContent;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateStoreException;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import dev.meridian.core.state.UploadSession;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values of the state store's column families (formats drawn in {@link RocksDbRegistryState}).
 * Fields that the key already holds (repository, tag, digest, upload id) are not repeated in the value.
 *
 * <p>Tags, blob links and manifests, which replay writes and merges most, are written in {@link BinaryValue}'s compact
 * form; their JSON form, which earlier versions wrote, is still read, so an existing store needs no migration (a value
 * is rewritten in the new form when its register next changes). Other values are JSON.
 *
 * <p>Encoding refuses what it cannot write faithfully (e.g. a platform map holding a non-JSON object)
 * with {@link IllegalArgumentException}, before anything reaches the database; decoding a value that
 * does not parse means the database is corrupt and throws {@link StateStoreException}.
 */
final class StateCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StateCodec() {}

  static byte[] encodeCredential(CredentialRecord credential) {
    ObjectNode node = JSON.createObjectNode();
    node.put("value", credential.value().orElse(null));
    putStamp(node, credential.stamp());
    return bytes(node);
  }

  static CredentialRecord decodeCredential(String name, byte[] value) {
    return decode(value, node -> new CredentialRecord(name,
        node.path("value").isTextual() ? Optional.of(node.get("value").asText()) : Optional.empty(), stamp(node)));
  }

  static byte[] encodeTag(TagRecord tag) {
    return new BinaryValue.Writer().optionalText(tag.digest().map(Digest::toString)).stamp(tag.stamp()).toBytes();
  }

  static TagRecord decodeTag(RepositoryName repository, Tag tag, byte[] value) {
    if (BinaryValue.isBinary(value)) {
      return decodeBinary(value, in -> new TagRecord(repository, tag, in.optionalText().map(Digest::parse), in.stamp()));
    }
    return decode(value, node -> decodeTag(repository, tag, node));
  }

  private static TagRecord decodeTag(RepositoryName repository, Tag tag, JsonNode node) {
    Optional<Digest> digest = node.path("digest").isTextual()
        ? Optional.of(Digest.parse(node.get("digest").asText()))
        : Optional.empty();
    return new TagRecord(repository, tag, digest, stamp(node));
  }

  static byte[] encodeManifest(ManifestRecord manifest) {
    BinaryValue.Writer out = new BinaryValue.Writer().text(manifest.mediaType().value()).varLong(manifest.size());
    out.varLong(manifest.references().size());
    manifest.references().forEach(d -> descriptor(out, d));
    out.bool(manifest.subject().isPresent());
    manifest.subject().ifPresent(d -> descriptor(out, d));
    return out.optionalText(manifest.artifactType()).map(manifest.annotations()).bool(manifest.present())
        .stamp(manifest.stamp()).toBytes();
  }

  static ManifestRecord decodeManifest(RepositoryName repository, Digest digest, byte[] value) {
    if (BinaryValue.isBinary(value)) {
      return decodeBinary(value, in -> {
        MediaType mediaType = new MediaType(in.text());
        long size = in.varLong();
        int count = in.length();
        List<Descriptor> references = new ArrayList<>(count);
        for (int i = 0; i < count; i++) references.add(descriptor(in));
        Optional<Descriptor> subject = in.bool() ? Optional.of(descriptor(in)) : Optional.empty();
        return new ManifestRecord(repository, digest, mediaType, size, references, subject, in.optionalText(), in.map(),
            in.bool(), in.stamp());
      });
    }
    return decode(value, node -> decodeManifest(repository, digest, node));
  }

  /**
   * The content of a stored manifest register, read without the fields it leaves out: a binary value's media types,
   * annotations, artifact types, platforms and stamp are stepped over, not decoded. A JSON value is read whole.
   */
  static ManifestContent decodeManifestContent(RepositoryName repository, Digest digest, byte[] value) {
    if (!BinaryValue.isBinary(value)) return ManifestContent.of(decodeManifest(repository, digest, value));
    return decodeBinary(value, in -> {
      in.skipText(); // media type
      long size = in.varLong();
      int count = in.length();
      List<ManifestContent.Reference> references = new ArrayList<>(count);
      for (int i = 0; i < count; i++) references.add(contentReference(in));
      if (in.bool()) contentReference(in); // the subject: a manifest with a register of its own
      in.skipOptionalText(); // artifact type
      in.skipMap(); // annotations
      boolean present = in.bool();
      in.skipStamp();
      return new ManifestContent(repository, digest, size, present, references);
    });
  }

  /** A descriptor's digest and size; its other fields stepped over (the order {@link #descriptor} writes). */
  private static ManifestContent.Reference contentReference(BinaryValue.Reader in) {
    in.skipText(); // media type
    Digest digest = Digest.parse(in.text());
    long size = in.varLong();
    in.skipOptionalText(); // artifact type
    in.skipMap(); // annotations
    in.skipOptionalText(); // platform
    return new ManifestContent.Reference(digest, size);
  }

  private static ManifestRecord decodeManifest(RepositoryName repository, Digest digest, JsonNode node) {
    List<Descriptor> references = new ArrayList<>();
    node.path("references").forEach(r -> references.add(descriptor(r)));
    return new ManifestRecord(
        repository,
        digest,
        new MediaType(node.get("mediaType").asText()),
        node.get("size").asLong(),
        references,
        node.hasNonNull("subject") ? Optional.of(descriptor(node.get("subject"))) : Optional.empty(),
        optionalText(node, "artifactType"),
        stringMap(node.path("annotations")),
        node.get("present").asBoolean(),
        stamp(node));
  }

  static byte[] encodeBlobLink(BlobLinkRecord link) {
    return new BinaryValue.Writer().bool(link.linked()).stamp(link.stamp()).toBytes();
  }

  static BlobLinkRecord decodeBlobLink(RepositoryName repository, Digest digest, byte[] value) {
    if (BinaryValue.isBinary(value)) {
      return decodeBinary(value, in -> new BlobLinkRecord(repository, digest, in.bool(), in.stamp()));
    }
    return decode(value, node -> new BlobLinkRecord(repository, digest, node.get("linked").asBoolean(), stamp(node)));
  }

  static byte[] encodeLock(LockRecord lock) {
    ObjectNode node = JSON.createObjectNode();
    node.put("writeEnabled", lock.writeEnabled());
    node.put("deleteEnabled", lock.deleteEnabled());
    putStamp(node, lock.stamp());
    return bytes(node);
  }

  static LockRecord decodeLock(RepositoryName repository, Optional<dev.meridian.core.oci.Reference> reference, byte[] value) {
    return decode(value, node -> new LockRecord(repository, reference, node.get("writeEnabled").asBoolean(),
        node.get("deleteEnabled").asBoolean(), stamp(node)));
  }

  static byte[] encodeUpload(UploadSession session) {
    ObjectNode node = JSON.createObjectNode();
    node.put("repository", session.repository().value());
    node.put("startedAt", session.startedAt().toString());
    return bytes(node);
  }

  static UploadSession decodeUpload(UploadId id, byte[] value) {
    return decode(value, node -> new UploadSession(
        id, new RepositoryName(node.get("repository").asText()), Instant.parse(node.get("startedAt").asText())));
  }

  /**
   * A job in {@link BinaryValue} form: kind, origin, size, then its creation as seconds and nanoseconds. A region
   * seeding a million tags reads each of its million jobs a few times, and parsing the JSON form (its ISO instant
   * above all) was a quarter of the thread finishing them. A creation before 1970, which no clock here gives, keeps the
   * JSON form the binary one cannot hold.
   */
  static byte[] encodeTransfer(TransferJob job) {
    Instant created = job.createdAt();
    if (created.getEpochSecond() >= 0) {
      return new BinaryValue.Writer().write(job.kind() == TransferJob.Kind.MANIFEST ? 0 : 1).text(job.origin().value())
          .varLong(job.size()).varLong(created.getEpochSecond()).varLong(created.getNano()).toBytes();
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", job.kind().name().toLowerCase(java.util.Locale.ROOT));
    node.put("origin", job.origin().value());
    node.put("size", job.size());
    node.put("createdAt", job.createdAt().toString());
    return bytes(node);
  }

  static TransferJob decodeTransfer(RepositoryName repository, Digest digest, byte[] value) {
    if (BinaryValue.isBinary(value)) {
      return decodeBinary(value, in -> {
        TransferJob.Kind kind = switch (in.read()) {
          case 0 -> TransferJob.Kind.MANIFEST;
          case 1 -> TransferJob.Kind.BLOB;
          default -> throw new IllegalArgumentException("unknown transfer kind");
        };
        return new TransferJob(repository, digest, kind, new RegionId(in.text()), in.varLong(),
            Instant.ofEpochSecond(in.varLong(), in.varLong()));
      });
    }
    return decode(value, node -> new TransferJob(
        repository,
        digest,
        TransferJob.Kind.valueOf(node.get("kind").asText().toUpperCase(java.util.Locale.ROOT)),
        new RegionId(node.get("origin").asText()),
        node.get("size").asLong(),
        Instant.parse(node.get("createdAt").asText())));
  }

  @SuppressWarnings("unchecked")
  private static Descriptor descriptor(JsonNode node) {
    Optional<Map<String, Object>> platform = node.hasNonNull("platform")
        ? Optional.of(JSON.convertValue(node.get("platform"), LinkedHashMap.class))
        : Optional.empty();
    return new Descriptor(
        new MediaType(node.get("mediaType").asText()),
        Digest.parse(node.get("digest").asText()),
        node.get("size").asLong(),
        optionalText(node, "artifactType"),
        stringMap(node.path("annotations")),
        platform);
  }

  private static void descriptor(BinaryValue.Writer out, Descriptor d) {
    out.text(d.mediaType().value()).text(d.digest().toString()).varLong(d.size()).optionalText(d.artifactType())
        .map(d.annotations());
    // The platform is opaque JSON from a manifest, kept as its JSON text; anything that is not JSON is refused.
    out.optionalText(d.platform().map(p -> new String(json(JSON.valueToTree(p)), java.nio.charset.StandardCharsets.UTF_8)));
  }

  @SuppressWarnings("unchecked")
  private static Descriptor descriptor(BinaryValue.Reader in) {
    MediaType mediaType = new MediaType(in.text());
    Digest digest = Digest.parse(in.text());
    long size = in.varLong();
    Optional<String> artifactType = in.optionalText();
    Map<String, String> annotations = in.map();
    Optional<Map<String, Object>> platform = in.optionalText().map(text -> {
      try {
        return (Map<String, Object>) JSON.readValue(text, LinkedHashMap.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("platform is not JSON: " + e.getOriginalMessage(), e);
      }
    });
    return new Descriptor(mediaType, digest, size, artifactType, annotations, platform);
  }

  private static void putStamp(ObjectNode node, Stamp stamp) {
    node.put("hlc", stamp.hlc().toString());
    node.put("origin", stamp.origin().value());
  }

  private static Stamp stamp(JsonNode node) {
    return new Stamp(HlcTimestamp.parse(node.get("hlc").asText()), new RegionId(node.get("origin").asText()));
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static byte[] bytes(JsonNode node) {
    return json(node);
  }

  private static byte[] json(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode state value: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a binary value to its end; any failure means the stored bytes are not what this codec wrote. */
  private static <T> T decodeBinary(byte[] value, Function<BinaryValue.Reader, T> mapping) {
    try {
      BinaryValue.Reader in = new BinaryValue.Reader(value);
      T decoded = mapping.apply(in);
      in.end();
      return decoded;
    } catch (RuntimeException e) {
      throw new StateStoreException("corrupt state value: " + e.getMessage(), e);
    }
  }

  /** Parses and maps a stored value; any failure means the stored bytes are not what this codec wrote. */
  private static <T> T decode(byte[] value, Function<JsonNode, T> mapping) {
    try {
      return mapping.apply(JSON.readTree(value));
    } catch (IOException | RuntimeException e) {
      throw new StateStoreException("corrupt state value: " + e.getMessage(), e);
    }
  }
}
