package dev.meridian.agent.log;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic from positions the caller supplies and hands the polled records to a
 * {@link RecordBatchHandler} on its own thread, until {@link #close()}.
 *
 * <p>Two threads: a poller fetches while an applier runs the handler, and the applier takes everything polled
 * since its last batch as its next one. So a record that arrives while the handler commits is fetched at once and
 * applied in the very next batch (one commit for all that arrived meanwhile), where a single thread fetched only
 * after each commit and got only what had arrived by the fetch, leaving the rest for a commit later.
 *
 * <p>It assigns itself every partition of the topic (manual assignment, no group rebalances): one agent
 * per region reads the whole log, and the offsets it has applied live in RocksDB next to the state they
 * produced (DESIGN.md §6), not in Kafka. So it never commits offsets; the group id only names the
 * region's reader to operators. At start each partition is sought to its supplied position (the next
 * offset to read); a partition without one, or whose position retention has already deleted, starts at
 * its earliest record. Partitions added to the topic later are not picked up until a restart.
 *
 * <p>If the handler throws, the batch and whatever was polled after it are dropped, their partitions are sought
 * back to their first dropped records, and they are delivered again after a pause: nothing is skipped, so the
 * handler must be idempotent.
 */
public final class KafkaEventSubscriber implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventSubscriber.class);

  /** Where to read, as whom, and how long one poll may wait. */
  public record Settings(
      String bootstrapServers, String topic, String groupId, Duration pollTimeout, Duration retryPause,
      Map<String, String> clientProperties) {
    public Settings {
      requireNonNull(bootstrapServers, "bootstrapServers");
      requireNonNull(topic, "topic");
      requireNonNull(groupId, "groupId");
      requireNonNull(pollTimeout, "pollTimeout");
      requireNonNull(retryPause, "retryPause");
      clientProperties = KafkaClientProperties.validate(clientProperties);
    }

    public Settings(String bootstrapServers, String topic, String groupId, Duration pollTimeout, Duration retryPause) {
      this(bootstrapServers, topic, groupId, pollTimeout, retryPause, Map.of());
    }

    public static Settings of(String bootstrapServers, String topic, String groupId) {
      return new Settings(bootstrapServers, topic, groupId, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    /** The same with {@code properties} (TLS, SASL) added to the consumer's configuration. */
    public Settings withClientProperties(Map<String, String> properties) {
      return new Settings(bootstrapServers, topic, groupId, pollTimeout, retryPause, properties);
    }
  }

  /** A poll of more records than this is not taken in one go; the poller waits while this many are queued. */
  static final int MAX_BATCH_RECORDS = 2000;
  /**
   * The bytes of records (values and headers: inline manifests) a batch holds at most, and the bytes queued past
   * which the poller waits: held until committed, 2000 records with inline manifests would be ~86 MB.
   */
  static final long MAX_BATCH_BYTES = 16L * 1024 * 1024;

  private final Settings settings;
  private final KafkaConsumer<String, byte[]> consumer;
  private final RecordBatchHandler<?> handler;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread poller;
  private final Thread applier;
  private volatile boolean running = true;
  private volatile long recordsBehind = -1;
  /** Guards the polls handed from the poller to the applier, and a rewind asked of the poller. */
  private final Object handoff = new Object();
  private final PendingPolls pending = new PendingPolls(); // guarded by handoff
  private final long maxBatchBytes;
  private int applyingRecords; // guarded by handoff: the batch the handler holds, not committed yet
  /** Partition to the offset to read again from, after a failed batch; done by the poller. Guarded by handoff. */
  private Map<Integer, Long> rewindTo;

  private KafkaEventSubscriber(Settings settings, KafkaConsumer<String, byte[]> consumer, RecordBatchHandler<?> handler,
      long maxBatchBytes) {
    this.maxBatchBytes = maxBatchBytes;
    this.settings = settings;
    this.consumer = consumer;
    this.handler = handler;
    this.poller = new Thread(this::pollLoop, "meridian-subscriber-" + settings.topic());
    this.applier = new Thread(this::applyLoop, "meridian-replay-" + settings.topic());
  }

  /**
   * Assigns every partition of the topic, seeks to {@code startPositions} (partition to next offset), and
   * starts polling. Throws {@link EventLogException} if the topic cannot be found.
   */
  public static KafkaEventSubscriber start(
      Settings settings, Map<Integer, Long> startPositions, RecordBatchHandler<?> handler) {
    return start(settings, startPositions, handler, MAX_BATCH_BYTES);
  }

  /** The same with batches of at most {@code maxBatchBytes} (tests: a small bound cuts polls of a few records). */
  static KafkaEventSubscriber start(
      Settings settings, Map<Integer, Long> startPositions, RecordBatchHandler<?> handler, long maxBatchBytes) {
    requireNonNull(handler, "handler");
    if (maxBatchBytes < 1) throw new IllegalArgumentException("maxBatchBytes < 1");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(settings));
    try {
      List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) throw new EventLogException("topic " + settings.topic() + " not found");
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      var fromStart = new ArrayList<TopicPartition>();
      for (TopicPartition tp : partitions) {
        Long next = startPositions.get(tp.partition());
        if (next == null) fromStart.add(tp); else consumer.seek(tp, next);
      }
      // Never with an empty list: Kafka reads that as every assigned partition, and a region with a stored position
      // for each partition would read the whole log again at every start.
      if (!fromStart.isEmpty()) consumer.seekToBeginning(fromStart);
      log.info("subscriber started topic={} group={} partitions={} stored_positions={}",
          settings.topic(), settings.groupId(), partitions.size(), startPositions);
    } catch (KafkaException | EventLogException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
      throw e instanceof EventLogException ele ? ele
          : new EventLogException("cannot subscribe to " + settings.topic() + ": " + e.getMessage(), e);
    }
    var subscriber = new KafkaEventSubscriber(settings, consumer, handler, maxBatchBytes);
    subscriber.applier.start();
    subscriber.poller.start();
    return subscriber;
  }

  public boolean isRunning() {
    return poller.isAlive() && applier.isAlive();
  }

  /**
   * The poller: fetches while the applier applies, so records that arrive during a commit are read at once and
   * go to the handler together in its next batch, instead of waiting a commit for each fetch. The consumer is
   * touched by this thread only.
   */
  private void pollLoop() {
    try {
      while (running) {
        synchronized (handoff) {
          while (running && rewindTo == null && (pending.records() >= MAX_BATCH_RECORDS || pending.bytes() >= maxBatchBytes)) {
            handoff.wait(100);
          }
          if (rewindTo != null) {
            rewindTo.forEach((partition, offset) -> consumer.seek(new TopicPartition(settings.topic(), partition), offset));
            rewindTo = null;
          }
        }
        if (!running) break;
        ConsumerRecords<String, byte[]> polled = consumer.poll(settings.pollTimeout());
        List<LogRecord> batch = new ArrayList<>(polled.count());
        polled.forEach(r -> batch.add(toLogRecord(r)));
        List<?> prepared = batch.isEmpty() ? null : prepare(batch);
        int queued;
        synchronized (handoff) {
          if (rewindTo != null) {
            // A batch failed while this poll was out: its records are read again after the rewind, in order.
            for (LogRecord r : batch) rewindTo.merge(r.partition(), r.offset(), Math::min);
            continue;
          }
          if (!batch.isEmpty()) {
            pending.add(batch, prepared);
            handoff.notifyAll();
          }
          queued = pending.records() + applyingRecords;
        }
        measureLag(queued);
      }
    } catch (WakeupException e) {
      if (running) log.error("subscriber woken up unexpectedly topic={}", settings.topic(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("subscriber stopped by an error topic={}", settings.topic(), e);
    } finally {
      stopApplier();
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * The applier: hands the handler everything polled since its last batch (up to {@link #MAX_BATCH_RECORDS}
   * records and {@code maxBatchBytes}, in poll order, so in log order per partition; a poll that does not fit is
   * cut: {@link PendingPolls}), so one commit covers what arrived during the last.
   * If the handler throws, the batch and everything queued after it are dropped, the poller seeks each partition
   * back to its first dropped record, and after a pause they are delivered again: nothing is skipped.
   */
  private void applyLoop() {
    try {
      while (running) {
        PendingPolls.Batch batch;
        synchronized (handoff) {
          while (running && pending.isEmpty()) handoff.wait();
          if (!running) return;
          batch = pending.take(MAX_BATCH_RECORDS, maxBatchBytes);
          // Still behind until committed: a region must not look caught up meanwhile.
          applyingRecords = batch.records().size();
          handoff.notifyAll();
        }
        try {
          deliver(handler, batch);
        } catch (RuntimeException e) {
          log.error("batch handler failed topic={} records={} retry_in_ms={}",
              settings.topic(), batch.records().size(), settings.retryPause().toMillis(), e);
          rewind(batch.records());
          stopping.await(settings.retryPause().toMillis(), TimeUnit.MILLISECONDS);
        } finally {
          synchronized (handoff) {
            applyingRecords = 0;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (running) { // stopped by something other than close (an Error): the poller stops too
        running = false;
        consumer.wakeup();
      }
    }
  }

  /** What the handler prepared for the poll's records, or null for nothing (it failed, or made nothing). */
  private List<?> prepare(List<LogRecord> poll) {
    try {
      List<?> prepared = handler.prepare(poll);
      if (prepared == null || prepared.size() == poll.size()) return prepared;
      log.warn("batch preparation ignored topic={} records={} prepared={}",
          settings.topic(), poll.size(), prepared.size());
    } catch (RuntimeException e) {
      log.warn("batch preparation failed topic={} records={} reason={}", settings.topic(), poll.size(), e.toString());
    }
    return null;
  }

  /** The prepared entries came from this handler's own {@link RecordBatchHandler#prepare}, so they are its P. */
  @SuppressWarnings("unchecked")
  private static <P> void deliver(RecordBatchHandler<P> handler, PendingPolls.Batch batch) {
    handler.handle(batch.records(), (List<P>) batch.prepared());
  }

  private void stopApplier() {
    running = false;
    synchronized (handoff) {
      handoff.notifyAll();
    }
  }

  /**
   * Records not yet applied (not fetched, queued, or in the batch the handler holds), summed over the assigned
   * partitions, from what the last fetches said (no broker round trip); empty until every partition's end is known.
   */
  public OptionalLong recordsBehind() {
    long lag = recordsBehind;
    return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
  }

  /** Records polled and not yet taken by the handler. */
  int queuedRecords() {
    synchronized (handoff) {
      return pending.records();
    }
  }

  private void measureLag(int queued) {
    long sum = queued;
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong lag = consumer.currentLag(partition);
      if (lag.isEmpty()) {
        recordsBehind = -1;
        return;
      }
      sum += lag.getAsLong();
    }
    recordsBehind = sum;
  }

  /**
   * Drops {@code batch} and every poll queued after it, and has the poller seek each of their partitions back to
   * its first dropped record, so they are read again in order.
   */
  private void rewind(List<LogRecord> batch) {
    synchronized (handoff) {
      Map<Integer, Long> first = rewindTo == null ? new HashMap<>() : rewindTo;
      for (LogRecord r : batch) first.merge(r.partition(), r.offset(), Math::min);
      pending.firstOffsets(first);
      pending.clear();
      rewindTo = first;
      handoff.notifyAll();
    }
  }

  private static LogRecord toLogRecord(ConsumerRecord<String, byte[]> r) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return new LogRecord(r.topic(), r.partition(), r.offset(), Optional.ofNullable(r.key()),
        r.value() == null ? new byte[0] : r.value(), headers, r.timestamp());
  }

  static Properties consumerProperties(Settings s) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, s.groupId());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, s.groupId() + "-" + s.topic());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // applied offsets live in RocksDB
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a position retention deleted
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    // Replay commits each poll as one synced batch: a larger poll spreads that fsync over more events when
    // catching up, and changes nothing when following (a poll returns what is there).
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    // What the consumer fetches ahead is held too: no more than one batch's bytes per fetch (the default is 50 MiB).
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(MAX_BATCH_BYTES));
    return KafkaClientProperties.apply(props, s.clientProperties());
  }

  /** Stops polling (waking a poll in progress) and applying, waits for both, and closes the consumer. */
  @Override
  public void close() {
    if (!running) return;
    running = false;
    stopping.countDown();
    consumer.wakeup();
    synchronized (handoff) {
      handoff.notifyAll();
    }
    for (Thread t : List.of(applier, poller)) {
      if (Thread.currentThread() == t) continue; // closed from inside the handler: that loop ends by itself
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
