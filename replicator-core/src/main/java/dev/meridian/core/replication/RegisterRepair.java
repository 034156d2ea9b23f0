package dev.meridian.core.replication;

import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.LockPut;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.LockRecord;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegisterMerge;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Anti-entropy's merge: a peer's registers, as the events that wrote them ({@link RegisterEvents}), applied here
 * exactly as replay applies events ({@link ReplayPlanner} over a {@link BufferedRegistryState}, committed as one
 * batch, under the {@link ContentGuard}), so a repaired manifest whose content is missing gets its transfer job
 * and complete-before-visible holds. Merging is order-free and idempotent, so pulling a peer's registers is
 * always safe.
 *
 * <p>Only registers that win here are planned (a register equal to or older than ours changes nothing); those
 * are the repairs, counted by kind. Every register's HLC is folded into the local clock, as replay does.
 */
public final class RegisterRepair {
  private final RegistryState state;
  private final Function<RegistryState, ReplayPlanner> planners;
  private final Hlc hlc;
  private final ContentGuard guard;

  /** What one merge changed: registers repaired by kind, and whether transfer jobs or outbox entries were written. */
  public record Outcome(int tags, int manifests, int blobLinks, int locks, boolean transfersPlanned, boolean outboxAppended) {
    public int repaired() {
      return tags + manifests + blobLinks + locks;
    }
  }

  /** @param planners makes a planner over the view it is given, as replay's does */
  public RegisterRepair(RegistryState state, Function<RegistryState, ReplayPlanner> planners, Hlc hlc, ContentGuard guard) {
    this.state = state;
    this.planners = planners;
    this.hlc = hlc;
    this.guard = guard;
  }

  public Outcome merge(List<ReplicationEvent> registers) {
    List<Digest> claims = new ArrayList<>();
    for (ReplicationEvent event : registers) {
      hlc.observe(event.hlc());
      if (event instanceof ManifestPut put) {
        claims.add(put.digest());
        put.references().forEach(d -> claims.add(d.digest()));
      }
    }
    BufferedRegistryState view = new BufferedRegistryState(state);
    ReplayPlanner planner = planners.apply(view);
    int[] counts = new int[4];
    List<StateWrite> written = new ArrayList<>();
    guard.claiming(claims, () -> {
      for (ReplicationEvent event : registers) {
        int kind = kindIfWins(view, event);
        if (kind < 0) continue;
        List<StateWrite> writes = planner.plan(event);
        if (writes.isEmpty()) continue; // this region's own register: it is the origin, nothing to learn
        counts[kind]++;
        written.addAll(writes);
        view.apply(new StateBatch(writes));
      }
      if (!written.isEmpty()) state.apply(view.drain(true));
      return null;
    });
    return new Outcome(counts[0], counts[1], counts[2], counts[3],
        written.stream().anyMatch(w -> w instanceof StateWrite.PutTransfer),
        written.stream().anyMatch(w -> w instanceof StateWrite.AppendOutbox));
  }

  /** 0 tag, 1 manifest, 2 blob link, 3 lock when the event's register wins over ours; -1 otherwise. */
  private static int kindIfWins(RegistryState view, ReplicationEvent event) {
    Stamp stamp = event.stamp();
    if (event instanceof TagPut e) return wins(stamp, view.findTag(e.repository(), e.tag()).map(TagRecord::stamp)) ? 0 : -1;
    if (event instanceof TagDelete e) return wins(stamp, view.findTag(e.repository(), e.tag()).map(TagRecord::stamp)) ? 0 : -1;
    if (event instanceof ManifestPut e) return wins(stamp, manifestStamp(view, e.repository(), e.digest())) ? 1 : -1;
    if (event instanceof ManifestDelete e) return wins(stamp, manifestStamp(view, e.repository(), e.digest())) ? 1 : -1;
    if (event instanceof BlobPut e) return wins(stamp, linkStamp(view, e.repository(), e.digest())) ? 2 : -1;
    if (event instanceof BlobUnlink e) return wins(stamp, linkStamp(view, e.repository(), e.digest())) ? 2 : -1;
    if (event instanceof LockPut e) return wins(stamp, view.findLock(e.repository(), e.reference()).map(LockRecord::stamp)) ? 3 : -1;
    return -1;
  }

  private static boolean wins(Stamp incoming, Optional<Stamp> current) {
    return RegisterMerge.wins(incoming, current);
  }

  private static Optional<Stamp> manifestStamp(RegistryState view, RepositoryName repository, Digest digest) {
    return view.findManifest(repository, digest).map(ManifestRecord::stamp);
  }

  private static Optional<Stamp> linkStamp(RegistryState view, RepositoryName repository, Digest digest) {
    return view.findBlobLink(repository, digest).map(BlobLinkRecord::stamp);
  }
}
