package dev.meridian.agent.notify;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of a notification, close to CNCF distribution's notification event (which ACR's webhooks also use):
 *
 * <pre>
 * {"id":"…","timestamp":"2026-11-27T14:01:01.189Z","action":"push",
 *  "target":{"mediaType":"…","size":524,"length":524,"digest":"sha256:…","repository":"team/app","tag":"v1"},
 *  "source":{"region":"eastus","origin":"eastus"}}
 * </pre>
 *
 * {@code quarantined} has no {@code target.repository} and lists {@code pendingManifests}. A webhook body is the
 * envelope {@code {"events":[event]}} ({@link #envelope}); a record of the notifications topic is the event alone.
 * Unknown fields are ignored when decoding.
 */
public final class NotificationCodec {
  /** The Content-Type of a webhook body, CNCF distribution's. */
  public static final String ENVELOPE_MEDIA_TYPE = "application/vnd.docker.distribution.events.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The event's JSON, written field by field (every replayed push queues one or two). */
  public byte[] encode(Notification n) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(384);
    try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("id", n.id());
      json.writeStringField("timestamp", n.timestamp().toString());
      json.writeStringField("action", n.type().wireName());
      json.writeObjectFieldStart("target");
      if (n.mediaType().isPresent()) json.writeStringField("mediaType", n.mediaType().get());
      json.writeNumberField("size", n.size());
      json.writeNumberField("length", n.size());
      json.writeStringField("digest", n.digest().toString());
      if (n.repository().isPresent()) json.writeStringField("repository", n.repository().get().value());
      if (n.tag().isPresent()) json.writeStringField("tag", n.tag().get().value());
      json.writeEndObject();
      json.writeObjectFieldStart("source");
      json.writeStringField("region", n.region().value());
      if (n.origin().isPresent()) json.writeStringField("origin", n.origin().get().value());
      json.writeEndObject();
      if (n.type() == NotificationType.QUARANTINED) {
        json.writeArrayFieldStart("pendingManifests");
        for (String pending : n.pendingManifests()) json.writeString(pending);
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The {@link Notification#key} of an encoded event, read without decoding the rest (the notifications topic's
   * sender needs only the key); an event it cannot read that way is decoded whole, which refuses what is not one.
   */
  public String key(byte[] bytes) {
    try (JsonParser json = JSON.getFactory().createParser(bytes)) {
      if (json.nextToken() == JsonToken.START_OBJECT) {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
          String field = json.currentName();
          JsonToken value = json.nextToken();
          if (!"target".equals(field) || value != JsonToken.START_OBJECT) {
            json.skipChildren();
            continue;
          }
          String repository = null;
          String digest = null;
          while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            if (token == JsonToken.VALUE_STRING && "repository".equals(name)) repository = json.getText();
            else if (token == JsonToken.VALUE_STRING && "digest".equals(name)) digest = json.getText();
            else json.skipChildren();
          }
          if (repository != null && RepositoryName.isValid(repository)) return repository;
          if (repository == null && digest != null) return Digest.parse(digest).toString();
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the whole decode, which says what is wrong
    }
    return decode(bytes).key();
  }

  /** The webhook body carrying one encoded event. */
  public byte[] envelope(byte[] encodedEvent) {
    try {
      ObjectNode root = JSON.createObjectNode();
      root.putArray("events").add(JSON.readTree(encodedEvent));
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a notification: " + e.getMessage(), e);
    }
  }

  /** Reads one event; {@link IllegalArgumentException} if it is not one. */
  public Notification decode(byte[] bytes) {
    try {
      return decode(JSON.readTree(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a notification: " + e.getMessage(), e);
    }
  }

  /** The events of a webhook body. */
  public List<Notification> decodeEnvelope(byte[] body) {
    try {
      List<Notification> events = new ArrayList<>();
      for (JsonNode event : JSON.readTree(body).path("events")) events.add(decode(event));
      return events;
    } catch (IOException e) {
      throw new IllegalArgumentException("not a notification envelope: " + e.getMessage(), e);
    }
  }

  private static Notification decode(JsonNode n) {
    try {
      JsonNode target = n.path("target");
      JsonNode source = n.path("source");
      List<String> pending = new ArrayList<>();
      n.path("pendingManifests").forEach(p -> pending.add(p.asText()));
      return new Notification(text(n, "id").orElseThrow(), NotificationType.parse(text(n, "action").orElseThrow()),
          Instant.parse(text(n, "timestamp").orElseThrow()), new RegionId(text(source, "region").orElseThrow()),
          text(source, "origin").map(RegionId::new), text(target, "repository").map(RepositoryName::new),
          Digest.parse(text(target, "digest").orElseThrow()), text(target, "tag").map(Tag::new), text(target, "mediaType"),
          target.path("size").asLong(0), pending);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a notification: " + e.getMessage(), e);
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
