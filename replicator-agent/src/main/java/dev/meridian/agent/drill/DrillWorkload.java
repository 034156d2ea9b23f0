package dev.meridian.agent.drill;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Client traffic through the global endpoint while a region is out: pushes, each read back at once. */
public interface DrillWorkload {
  /** One acknowledged push: the tag now names the digest. */
  record Write(String repository, String tag, String digest) {
    public Write {
      requireNonNull(repository, "repository");
      requireNonNull(tag, "tag");
      requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
      return repository + ":" + tag;
    }
  }

  /** What the clients saw: acknowledged pushes, successful pulls, and every error, one line each. */
  record Result(List<Write> writes, long pulls, List<String> errors) {
    public Result {
      writes = List.copyOf(writes);
      errors = List.copyOf(errors);
      if (pulls < 0) throw new IllegalArgumentException("pulls < 0");
    }
  }

  /** Starts sending in the background. */
  void start();

  /** Stops after the operation in progress and tells what happened. */
  Result stop();
}
