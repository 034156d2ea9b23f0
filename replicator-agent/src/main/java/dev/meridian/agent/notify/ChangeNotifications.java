package dev.meridian.agent.notify;

import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The notifications one batch of state writes gives rise to, read from the writes themselves (as the outbox's
 * {@code LocalChangeEvents} are), so they can be committed in that very batch:
 * <ul>
 *   <li>{@code push}: a manifest register written present with this region's stamp (a client's push or a restore),
 *       with the tag written with it; or a tag moved by this region to a manifest the batch does not write;</li>
 *   <li>{@code delete}: a manifest register written deleted, or a tag tombstoned, with this region's stamp;</li>
 *   <li>{@code replicated}: a manifest {@link ReplicaAcks#completions completed} here (replay, a transfer,
 *       read-through, a re-fetch after a quarantine).</li>
 * </ul>
 * Writes stamped by another region (replay) are not this region's pushes or deletes. Reads only what the batch does
 * not say (a manifest's media type, the digest a deleted tag pointed at) from the state before the batch.
 */
public final class ChangeNotifications {
  private final RegionId self;
  private final Supplier<String> ids;
  private final Clock clock;

  public ChangeNotifications(RegionId self, Supplier<String> ids, Clock clock) {
    this.self = self;
    this.ids = ids;
    this.clock = clock;
  }

  public List<Notification> of(StateBatch batch, RegistryState before) {
    List<Notification> notifications = new ArrayList<>();
    Set<List<Object>> pushed = new HashSet<>();
    // Indexed once: a replayed poll is one batch of thousands of writes, and looking each manifest and tag up by
    // a scan of the whole batch made this quadratic in the poll.
    Map<List<Object>, ManifestRecord> manifestsWritten = new HashMap<>();
    Map<List<Object>, Tag> ownTags = new HashMap<>();
    for (StateWrite w : batch.writes()) {
      if (w instanceof StateWrite.PutManifest m) {
        manifestsWritten.put(List.of(m.manifest().repository(), m.manifest().digest()), m.manifest()); // the last one
      } else if (w instanceof StateWrite.PutTag t && own(t.tag().stamp().origin()) && t.tag().digest().isPresent()) {
        ownTags.putIfAbsent(List.of(t.tag().repository(), t.tag().digest().get()), t.tag().tag()); // the first one
      }
    }
    for (StateWrite w : batch.writes()) {
      if (w instanceof StateWrite.PutManifest m && own(m.manifest().stamp().origin())) {
        ManifestRecord manifest = m.manifest();
        if (manifest.present()) {
          pushed.add(List.of(manifest.repository(), manifest.digest()));
          notifications.add(manifest(NotificationType.PUSH, manifest,
              Optional.ofNullable(ownTags.get(List.of(manifest.repository(), manifest.digest())))));
        } else {
          notifications.add(manifest(NotificationType.DELETE, manifest, Optional.empty()));
        }
      }
    }
    for (StateWrite w : batch.writes()) {
      if (!(w instanceof StateWrite.PutTag t) || !own(t.tag().stamp().origin())) continue;
      TagRecord tag = t.tag();
      if (tag.digest().isPresent()) {
        Digest digest = tag.digest().get();
        if (pushed.contains(List.of(tag.repository(), digest))) continue;
        Optional<ManifestRecord> record = Optional.ofNullable(manifestsWritten.get(List.of(tag.repository(), digest)))
            .or(() -> before.findManifest(tag.repository(), digest));
        notifications.add(record.map(r -> manifest(NotificationType.PUSH, r, Optional.of(tag.tag())))
            .orElseGet(() -> bare(NotificationType.PUSH, tag.repository(), digest, Optional.of(tag.tag()))));
      } else {
        before.findTag(tag.repository(), tag.tag()).flatMap(TagRecord::digest).ifPresent(digest ->
            notifications.add(bare(NotificationType.DELETE, tag.repository(), digest, Optional.of(tag.tag()))));
      }
    }
    for (StateWrite.PutReplica completed : ReplicaAcks.completions(batch, self)) {
      Optional<ManifestRecord> record = Optional.ofNullable(manifestsWritten.get(List.of(completed.repository(), completed.digest())))
          .or(() -> before.findManifest(completed.repository(), completed.digest()));
      notifications.add(record.map(r -> manifest(NotificationType.REPLICATED, r, Optional.empty()))
          .orElseGet(() -> bare(NotificationType.REPLICATED, completed.repository(), completed.digest(), Optional.empty())));
    }
    return notifications;
  }

  /** The notification of a blob the scrubber quarantined. */
  public Notification quarantined(Digest digest, long size, List<String> pendingManifests) {
    return new Notification(ids.get(), NotificationType.QUARANTINED, clock.instant(), self, Optional.empty(), Optional.empty(),
        digest, Optional.empty(), Optional.empty(), size, pendingManifests);
  }

  private boolean own(RegionId origin) {
    return origin.equals(self);
  }

  private Notification manifest(NotificationType type, ManifestRecord m, Optional<Tag> tag) {
    // A delete that arrived before its put keeps a placeholder register: its media type and size are not known.
    boolean known = m.present() || m.size() > 0;
    return new Notification(ids.get(), type, clock.instant(), self, Optional.of(m.stamp().origin()),
        Optional.of(m.repository()), m.digest(), tag, known ? Optional.of(m.mediaType().value()) : Optional.empty(),
        known ? m.size() : 0, List.of());
  }

  private Notification bare(NotificationType type, RepositoryName repository, Digest digest, Optional<Tag> tag) {
    return new Notification(ids.get(), type, clock.instant(), self, Optional.empty(), Optional.of(repository), digest, tag,
        Optional.empty(), 0, List.of());
  }

}
