package dev.meridian.agent.transfer;

import dev.meridian.core.state.PrefetchedBlob;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobInfo;
import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import dev.meridian.core.event.EventCodec;
import dev.meridian.core.event.UniqueIds;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.replication.ContentClosure;
import dev.meridian.core.replication.MissingContent;
import dev.meridian.core.replication.ReplicaAcks;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.StateBatch;
import dev.meridian.core.state.StateWrite;
import dev.meridian.core.state.TransferJob;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one transfer job to its end, or throws {@link TransferFailedException}.
 *
 * <p>A {@link TransferJob.Kind#MANIFEST} job asks the {@link ContentClosure} what is missing, fetches it, and asks
 * again (a fetched index reveals its children, a fetched child its blobs) until nothing is missing; then one batch
 * removes the job (the manifest becomes servable), records this region as a replica, and appends the
 * {@code replica.ack} to the outbox. A manifest whose register was deleted meanwhile is not fetched: its job is
 * dropped. A {@link TransferJob.Kind#BLOB} job fetches one blob and is removed.
 *
 * <p>Each item is asked of the sources {@link SourceSelector} orders, one after the other; a source that served
 * corrupt content is not asked again during this run.
 */
final class TransferJobRunner {
  private static final Logger log = LoggerFactory.getLogger(TransferJobRunner.class);
  /** Fetch rounds of one manifest job: an index of indexes is a few levels deep, never this many. */
  private static final int MAX_ROUNDS = 16;

  private final RegistryState state;
  private final BlobStore blobs;
  private final ContentClosure closure;
  private final BlobFetcher fetcher;
  private final PeerClients peers;
  private final SourceSelector selector;
  private final TransferPolicies policies;
  private final ReplicaAcks acks;
  private final BooleanSupplier stopping;
  private final TransferListener listener;
  private final Clock clock;
  private final Predicate<RepositoryName> admitted;
  private final CopyPool copies;

  TransferJobRunner(RegionId self, RegistryState state, BlobStore blobs, BlobFetcher fetcher, PeerClients peers,
      SourceSelector selector, TransferPolicies policies, Hlc hlc, BooleanSupplier stopping, TransferListener listener,
      Clock clock, Predicate<RepositoryName> admitted, CopyPool copies) {
    this.copies = requireNonNull(copies, "copies");
    this.admitted = requireNonNull(admitted, "admitted");
    this.listener = requireNonNull(listener, "listener");
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(self, "self");
    this.state = requireNonNull(state, "state");
    this.blobs = requireNonNull(blobs, "blobs");
    this.closure = new ContentClosure(blobs);
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.peers = requireNonNull(peers, "peers");
    this.selector = requireNonNull(selector, "selector");
    this.policies = requireNonNull(policies, "policies");
    this.acks = new ReplicaAcks(self, requireNonNull(hlc, "hlc"), new UniqueIds(), new EventCodec());
    this.stopping = requireNonNull(stopping, "stopping");
  }

  /** What a finished job did: the bytes it brought in and the regions they came from. */
  record Outcome(boolean dropped, long bytes, List<RegionId> sources, String dropReason) {
    Outcome(boolean dropped, long bytes, List<RegionId> sources) {
      this(dropped, bytes, sources, dropped ? "manifest_deleted" : "");
    }
  }

  Outcome run(TransferJob job) {
    // A scan may list a job just before another run of it finishes: run only what is still to do, so a
    // manifest is acknowledged once.
    if (state.findTransfer(job.repository(), job.digest(), job.kind()).isEmpty()) return new Outcome(true, 0, List.of());
    // Replay plans no job for a repository this region does not admit; one left from before the filter changed
    // is dropped, not fetched.
    if (!admitted.test(job.repository())) {
      state.apply(StateBatch.of(new StateWrite.DeleteTransfer(job.repository(), job.digest(), job.kind())));
      return new Outcome(true, 0, List.of(), "excluded_by_topology_filter");
    }
    return switch (job.kind()) {
      case MANIFEST -> runManifest(job);
      case BLOB -> runBlob(job);
    };
  }

  /**
   * Completes, in one synced batch, the MANIFEST jobs among {@code jobs} that need nothing fetched: their content
   * is already stored here (typically fetched by another repository's job of the same digest, as when a new region
   * seeds a large registry over a few shared images), or their register is gone. Returns the jobs it finished; the
   * others are left to {@link #run}. The closure of each digest is asked once per call: content only grows while
   * a present manifest references it.
   */
  List<TransferJob> completeLocal(List<TransferJob> jobs) {
    StateBatch.Builder batch = StateBatch.builder();
    List<TransferJob> finished = new ArrayList<>();
    List<ManifestRecord> completed = new ArrayList<>();
    java.util.Map<Digest, Boolean> complete = new java.util.HashMap<>();
    for (TransferJob job : jobs) {
      if (job.kind() != TransferJob.Kind.MANIFEST || !admitted.test(job.repository())) continue;
      if (state.findTransfer(job.repository(), job.digest(), job.kind()).isEmpty()) continue;
      Optional<ManifestRecord> record = state.findManifest(job.repository(), job.digest());
      if (record.isEmpty() || !record.get().present()) {
        batch.add(new StateWrite.DeleteTransfer(job.repository(), job.digest(), job.kind()));
        finished.add(job);
        continue;
      }
      ManifestRecord manifest = record.get();
      if (!complete.computeIfAbsent(manifest.digest(), d -> closure.isComplete(d, manifest.mediaType()))) continue;
      acks.completed(job.repository(), job.digest()).forEach(batch::add);
      finished.add(job);
      completed.add(manifest);
    }
    if (finished.isEmpty()) return List.of();
    state.apply(batch.build());
    completed.forEach(m -> listener.manifestCompleted(m.stamp()));
    return finished;
  }

  private Outcome runManifest(TransferJob job) {
    Optional<ManifestRecord> record = state.findManifest(job.repository(), job.digest());
    if (record.isEmpty() || !record.get().present()) {
      state.apply(StateBatch.of(new StateWrite.DeleteTransfer(job.repository(), job.digest(), job.kind())));
      return new Outcome(true, 0, List.of());
    }
    ManifestRecord manifest = record.get();
    Run run = new Run(job);
    for (int round = 1; ; round++) {
      List<MissingContent> missing = closure.missing(manifest.digest(), manifest.mediaType(), manifest.size());
      if (missing.isEmpty()) break;
      if (round > MAX_ROUNDS) throw new TransferFailedException("content still missing after " + MAX_ROUNDS + " rounds: " + missing);
      fetchAll(run, missing);
    }
    complete(job);
    listener.manifestCompleted(manifest.stamp());
    return run.outcome();
  }

  /**
   * Fetches every item at once through the {@link CopyPool}, which copies distinct digests side by side (up to its
   * size) and lets jobs needing the same one (a shared base layer, the manifest of many repositories) wait for one
   * copy of it. The run is the job's turn in the pool's queue: other jobs' copies start between this one's. Throws the failure of a copy this job started; a copy it joined that failed leaves the item missing
   * for the next round.
   */
  private void fetchAll(Run run, List<MissingContent> missing) {
    List<CopyPool.Request> requests = new ArrayList<>();
    for (MissingContent item : missing) requests.add(new CopyPool.Request(item.digest(), item.size(), () -> run.fetch(item)));
    awaitAll(copies.copyAll(run, requests));
  }

  /** Waits for every ticket; then throws the first failure among the copies this job started. */
  private void awaitAll(List<CopyPool.Ticket> tickets) {
    RuntimeException failure = null;
    for (CopyPool.Ticket ticket : tickets) {
      try {
        ticket.done().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferFailedException("stopping");
      } catch (java.util.concurrent.ExecutionException e) {
        if (!ticket.mine() || failure != null) continue;
        failure = e.getCause() instanceof RuntimeException r ? r : new TransferFailedException(String.valueOf(e.getCause()));
      }
    }
    if (failure != null) throw failure;
  }

  /**
   * A prefetch: the blob is copied ahead of any manifest, and remembered as prefetched so that the
   * {@link PrefetchSweeper} reclaims it if no manifest claims it within the grace period.
   */
  private Outcome runBlob(TransferJob job) {
    Run run = new Run(job);
    StateBatch.Builder done = StateBatch.builder()
        .add(new StateWrite.DeleteTransfer(job.repository(), job.digest(), job.kind()));
    if (blobs.stat(job.digest()).isEmpty()) {
      MissingContent item = new MissingContent(job.digest(), false, job.size());
      // Through the pool like a manifest's blobs (the same bound on copies); a joined copy that failed is retried as ours.
      for (int tries = 0; blobs.stat(job.digest()).isEmpty(); tries++) {
        if (tries == MAX_ROUNDS) throw new TransferFailedException("blob still missing after " + MAX_ROUNDS + " copies: " + job.digest());
        awaitAll(List.of(copies.copy(run, new CopyPool.Request(job.digest(), job.size(), () -> run.fetch(item)))));
      }
      done.add(new StateWrite.PutPrefetched(new PrefetchedBlob(job.repository(), job.digest(), clock.instant())));
    }
    state.apply(done.build());
    return run.outcome();
  }

  /** The batch that makes the manifest servable and tells the fleet this region holds it. */
  private void complete(TransferJob job) {
    state.apply(new StateBatch(acks.completed(job.repository(), job.digest())));
  }

  /** The fetching state of one run of one job; its blobs are copied on the pool's threads at once, hence thread-safe. */
  private final class Run {
    private final TransferJob job;
    private final Set<RegionId> distrusted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<RegionId> used = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();

    Run(TransferJob job) {
      this.job = job;
    }

    void fetch(MissingContent item) {
      if (stopping.getAsBoolean()) throw new TransferFailedException("stopping");
      RepositoryName repository = job.repository();
      Set<RegionId> replicas = state.findReplicas(repository, job.digest());
      List<RegionId> sources = selector.order(job.origin(), replicas, r -> distrusted.contains(r) || policies.isOpen(r));
      List<String> reasons = new ArrayList<>();
      for (RegionId source : sources) {
        Optional<PeerClient> peer = peers.forRegion(source);
        if (peer.isEmpty()) continue;
        long started = System.nanoTime();
        try {
          BlobInfo info = policies.call(source, () -> item.manifest()
              ? fetcher.fetchManifest(peer.get(), repository, item.digest())
              : fetcher.fetchBlob(peer.get(), repository, item.digest(), item.size()));
          bytes.addAndGet(info.size());
          used.add(source);
          listener.fetched(source, TransferListener.Outcome.SUCCESS, info.size(), Duration.ofNanos(System.nanoTime() - started));
          return;
        } catch (PeerUnavailableException | CallNotPermittedException e) {
          listener.fetched(source, TransferListener.Outcome.UNAVAILABLE, 0, Duration.ofNanos(System.nanoTime() - started));
          reasons.add(source + ": " + e.getMessage());
        } catch (RegistryException e) {
          listener.fetched(source, TransferListener.Outcome.REJECTED, 0, Duration.ofNanos(System.nanoTime() - started));
          if (TransferPolicies.countsAgainstPeer(e)) distrusted.add(source);
          if (e.code() != OciErrorCode.BLOB_UNKNOWN && e.code() != OciErrorCode.MANIFEST_UNKNOWN) {
            log.warn("transfer.source_rejected repo={} digest={} source={} reason={}", repository, item.digest(), source, e.getMessage());
          }
          reasons.add(source + ": " + e.code() + " " + e.getMessage());
        }
        if (stopping.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new TransferFailedException("stopping");
      }
      if (sources.isEmpty()) reasons.add("no source available (every peer's circuit breaker is open, or no peer)");
      throw new TransferFailedException("no source served " + item.digest() + ": " + String.join("; ", reasons), sources.isEmpty());
    }

    Outcome outcome() {
      synchronized (used) {
        return new Outcome(false, bytes.get(), List.copyOf(used));
      }
    }
  }
}
