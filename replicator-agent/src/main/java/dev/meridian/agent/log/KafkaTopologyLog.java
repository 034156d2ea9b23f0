package dev.meridian.agent.log;

import static java.util.Objects.requireNonNull;

import dev.meridian.topology.LiveTopology;
import dev.meridian.topology.Replica;
import dev.meridian.topology.ReplicatedTopology;
import dev.meridian.topology.Topology;
import dev.meridian.topology.TopologyChange;
import dev.meridian.topology.TopologyCodec;
import dev.meridian.topology.TopologyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the topology topic ({@link KafkaTopics#TOPOLOGY}) into a {@link LiveTopology} and writes changes to
 * it. Every reader reads the whole (compacted) topic from its start at each (re)connection, so it needs no
 * stored position; once it has read up to the end it saw when it started, the {@link LiveTopology} shows the
 * topic, and every later batch updates it.
 *
 * <p>With {@code seed} (an agent started with a fleet file), the regions of the file the topic lacks are
 * written once the topic has been read: the file is the seed, later changes come from the admin API. The
 * broker may be down: connecting is retried with backoff until {@link #close()}, and the last topology read
 * stays in force meanwhile.
 */
public final class KafkaTopologyLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaTopologyLog.class);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);

  private final LiveTopology live;
  private final boolean seed;
  private final short replicationFactor;
  private final NonBlockingProducer producer;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread thread;
  private final AtomicBoolean started = new AtomicBoolean();
  private final Object progress = new Object();
  private final Map<String, String> clientProperties;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile long nextOffset = -1;
  private volatile String lastError;
  /** The offset of the last seed record written, until the reader has read it back; -1 when nothing waits. */
  private volatile long seedWrittenAt = -1;

  /**
   * @param seed whether to write the regions of {@code live}'s seed that the topic lacks
   * @param replicationFactor of the topic, when this reader creates it
   */
  public KafkaTopologyLog(LiveTopology live, boolean seed, short replicationFactor) {
    this(live, seed, replicationFactor, Map.of());
  }

  /** With {@code clientProperties} (TLS, SASL) added to every Kafka client it makes. */
  public KafkaTopologyLog(LiveTopology live, boolean seed, short replicationFactor, Map<String, String> clientProperties) {
    this.clientProperties = KafkaClientProperties.validate(clientProperties);
    this.live = requireNonNull(live, "live");
    this.seed = seed;
    this.replicationFactor = replicationFactor;
    this.producer = new NonBlockingProducer(live.kafkaBootstrap(), "meridian-topology", Duration.ofSeconds(10), 1_000,
        this.clientProperties);
    this.thread = new Thread(this::run, "meridian-topology-follower");
    this.thread.setDaemon(true);
  }

  /** Starts reading the topic; a second call does nothing. */
  public KafkaTopologyLog start() {
    if (started.compareAndSet(false, true)) thread.start();
    return this;
  }

  /** Waits until the topic has been read to its end once; false on timeout. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the last attempt to read the topic failed, if it did and has not succeeded since. */
  public java.util.Optional<String> lastError() {
    return java.util.Optional.ofNullable(lastError);
  }

  /**
   * Writes one change and waits, up to {@code timeout}, until this reader has applied it, so that what the
   * caller reads next from the {@link LiveTopology} includes it. Throws {@link EventLogException} if the
   * topic does not take it or it is not read back in time.
   */
  public void write(TopologyChange change, Duration timeout) {
    TopologyCodec.Encoded record = TopologyCodec.encode(change);
    LogPosition position;
    try {
      position = producer.send(KafkaTopics.TOPOLOGY, record.key(), record.value().orElse(null), Map.of())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new EventLogException("the topology topic did not take the change: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new EventLogException("the topology topic did not acknowledge the change within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while writing the topology", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (nextOffset <= position.offset()) {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) throw new EventLogException("the topology change was written but not read back within " + timeout);
        try {
          progress.wait(leftMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EventLogException("interrupted while waiting for the topology change", e);
        }
      }
    }
    log.info("topology.written key={} position={}", record.key(), position);
  }

  private void run() {
    Duration backoff = Duration.ofMillis(200);
    while (closing.getCount() > 0) {
      try {
        follow();
        return;
      } catch (RuntimeException e) {
        if (closing.getCount() == 0) return;
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        log.warn("topology.follow.failed kafka={} retry_in_ms={} reason={}", live.kafkaBootstrap(), backoff.toMillis(), e.toString());
        try {
          if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) return;
        } catch (InterruptedException ie) {
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
      }
    }
  }

  private void follow() {
    try (KafkaTopics topics = new KafkaTopics(live.kafkaBootstrap(), clientProperties)) {
      topics.ensureTopologyTopic(replicationFactor, TOPIC_TIMEOUT);
    }
    TopicPartition partition = new TopicPartition(KafkaTopics.TOPOLOGY, 0);
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties(live.kafkaBootstrap(), clientProperties));
    consumer = c;
    try {
      if (closing.getCount() == 0) return;
      c.assign(List.of(partition));
      c.seekToBeginning(List.of(partition));
      long end = c.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
      ReplicatedTopology read = ReplicatedTopology.empty();
      boolean caughtUp = false;
      while (closing.getCount() > 0) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        c.poll(Duration.ofMillis(500)).forEach(batch::add);
        for (ConsumerRecord<String, byte[]> r : batch) read = apply(read, r);
        long position = c.position(partition);
        if (!caughtUp && position >= end) {
          caughtUp = true;
          lastError = null;
          live.replace(read);
          log.info("topology.loaded regions={} records_read={}", read.replicas().keySet(), position);
          loaded.countDown();
          if (seed) writeSeed(read);
        } else if (caughtUp && !batch.isEmpty()) {
          live.replace(read);
        }
        // Only once its own seed records are read back does the topic alone decide: dropping the shown seed as soon
        // as the writes were acknowledged would show the fleet without them for a moment (a region "deleted").
        long seedAt = seedWrittenAt;
        if (seedAt >= 0 && position > seedAt) {
          seedWrittenAt = -1;
          live.seedWritten();
        }
        synchronized (progress) {
          nextOffset = position;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      if (closing.getCount() > 0) throw e;
    } finally {
      consumer = null;
      c.close(CloseOptions.timeout(Duration.ofSeconds(2)));
    }
  }

  private static ReplicatedTopology apply(ReplicatedTopology read, ConsumerRecord<String, byte[]> r) {
    try {
      return read.apply(TopologyCodec.decode(r.key(), r.value()));
    } catch (TopologyException e) {
      log.warn("topology.record.skipped position={}/{}@{} reason=\"{}\"", r.topic(), r.partition(), r.offset(),
          String.join("; ", e.violations()));
      return read;
    }
  }

  /** Writes the seed's regions the topic lacks; the reader sees them come back like any other change. */
  private void writeSeed(ReplicatedTopology read) {
    ReplicatedTopology pending = live.pendingSeed();
    if (pending.replicas().isEmpty() && pending.settings().isEmpty()) return;
    Topology file = new Topology(live.kafkaBootstrap(), pending.settings().map(s -> s.topicPartitions()).orElse(Topology.DEFAULT_PARTITIONS),
        pending.settings().map(s -> s.topicReplicationFactor()).orElse(Topology.DEFAULT_REPLICATION_FACTOR),
        pending.ordered().stream().map(Replica::region).toList(),
        pending.settings().map(s -> s.costs()).orElse(List.of())); // the seed's costs, or the fleet record would drop them
    List<CompletableFuture<LogPosition>> sent = new ArrayList<>();
    for (TopologyChange change : read.seedChanges(file)) {
      TopologyCodec.Encoded record = TopologyCodec.encode(change);
      sent.add(producer.send(KafkaTopics.TOPOLOGY, record.key(), record.value().orElse(null), Map.of()));
      log.info("topology.seed key={}", record.key());
    }
    if (sent.isEmpty()) {
      live.seedWritten(); // the topic holds the whole seed already
      return;
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error == null) seedWrittenAt = sent.stream().mapToLong(f -> f.join().offset()).max().orElse(-1);
      else log.warn("topology.seed.failed reason={}", error.toString()); // the seed stays shown; next start retries
    });
  }

  private static Properties consumerProperties(String bootstrap, Map<String, String> clientProperties) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "meridian-topology-reader");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // read from the start every time: nothing to commit
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return KafkaClientProperties.apply(props, clientProperties);
  }

  @Override
  public void close() {
    closing.countDown();
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) c.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close();
  }
}
