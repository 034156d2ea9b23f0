package dev.meridian.agent.embedded;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker, combined broker and KRaft controller, running in this JVM on 127.0.0.1:
 * the log behind {@code meridian broker} and {@code meridian up}, and behind integration tests.
 *
 * <p>The data directory is formatted (with a fresh cluster id) only when it holds no {@code meta.properties};
 * formatting twice fails, and a restart on the same directory keeps every record. Every internal topic has
 * replication factor 1 and min ISR 1, topics are never auto-created, and a broker killed with -9 can
 * re-register after about 4 s instead of 12 s (short broker session). See STACK.md.
 *
 * <p>Kafka calls {@code System.exit}/{@code halt} on a fatal fault. With {@link Settings#guardExit()} those
 * calls are turned into an exception in the faulting thread instead, so that a broker embedded in an agent
 * or a test cannot end the JVM; the guard is JVM-wide and removed again by {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final String CONTROLLER = "CONTROLLER";
  private static final String META_PROPERTIES = "meta.properties";

  /**
   * Where the broker keeps its log, and the loopback ports it listens on: the client port, the controller
   * port, and any {@link AdvertisedListener}s.
   */
  public record Settings(
      Path dataDir, int port, int controllerPort, boolean guardExit, List<AdvertisedListener> extraListeners) {
    public Settings {
      dataDir = requireNonNull(dataDir, "dataDir").toAbsolutePath();
      if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      if (controllerPort < 1 || controllerPort > 65535 || controllerPort == port) {
        throw new IllegalArgumentException("controller port must be a valid port other than " + port);
      }
      extraListeners = List.copyOf(extraListeners);
      for (AdvertisedListener l : extraListeners) {
        if (l.port() == port || l.port() == controllerPort) {
          throw new IllegalArgumentException("listener port " + l.port() + " is already the client or controller port");
        }
      }
    }

    public Settings(Path dataDir, int port, int controllerPort, boolean guardExit) {
      this(dataDir, port, controllerPort, guardExit, List.of());
    }
  }

  /**
   * One more client listener on {@code port} whose metadata tells clients to connect to {@code advertisedPort}
   * on 127.0.0.1: a client that bootstraps through a TCP proxy at the advertised port then keeps going through
   * that proxy, so each client can get a proxy of its own (fault-injection tests cut one region off the log).
   */
  public record AdvertisedListener(int port, int advertisedPort) {
    public AdvertisedListener {
      if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
      if (advertisedPort < 1 || advertisedPort > 65535) {
        throw new IllegalArgumentException("advertised port out of range: " + advertisedPort);
      }
    }

    /** {@code PORT:ADVERTISED_PORT}, as {@code meridian broker --listener} takes it. */
    public static AdvertisedListener parse(String text) {
      String[] parts = text.split(":", -1);
      if (parts.length != 2) throw new IllegalArgumentException("expected PORT:ADVERTISED_PORT, got " + text);
      try {
        return new AdvertisedListener(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected PORT:ADVERTISED_PORT, got " + text, e);
      }
    }
  }

  private final Settings settings;
  private final String clusterId;
  private final boolean formatted;
  private final KafkaRaftServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafkaBroker(Settings settings, String clusterId, boolean formatted, KafkaRaftServer server) {
    this.settings = settings;
    this.clusterId = clusterId;
    this.formatted = formatted;
    this.server = server;
  }

  /** Formats the data directory if it is new, starts the broker and returns once it accepts clients. */
  public static EmbeddedKafkaBroker start(Settings settings) {
    long started = System.nanoTime();
    Properties props = brokerProperties(settings);
    KafkaConfig config = KafkaConfig.fromProps(props, false);
    if (settings.guardExit()) guardExit();
    try {
      Files.createDirectories(settings.dataDir());
      boolean format = !Files.exists(settings.dataDir().resolve(META_PROPERTIES));
      if (format) format(props, settings.dataDir(), Uuid.randomUuid().toString());
      String clusterId = readClusterId(settings.dataDir());
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        server.shutdown();
        server.awaitShutdown();
        throw e;
      }
      log.info("kafka broker started bootstrap=127.0.0.1:{} cluster_id={} formatted={} duration_ms={}",
          settings.port(), clusterId, format, (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedKafkaBroker(settings, clusterId, format, server);
    } catch (IOException e) {
      if (settings.guardExit()) resetExit();
      throw new UncheckedIOException("cannot prepare the broker's data directory " + settings.dataDir(), e);
    } catch (RuntimeException e) {
      if (settings.guardExit()) resetExit();
      throw new IllegalStateException("the Kafka broker did not start on 127.0.0.1:" + settings.port(), e);
    }
  }

  /** {@code 127.0.0.1:PORT}, for the clients' {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + settings.port();
  }

  public String clusterId() {
    return clusterId;
  }

  /** True when this start formatted a new data directory; false when it reopened an existing log. */
  public boolean formattedOnStart() {
    return formatted;
  }

  public Settings settings() {
    return settings;
  }

  /** Shuts the broker down and waits until it has; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    try {
      server.shutdown();
      server.awaitShutdown();
      log.info("kafka broker stopped bootstrap={}", bootstrapServers());
    } finally {
      if (settings.guardExit()) resetExit();
    }
  }

  static Properties brokerProperties(Settings s) {
    String controller = "127.0.0.1:" + s.controllerPort();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + controller);
    var listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + s.port() + "," + CONTROLLER + "://" + controller);
    var advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + s.port());
    var protocols = new StringBuilder("PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
    for (int i = 0; i < s.extraListeners().size(); i++) {
      AdvertisedListener l = s.extraListeners().get(i);
      String name = "EXTRA" + (i + 1);
      listeners.append(',').append(name).append("://127.0.0.1:").append(l.port());
      advertised.append(',').append(name).append("://127.0.0.1:").append(l.advertisedPort());
      protocols.append(',').append(name).append(":PLAINTEXT");
    }
    p.put("listeners", listeners.toString());
    p.put("advertised.listeners", advertised.toString());
    p.put("controller.listener.names", CONTROLLER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", protocols.toString());
    p.put("log.dirs", s.dataDir().toAbsolutePath().toString());
    // One node: every internal topic must live with a single replica, or creating it waits forever.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("auto.create.topics.enable", "false"); // topics are created on purpose, then awaited (pitfall 1)
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.coordinator.append.linger.ms", "0"); // else each offset commit waits >= 5 ms (pitfall 4)
    p.put("broker.session.timeout.ms", "2000"); // restart after kill -9 in ~4 s, not ~12 s (pitfall 2)
    p.put("broker.heartbeat.interval.ms", "500");
    return p;
  }

  /** Runs Kafka's own {@code kafka-storage format} on a properties file written for it, then deletes it. */
  private static void format(Properties props, Path dataDir, String clusterId) throws IOException {
    Path configFile = Files.createTempFile(dataDir.getParent(), "kafka-format-", ".properties");
    var out = new java.io.ByteArrayOutputStream();
    try {
      try (OutputStream file = Files.newOutputStream(configFile)) {
        props.store(file, "written for kafka-storage format");
      }
      int status;
      try (PrintStream print = new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
        // Its output is kept off stdout, which for `meridian broker` carries only the ready line.
        status = StorageTool.execute(
            new String[] {"format", "--config", configFile.toString(), "--cluster-id", clusterId}, print);
      }
      if (status != 0) {
        throw new IllegalStateException("kafka-storage format exited " + status + ": " + out);
      }
    } finally {
      Files.deleteIfExists(configFile);
    }
  }

  private static String readClusterId(Path dataDir) throws IOException {
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve(META_PROPERTIES))) {
      meta.load(in);
    }
    return meta.getProperty("cluster.id", "");
  }

  private static void guardExit() {
    Exit.setExitProcedure((code, message) -> {
      log.error("kafka broker asked to exit code={} reason={}", code, message);
      throw new IllegalStateException("Kafka asked to exit the JVM (" + code + "): " + message);
    });
    Exit.setHaltProcedure((code, message) -> {
      log.error("kafka broker asked to halt code={} reason={}", code, message);
      throw new IllegalStateException("Kafka asked to halt the JVM (" + code + "): " + message);
    });
  }

  private static void resetExit() {
    Exit.resetExitProcedure();
    Exit.resetHaltProcedure();
  }
}
