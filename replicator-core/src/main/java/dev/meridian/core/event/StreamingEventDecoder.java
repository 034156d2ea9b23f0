package dev.meridian.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.digest.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The fast path of {@link EventCodec#decode}: one pass of a streaming parser over an event as encoders write
 * it, with no JSON tree. It decodes only what is plainly well-formed (every field known, of the expected JSON
 * type, no {@code null}, no duplicate, nothing after the object, a descriptor without {@code platform}) and
 * answers {@code null} for anything else, malformed or merely unusual, which the tree decoder then decodes
 * or refuses with its precise reason. So it can never accept what the tree decoder refuses, nor decode
 * differently: it reads the same fields with the same value parsers.
 *
 * <p>Replay decodes every record of the log: region ids and media types, a handful of values repeated in
 * every event, are parsed once and kept (bounded), as they are immutable and validated on construction.
 */
final class StreamingEventDecoder {
  private static final int CACHE_LIMIT = 1_024;
  private static final Map<String, RegionId> REGIONS = new ConcurrentHashMap<>();
  private static final Map<String, MediaType> MEDIA_TYPES = new ConcurrentHashMap<>();

  private final JsonFactory factory;

  StreamingEventDecoder(JsonFactory factory) {
    this.factory = factory;
  }

  /** The fields of one event object as read; null where absent. */
  private static final class Fields {
    Integer schema;
    String type;
    String id;
    String origin;
    String hlc;
    String repository;
    String digest;
    Long size;
    String mediaType;
    List<Descriptor> references;
    Descriptor subject;
    String artifactType;
    Map<String, String> annotations;
    String tag;
    String region;
    String reference;
    Boolean writeEnabled;
    Boolean deleteEnabled;
    String name;
    String credential;
  }

  /** The event, or null when these bytes are not plainly one (the caller then decodes them the careful way). */
  ReplicationEvent decode(byte[] bytes) {
    if (bytes == null) return null;
    try (JsonParser p = factory.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      Fields f = new Fields();
      if (!readEvent(p, f)) return null;
      if (p.nextToken() != null) return null; // trailing content
      return build(f);
    } catch (Exception e) {
      return null; // whatever it is, the tree decoder says it precisely
    }
  }

  private boolean readEvent(JsonParser p, Fields f) throws java.io.IOException {
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      boolean ok = switch (field) {
        case "schema" -> {
          if (f.schema != null || value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) yield false;
          f.schema = p.getIntValue();
          yield true;
        }
        case "type" -> f.type == null && (f.type = text(p, value)) != null;
        case "id" -> f.id == null && (f.id = text(p, value)) != null;
        case "origin" -> f.origin == null && (f.origin = text(p, value)) != null;
        case "hlc" -> f.hlc == null && (f.hlc = text(p, value)) != null;
        case "repository" -> f.repository == null && (f.repository = text(p, value)) != null;
        case "digest" -> f.digest == null && (f.digest = text(p, value)) != null;
        case "size" -> f.size == null && (f.size = integer(p, value)) != null;
        case "mediaType" -> f.mediaType == null && (f.mediaType = text(p, value)) != null;
        case "references" -> f.references == null && (f.references = descriptors(p, value)) != null;
        case "subject" -> f.subject == null && (f.subject = descriptor(p, value)) != null;
        case "artifactType" -> f.artifactType == null && (f.artifactType = text(p, value)) != null;
        case "annotations" -> f.annotations == null && (f.annotations = stringMap(p, value)) != null;
        case "tag" -> f.tag == null && (f.tag = text(p, value)) != null;
        case "region" -> f.region == null && (f.region = text(p, value)) != null;
        case "reference" -> f.reference == null && (f.reference = text(p, value)) != null;
        case "writeEnabled" -> f.writeEnabled == null && (f.writeEnabled = bool(value)) != null;
        case "deleteEnabled" -> f.deleteEnabled == null && (f.deleteEnabled = bool(value)) != null;
        case "name" -> f.name == null && (f.name = text(p, value)) != null;
        case "credential" -> f.credential == null && (f.credential = text(p, value)) != null;
        default -> false; // a field of a newer writer: the tree decoder ignores it
      };
      if (!ok) return false;
    }
    return token == JsonToken.END_OBJECT;
  }

  private static String text(JsonParser p, JsonToken value) throws java.io.IOException {
    return value == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  private static Long integer(JsonParser p, JsonToken value) throws java.io.IOException {
    if (value != JsonToken.VALUE_NUMBER_INT) return null;
    JsonParser.NumberType type = p.getNumberType();
    return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG ? p.getLongValue() : null;
  }

  private static Boolean bool(JsonToken value) {
    return value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
  }

  private static Map<String, String> stringMap(JsonParser p, JsonToken value) throws java.io.IOException {
    if (value != JsonToken.START_OBJECT) return null;
    Map<String, String> map = new LinkedHashMap<>();
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      String text = text(p, p.nextToken());
      if (text == null || map.put(key, text) != null) return null;
    }
    return token == JsonToken.END_OBJECT ? map : null;
  }

  private static List<Descriptor> descriptors(JsonParser p, JsonToken value) throws java.io.IOException {
    if (value != JsonToken.START_ARRAY) return null;
    List<Descriptor> list = new ArrayList<>();
    JsonToken token;
    while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
      Descriptor d = descriptor(p, token);
      if (d == null) return null;
      list.add(d);
    }
    return list;
  }

  private static Descriptor descriptor(JsonParser p, JsonToken value) throws java.io.IOException {
    if (value != JsonToken.START_OBJECT) return null;
    String mediaType = null;
    String digest = null;
    Long size = null;
    String artifactType = null;
    Map<String, String> annotations = null;
    JsonToken token;
    while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      boolean ok = switch (field) {
        case "mediaType" -> mediaType == null && (mediaType = text(p, v)) != null;
        case "digest" -> digest == null && (digest = text(p, v)) != null;
        case "size" -> size == null && (size = integer(p, v)) != null;
        case "artifactType" -> artifactType == null && (artifactType = text(p, v)) != null;
        case "annotations" -> annotations == null && (annotations = stringMap(p, v)) != null;
        default -> false; // platform, urls, data: the tree decoder's business
      };
      if (!ok) return null;
    }
    if (token != JsonToken.END_OBJECT || mediaType == null || digest == null || size == null) return null;
    return new Descriptor(mediaType(mediaType), Digest.parse(digest), size, Optional.ofNullable(artifactType),
        annotations == null ? Map.of() : annotations, Optional.empty());
  }

  /** The event, or null when a field its type needs is missing; a value's own refusal throws (the caller falls back). */
  private static ReplicationEvent build(Fields f) {
    if (f.schema == null || f.schema != EventCodec.SCHEMA || f.type == null || f.id == null || f.origin == null
        || f.hlc == null || f.repository == null) {
      return null;
    }
    EventType type = EventType.byWireName(f.type).orElse(null);
    if (type == null) return null;
    RegionId origin = cached(REGIONS, f.origin, RegionId::new);
    HlcTimestamp hlc = HlcTimestamp.parse(f.hlc);
    RepositoryName repository = new RepositoryName(f.repository);
    return switch (type) {
      case BLOB_PUT -> f.digest == null || f.size == null ? null
          : new BlobPut(f.id, origin, hlc, repository, Digest.parse(f.digest), f.size);
      case MANIFEST_PUT -> f.digest == null || f.mediaType == null || f.size == null || f.references == null ? null
          : new ManifestPut(f.id, origin, hlc, repository, Digest.parse(f.digest), mediaType(f.mediaType), f.size,
              f.references, Optional.ofNullable(f.subject), Optional.ofNullable(f.artifactType),
              f.annotations == null ? Map.of() : f.annotations);
      case TAG_PUT -> f.tag == null || f.digest == null ? null
          : new TagPut(f.id, origin, hlc, repository, new Tag(f.tag), Digest.parse(f.digest));
      case TAG_DELETE -> f.tag == null ? null : new TagDelete(f.id, origin, hlc, repository, new Tag(f.tag));
      case MANIFEST_DELETE -> f.digest == null ? null
          : new ManifestDelete(f.id, origin, hlc, repository, Digest.parse(f.digest));
      case BLOB_UNLINK -> f.digest == null ? null : new BlobUnlink(f.id, origin, hlc, repository, Digest.parse(f.digest));
      case REPLICA_ACK -> f.digest == null || f.region == null ? null
          : new ReplicaAck(f.id, origin, hlc, repository, Digest.parse(f.digest), cached(REGIONS, f.region, RegionId::new));
      case LOCK_PUT -> f.writeEnabled == null || f.deleteEnabled == null ? null
          : new LockPut(f.id, origin, hlc, repository,
              Optional.ofNullable(f.reference).map(dev.meridian.core.oci.Reference::parse), f.writeEnabled, f.deleteEnabled);
      case CREDENTIAL_PUT -> f.name == null || f.credential == null ? null
          : new CredentialPut(f.id, origin, hlc, f.name, f.credential);
      case CREDENTIAL_DELETE -> f.name == null ? null : new CredentialDelete(f.id, origin, hlc, f.name);
    };
  }

  private static MediaType mediaType(String text) {
    return cached(MEDIA_TYPES, text, MediaType::new);
  }

  private static <T> T cached(Map<String, T> cache, String text, Function<String, T> parse) {
    T known = cache.get(text);
    if (known != null) return known;
    T parsed = parse.apply(text); // throws for an invalid value: nothing is kept
    if (cache.size() < CACHE_LIMIT) cache.put(text, parsed);
    return parsed;
  }
}
