package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import dev.meridian.core.blob.BlobStore;
import dev.meridian.core.clock.Hlc;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.state.RegistryState;
import dev.meridian.core.state.TransferJob;
import dev.meridian.topology.Region;
import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Topology;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the durable transfer jobs of one region: scans them when {@link #wake() woken} (replay calls it after
 * writing jobs) and every {@code scanInterval}, and runs each due job on a pool of {@link #JOBS_PER_COPY} x
 * {@code maxConcurrent} threads, never the same job twice at once. The blobs the jobs lack are copied on a
 * {@link CopyPool} of {@code maxConcurrent} threads (the bound on peer connections and copy buffers): a job thread
 * mostly waits for its copies, so more jobs than copies keep the copies busy with distinct blobs while jobs sharing
 * a layer wait for it.
 *
 * <p>A job that fails with every source stays in the state store and is retried after its own backoff
 * ({@link JobBackoff}, in memory: a restarted worker retries at once). Jobs are never lost by stopping: an
 * interrupted transfer leaves its upload session on disk, and the next run resumes it.
 */
public final class TransferWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransferWorker.class);
  private static final int PAGE = 256;
  /** Job threads per copy thread: a manifest job waiting on layers another job copies must not leave a copy idle. */
  static final int JOBS_PER_COPY = 2;

  /** A job's identity: its key in the state store. */
  record JobKey(RepositoryName repository, Digest digest, TransferJob.Kind kind) {
    static JobKey of(TransferJob job) {
      return new JobKey(job.repository(), job.digest(), job.kind());
    }
  }

  private final RegistryState state;
  private final PeerClients peers;
  private final TransferJobRunner runner;
  private final BlobFetcher fetcher;
  private final BlobStore blobs;
  private final JobBackoff<JobKey> backoff;
  private final TransferConfig config;
  private final Clock clock;
  private final Semaphore permits;
  private final Set<JobKey> running = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scanQueued = new AtomicBoolean();
  private final ScheduledExecutorService scanner;
  private final ExecutorService pool;
  private final CopyPool copies;
  private final TransferPolicies policies;
  private final AtomicLong jobsDone = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private volatile String lastFailure;
  private volatile boolean stopped;
  private volatile boolean paused;

  public TransferWorker(RegionId self, Topology topology, PeerClients peers, RegistryState state, BlobStore blobs,
      Hlc hlc, TransferConfig config, Clock clock) {
    this(self, topology, peers, state, blobs, hlc, config, clock, TransferListener.NONE);
  }

  public TransferWorker(RegionId self, Topology topology, PeerClients peers, RegistryState state, BlobStore blobs,
      Hlc hlc, TransferConfig config, Clock clock, TransferListener listener) {
    this(self, LiveTopology.fixed(topology), peers, state, blobs, hlc, config, clock, listener);
  }

  /** Following the replicated topology: only regions replication is enabled for are asked for content. */
  public TransferWorker(RegionId self, LiveTopology topology, PeerClients peers, RegistryState state, BlobStore blobs,
      Hlc hlc, TransferConfig config, Clock clock, TransferListener listener) {
    this.state = requireNonNull(state, "state");
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.peers = requireNonNull(peers, "peers");
    this.policies = new TransferPolicies(config, () -> stopped);
    this.blobs = requireNonNull(blobs, "blobs");
    this.fetcher = new BlobFetcher(blobs, config.bufferSize(), config.directWrites(), config.maxConcurrent());
    this.copies = new CopyPool(config.maxConcurrent());
    this.runner = new TransferJobRunner(self, state, blobs, fetcher, peers,
        SourceSelector.of(self, topology), policies, hlc, () -> stopped, listener, clock,
        repository -> topology.current().admits(self, repository), copies);
    this.backoff = new JobBackoff<>(config.jobInitialBackoff(), config.jobMaxBackoff(),
        () -> ThreadLocalRandom.current().nextDouble());
    int jobs = JOBS_PER_COPY * config.maxConcurrent();
    this.permits = new Semaphore(jobs);
    this.scanner = Executors.newSingleThreadScheduledExecutor(threads("meridian-transfer-scan"));
    this.pool = Executors.newFixedThreadPool(jobs, threads("meridian-transfer"));
  }

  public void start() {
    long every = config.scanInterval().toMillis();
    scanner.scheduleWithFixedDelay(this::scan, 0, every, TimeUnit.MILLISECONDS);
    log.info("transfer worker started max_concurrent={} jobs={}", config.maxConcurrent(), state.transferCount());
  }

  /** Asks for a scan soon: new jobs were written, or a slot came free. Cheap; wakes coalesce. */
  public void wake() {
    if (stopped || !scanQueued.compareAndSet(false, true)) return;
    try {
      scanner.execute(this::scan);
    } catch (RejectedExecutionException e) {
      scanQueued.set(false); // stopping
    }
  }

  /** The fetcher the jobs use; others fetching into the same store share it, so one digest is fetched once at a time. */
  public BlobFetcher fetcher() {
    return fetcher;
  }

  /**
   * Pauses or resumes starting jobs (replication to this region disabled, or the region deleted): jobs stay
   * in the state store, running ones finish, and resuming scans at once.
   */
  public void pause(boolean pause) {
    paused = pause;
    if (!pause) wake();
  }

  public boolean paused() {
    return paused;
  }

  /** Jobs finished (done or dropped) since start: progress, for the stall detector. */
  public long jobsDone() {
    return jobsDone.get();
  }

  /** Bytes brought in by finished jobs since start. */
  public long bytesFetched() {
    return bytesFetched.get();
  }

  /** The reason of the latest failed job, if any failed since start. */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** The per-peer circuit breakers, for metrics to bind (resilience4j-micrometer). */
  public io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuitBreakers() {
    return policies.breakers();
  }

  /** How many jobs run now. */
  public int runningCount() {
    return running.size();
  }

  private void scan() {
    scanQueued.set(false);
    if (paused) return;
    try {
      Optional<TransferJob> after = Optional.empty();
      while (!stopped) {
        List<TransferJob> page = state.listTransfers(after, PAGE);
        Set<JobKey> finished = completeLocal(page);
        for (TransferJob job : page) {
          if (finished.contains(JobKey.of(job))) continue;
          if (!offer(job)) return;
        }
        if (page.size() < PAGE) return;
        after = Optional.of(page.get(page.size() - 1));
      }
    } catch (RuntimeException e) {
      // The scheduler would stop scanning for good after an exception: log and try at the next tick.
      log.warn("transfer.scan_failed reason={}", e.toString());
    }
  }

  /**
   * Finishes at once, in one batch, the due MANIFEST jobs of the page whose content is already stored here (their
   * manifest's bytes are, as a cheap first check): seeding a registry of many repositories over a few shared images
   * makes one job per repository and manifest, and all but the first of each digest need nothing fetched. One
   * synced batch per page instead of one per job, and no slot taken.
   */
  private Set<JobKey> completeLocal(List<TransferJob> page) {
    Instant now = clock.instant();
    List<TransferJob> candidates = page.stream().filter(job -> job.kind() == TransferJob.Kind.MANIFEST)
        .filter(job -> !running.contains(JobKey.of(job)) && backoff.isDue(JobKey.of(job), now))
        .filter(job -> blobs.stat(job.digest()).isPresent()).toList();
    if (candidates.isEmpty()) return Set.of();
    try {
      List<TransferJob> finished = runner.completeLocal(candidates);
      if (finished.isEmpty()) return Set.of();
      Set<JobKey> keys = new java.util.HashSet<>();
      for (TransferJob job : finished) {
        keys.add(JobKey.of(job));
        backoff.forget(JobKey.of(job));
      }
      jobsDone.addAndGet(finished.size());
      log.info("transfer.done_local jobs={} first_repo={} last_repo={}", finished.size(), finished.get(0).repository(),
          finished.get(finished.size() - 1).repository());
      return keys;
    } catch (RuntimeException e) {
      // Each job still runs on its own below, which reports its own failure.
      log.warn("transfer.local_completion_failed reason={}", e.toString());
      return Set.of();
    }
  }

  /** Starts the job if it is due and a slot is free; false when no slot is free (stop scanning). */
  private boolean offer(TransferJob job) {
    JobKey key = JobKey.of(job);
    if (running.contains(key) || !backoff.isDue(key, clock.instant())) return true;
    if (!permits.tryAcquire()) return false;
    running.add(key);
    try {
      pool.execute(() -> runAndRelease(job, key));
    } catch (RejectedExecutionException e) {
      running.remove(key);
      permits.release();
      return false;
    }
    return true;
  }

  private void runAndRelease(TransferJob job, JobKey key) {
    try {
      run(job, key);
    } finally {
      running.remove(key);
      permits.release();
      wake();
    }
  }

  private void run(TransferJob job, JobKey key) {
    int attempt = backoff.attempt(key);
    long started = System.nanoTime();
    try {
      TransferJobRunner.Outcome outcome = runner.run(job);
      backoff.forget(key);
      jobsDone.incrementAndGet();
      bytesFetched.addAndGet(outcome.bytes());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (outcome.dropped()) {
        log.info("transfer.dropped repo={} digest={} kind={} reason={}", job.repository(), job.digest(), kind(job), outcome.dropReason());
      } else {
        log.info("transfer.done repo={} digest={} kind={} size_bytes={} source={} duration_ms={} attempt={}",
            job.repository(), job.digest(), kind(job), outcome.bytes(), sources(outcome.sources()), ms, attempt);
      }
    } catch (RuntimeException e) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (stopped) {
        log.info("transfer.interrupted repo={} digest={} kind={} duration_ms={} attempt={}", job.repository(), job.digest(), kind(job), ms, attempt);
        return;
      }
      Instant due = e instanceof TransferFailedException f && f.noPeerAsked()
          ? backoff.defer(key, clock.instant().plus(config.breakerOpenDuration()))
          : backoff.recordFailure(key, clock.instant());
      long retryInMs = due.toEpochMilli() - clock.millis();
      lastFailure = "transfer of " + job.repository() + "@" + job.digest() + " failed: " + reason(e);
      log.warn("transfer.failed repo={} digest={} kind={} duration_ms={} attempt={} retry_in_ms={} reason={}",
          job.repository(), job.digest(), kind(job), ms, attempt, retryInMs, reason(e));
    }
  }

  private static String kind(TransferJob job) {
    return job.kind().name().toLowerCase(Locale.ROOT);
  }

  private static String sources(List<RegionId> sources) {
    return sources.isEmpty() ? "local" : sources.stream().map(RegionId::value).collect(Collectors.joining(","));
  }

  private static String reason(RuntimeException e) {
    return e instanceof TransferFailedException ? e.getMessage() : e.toString();
  }

  /** Stops scanning and interrupts running transfers; their upload sessions stay on disk to be resumed. */
  public void stop() {
    stopped = true;
    scanner.shutdownNow();
    pool.shutdownNow();
    copies.close();
    // An interrupt does not end a read blocked in a peer's response body: fail those reads, so that stopping
    // never waits for a slow or stalled peer (and the stores are not closed under a running transfer).
    peers.abortReads();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) log.warn("transfer worker: transfers still running after 30 s");
      if (!copies.shutdownNow(5, TimeUnit.SECONDS)) log.warn("transfer worker: copies still running after 35 s");
      scanner.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Daemon threads named {@code prefix-N}; the copy pool's too. */
  static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
