package dev.meridian.agent.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A body that reads straight into the caller's buffer (one outside the heap, say) and tells "nothing yet" apart from
 * "wait": a copy can then write what it gathered before it waits, and never copies between buffers of its own.
 */
interface ReadyBytes {
  /**
   * Reads what has arrived into {@code dst}, without waiting: the bytes read, 0 when none are there yet, -1 at the
   * end of the body.
   */
  int readReady(ByteBuffer dst) throws IOException;

  /** Waits until bytes arrive (or the end); fails once the body's read timeout passes with nothing. */
  void awaitBytes() throws IOException;
}
