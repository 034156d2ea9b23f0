package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a TCP port on 127.0.0.1 that is free right now. Another process may take it before the agent binds:
 * {@link AgentProcess} therefore retries start-up on a fresh port when binding fails.
 */
public final class FreePort {
  private FreePort() {}

  public static int pick() {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
