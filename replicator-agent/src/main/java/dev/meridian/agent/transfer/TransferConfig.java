package dev.meridian.agent.transfer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How transfers behave: concurrency, retries, circuit breakers and timeouts. {@link #defaults()} suits a
 * region on a real network; tests shrink the pauses.
 *
 * @param maxConcurrent jobs running at once (the bulkhead: bounds threads, sockets and buffers)
 * @param retryAttempts attempts of one fetch from one peer before the next peer is tried
 * @param retryInitialBackoff pause after the first failed attempt; doubles, with jitter, up to {@code retryMaxBackoff}
 * @param jobInitialBackoff pause before a job that failed with every peer is tried again; doubles up to {@code jobMaxBackoff}
 * @param breakerFailureRate percentage of failed calls to a peer that opens its circuit breaker
 * @param breakerMinimumCalls calls to a peer before its failure rate counts
 * @param breakerWindowSize calls the failure rate is computed over
 * @param breakerOpenDuration how long a sick peer is skipped before one probe call is let through
 * @param connectTimeout TCP connect timeout to a peer
 * @param readTimeout the longest wait for response headers, and for each next byte of a body
 * @param scanInterval how often the job list is scanned without a {@code wake()}
 * @param bufferSize bytes copied per read: the only per-transfer buffer, whatever the blob's size
 * @param readThroughTimeout how long a pull of content this region lacks waits for it to be fetched from a peer
 *     before answering 404 (the fetch goes on in the background)
 * @param directWrites whether copied blobs are written past the page cache where the file system can
 *     ({@code O_DIRECT}): they are hashed in the agent's buffer and synced anyway, and nobody reads them back soon
 */
public record TransferConfig(
    int maxConcurrent,
    int retryAttempts,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration jobInitialBackoff,
    Duration jobMaxBackoff,
    float breakerFailureRate,
    int breakerMinimumCalls,
    int breakerWindowSize,
    Duration breakerOpenDuration,
    Duration connectTimeout,
    Duration readTimeout,
    Duration scanInterval,
    int bufferSize,
    Duration readThroughTimeout,
    boolean directWrites) {

  public TransferConfig {
    List<String> problems = new ArrayList<>();
    if (maxConcurrent < 1) problems.add("maxConcurrent must be >= 1");
    if (retryAttempts < 1) problems.add("retryAttempts must be >= 1");
    positive(problems, "retryInitialBackoff", retryInitialBackoff);
    positive(problems, "retryMaxBackoff", retryMaxBackoff);
    positive(problems, "jobInitialBackoff", jobInitialBackoff);
    positive(problems, "jobMaxBackoff", jobMaxBackoff);
    if (!(breakerFailureRate > 0 && breakerFailureRate <= 100)) problems.add("breakerFailureRate must be in (0, 100]");
    if (breakerMinimumCalls < 1) problems.add("breakerMinimumCalls must be >= 1");
    if (breakerWindowSize < breakerMinimumCalls) problems.add("breakerWindowSize must be >= breakerMinimumCalls");
    positive(problems, "breakerOpenDuration", breakerOpenDuration);
    positive(problems, "connectTimeout", connectTimeout);
    positive(problems, "readTimeout", readTimeout);
    positive(problems, "scanInterval", scanInterval);
    positive(problems, "readThroughTimeout", readThroughTimeout);
    if (bufferSize < 1024 || bufferSize > 16 * 1024 * 1024) problems.add("bufferSize must be in [1 KiB, 16 MiB]");
    if (!problems.isEmpty()) throw new IllegalArgumentException("invalid transfer config: " + String.join("; ", problems));
  }

  /** The same, writing copied blobs past the page cache or not. */
  public TransferConfig withDirectWrites(boolean value) {
    return new TransferConfig(maxConcurrent, retryAttempts, retryInitialBackoff, retryMaxBackoff, jobInitialBackoff,
        jobMaxBackoff, breakerFailureRate, breakerMinimumCalls, breakerWindowSize, breakerOpenDuration,
        connectTimeout, readTimeout, scanInterval, bufferSize, readThroughTimeout, value);
  }

  public static TransferConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void positive(List<String> problems, String name, Duration value) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) problems.add(name + " must be positive");
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private int maxConcurrent = 4;
    private int retryAttempts = 4;
    private Duration retryInitialBackoff = Duration.ofMillis(500);
    private Duration retryMaxBackoff = Duration.ofSeconds(10);
    private Duration jobInitialBackoff = Duration.ofSeconds(5);
    private Duration jobMaxBackoff = Duration.ofMinutes(5);
    private float breakerFailureRate = 50;
    private int breakerMinimumCalls = 5;
    private int breakerWindowSize = 10;
    private Duration breakerOpenDuration = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration scanInterval = Duration.ofSeconds(5);
    private int bufferSize = 1024 * 1024; // 64 KiB reads cost a hand-off each between the HTTP client's threads
    private Duration readThroughTimeout = Duration.ofSeconds(10);
    private boolean directWrites = true;

    public Builder directWrites(boolean value) {
      directWrites = value;
      return this;
    }

    public Builder readThroughTimeout(Duration value) {
      readThroughTimeout = value;
      return this;
    }

    public Builder maxConcurrent(int value) {
      maxConcurrent = value;
      return this;
    }

    public Builder retryAttempts(int value) {
      retryAttempts = value;
      return this;
    }

    public Builder retryBackoff(Duration initial, Duration max) {
      retryInitialBackoff = initial;
      retryMaxBackoff = max;
      return this;
    }

    public Builder jobBackoff(Duration initial, Duration max) {
      jobInitialBackoff = initial;
      jobMaxBackoff = max;
      return this;
    }

    public Builder breaker(float failureRate, int minimumCalls, int windowSize, Duration openDuration) {
      breakerFailureRate = failureRate;
      breakerMinimumCalls = minimumCalls;
      breakerWindowSize = windowSize;
      breakerOpenDuration = openDuration;
      return this;
    }

    public Builder timeouts(Duration connect, Duration read) {
      connectTimeout = connect;
      readTimeout = read;
      return this;
    }

    public Builder scanInterval(Duration value) {
      scanInterval = value;
      return this;
    }

    public Builder bufferSize(int value) {
      bufferSize = value;
      return this;
    }

    public TransferConfig build() {
      return new TransferConfig(maxConcurrent, retryAttempts, retryInitialBackoff, retryMaxBackoff, jobInitialBackoff,
          jobMaxBackoff, breakerFailureRate, breakerMinimumCalls, breakerWindowSize, breakerOpenDuration,
          connectTimeout, readTimeout, scanInterval, bufferSize, readThroughTimeout, directWrites);
    }
  }
}
