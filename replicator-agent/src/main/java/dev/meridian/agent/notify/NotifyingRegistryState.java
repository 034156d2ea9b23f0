package dev.meridian.agent.notify;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.state.ForwardingRegistryState;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable side of webhooks and the notifications topic (DESIGN.md §11): every batch is committed together with
 * the notifications it gives rise to ({@link ChangeNotifications}), one queue entry per destination that takes the
 * type, so a change can never be committed without its notification, nor a notification sent for a change that did
 * not commit. The dispatchers are told after each commit that queued something.
 */
public final class NotifyingRegistryState extends ForwardingRegistryState {
  private final ChangeNotifications changes;
  private final List<NotificationDestination> destinations;
  private final NotificationCodec codec = new NotificationCodec();
  private final Runnable onQueued;

  public NotifyingRegistryState(RegistryState delegate, ChangeNotifications changes, List<NotificationDestination> destinations,
      Runnable onQueued) {
    super(delegate);
    this.changes = changes;
    this.destinations = List.copyOf(destinations);
    this.onQueued = onQueued;
  }

  @Override
  public void apply(StateBatch batch) {
    List<StateWrite> queued = destinations.isEmpty() ? List.of() : writes(changes.of(batch, delegate));
    if (queued.isEmpty()) {
      delegate.apply(batch);
      if (batch.writes().stream().anyMatch(w -> w instanceof StateWrite.AppendNotification)) onQueued.run();
      return;
    }
    List<StateWrite> writes = new ArrayList<>(batch.writes());
    writes.addAll(queued);
    delegate.apply(new StateBatch(writes, batch.sync()));
    onQueued.run();
  }

  /** The queue entries of {@code notifications}: one per destination taking its type. */
  public List<StateWrite> writes(List<Notification> notifications) {
    List<StateWrite> writes = new ArrayList<>();
    for (Notification n : notifications) {
      byte[] payload = null;
      for (NotificationDestination d : destinations) {
        if (!d.takes(n.type())) continue;
        if (payload == null) payload = codec.encode(n);
        writes.add(new StateWrite.AppendNotification(d.queue(), payload));
      }
    }
    return writes;
  }

  /** The queue entries telling that the scrubber quarantined a blob, to commit with the pending marks it causes. */
  public List<StateWrite> quarantined(Digest digest, long size, List<String> pendingManifests) {
    return writes(List.of(changes.quarantined(digest, size, pendingManifests)));
  }
}
