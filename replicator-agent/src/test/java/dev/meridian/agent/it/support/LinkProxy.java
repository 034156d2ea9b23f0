package dev.meridian.agent.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 standing for one network link, e.g. "region b's path to region a": give b a fleet
 * file in which a's URL is this proxy, and the test can cut the link, slow it down, and count what crossed it.
 *
 * <ul>
 *   <li>{@link #block()} resets every open connection and every new one (the peer is unreachable) until
 *       {@link #unblock()};
 *   <li>{@link #throttle(long)} paces the bytes from the target back to the client (a slow link, so that a test
 *       can act while a large blob is on its way);
 *   <li>{@link #bytesToClient()} counts those bytes: what the client downloaded through the link.
 * </ul>
 */
public final class LinkProxy implements AutoCloseable {
  private static final int BUFFER = 64 * 1024;
  private static final int PACED_CHUNK = 16 * 1024;

  private final String name;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong bytesToClient = new AtomicLong();
  private volatile boolean blocked;
  private volatile boolean closed;
  private volatile long bytesPerSecond;
  private long nextSendNanos; // guarded by this

  private LinkProxy(String name, int targetPort, ServerSocket server) {
    this.name = name;
    this.targetPort = targetPort;
    this.server = server;
  }

  /** Listens on a free loopback port and forwards every connection to {@code 127.0.0.1:targetPort}. */
  public static LinkProxy start(String name, int targetPort) {
    try {
      var server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      var proxy = new LinkProxy(name, targetPort, server);
      daemon(proxy::acceptLoop, "link-" + name + "-accept").start();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start link proxy " + name, e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:PORT}: the URL to put in the fleet file in place of the target's. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** Cuts the link: open connections are reset, new ones are closed at once. */
  public void block() {
    blocked = true;
    for (Socket socket : open) closeQuietly(socket);
  }

  public void unblock() {
    blocked = false;
  }

  /** Paces target-to-client bytes to {@code bytesPerSecond}; 0 lifts the limit. */
  public void throttle(long bytesPerSecond) {
    if (bytesPerSecond < 0) throw new IllegalArgumentException("bytesPerSecond < 0");
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Bytes forwarded from the target to clients since start or the last {@link #resetCounter()}. */
  public long bytesToClient() {
    return bytesToClient.get();
  }

  public void resetCounter() {
    bytesToClient.set(0);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (blocked) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(target);
        daemon(() -> pump(client, target, false), "link-" + name + "-up").start();
        daemon(() -> pump(target, client, true), "link-" + name + "-down").start();
      } catch (IOException e) {
        closeQuietly(client); // the target is down: so is the link
      }
    }
  }

  private void pump(Socket from, Socket to, boolean towardsClient) {
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      while (!blocked) {
        int max = towardsClient && bytesPerSecond > 0 ? PACED_CHUNK : BUFFER;
        int n = in.read(buffer, 0, max);
        if (n < 0) break;
        if (towardsClient) {
          pace(n);
          bytesToClient.addAndGet(n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side went away: the connection ends, as it would on a real link
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  /**
   * Holds this chunk until the link's rate allows it. Parking here is the link being slow, which is what the
   * test asks for; it is not a test waiting for a condition.
   */
  private void pace(int bytes) {
    long rate = bytesPerSecond;
    if (rate <= 0) return;
    long sendAt;
    synchronized (this) {
      long now = System.nanoTime();
      sendAt = Math.max(now, nextSendNanos);
      nextSendNanos = sendAt + TimeUnit.SECONDS.toNanos(1) * bytes / rate;
    }
    for (long wait; (wait = sendAt - System.nanoTime()) > 0 && !blocked; ) LockSupport.parkNanos(wait);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    for (Socket socket : open) closeQuietly(socket);
  }

  private static Thread daemon(Runnable body, String threadName) {
    Thread thread = new Thread(body, threadName);
    thread.setDaemon(true);
    return thread;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed or reset: nothing left to release
    }
  }

  @Override
  public String toString() {
    return "link " + name + " (127.0.0.1:" + port() + " -> 127.0.0.1:" + targetPort + ")";
  }
}
