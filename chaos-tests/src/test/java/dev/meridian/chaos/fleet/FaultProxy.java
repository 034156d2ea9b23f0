package dev.meridian.chaos.fleet;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 in front of one loopback port, whose {@link Fault} can be switched at run time,
 * separately for each {@link Direction}. Plain blocking sockets, two threads per connection: the fleet has a
 * few dozen connections, and a blocking pump makes "stall" and "throttle" simply "do not read yet".
 *
 * <p>When the target refuses (its process was killed), the client's connection is closed: to the client it
 * looks like a peer that died. The proxy keeps its own port for its whole life, so a target that restarts on
 * its old port is reachable again through it.
 */
public final class FaultProxy implements Closeable {
  /** Which way bytes flow: from the client to the target, or back. */
  public enum Direction { UPSTREAM, DOWNSTREAM }

  private final String name;
  private final int targetPort;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Set<Socket> heldOpen = ConcurrentHashMap.newKeySet();
  private volatile Fault upstream = Fault.PASS;
  private volatile Fault downstream = Fault.PASS;
  private volatile boolean closed;

  private FaultProxy(String name, int targetPort, ServerSocket server) {
    this.name = name;
    this.targetPort = targetPort;
    this.server = server;
    this.acceptor = new Thread(this::acceptLoop, "proxy-" + name);
    this.acceptor.setDaemon(true);
  }

  /** Starts a proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}, passing everything. */
  public static FaultProxy start(String name, int targetPort) {
    try {
      var server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      var proxy = new FaultProxy(name, targetPort, server);
      proxy.acceptor.start();
      return proxy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start proxy " + name, e);
    }
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.getLocalPort();
  }

  public int targetPort() {
    return targetPort;
  }

  /** Sets both directions. */
  public void set(Fault fault) {
    set(Direction.UPSTREAM, fault);
    set(Direction.DOWNSTREAM, fault);
  }

  /**
   * Sets one direction. Drop and reset also end the open connections; leaving a blackhole closes the
   * connections accepted during it (to their clients it is a connect that timed out), and un-stalls the rest.
   */
  public void set(Direction direction, Fault fault) {
    if (direction == Direction.UPSTREAM) upstream = fault; else downstream = fault;
    if (fault instanceof Fault.Drop || fault instanceof Fault.Reset) {
      links.forEach(link -> link.end(fault instanceof Fault.Reset));
    }
    if (!(upstream instanceof Fault.Blackhole) && !(downstream instanceof Fault.Blackhole)) {
      heldOpen.forEach(FaultProxy::closeQuietly);
      heldOpen.clear();
    }
  }

  /** Passes everything again. */
  public void heal() {
    set(Fault.PASS);
  }

  public Fault fault(Direction direction) {
    return direction == Direction.UPSTREAM ? upstream : downstream;
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    links.forEach(link -> link.end(false));
    heldOpen.forEach(FaultProxy::closeQuietly);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) return;
        continue;
      }
      try {
        admit(client);
      } catch (IOException | RuntimeException e) {
        closeQuietly(client);
      }
    }
  }

  private void admit(Socket client) throws IOException {
    Fault up = upstream;
    Fault down = downstream;
    if (up instanceof Fault.Reset || down instanceof Fault.Reset) {
      reset(client);
    } else if (up instanceof Fault.Drop || down instanceof Fault.Drop) {
      client.close();
    } else if (up instanceof Fault.Blackhole || down instanceof Fault.Blackhole) {
      holdOpen(client);
    } else {
      Socket target = new Socket();
      try {
        target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        // With nothing listening, a loopback connect from an ephemeral port can connect the socket to itself.
        if (target.getLocalPort() == targetPort) throw new IOException("connected to itself: the target is down");
      } catch (IOException e) {
        closeQuietly(target);
        client.close(); // the target is down: the client sees its peer go away
        return;
      }
      var link = new Link(client, target);
      links.add(link);
      link.start();
    }
  }

  /** Reads and discards what the client sends, never answers, until healed or the client gives up. */
  private void holdOpen(Socket client) {
    heldOpen.add(client);
    Thread sink = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = client.getInputStream()) {
        while (in.read(buffer) >= 0) {
          // discarded: a blackhole answers nothing
        }
      } catch (IOException e) {
        // closed by heal() or by the client
      } finally {
        heldOpen.remove(client);
      }
    }, "proxy-" + name + "-blackhole");
    sink.setDaemon(true);
    sink.start();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed: nothing to reset
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // closing is best effort
    }
  }

  /** One proxied connection: a pump thread per direction. */
  private final class Link {
    private final Socket client;
    private final Socket target;
    private final AtomicInteger halfClosed = new AtomicInteger();

    Link(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    void start() {
      pump(Direction.UPSTREAM, client, target);
      pump(Direction.DOWNSTREAM, target, client);
    }

    void end(boolean reset) {
      if (reset) {
        FaultProxy.reset(client);
        FaultProxy.reset(target);
      } else {
        closeQuietly(client);
        closeQuietly(target);
      }
      links.remove(this);
    }

    private void pump(Direction direction, Socket from, Socket to) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[16 * 1024];
        try {
          // Not try-with-resources: closing a socket's stream closes the socket, and the other direction may go on.
          InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream();
          while (true) {
            awaitNotBlackholed(direction);
            int max = buffer.length;
            if (fault(direction) instanceof Fault.Bandwidth b) max = (int) Math.max(1, Math.min(max, b.bytesPerSecond() / 10));
            int n = in.read(buffer, 0, max);
            if (n < 0) break;
            awaitNotBlackholed(direction); // the read may have begun before the blackhole: hold what it got
            delay(direction, n);
            if (closed) break;
            out.write(buffer, 0, n);
            out.flush();
          }
          to.shutdownOutput(); // pass the half-close on
          if (halfClosed.incrementAndGet() == 2) end(false);
        } catch (IOException e) {
          end(false); // a side closed or reset: so does the other
        }
      }, "proxy-" + name + "-" + direction.name().toLowerCase());
      thread.setDaemon(true);
      thread.start();
    }

    /** A blackholed direction stops reading: the sender's bytes wait in TCP buffers, as in a real partition. */
    private void awaitNotBlackholed(Direction direction) {
      while (fault(direction) instanceof Fault.Blackhole && !closed && !client.isClosed()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }

    /** Latency holds each chunk; a bandwidth cap holds it as long as sending it may take. */
    private void delay(Direction direction, int bytes) {
      Fault fault = fault(direction);
      long nanos = 0;
      if (fault instanceof Fault.Latency l) nanos = l.delay().toNanos();
      if (fault instanceof Fault.Bandwidth b) nanos = TimeUnit.SECONDS.toNanos(bytes) / b.bytesPerSecond();
      long until = System.nanoTime() + nanos;
      while (nanos > 0 && !closed) {
        LockSupport.parkNanos(nanos);
        nanos = until - System.nanoTime();
      }
    }
  }
}
