package dev.meridian.agent.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Starting peers in field initialisers. */
final class FaultyPeerFixtures {
  private FaultyPeerFixtures() {}

  static FaultyPeer start() {
    try {
      return new FaultyPeer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
