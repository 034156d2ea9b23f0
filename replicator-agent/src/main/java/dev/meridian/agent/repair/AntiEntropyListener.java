package dev.meridian.agent.repair;

/** Told what anti-entropy does (metrics). Called on its thread; must be quick. */
public interface AntiEntropyListener {
  AntiEntropyListener NONE = new AntiEntropyListener() {};

  /** A peer was compared with: {@code differing} repositories had another digest there. */
  default void compared(int differing) {}

  /** A comparison with a peer failed (it did not answer, or answered nonsense). */
  default void failed() {}

  /** Registers of one kind ({@code tag}, {@code manifest}, {@code blob_link}, {@code lock}) were repaired here. */
  default void repaired(String kind, int count) {}
}
