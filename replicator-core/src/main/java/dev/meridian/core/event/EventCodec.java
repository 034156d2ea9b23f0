package dev.meridian.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventDecodeException.Reason;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of {@link ReplicationEvent}s (DESIGN.md §4): one JSON object per record, for example
 *
 * <pre>{@code
 * {"schema":1,"type":"tag.put","id":"6f1c…","origin":"eastus","hlc":"1732700000000.3",
 *  "repository":"team-a/app","tag":"v1","digest":"sha256:…"}
 * }</pre>
 *
 * <p>{@code hlc} is {@code millis.logical} as a string; descriptors are in OCI JSON form. Decoding ignores
 * unknown fields (a newer writer may add some) but refuses an unknown {@code schema} or {@code type},
 * duplicate keys and trailing content. {@link #decode} never throws anything but
 * {@link EventDecodeException}, whatever the bytes: replay feeds it whatever is on the topic.
 *
 * <p>Thread-safe. Jackson stays inside this package.
 */
public final class EventCodec {
  public static final int SCHEMA = 1;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final DescriptorJson descriptors = new DescriptorJson(MAPPER);
  /**
   * The fast path's parser does not look for duplicate keys: that kept a hash set per object (7% of the decoding
   * thread's samples), and the fast path refuses a field it has already read by itself (then the tree decoder, strict,
   * says why).
   */
  private final StreamingEventDecoder streaming = new StreamingEventDecoder(new JsonFactory());

  /**
   * The event's JSON, written field by field: every push encodes its events and every replayed manifest its
   * {@code replica.ack}, and building a JSON tree first cost as much as decoding.
   */
  public byte[] encode(ReplicationEvent event) {
    var out = new java.io.ByteArrayOutputStream(256);
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("schema", SCHEMA);
      json.writeStringField("type", event.type().wireName());
      json.writeStringField("id", event.id());
      json.writeStringField("origin", event.origin().value());
      json.writeStringField("hlc", event.hlc().toString());
      json.writeStringField("repository", event.repository().value());
      writeFields(json, event);
      json.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing JSON to memory", e);
    }
    return out.toByteArray();
  }

  private void writeFields(JsonGenerator json, ReplicationEvent event) throws IOException {
    if (event instanceof BlobPut e) {
      json.writeStringField("digest", e.digest().toString());
      json.writeNumberField("size", e.size());
    } else if (event instanceof ManifestPut e) {
      json.writeStringField("digest", e.digest().toString());
      json.writeStringField("mediaType", e.mediaType().value());
      json.writeNumberField("size", e.size());
      json.writeArrayFieldStart("references");
      for (Descriptor d : e.references()) descriptors.write(json, d);
      json.writeEndArray();
      if (e.subject().isPresent()) {
        json.writeFieldName("subject");
        descriptors.write(json, e.subject().get());
      }
      if (e.artifactType().isPresent()) json.writeStringField("artifactType", e.artifactType().get());
      json.writeFieldName("annotations");
      descriptors.writeStringMap(json, e.annotations());
    } else if (event instanceof TagPut e) {
      json.writeStringField("tag", e.tag().value());
      json.writeStringField("digest", e.digest().toString());
    } else if (event instanceof TagDelete e) {
      json.writeStringField("tag", e.tag().value());
    } else if (event instanceof ManifestDelete e) {
      json.writeStringField("digest", e.digest().toString());
    } else if (event instanceof BlobUnlink e) {
      json.writeStringField("digest", e.digest().toString());
    } else if (event instanceof ReplicaAck e) {
      json.writeStringField("digest", e.digest().toString());
      json.writeStringField("region", e.region().value());
    } else if (event instanceof LockPut e) {
      if (e.reference().isPresent()) json.writeStringField("reference", e.reference().get().toString());
      json.writeBooleanField("writeEnabled", e.writeEnabled());
      json.writeBooleanField("deleteEnabled", e.deleteEnabled());
    } else if (event instanceof CredentialPut e) {
      json.writeStringField("name", e.name());
      json.writeStringField("credential", e.value());
    } else if (event instanceof CredentialDelete e) {
      json.writeStringField("name", e.name());
    } else {
      throw new IllegalArgumentException("no encoding for " + event.getClass()); // unreachable: sealed
    }
  }

  /**
   * The event in these bytes; throws {@link EventDecodeException} with the reason when there is none. An
   * event as encoders write it takes a streaming fast path; anything else is decoded, or refused with its
   * reason, from the JSON tree.
   */
  public ReplicationEvent decode(byte[] bytes) {
    ReplicationEvent event = streaming.decode(bytes);
    return event != null ? event : decodeTree(bytes);
  }

  /** The fast path alone: the event, or {@code null} for anything it leaves to the careful decoder. */
  ReplicationEvent decodeStreaming(byte[] bytes) {
    return streaming.decode(bytes);
  }

  /** The careful decoder, and the reference the fast path must agree with. */
  ReplicationEvent decodeTree(byte[] bytes) {
    JsonFields fields = JsonFields.of(parse(bytes), "");
    checkSchema(fields);
    String typeName = fields.requireText("type");
    EventType type = EventType.byWireName(typeName).orElseThrow(() -> new EventDecodeException(
        Reason.UNKNOWN_TYPE, "unknown event type '" + JsonFields.shorten(typeName) + "'"));
    String id = fields.requireText("id");
    RegionId origin = fields.require("origin", RegionId::new);
    HlcTimestamp hlc = fields.require("hlc", HlcTimestamp::parse);
    RepositoryName repository = fields.require("repository", RepositoryName::new);
    return fields.construct(() -> switch (type) {
      case BLOB_PUT -> new BlobPut(id, origin, hlc, repository, digest(fields), fields.requireLong("size"));
      case MANIFEST_PUT -> manifestPut(fields, id, origin, hlc, repository);
      case TAG_PUT -> new TagPut(id, origin, hlc, repository, tag(fields), digest(fields));
      case TAG_DELETE -> new TagDelete(id, origin, hlc, repository, tag(fields));
      case MANIFEST_DELETE -> new ManifestDelete(id, origin, hlc, repository, digest(fields));
      case BLOB_UNLINK -> new BlobUnlink(id, origin, hlc, repository, digest(fields));
      case REPLICA_ACK -> new ReplicaAck(
          id, origin, hlc, repository, digest(fields), fields.require("region", RegionId::new));
      case LOCK_PUT -> new LockPut(id, origin, hlc, repository,
          fields.optional("reference", dev.meridian.core.oci.Reference::parse),
          fields.requireBoolean("writeEnabled"), fields.requireBoolean("deleteEnabled"));
      case CREDENTIAL_PUT -> new CredentialPut(id, origin, hlc, fields.requireText("name"), fields.requireText("credential"));
      case CREDENTIAL_DELETE -> new CredentialDelete(id, origin, hlc, fields.requireText("name"));
    });
  }

  private ManifestPut manifestPut(
      JsonFields fields, String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository) {
    Digest digest = digest(fields);
    MediaType mediaType = fields.require("mediaType", MediaType::new);
    long size = fields.requireLong("size");
    List<JsonNode> items = fields.requireArray("references");
    var references = new ArrayList<Descriptor>(items.size());
    for (int i = 0; i < items.size(); i++) {
      references.add(descriptors.read(items.get(i), "references[" + i + "]"));
    }
    var subject = fields.optional("subject").map(node -> descriptors.read(node, "subject"));
    var artifactType = fields.optionalText("artifactType");
    var annotations = fields.stringMap("annotations");
    return fields.construct(() -> new ManifestPut(
        id, origin, hlc, repository, digest, mediaType, size, references, subject, artifactType, annotations));
  }

  private static Digest digest(JsonFields fields) {
    return fields.require("digest", Digest::parse);
  }

  private static Tag tag(JsonFields fields) {
    return fields.require("tag", Tag::new);
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes == null) throw new EventDecodeException(Reason.MALFORMED, "no bytes (a null record value)");
    try {
      JsonNode root = MAPPER.readTree(bytes);
      if (root == null || !root.isObject()) throw new EventDecodeException(Reason.MALFORMED, "not a JSON object");
      return root;
    } catch (JsonProcessingException e) {
      throw new EventDecodeException(Reason.MALFORMED, "not JSON: " + JsonFields.shorten(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      throw new EventDecodeException(Reason.MALFORMED, "not JSON: " + JsonFields.shorten(e.getMessage()));
    }
  }

  private static void checkSchema(JsonFields fields) {
    var schema = fields.optional("schema").orElseThrow(
        () -> new EventDecodeException(Reason.UNKNOWN_SCHEMA, "missing field 'schema'"));
    if (!schema.isIntegralNumber() || !schema.canConvertToInt() || schema.intValue() != SCHEMA) {
      throw new EventDecodeException(
          Reason.UNKNOWN_SCHEMA, "unknown schema " + JsonFields.shorten(schema.toString()) + ", expected " + SCHEMA);
    }
  }
}
