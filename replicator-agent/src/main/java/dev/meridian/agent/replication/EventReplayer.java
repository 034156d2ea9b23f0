package dev.meridian.agent.replication;

import dev.meridian.core.digest.Digest;
import dev.meridian.core.replication.ContentGuard;

import dev.meridian.agent.log.LogRecord;
import dev.meridian.agent.log.RecordBatchHandler;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.EventDecodeException;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.event.ManifestPut;
import dev.meridian.core.event.ReplicationEvent;
import dev.meridian.core.replication.BufferedRegistryState;
import dev.meridian.core.replication.ReplayPlanner;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.LogPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay (DESIGN.md §6): applies each record of the log to this region. A record's state writes and the
 * next offset of its partition commit in one batch, so a restart resumes exactly after the last record
 * applied, never re-applying half of one. A record that is not an event this version understands goes to
 * the dead-letter topic with the reason, and replay goes on.
 *
 * <p>Only records a fleet member wrote are applied: each must carry a valid {@link EventSigner#HEADER} made
 * with the fleet key over its key and value. A record without one (written straight to Kafka, or by an agent
 * from before events were signed) or with a wrong one goes to the dead-letter topic unread, its HLC not even
 * observed, so write access to Kafka alone cannot change any region.
 */
public final class EventReplayer implements RecordBatchHandler<EventReplayer.Decoded> {
  private static final Logger log = LoggerFactory.getLogger(EventReplayer.class);

  private final RegistryState state;
  private final Function<RegistryState, ReplayPlanner> planners;
  private final Hlc hlc;
  private final BiFunction<LogRecord, String, CompletableFuture<?>> deadLetters;
  private final Runnable onTransfersPlanned;
  private final Runnable onOutboxAppended;
  private final ReplayListener listener;
  private final ContentGuard guard;
  private final EventCodec codec = new EventCodec(); // thread-safe: prepare() runs on the polling thread
  private final EventSigner signer;
  private final BiConsumer<List<LogRecord>, List<ReplicationEvent>> beforePlanning;
  private volatile long applied;
  private volatile long deadLettered;

  /**
   * @param planners makes the planner of one poll over the view it is given: the poll's records are planned
   *     one by one against the state plus what earlier records of the poll wrote
   */
  public EventReplayer(RegistryState state, Function<RegistryState, ReplayPlanner> planners, Hlc hlc, EventSigner signer,
      BiFunction<LogRecord, String, CompletableFuture<?>> deadLetters, Runnable onTransfersPlanned, Runnable onOutboxAppended) {
    this(state, planners, hlc, signer, deadLetters, onTransfersPlanned, onOutboxAppended, ReplayListener.NONE, new ContentGuard());
  }

  public EventReplayer(RegistryState state, Function<RegistryState, ReplayPlanner> planners, Hlc hlc, EventSigner signer,
      BiFunction<LogRecord, String, CompletableFuture<?>> deadLetters, Runnable onTransfersPlanned, Runnable onOutboxAppended,
      ReplayListener listener, ContentGuard guard) {
    this(state, planners, hlc, signer, deadLetters, onTransfersPlanned, onOutboxAppended, listener, guard, (records, events) -> {});
  }

  /**
   * @param beforePlanning gets a poll's records and their events (null for a dead letter) before any is planned,
   *     inside the poll's content claim: stores what records carry besides the event ({@link InlineManifests#storeAll})
   */
  public EventReplayer(RegistryState state, Function<RegistryState, ReplayPlanner> planners, Hlc hlc, EventSigner signer,
      BiFunction<LogRecord, String, CompletableFuture<?>> deadLetters, Runnable onTransfersPlanned, Runnable onOutboxAppended,
      ReplayListener listener, ContentGuard guard, BiConsumer<List<LogRecord>, List<ReplicationEvent>> beforePlanning) {
    this.beforePlanning = beforePlanning;
    this.signer = java.util.Objects.requireNonNull(signer, "signer");
    this.listener = listener;
    this.guard = guard;
    this.state = state;
    this.planners = planners;
    this.hlc = hlc;
    this.deadLetters = deadLetters;
    this.onTransfersPlanned = onTransfersPlanned;
    this.onOutboxAppended = onOutboxAppended;
  }

  /**
   * Applies one poll: every record is planned against the state plus the writes of the records before it
   * ({@link BufferedRegistryState}), and the whole poll is committed with each partition's next offset as one
   * synced batch. A crash before the commit replays the poll from the last committed
   * offsets; planning is idempotent, so that is harmless.
   */
  @Override
  public void handle(List<LogRecord> batch) {
    handle(batch, null);
  }

  /**
   * The same with what {@link #prepare} made of the records (null, or null entries, for records it did not see):
   * only what it could not do ahead is done here, in log order: dead letters sent, clocks observed.
   */
  @Override
  public void handle(List<LogRecord> batch, List<Decoded> prepared) {
    List<ReplicationEvent> events = new ArrayList<>(batch.size());
    List<Digest> claims = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      LogRecord record = batch.get(i);
      Decoded decoded = prepared == null ? null : prepared.get(i);
      ReplicationEvent event = admit(record, decoded != null ? decoded : decode(record));
      events.add(event);
      claims.addAll(claims(event));
    }
    BufferedRegistryState view = new BufferedRegistryState(state);
    ReplayPlanner planner = planners.apply(view);
    List<List<StateWrite>> planned = new ArrayList<>(batch.size());
    // A manifest.put may find its content here and become servable at once: from that finding to the
    // commit, no sweeper may delete what it relies on.
    guard.claiming(claims, () -> {
      beforePlanning.accept(batch, events);
      // The poll commits as one batch, so only each partition's last offset needs writing: the next one after it.
      Map<LogPosition, Long> nextOffsets = new LinkedHashMap<>();
      LogPosition position = null; // a poll's records come partition by partition: one position per run of them
      for (int i = 0; i < batch.size(); i++) {
        LogRecord record = batch.get(i);
        List<StateWrite> writes = events.get(i) == null ? List.of() : planner.plan(events.get(i));
        planned.add(writes);
        view.apply(new StateBatch(writes));
        if (position == null || position.partition() != record.partition() || !position.topic().equals(record.topic())) {
          position = new LogPosition(record.topic(), record.partition());
        }
        nextOffsets.merge(position, record.offset() + 1, Math::max);
      }
      List<StateWrite> offsets = new ArrayList<>(nextOffsets.size());
      nextOffsets.forEach((at, next) -> offsets.add(new StateWrite.PutConsumerOffset(at, next)));
      view.apply(new StateBatch(offsets));
      state.apply(view.drain(true));
      return null;
    });
    boolean transfers = false;
    boolean outbox = false;
    for (int i = 0; i < batch.size(); i++) {
      ReplicationEvent event = events.get(i);
      List<StateWrite> writes = planned.get(i);
      boolean completeOnArrival = false;
      for (StateWrite w : writes) {
        transfers |= w instanceof StateWrite.PutTransfer;
        outbox |= w instanceof StateWrite.AppendOutbox;
        // Only ReplicaAcks.completed writes a PutReplica for a manifest.put: its content was all here already.
        completeOnArrival |= event instanceof ManifestPut && w instanceof StateWrite.PutReplica r && r.region().equals(planner.self());
      }
      applied++;
      if (event != null && !writes.isEmpty()) listener.applied(event.type());
      if (completeOnArrival) listener.manifestCompleted(event.stamp());
    }
    if (transfers) onTransfersPlanned.run();
    if (outbox) onOutboxAppended.run();
  }

  /**
   * On the polling thread, while {@link #handle} commits the previous batch: checks each record's signature and
   * decodes it (a third of replay's time on one thread, in a profile of a catch-up), and runs the before-planning
   * step ({@link InlineManifests#storeAll}) for the records that carry a valid signature and a manifest, outside
   * {@link #handle}'s content claim, so the manifests' syncs overlap the previous batch's commit. Harmless if a
   * collector removed such a manifest before the commit: planning checks presence inside the claim and plans a
   * transfer for what is missing. Dead letters and clocks wait for {@link #handle}, which does them in log order.
   */
  @Override
  public List<Decoded> prepare(List<LogRecord> poll) {
    List<Decoded> decoded = new ArrayList<>(poll.size());
    List<LogRecord> carrying = new ArrayList<>();
    List<ReplicationEvent> carried = new ArrayList<>();
    for (LogRecord record : poll) {
      Decoded d = decode(record);
      decoded.add(d);
      if (d.event() != null && record.headers().containsKey(InlineManifests.HEADER)) {
        carrying.add(record);
        carried.add(d.event());
      }
    }
    if (!carrying.isEmpty()) beforePlanning.accept(carrying, carried);
    return decoded;
  }

  /** What a record is: the event a fleet member wrote, or why it is not one (it goes to the dead-letter topic). */
  public record Decoded(ReplicationEvent event, String rejection) {
    public Decoded {
      if ((event == null) == (rejection == null)) throw new IllegalArgumentException("an event or a rejection");
    }
  }

  /** What a commit of this event relies on being present: a manifest.put's bytes and references. */
  private static List<Digest> claims(ReplicationEvent event) {
    if (!(event instanceof ManifestPut put)) return List.of();
    List<Digest> claims = new ArrayList<>();
    claims.add(put.digest());
    put.references().forEach(d -> claims.add(d.digest()));
    return claims;
  }

  /** Checks the record's signature and decodes it: no side effect, so on any thread. */
  private Decoded decode(LogRecord record) {
    Optional<String> forged = signer.reject(record.key().orElse(null), record.value(),
        Optional.ofNullable(record.headers().get(EventSigner.HEADER)));
    if (forged.isPresent()) return new Decoded(null, forged.get());
    try {
      return new Decoded(codec.decode(record.value()), null);
    } catch (EventDecodeException e) {
      return new Decoded(null, e.getMessage());
    }
  }

  /** The record's event, its clock observed; or null after sending a record that is none to the dead-letter topic. */
  private ReplicationEvent admit(LogRecord record, Decoded decoded) {
    if (decoded.rejection() != null) {
      deadLetter(record, decoded.rejection());
      return null;
    }
    hlc.observe(decoded.event().hlc());
    return decoded.event();
  }

  private void deadLetter(LogRecord record, String reason) {
    // Durable in the dead-letter topic before the offset moves past it; if that fails the batch is
    // delivered again.
    deadLetters.apply(record, reason).join();
    deadLettered++;
    listener.deadLettered();
    log.warn("replay.dead_letter topic={} partition={} offset={} reason={}",
        record.topic(), record.partition(), record.offset(), reason);
  }

  /** Records applied since start, dead letters included. */
  public long applied() {
    return applied;
  }

  public long deadLettered() {
    return deadLettered;
  }
}
