package dev.meridian.agent.registry;

import dev.meridian.core.oci.RepositoryName;

/**
 * Decides whether an upload into a repository may go on (repository quotas); refuses with a
 * {@code RegistryException}. Asked before a session is started or mounted into ({@code held} and {@code adds}
 * zero) and before each chunk is taken, so a refusal leaves the session as it was: resumable once there is room.
 */
@FunctionalInterface
public interface UploadAdmission {
  UploadAdmission ALL = (repository, held, adds) -> {};

  /**
   * @param held bytes the session already holds
   * @param adds bytes the request announces (its {@code Content-Length}), 0 when unknown
   */
  void admit(RepositoryName repository, long held, long adds);
}
