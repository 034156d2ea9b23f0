package dev.meridian.core.replication;

import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.state.ForwardingRegistryState;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox (DESIGN.md §5): every batch of this region's own register writes is committed together with
 * the events describing it, so an acknowledged write can never be committed without its event, nor an
 * event shipped for a write that did not commit. The relay is told after each commit that appended.
 */
public final class OutboxingRegistryState extends ForwardingRegistryState {
  private final LocalChangeEvents changes;
  private final EventCodec codec;
  private final Runnable onAppended;

  public OutboxingRegistryState(RegistryState delegate, LocalChangeEvents changes, EventCodec codec, Runnable onAppended) {
    super(delegate);
    this.changes = changes;
    this.codec = codec;
    this.onAppended = onAppended;
  }

  @Override
  public void apply(StateBatch batch) {
    List<ReplicationEvent> events = changes.of(batch);
    if (events.isEmpty()) {
      delegate.apply(batch);
      return;
    }
    List<StateWrite> writes = new ArrayList<>(batch.writes());
    for (ReplicationEvent event : events) writes.add(new StateWrite.AppendOutbox(codec.encode(event)));
    delegate.apply(new StateBatch(writes, batch.sync()));
    onAppended.run();
  }
}
