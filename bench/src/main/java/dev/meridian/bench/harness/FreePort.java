package dev.meridian.bench.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports nobody listens on right now, below the kernel's usual ephemeral range (32768-60999), and never one
 * this process handed out before. Not port 0: the kernel answers that from the ephemeral range, where the processes
 * the harness starts take ports for their own outgoing connections, so a port picked for a region started later
 * could be taken by then (a fleet's ports are picked together, then bound one by one).
 */
public final class FreePort {
  private static final int RANGE_FROM = 20_000;
  private static final int RANGE_TO = 32_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePort() {}

  public static int pick() {
    return consecutive(1);
  }

  /** A port whose successor is free too (the broker puts its controller on PORT+1). */
  public static int pickPair() {
    return consecutive(2);
  }

  private static int consecutive(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(RANGE_FROM, RANGE_TO - count);
      boolean free = true;
      for (int port = first; port < first + count && free; port++) free = isFree(port);
      if (!free) continue;
      synchronized (HANDED_OUT) {
        boolean reused = false;
        for (int port = first; port < first + count; port++) reused |= HANDED_OUT.contains(port);
        if (reused) continue;
        for (int port = first; port < first + count; port++) HANDED_OUT.add(port);
      }
      return first;
    }
    throw new IllegalStateException("no " + count + " consecutive free loopback ports in " + RANGE_FROM + "-" + RANGE_TO);
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
