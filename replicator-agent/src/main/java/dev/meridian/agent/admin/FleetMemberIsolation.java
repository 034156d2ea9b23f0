package dev.meridian.agent.admin;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.replication.ReplicationRuntime;
import dev.meridian.core.event.BlobPut;
import dev.meridian.core.event.BlobUnlink;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventDecodeException;
import dev.meridian.core.event.ManifestDelete;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.event.TagDelete;
import dev.meridian.core.event.TagPut;
import dev.meridian.core.state.OutboxEntry;
import dev.meridian.core.state.RegistryState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RegionIsolation} of a fleet member: the replication runtime does the cutting, and the outbox says what
 * has not left. Acknowledgements ({@code replica.ack}) are not client writes and are left out of
 * {@link #unshipped}.
 */
public final class FleetMemberIsolation implements RegionIsolation {
  private final ReplicationRuntime runtime;
  private final RegistryState state;
  private final EventCodec codec = new EventCodec();

  public FleetMemberIsolation(ReplicationRuntime runtime, RegistryState state) {
    this.runtime = requireNonNull(runtime, "runtime");
    this.state = requireNonNull(state, "state");
  }

  @Override
  public void isolate() {
    runtime.isolate();
  }

  @Override
  public void reconnect() {
    runtime.reconnect();
  }

  @Override
  public boolean isolated() {
    return runtime.isolated();
  }

  @Override
  public long outboxBacklog() {
    return state.outboxSize();
  }

  @Override
  public List<UnshippedWrite> unshipped(int limit) {
    List<UnshippedWrite> writes = new ArrayList<>();
    for (OutboxEntry entry : state.readOutbox(limit)) {
      try {
        write(codec.decode(entry.payload())).ifPresent(writes::add);
      } catch (EventDecodeException e) {
        // The relay logs it; an unreadable entry names no image.
      }
    }
    return List.copyOf(writes);
  }

  private static Optional<UnshippedWrite> write(ReplicationEvent event) {
    String type = event.type().wireName();
    String repository = event.repository().value();
    String hlc = event.hlc().toString();
    // Java 17: no pattern matching in switch yet.
    if (event instanceof TagPut t) return Optional.of(new UnshippedWrite(type, repository, Optional.of(t.tag().value()), Optional.of(t.digest().toString()), hlc));
    if (event instanceof TagDelete t) return Optional.of(new UnshippedWrite(type, repository, Optional.of(t.tag().value()), Optional.empty(), hlc));
    if (event instanceof ManifestPut m) return Optional.of(new UnshippedWrite(type, repository, Optional.empty(), Optional.of(m.digest().toString()), hlc));
    if (event instanceof ManifestDelete m) return Optional.of(new UnshippedWrite(type, repository, Optional.empty(), Optional.of(m.digest().toString()), hlc));
    if (event instanceof BlobPut b) return Optional.of(new UnshippedWrite(type, repository, Optional.empty(), Optional.of(b.digest().toString()), hlc));
    if (event instanceof BlobUnlink b) return Optional.of(new UnshippedWrite(type, repository, Optional.empty(), Optional.of(b.digest().toString()), hlc));
    return Optional.empty(); // replica.ack
  }
}
