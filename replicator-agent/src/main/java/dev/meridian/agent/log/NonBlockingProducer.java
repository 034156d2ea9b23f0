package dev.meridian.agent.log;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent, {@code acks=all} Kafka producer whose {@link #send} never blocks its caller.
 *
 * <p>{@code KafkaProducer.send()} itself blocks for up to {@code max.block.ms} while it has no metadata for
 * the topic or its buffer is full, which is exactly what happens while the broker is down (STACK.md
 * pitfall 3). So every send is handed to one sender thread through a bounded queue: the caller gets a
 * future at once; only the sender thread waits out {@code max.block.ms}, after which that send fails. A
 * full queue fails the send at once instead of blocking. One thread keeps the order of sends, so records
 * of one key reach their partition in the order {@code send} was called.
 */
final class NonBlockingProducer implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final KafkaProducer<String, byte[]> producer;
  private final ThreadPoolExecutor sender;

  NonBlockingProducer(String bootstrapServers, String clientId, Duration maxBlock, int queueCapacity) {
    this(bootstrapServers, clientId, maxBlock, queueCapacity, Map.of());
  }

  NonBlockingProducer(String bootstrapServers, String clientId, Duration maxBlock, int queueCapacity,
      Map<String, String> clientProperties) {
    this.producer = new KafkaProducer<>(properties(bootstrapServers, clientId, maxBlock, clientProperties));
    this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
        r -> {
          Thread t = new Thread(r, clientId + "-sender-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** The producer's configuration: Meridian's settings with the operator's {@code clientProperties} over them. */
  static Properties properties(String bootstrapServers, String clientId, Duration maxBlock, Map<String, String> clientProperties) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock.toMillis()));
    // Kafka 4 lingers 5 ms by default to fill batches. The callers already hand over whole batches (the outbox
    // relay sends every entry it read before waiting for any), and records sent while a request is in flight
    // are batched anyway: a linger would only add its 5 ms to every event's replication lag.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return KafkaClientProperties.apply(props, clientProperties);
  }

  /** Completes with the record's position once the broker acknowledged it, or with an EventLogException. */
  CompletableFuture<LogPosition> send(String topic, String key, byte[] value, Map<String, String> headers) {
    var future = new CompletableFuture<LogPosition>();
    var record = new ProducerRecord<String, byte[]>(topic, key, value);
    headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
    try {
      sender.execute(new SendTask(record, future));
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new EventLogException(
          sender.isShutdown() ? "producer closed" : "send queue full (" + sender.getQueue().size() + " waiting)"));
    }
    return future;
  }

  /** Sends what is queued (waiting up to 10 s), fails the rest, and closes the producer. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(10, TimeUnit.SECONDS)) {
        for (Runnable unsent : sender.shutdownNow()) {
          ((SendTask) unsent).future.completeExceptionally(new EventLogException("producer closed before sending"));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(10)); // records still in flight get their callback with an error
    }
  }

  private final class SendTask implements Runnable {
    final ProducerRecord<String, byte[]> record;
    final CompletableFuture<LogPosition> future;

    SendTask(ProducerRecord<String, byte[]> record, CompletableFuture<LogPosition> future) {
      this.record = record;
      this.future = future;
    }

    @Override
    public void run() {
      try {
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            future.completeExceptionally(new EventLogException(
                "send to " + record.topic() + " failed: " + error.getMessage(), error));
          } else {
            future.complete(new LogPosition(metadata.topic(), metadata.partition(), metadata.offset()));
          }
        });
      } catch (RuntimeException e) { // max.block.ms ran out, or the producer is closed
        future.completeExceptionally(new EventLogException(
            "send to " + record.topic() + " failed: " + e.getMessage(), e));
      }
    }
  }
}
