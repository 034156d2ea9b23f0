package dev.meridian.agent.transfer;

import dev.meridian.core.replication.ContentGuard;

import static java.util.Objects.requireNonNull;

import dev.meridian.agent.registry.ReadThrough;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.clock.Stamp;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.UniqueIds;
import dev.meridian.agent.transfer.TransferListener.ReadThroughCaller;
import dev.meridian.agent.transfer.TransferListener.ReadThroughOutcome;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.Reference;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.BlobLinkRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TagRecord;
import dev.meridian.core.state.TransferJob;
import dev.meridian.topology.Region;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-through from peers (DESIGN.md §6): a pull of a manifest or blob this region does not serve yet fetches it
 * from a peer that does, with the transfer path's own pieces ({@link BlobFetcher}, shared with the transfer
 * worker; {@code ContentClosure}; {@link ReplicaAcks}), and waits at most {@code timeout}. A fetch still running
 * then goes on in the background; concurrent pulls of the same content share one fetch.
 *
 * <p>What it may learn and what it never overrides:
 * <ul>
 *   <li>Content this region has a register for follows that register: a pending manifest is completed exactly
 *       as its transfer job would (origin first), a deleted manifest, tag or blob link stays deleted.
 *   <li>Content it has never heard of is asked of the peers (a tag is resolved with {@code HEAD}). What a peer
 *       serves is written here with the lowest possible stamp ({@link HlcTimestamp#ZERO}, the peer as origin):
 *       it emits no event, and the first real write replayed from the log wins over it, so read-through can
 *       never change what the fleet converges to.
 * </ul>
 * A manifest becomes servable only once its whole content is here, in the same batch as its {@code replica.ack}.
 * A repository this region's topology filter does not admit is never fetched: its pulls answer as if nothing
 * were known.
 */
public final class PeerReadThrough implements ReadThrough, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerReadThrough.class);
  private static final int THREADS = 4;
  /** References one call fetches at most (a manifest PUT's); beyond, nothing is fetched. */
  static final int MAX_REFERENCES = 64;
  /** Callers waiting at once, of all kinds; half the front door's blocking threads. */
  static final int MAX_WAITING = 16;
  /** Fetches queued per pool at most: fetches outlive the callers that gave up on them, so the queue is bounded. */
  static final int MAX_QUEUED = 2 * MAX_REFERENCES;

  private final RegistryState state;
  private final PeerClients peers;
  private final SourceSelector selector;
  private final ContentCompletion completion;
  private final ReplicaAcks acks;
  private final Duration timeout;
  private final Runnable outboxAppended;
  /**
   * Fetches for pulls, and for manifest PUTs on a pool of their own, so that a PUT of many large layers does not
   * queue ahead of pulls of other content (a pull of the very content a PUT fetches joins that fetch).
   */
  private final ExecutorService pulls;
  private final ExecutorService puts;
  private final Map<String, CompletableFuture<Boolean>> running = new ConcurrentHashMap<>();
  private final Semaphore waiting = new Semaphore(MAX_WAITING);
  /** Told how each wait ended (metrics). */
  private final TransferListener listener;
  private final RegionId self;
  private final ContentGuard guard;
  /** Repositories this region holds by its topology filter: no other is ever fetched here. */
  private final Predicate<RepositoryName> admitted;

  public PeerReadThrough(RegionId self, Topology fleet, RegistryState state, ContentCompletion completion,
      PeerClients peers, Hlc hlc, Duration timeout, Runnable outboxAppended) {
    this(self, fleet, state, completion, peers, hlc, timeout, outboxAppended, new ContentGuard());
  }

  /** With the guard the prefetch sweeper shares: a manifest learned here claims its content until committed. */
  public PeerReadThrough(RegionId self, Topology fleet, RegistryState state, ContentCompletion completion,
      PeerClients peers, Hlc hlc, Duration timeout, Runnable outboxAppended, ContentGuard guard) {
    this(self, LiveTopology.fixed(fleet), state, completion, peers, hlc, timeout, outboxAppended, guard, TransferListener.NONE);
  }

  /** Following the replicated topology: only regions replication is enabled for are asked. */
  public PeerReadThrough(RegionId self, LiveTopology fleet, RegistryState state, ContentCompletion completion,
      PeerClients peers, Hlc hlc, Duration timeout, Runnable outboxAppended, ContentGuard guard, TransferListener listener) {
    this.listener = requireNonNull(listener, "listener");
    this.guard = requireNonNull(guard, "guard");
    this.self = requireNonNull(self, "self");
    this.state = requireNonNull(state, "state");
    this.peers = requireNonNull(peers, "peers");
    this.selector = SourceSelector.of(self, fleet);
    // Read at each pull: a filter changed through the replicated topology applies at once.
    this.admitted = repository -> fleet.current().admits(self, repository);
    this.completion = requireNonNull(completion, "completion");
    this.acks = new ReplicaAcks(self, hlc, new UniqueIds(), new EventCodec());
    this.timeout = requireNonNull(timeout, "timeout");
    this.outboxAppended = requireNonNull(outboxAppended, "outboxAppended");
    this.pulls = fetchPool("meridian-read-through-");
    this.puts = fetchPool("meridian-read-through-put-");
  }

  /** {@value #THREADS} threads and at most {@value #MAX_QUEUED} fetches waiting for one; beyond, a fetch is refused. */
  private static ExecutorService fetchPool(String name) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
      Thread thread = new Thread(r, name + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public boolean manifest(RepositoryName repository, Reference reference) {
    if (!admitted.test(repository)) return answered(ReadThroughCaller.PULL, ReadThroughOutcome.ABSENT);
    return waitFor("manifest " + repository + " " + reference, List.of(manifestFetch(repository, reference)), ReadThroughCaller.PULL);
  }

  @Override
  public boolean blob(RepositoryName repository, Digest digest) {
    if (!admitted.test(repository)) return answered(ReadThroughCaller.PULL, ReadThroughOutcome.ABSENT);
    return waitFor("blob " + repository + " " + digest, List.of(blobFetch(repository, digest, 0)), ReadThroughCaller.PULL);
  }

  /**
   * All at once on the pool for PUTs, with one wait for all of them; more than {@link #MAX_REFERENCES} are not
   * fetched at all (a manifest PUT that would need that many is refused as without read-through).
   */
  @Override
  public boolean references(RepositoryName repository, List<Descriptor> references) {
    if (!admitted.test(repository)) return answered(ReadThroughCaller.PUT, ReadThroughOutcome.ABSENT);
    if (references.size() > MAX_REFERENCES) return answered(ReadThroughCaller.PUT, ReadThroughOutcome.REFUSED);
    List<Fetch> fetches = references.stream().map(d -> d.mediaType().isManifest()
        ? manifestFetch(repository, new Reference.DigestReference(d.digest()))
        : blobFetch(repository, d.digest(), d.size())).toList();
    return waitFor(references.size() + " references in " + repository, fetches, ReadThroughCaller.PUT);
  }

  /** One piece of content to fetch; concurrent callers asking for the same {@code key} share one run of {@code work}. */
  private record Fetch(String key, Supplier<Boolean> work) {}

  private Fetch manifestFetch(RepositoryName repository, Reference reference) {
    return new Fetch("manifest " + repository + " " + reference, () -> reference instanceof Reference.TagReference byTag
        ? manifestByTag(repository, byTag.tag())
        : manifestByDigest(repository, ((Reference.DigestReference) reference).digest(), Optional.empty()));
  }

  /** A claimed size is part of the key: a pull must not share (and fail with) a fetch refused for a false size. */
  private Fetch blobFetch(RepositoryName repository, Digest digest, long claimedSize) {
    String key = "blob " + repository + " " + digest + (claimedSize > 0 ? " claimed_size=" + claimedSize : "");
    return new Fetch(key, () -> fetchBlob(repository, digest, claimedSize));
  }

  /**
   * Starts (or joins) every fetch and waits at most {@code timeout} for all of them, answering false as soon as one
   * fails. A fetch still running then goes on in the background. At most {@link #MAX_WAITING} callers wait at once:
   * each holds one of the front door's blocking threads, and a peer that stalls must not take them all; beyond that a
   * caller is answered at once, as if read-through were off.
   */
  private boolean waitFor(String what, List<Fetch> fetches, ReadThroughCaller caller) {
    if (fetches.isEmpty()) return true;
    if (!waiting.tryAcquire()) {
      log.warn("read_through.refused what=\"{}\" reason=too_many_waiting max_waiting={}", what, MAX_WAITING);
      return answered(caller, ReadThroughOutcome.REFUSED);
    }
    long started = System.nanoTime();
    ExecutorService pool = caller == ReadThroughCaller.PUT ? puts : pulls;
    ReadThroughOutcome outcome = ReadThroughOutcome.ABSENT;
    try {
      List<CompletableFuture<Boolean>> underWay = fetches.stream().map(fetch -> start(fetch, pool)).toList();
      boolean served = allServed(underWay).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      outcome = served ? ReadThroughOutcome.SERVED
          : underWay.contains(QUEUE_FULL) ? ReadThroughOutcome.REFUSED : ReadThroughOutcome.ABSENT;
      log.info("read_through.{} what=\"{}\" duration_ms={}", served ? "done" : "absent", what, ms(started));
      return served;
    } catch (TimeoutException e) {
      outcome = ReadThroughOutcome.TIMED_OUT;
      log.warn("read_through.timeout what=\"{}\" timeout_ms={}", what, timeout.toMillis());
      return false;
    } catch (ExecutionException e) {
      return false; // allServed never fails: a failed fetch answers false
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      waiting.release();
      listener.readThrough(caller, outcome, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Reports a wait that ended before it began, and answers false. */
  private boolean answered(ReadThroughCaller caller, ReadThroughOutcome outcome) {
    listener.readThrough(caller, outcome, Duration.ZERO);
    return false;
  }

  /** Callers waiting now (for tests of the bound). */
  int waitingCallers() {
    return MAX_WAITING - waiting.availablePermits();
  }

  /**
   * The fetch under way for this key, or a new one on {@code pool}. The fetch leaves the map before it completes its
   * future: a caller woken by the answer that asks again at once must start a new fetch, not get the old answer (a
   * future's callbacks run newest first, so a removal registered as one would run after the caller's own). A full
   * pool answers false at once ({@link #QUEUE_FULL}) and remembers nothing.
   */
  private CompletableFuture<Boolean> start(Fetch fetch, ExecutorService pool) {
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> underWay = running.putIfAbsent(fetch.key(), mine);
    if (underWay != null) return underWay;
    long started = System.nanoTime();
    try {
      pool.execute(() -> {
        try {
          boolean served = fetch.work().get();
          running.remove(fetch.key(), mine);
          mine.complete(served);
        } catch (RuntimeException | Error e) {
          running.remove(fetch.key(), mine);
          log.warn("read_through.failed what=\"{}\" duration_ms={} reason={}", fetch.key(), ms(started), e.toString());
          mine.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException full) {
      log.warn("read_through.refused what=\"{}\" reason=queue_full max_queued={}", fetch.key(), MAX_QUEUED);
      running.remove(fetch.key(), mine);
      mine.complete(false); // anyone who joined it meanwhile
      return QUEUE_FULL;
    }
    return mine;
  }

  /** What a fetch refused by a full queue answers its starter: false, and recognisably not tried. */
  private static final CompletableFuture<Boolean> QUEUE_FULL = CompletableFuture.completedFuture(false);

  /** True once every fetch served its content; false as soon as one did not (or failed). */
  static CompletableFuture<Boolean> allServed(List<CompletableFuture<Boolean>> fetches) {
    CompletableFuture<Boolean> verdict = new CompletableFuture<>();
    AtomicInteger left = new AtomicInteger(fetches.size());
    if (fetches.isEmpty()) verdict.complete(true);
    for (CompletableFuture<Boolean> fetch : fetches) {
      fetch.whenComplete((served, failure) -> {
        if (failure != null || !Boolean.TRUE.equals(served)) {
          verdict.complete(false);
        } else if (left.decrementAndGet() == 0) {
          verdict.complete(true);
        }
      });
    }
    return verdict;
  }

  private boolean manifestByTag(RepositoryName repository, Tag tag) {
    Optional<TagRecord> known = state.findTag(repository, tag);
    if (known.isPresent()) {
      // Heard of here: a tombstone stays one; a put is completed like its job would be.
      Optional<Digest> winner = known.get().digest();
      return winner.isPresent() && manifestByDigest(repository, winner.get(), Optional.empty());
    }
    for (RegionId source : selector.order(self, Set.of(), r -> false)) {
      Optional<Digest> digest;
      try {
        digest = peer(source).flatMap(p -> p.resolveTag(repository, tag));
      } catch (PeerUnavailableException | RegistryException e) {
        continue;
      }
      if (digest.isEmpty() || !manifestByDigest(repository, digest.get(), Optional.of(source))) continue;
      state.apply(StateBatch.of(new StateWrite.PutTag(
          new TagRecord(repository, tag, digest, lowest(source)))));
      return true;
    }
    return false;
  }

  private boolean manifestByDigest(RepositoryName repository, Digest digest, Optional<RegionId> hint) {
    var record = state.findManifest(repository, digest);
    if (record.isPresent() && !record.get().present()) return false;
    if (record.isPresent()) {
      Optional<TransferJob> job = state.findTransfer(repository, digest, TransferJob.Kind.MANIFEST);
      if (job.isEmpty()) return true; // served already (completed meanwhile)
      completion.complete(repository, record.get(), sources(job.get().origin(), repository, digest));
      commit(repository, digest, List.of());
      return true;
    }
    RegionId first = hint.orElse(self);
    Optional<ContentCompletion.Fetched> fetched = completion.fetchUnknownManifest(repository, digest, sources(first, repository, digest));
    if (fetched.isEmpty()) return false;
    ContentCompletion.Fetched manifest = fetched.get();
    // No register names this manifest yet, so no sweeper scan sees its content: claim it until committed.
    List<Digest> claims = new ArrayList<>();
    claims.add(digest);
    manifest.manifest().references().forEach(d -> claims.add(d.digest()));
    guard.claiming(claims, () -> {
      completion.complete(repository, manifest.record(lowest(manifest.source())), sources(manifest.source(), repository, digest));
      commit(repository, digest, List.of(
          new StateWrite.PutManifest(manifest.record(lowest(manifest.source()))),
          new StateWrite.PutBlobLink(new BlobLinkRecord(repository, digest, true, lowest(manifest.source())))));
      return null;
    });
    return true;
  }

  /**
   * {@code claimedSize} as a PUT's descriptor gives it, 0 when unknown: a large blob then gets the large-blob path,
   * and a peer serving another size is refused; it never restarts a session (see
   * {@link BlobFetcher#fetchBlobOfClaimedSize}).
   */
  private boolean fetchBlob(RepositoryName repository, Digest digest, long claimedSize) {
    Optional<BlobLinkRecord> link = state.findBlobLink(repository, digest);
    if (link.isPresent() && !link.get().linked()) return false;
    RegionId origin = state.findTransfer(repository, digest, TransferJob.Kind.BLOB).map(TransferJob::origin)
        .or(() -> link.map(l -> l.stamp().origin())).orElse(self);
    Optional<RegionId> source = completion.fetchBlob(repository, digest, claimedSize, sources(origin, repository, digest), link.isEmpty());
    if (source.isEmpty()) return false;
    if (link.isEmpty()) {
      state.apply(StateBatch.of(new StateWrite.PutBlobLink(
          new BlobLinkRecord(repository, digest, true, lowest(source.get())))));
    }
    return true;
  }

  /** The registers learned, if any, with the batch that makes the manifest servable and acknowledges it. */
  private void commit(RepositoryName repository, Digest digest, List<StateWrite> learned) {
    List<StateWrite> writes = new ArrayList<>(learned);
    writes.addAll(acks.completed(repository, digest));
    state.apply(new StateBatch(writes));
    outboxAppended.run();
  }

  private List<PeerClient> sources(RegionId origin, RepositoryName repository, Digest digest) {
    return selector.order(origin, state.findReplicas(repository, digest), r -> false).stream()
        .map(this::peer).flatMap(Optional::stream).toList();
  }

  private Optional<PeerClient> peer(RegionId region) {
    return peers.forRegion(region);
  }

  /** A stamp every real write beats. */
  private static Stamp lowest(RegionId source) {
    return new Stamp(HlcTimestamp.ZERO, source);
  }

  private static long ms(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** Stops the fetches (interrupted) and answers every caller still waiting: nothing is served any more. */
  @Override
  public void close() {
    puts.shutdownNow();
    pulls.shutdownNow();
    peers.abortReads(); // a read from a socket of its own does not end on an interrupt
    try {
      boolean putsDone = puts.awaitTermination(5, TimeUnit.SECONDS);
      boolean pullsDone = pulls.awaitTermination(5, TimeUnit.SECONDS);
      if (!putsDone || !pullsDone) log.warn("read_through.close reason=\"fetches still running after 5 s\"");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running.values().forEach(fetch -> fetch.complete(false)); // queued ones never ran
  }
}
