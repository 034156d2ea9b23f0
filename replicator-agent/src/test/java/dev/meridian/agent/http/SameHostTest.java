package dev.meridian.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SameHostTest {
  private static InetSocketAddress at(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  @Test
  void aLoopbackPeerIsOnThisHostWhicheverLoopbackAddressItUses() {
    assertThat(HttpServer.sameHost(at("127.0.0.1", 5000), at("127.0.0.1", 40000))).isTrue();
    assertThat(HttpServer.sameHost(at("127.0.0.1", 5000), at("127.0.0.7", 40000))).isTrue();
    assertThat(HttpServer.sameHost(at("::1", 5000), at("::1", 40000))).isTrue();
  }

  @Test
  void aPeerComingFromTheAddressItReachedIsOnThisHost() {
    assertThat(HttpServer.sameHost(at("10.1.2.3", 5000), at("10.1.2.3", 40000))).isTrue();
  }

  @Test
  void aPeerFromAnotherAddressIsRemote() {
    assertThat(HttpServer.sameHost(at("10.1.2.3", 5000), at("10.1.2.4", 40000))).isFalse();
    assertThat(HttpServer.sameHost(at("10.1.2.3", 5000), InetSocketAddress.createUnresolved("peer.example", 40000))).isFalse();
    assertThat(HttpServer.sameHost(null, null)).isFalse();
  }
}
