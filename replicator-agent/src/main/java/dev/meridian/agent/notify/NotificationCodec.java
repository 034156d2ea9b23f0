package dev.meridian.agent.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

  public byte[] encode(Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", n.id());
    root.put("timestamp", n.timestamp().toString());
    root.put("action", n.type().wireName());
    ObjectNode target = root.putObject("target");
    n.mediaType().ifPresent(m -> target.put("mediaType", m));
    target.put("size", n.size());
    target.put("length", n.size());
    target.put("digest", n.digest().toString());
    n.repository().ifPresent(r -> target.put("repository", r.value()));
    n.tag().ifPresent(t -> target.put("tag", t.value()));
    ObjectNode source = root.putObject("source");
    source.put("region", n.region().value());
    n.origin().ifPresent(o -> source.put("origin", o.value()));
    if (n.type() == NotificationType.QUARANTINED) {
      ArrayNode pending = root.putArray("pendingManifests");
      n.pendingManifests().forEach(pending::add);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
