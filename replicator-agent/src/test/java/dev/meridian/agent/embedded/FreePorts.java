package dev.meridian.agent.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports free at the moment of asking, for brokers whose ports must be known before they start. */
public final class FreePorts {
  private FreePorts() {}

  /** Two distinct free ports: a client port and a controller port. */
  public static int[] two() {
    try (var a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        var b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static EmbeddedKafkaBroker.Settings brokerSettings(java.nio.file.Path dataDir) {
    int[] ports = two();
    return new EmbeddedKafkaBroker.Settings(dataDir, ports[0], ports[1], true);
  }
}
