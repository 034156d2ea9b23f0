package dev.meridian.core.replication;

import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicaAck;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The writes that make a replicated manifest servable here and tell the fleet: the pending mark goes, this
 * region joins the manifest's replica set, and a {@code replica.ack} goes to the outbox, all in one batch.
 */
public final class ReplicaAcks {
  private final RegionId self;
  private final Hlc hlc;
  private final Supplier<String> ids;
  private final EventCodec codec;

  public ReplicaAcks(RegionId self, Hlc hlc, Supplier<String> ids, EventCodec codec) {
    this.self = self;
    this.hlc = hlc;
    this.ids = ids;
    this.codec = codec;
  }

  /**
   * The manifests a batch made servable here by replication: those {@link #completed} wrote the batch for (its pending
   * mark goes and this region joins the replica set, together; a local push joins the set with no pending mark).
   */
  public static List<StateWrite.PutReplica> completions(StateBatch batch, RegionId self) {
    Set<List<Object>> unmarked = new HashSet<>();
    for (StateWrite w : batch.writes()) {
      if (w instanceof StateWrite.DeleteTransfer d && d.kind() == TransferJob.Kind.MANIFEST) {
        unmarked.add(List.of(d.repository(), d.digest()));
      }
    }
    if (unmarked.isEmpty()) return List.of();
    List<StateWrite.PutReplica> completed = new ArrayList<>();
    for (StateWrite w : batch.writes()) {
      if (w instanceof StateWrite.PutReplica r && r.region().equals(self) && unmarked.contains(List.of(r.repository(), r.digest()))) {
        completed.add(r);
      }
    }
    return completed;
  }

  public List<StateWrite> completed(RepositoryName repository, Digest manifest) {
    ReplicaAck ack = new ReplicaAck(ids.get(), self, hlc.tick(), repository, manifest, self);
    return List.of(
        new StateWrite.DeleteTransfer(repository, manifest, TransferJob.Kind.MANIFEST),
        new StateWrite.PutReplica(repository, manifest, self),
        new StateWrite.AppendOutbox(codec.encode(ack)));
  }
}
