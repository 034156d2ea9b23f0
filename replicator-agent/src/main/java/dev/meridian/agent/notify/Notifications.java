package dev.meridian.agent.notify;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.state.NotificationQueues;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A region's notifications: the state decorator that queues them in the batches of the changes
 * ({@link NotifyingRegistryState}) and one {@link NotificationDispatcher} per destination that delivers them. With no
 * destination it queues nothing and runs no thread.
 */
public final class Notifications implements AutoCloseable {
  /** A destination and the sink that delivers to it. */
  public record Route(NotificationDestination destination, String target, NotificationSink sink) {}

  private final List<NotificationDispatcher> dispatchers = new ArrayList<>();
  private final ChangeNotifications changes;
  private final List<NotificationDestination> destinations = new ArrayList<>();
  private Optional<NotifyingRegistryState> state = Optional.empty();

  public Notifications(NotificationQueues queues, ChangeNotifications changes, List<Route> routes, RetryBackoff backoff,
      NotificationListener listener, java.time.Clock clock) {
    this.changes = changes;
    for (Route route : routes) {
      destinations.add(route.destination());
      dispatchers.add(new NotificationDispatcher(queues, route.destination().queue(), route.target(), route.sink(), backoff,
          listener, clock));
    }
  }

  /** {@code state} with every batch committed together with its notifications; {@code state} itself when none are sent. */
  public RegistryState decorate(RegistryState delegate) {
    if (destinations.isEmpty()) return delegate;
    NotifyingRegistryState notifying = new NotifyingRegistryState(delegate, changes, destinations, this::wake);
    state = Optional.of(notifying);
    return notifying;
  }

  /** The queue entries of a quarantine, to commit with its pending marks (none without destinations). */
  public List<StateWrite> quarantined(Digest digest, long size, List<String> pendingManifests) {
    return state.map(s -> s.quarantined(digest, size, pendingManifests)).orElse(List.of());
  }

  public Notifications start() {
    dispatchers.forEach(NotificationDispatcher::start);
    return this;
  }

  public void wake() {
    dispatchers.forEach(NotificationDispatcher::wake);
  }

  /** Each destination's queue and deliveries. */
  public List<NotificationStatus> status() {
    return dispatchers.stream().map(NotificationDispatcher::status).toList();
  }

  @Override
  public void close() {
    dispatchers.forEach(NotificationDispatcher::close);
  }
}
