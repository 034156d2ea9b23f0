package dev.meridian.agent.security;

import java.util.Optional;

/** Told about every refused request worth recording: a denial, or credentials that were presented and rejected. */
public interface AccessAudit {
  AccessAudit NONE = refusal -> {};

  void refused(Refusal refusal);

  /**
   * One refused request.
   *
   * @param who the username presented (or {@code anonymous}, or {@code unknown} for an unreadable credential)
   * @param address the client's address
   * @param route the route template
   */
  record Refusal(String who, String address, String method, String route, Optional<String> repository, int status, String reason) {}
}
