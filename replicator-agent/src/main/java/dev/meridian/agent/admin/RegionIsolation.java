package dev.meridian.agent.admin;

import dev.meridian.core.error.OciErrorCode;
import dev.meridian.core.error.RegistryException;
import java.util.List;

/**
 * Cutting a region off from its fleet and back, for failover drills ({@code /admin/v1/region/isolation}).
 * An isolated region keeps serving its own clients; it ships nothing to the log, replays nothing, asks no peer
 * and answers peers 503, exactly as if a network partition had cut it off.
 */
public interface RegionIsolation {
  /** Cuts the region off; returns once the outbox holds exactly what has not reached the log. Idempotent. */
  void isolate();

  /** Joins the fleet again: the outbox ships, replay resumes. Idempotent. */
  void reconnect();

  boolean isolated();

  /** The writes acknowledged here that have not reached the log, oldest first, at most {@code limit}. */
  List<UnshippedWrite> unshipped(int limit);

  /** How many outbox entries wait (acknowledgements of other regions' manifests included). */
  long outboxBacklog();

  /** A standalone region: there is no fleet to be cut off from. */
  RegionIsolation NONE = new RegionIsolation() {
    @Override
    public void isolate() {
      throw notAMember();
    }

    @Override
    public void reconnect() {
      throw notAMember();
    }

    @Override
    public boolean isolated() {
      return false;
    }

    @Override
    public List<UnshippedWrite> unshipped(int limit) {
      return List.of();
    }

    @Override
    public long outboxBacklog() {
      return 0;
    }

    private RegistryException notAMember() {
      return new RegistryException(OciErrorCode.UNSUPPORTED, "a standalone region has no fleet to be isolated from", null, 409);
    }
  };
}
