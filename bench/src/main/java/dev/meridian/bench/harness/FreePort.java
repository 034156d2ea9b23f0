package dev.meridian.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports nobody listens on right now. */
public final class FreePort {
  private FreePort() {}

  public static int pick() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port whose successor is free too (the broker puts its controller on PORT+1). */
  public static int pickPair() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = pick();
      if (port < 65535 && isFree(port + 1)) return port;
    }
    throw new IllegalStateException("no free pair of loopback ports");
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
