package dev.meridian.agent.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meridian.agent.notify.Notification;
import dev.meridian.agent.notify.NotificationCodec;
import dev.meridian.agent.notify.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A webhook receiver on a loopback port, as a pipeline would run one: it records every POST it accepts (the events,
 * whether the signature verified), and can answer 503 for a while ({@link #failing}) or be stopped outright and
 * started again on the same port ({@link #stop}, {@link #start}), so a test can stage its outages.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One accepted POST. */
  public record Delivery(Notification event, boolean signed, String eventHeader, String deliveryHeader) {}

  private final int port;
  private final WebhookSignature signature;
  private final NotificationCodec codec = new NotificationCodec();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private volatile boolean failing;
  private volatile int refused;
  private HttpServer server;

  private WebhookReceiver(int port, byte[] secret) {
    this.port = port;
    this.signature = new WebhookSignature(secret);
  }

  /** Listens on a free loopback port, checking signatures with {@code secret}. */
  public static WebhookReceiver start(byte[] secret) {
    WebhookReceiver receiver = new WebhookReceiver(FreePort.pick(), secret);
    receiver.start();
    return receiver;
  }

  public synchronized void start() {
    if (server != null) return;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/hook", this::handle);
    server.start();
  }

  /** Stops listening: deliveries meet a refused connection until {@link #start}. */
  public synchronized void stop() {
    if (server != null) server.stop(0);
    server = null;
  }

  /** While true, every POST is answered 503 and not recorded. */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + port + "/hook");
  }

  /** Every accepted delivery, duplicates included, in arrival order. */
  public List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Accepted deliveries by notification id (a receiver's deduplication). */
  public Map<String, List<Delivery>> byId() {
    return deliveries.stream().collect(Collectors.groupingBy(d -> d.event().id(), java.util.LinkedHashMap::new,
        Collectors.toList()));
  }

  /** The distinct events received, deduplicated by id. */
  public List<Notification> events() {
    return byId().values().stream().map(l -> l.get(0).event()).toList();
  }

  /** POSTs answered 503 while failing. */
  public int refused() {
    return refused;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      if (failing) {
        refused++;
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      boolean signed = signature.verify(body, exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER));
      Function<String, String> header = name -> exchange.getRequestHeaders().getFirst(name);
      for (Notification event : codec.decodeEnvelope(body)) {
        deliveries.add(new Delivery(event, signed, header.apply("X-Meridian-Event"), header.apply("X-Meridian-Delivery")));
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
