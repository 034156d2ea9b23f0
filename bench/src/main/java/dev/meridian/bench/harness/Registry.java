package dev.meridian.bench.harness;

/** A running registry the clients talk to over loopback http: a Meridian region or CNCF distribution. */
public interface Registry extends AutoCloseable {
  /** {@code 127.0.0.1:PORT}, as image references want it. */
  String hostPort();

  /** The server's process id: its CPU time is read from {@code /proc}. */
  long pid();

  default String url() {
    return "http://" + hostPort();
  }

  @Override
  void close();
}
