package dev.meridian.agent.log;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Meridian's topics when missing and waits until they can take writes.
 *
 * <p>Waiting matters: right after {@code createTopics()} an idempotent producer can lose its first batch
 * even with {@code acks=all} (KAFKA-15591, STACK.md pitfall 1). So {@link #ensure} returns only once
 * {@code Admin.listOffsets} answers for every partition, which it does only when each has a leader.
 */
public final class KafkaTopics implements AutoCloseable {
  public static final String EVENTS = "meridian.events";
  public static final String DEAD_LETTERS = "meridian.events.dlq";
  /** Notifications of every region (push, delete, replicated, quarantined) for pipelines: created on first use. */
  public static final String NOTIFICATIONS = "meridian.notifications";
  /** The replicated topology: one compacted partition, one record per region ({@code TopologyCodec}). */
  public static final String TOPOLOGY = "meridian.topology";
  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);
  private static final long RETRY_PAUSE_MS = 50;

  private final Admin admin;

  public KafkaTopics(String bootstrapServers) {
    this(bootstrapServers, Map.of());
  }

  /** With {@code clientProperties} (TLS, SASL) added to the admin client's configuration. */
  public KafkaTopics(String bootstrapServers, Map<String, String> clientProperties) {
    this.admin = Admin.create(adminProperties(bootstrapServers, clientProperties));
  }

  static Properties adminProperties(String bootstrapServers, Map<String, String> clientProperties) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "meridian-topics");
    return KafkaClientProperties.apply(props, clientProperties);
  }

  /** Ensures {@link #EVENTS} and {@link #DEAD_LETTERS} exist and are ready. */
  public void ensureEventTopics(int partitions, short replicationFactor, Duration timeout) {
    ensure(EVENTS, partitions, replicationFactor, timeout);
    ensure(DEAD_LETTERS, partitions, replicationFactor, timeout);
  }

  /**
   * Creates {@code topic} unless it exists (an existing topic keeps its partition count), then waits until
   * every partition answers; throws {@link EventLogException} when that takes longer than {@code timeout}.
   */
  public void ensure(String topic, int partitions, short replicationFactor, Duration timeout) {
    ensure(new NewTopic(topic, partitions, replicationFactor), timeout);
  }

  /** Ensures {@link #TOPOLOGY} exists (compacted: the latest record of each region is kept forever) and is ready. */
  public void ensureTopologyTopic(short replicationFactor, Duration timeout) {
    ensure(new NewTopic(TOPOLOGY, 1, replicationFactor).configs(Map.of("cleanup.policy", "compact")), timeout);
  }

  private void ensure(NewTopic newTopic, Duration timeout) {
    String topic = newTopic.name();
    int partitions = newTopic.numPartitions();
    short replicationFactor = newTopic.replicationFactor();
    if (partitions < 1) throw new IllegalArgumentException("partitions < 1: " + partitions);
    if (replicationFactor < 1) throw new IllegalArgumentException("replication factor < 1: " + replicationFactor);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin.createTopics(List.of(newTopic))
          .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("topic created topic={} partitions={} replication_factor={}", topic, partitions, replicationFactor);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new EventLogException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new EventLogException("creating topic " + topic + " timed out after " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while creating topic " + topic, e);
    }
    awaitReady(topic, deadline);
  }

  /** The number of partitions of an existing topic. */
  public int partitionCount(String topic, Duration timeout) {
    return describe(topic, timeout.toMillis()).partitions().size();
  }

  /**
   * Deletes every record the topic holds now (Kafka's {@code deleteRecords} up to each partition's end), as
   * retention eventually does; returns each partition's earliest offset after it. Offsets keep growing: the next
   * record of a partition gets the offset it would have had.
   */
  public Map<Integer, Long> deleteRecordsUpToEnd(String topic, Duration timeout) {
    long timeoutMs = timeout.toMillis();
    try {
      Map<TopicPartition, OffsetSpec> latest = describe(topic, timeoutMs).partitions().stream()
          .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      Map<TopicPartition, RecordsToDelete> upTo = admin.listOffsets(latest).all().get(timeoutMs, TimeUnit.MILLISECONDS)
          .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> RecordsToDelete.beforeOffset(e.getValue().offset())));
      Map<Integer, Long> earliest = new java.util.TreeMap<>();
      admin.deleteRecords(upTo).lowWatermarks().forEach((tp, low) -> {
        try {
          earliest.put(tp.partition(), low.get(timeoutMs, TimeUnit.MILLISECONDS).lowWatermark());
        } catch (ExecutionException | TimeoutException e) {
          throw new EventLogException("cannot delete records of " + tp + ": " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EventLogException("interrupted deleting records of " + tp, e);
        }
      });
      log.info("records deleted topic={} earliest_offsets={}", topic, earliest);
      return earliest;
    } catch (ExecutionException | TimeoutException e) {
      throw new EventLogException("cannot list the end offsets of " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted listing the end offsets of " + topic, e);
    }
  }

  private void awaitReady(String topic, long deadlineNanos) {
    Exception last = null;
    while (true) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (leftMs <= 0) {
        throw new EventLogException("topic " + topic + " not ready in time: " + (last == null ? "" : last), last);
      }
      try {
        List<TopicPartition> partitions = describe(topic, leftMs).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
        Map<TopicPartition, OffsetSpec> latest =
            partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
        admin.listOffsets(latest).all().get(leftMs, TimeUnit.MILLISECONDS);
        return; // every partition has a leader that answered
      } catch (ExecutionException | TimeoutException | EventLogException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EventLogException("interrupted while waiting for topic " + topic, e);
      }
      pause();
    }
  }

  private TopicDescription describe(String topic, long timeoutMs) {
    try {
      return admin.describeTopics(List.of(topic)).allTopicNames()
          .get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
    } catch (ExecutionException e) {
      throw new EventLogException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new EventLogException("describing topic " + topic + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while describing topic " + topic, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventLogException("interrupted while waiting for a topic", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
