package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds TCP ports on 127.0.0.1 that are free right now. Another process may take a port before the agent binds
 * it: {@link AgentProcess} therefore retries start-up on a fresh port when binding fails.
 */
public final class FreePort {
  /** Below the kernel's usual ephemeral range (32768-60999), so outgoing connections rarely take these. */
  private static final int RANGE_FROM = 20_000;
  private static final int RANGE_TO = 32_000;

  private FreePort() {}

  public static int pick() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /**
   * The first of {@code count} consecutive ports that are all free now, for what numbers its ports
   * {@code BASE + i} ({@code meridian up}, {@code LocalFleet}, a broker and its controller).
   */
  public static int consecutive(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(RANGE_FROM, RANGE_TO - count);
      if (allFree(first, count)) return first;
    }
    throw new IllegalStateException("no " + count + " consecutive free loopback ports in " + RANGE_FROM + "-" + RANGE_TO);
  }

  private static boolean allFree(int first, int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int port = first; port < first + count; port++) {
        var socket = new ServerSocket();
        held.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a listening socket that never accepted cannot fail in a way that matters here
        }
      }
    }
  }
}
