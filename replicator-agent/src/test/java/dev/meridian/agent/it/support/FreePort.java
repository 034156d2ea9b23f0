package dev.meridian.agent.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds TCP ports on 127.0.0.1 that are free right now. Another process may take a port before the agent binds
 * it: {@link AgentProcess} therefore retries start-up on a fresh port when binding fails.
 */
public final class FreePort {
  /** Below the kernel's usual ephemeral range (32768-60999), so outgoing connections rarely take these. */
  private static final int RANGE_FROM = 20_000;
  private static final int RANGE_TO = 32_000;

  /** Every port this process handed out (a few hundred in a test run, of 12,000). */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePort() {}

  /**
   * A port free now, below the ephemeral range and never handed out before by this process. Not port 0: the kernel
   * answers that from the ephemeral range, where the agents' own outgoing connections (Kafka clients, peers) take
   * ports too, so a port picked for a region started later could be taken by then (seen in CI: "Address already in
   * use" starting the second region of a fleet whose ports were picked together).
   */
  public static int pick() {
    return consecutive(1);
  }

  /**
   * The first of {@code count} consecutive ports that are all free now, for what numbers its ports
   * {@code BASE + i} ({@code meridian up}, {@code LocalFleet}, a broker and its controller).
   */
  public static int consecutive(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(RANGE_FROM, RANGE_TO - count);
      if (!allFree(first, count)) continue;
      // Ports picked together are bound later, one by one: never hand out the same one twice.
      List<Integer> ports = new ArrayList<>();
      for (int port = first; port < first + count; port++) ports.add(port);
      synchronized (HANDED_OUT) {
        if (ports.stream().anyMatch(HANDED_OUT::contains)) continue;
        HANDED_OUT.addAll(ports);
      }
      return first;
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
