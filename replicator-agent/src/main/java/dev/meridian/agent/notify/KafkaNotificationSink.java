package dev.meridian.agent.notify;

import dev.meridian.agent.log.KafkaNotificationPublisher;
import dev.meridian.core.event.EventSigner;
import dev.meridian.core.state.QueuedNotification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends a queue's notifications to the notifications topic, keyed by repository, each signed with the fleet key in
 * the header {@code meridian.sig} exactly as replication events are ({@link EventSigner}), so a pipeline can tell
 * the fleet's notifications from forged ones. The topic is ensured before the first send.
 */
public final class KafkaNotificationSink implements NotificationSink {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /** The topic's partitions and replication factor, read when it is created. */
  public record TopicSettings(int partitions, short replicationFactor) {}

  private final KafkaNotificationPublisher publisher;
  private final EventSigner signer;
  private final Supplier<TopicSettings> topic;
  private final NotificationCodec codec = new NotificationCodec();
  private volatile boolean topicReady;

  public KafkaNotificationSink(KafkaNotificationPublisher publisher, EventSigner signer, Supplier<TopicSettings> topic) {
    this.publisher = publisher;
    this.signer = signer;
    this.topic = topic;
  }

  @Override
  public int batchSize() {
    return 256;
  }

  @Override
  public int deliver(List<QueuedNotification> head) {
    if (!topicReady) {
      TopicSettings settings = topic.get();
      try {
        publisher.ensureTopic(settings.partitions(), settings.replicationFactor(), TOPIC_TIMEOUT);
      } catch (RuntimeException e) {
        throw new NotificationDeliveryException("notifications topic not ready: " + e.getMessage(), e);
      }
      topicReady = true;
    }
    List<CompletableFuture<?>> sent = new ArrayList<>(head.size());
    for (QueuedNotification entry : head) {
      byte[] payload = entry.payload();
      String key = codec.key(payload);
      sent.add(publisher.send(key, payload, Map.of(EventSigner.HEADER, signer.sign(key, payload))));
    }
    for (int i = 0; i < sent.size(); i++) {
      try {
        sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        if (i > 0) return i; // what was acknowledged before it is delivered; this one is retried
        throw new NotificationDeliveryException("the log did not acknowledge: " + (e.getCause() == null ? e : e.getCause()), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (i > 0) return i;
        throw new NotificationDeliveryException("interrupted", e);
      }
    }
    return sent.size();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
