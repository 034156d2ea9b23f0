package dev.meridian.chaos.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.chaos.fleet.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy in front of a loopback echo server, with real sockets. */
class FaultProxyTest {
  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s) {
              s.getInputStream().transferTo(s.getOutputStream());
            } catch (IOException e) {
              // the test closed it
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    proxy = FaultProxy.start("echo", echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void passForwardsBothWays() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    }
  }

  @Test
  void latencyDelaysEachChunk() throws IOException {
    proxy.set(Direction.DOWNSTREAM, Fault.latency(Duration.ofMillis(300)));
    try (Socket s = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(s, "slow")).isEqualTo("slow");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void aBandwidthCapBoundsTheRate() throws IOException {
    proxy.set(Direction.UPSTREAM, Fault.bandwidth(20_000));
    try (Socket s = connect()) {
      long start = System.nanoTime();
      String payload = "x".repeat(10_000);
      assertThat(roundTrip(s, payload)).isEqualTo(payload);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }
  }

  @Test
  void dropClosesNewConnectionsAtOnce() throws IOException {
    proxy.set(Fault.DROP);
    try (Socket s = connect()) {
      s.getOutputStream().write('x');
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void resetEndsOpenConnectionsWithAnRst() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, "before")).isEqualTo("before");
      proxy.set(Fault.RESET);
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) roundTrip(s, "after");
      }).isInstanceOf(SocketException.class);
    }
  }

  @Test
  void aBlackholeAnswersNothingAndHealingLetsStalledBytesThrough() throws IOException {
    try (Socket open = connect()) {
      assertThat(roundTrip(open, "one")).isEqualTo("one");
      proxy.set(Fault.BLACKHOLE);
      try (Socket blackholed = connect()) {
        blackholed.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
        blackholed.setSoTimeout(500);
        assertThatThrownBy(() -> blackholed.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
      }
      open.getOutputStream().write("two".getBytes(StandardCharsets.UTF_8));
      open.setSoTimeout(500);
      assertThatThrownBy(() -> open.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

      proxy.heal();
      open.setSoTimeout(5_000);
      assertThat(new String(open.getInputStream().readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("two");
    }
  }

  @Test
  void aDeadTargetLooksLikeAPeerThatWentAway() throws IOException {
    // The target's port is bound but not listening, so a connect to it is refused. Closing the echo server raced:
    // its close is deferred while its acceptor is in accept(), which could still take the proxy's connection and
    // echo nothing, and a closed port may be taken by another listener.
    try (Socket dead = new Socket()) {
      dead.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (FaultProxy toDead = FaultProxy.start("dead", dead.getLocalPort()); Socket s = connect(toDead)) {
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
    }
  }

  private Socket connect() throws IOException {
    return connect(proxy);
  }

  private static Socket connect(FaultProxy through) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), through.port());
    s.setSoTimeout(10_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
    InputStream in = s.getInputStream();
    return new String(in.readNBytes(bytes.length), StandardCharsets.UTF_8);
  }
}
