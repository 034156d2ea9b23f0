package dev.meridian.agent.notify;

import dev.meridian.core.state.QueuedNotification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * POSTs one notification at a time to a webhook URL: the body is the envelope {@code {"events":[event]}}
 * ({@link NotificationCodec}), signed in {@value WebhookSignature#HEADER}; {@code X-Meridian-Event} names the action
 * and {@code X-Meridian-Delivery} the notification id (the same on every attempt). Only a 2xx answer delivers it;
 * any other answer (redirects are not followed), a timeout or a connection error is a failed attempt.
 */
public final class WebhookSink implements NotificationSink {
  public static final String EVENT_HEADER = "X-Meridian-Event";
  public static final String DELIVERY_HEADER = "X-Meridian-Delivery";

  private final URI url;
  private final WebhookSignature signature;
  private final HttpClient http;
  private final Duration timeout;
  private final NotificationCodec codec = new NotificationCodec();

  public WebhookSink(URI url, byte[] secret, SSLContext tls, Duration timeout) {
    this.url = url;
    this.signature = new WebhookSignature(secret);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).sslContext(tls).build();
  }

  @Override
  public int batchSize() {
    return 16; // one is posted per call; the rest saves reads of the queue
  }

  @Override
  public int deliver(List<QueuedNotification> head) {
    byte[] event = head.get(0).payload();
    Notification n = codec.decode(event);
    byte[] body = codec.envelope(event);
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", NotificationCodec.ENVELOPE_MEDIA_TYPE)
        .header("User-Agent", "meridian-webhook")
        .header(WebhookSignature.HEADER, signature.sign(body))
        .header(EVENT_HEADER, n.type().wireName())
        .header(DELIVERY_HEADER, n.id())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<Void> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new NotificationDeliveryException("POST " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotificationDeliveryException("interrupted while posting to " + url, e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) throw new NotificationDeliveryException("POST " + url + " answered " + status);
    return 1;
  }
}
