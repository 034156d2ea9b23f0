package dev.meridian.core.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed manifest: what the registry needs to know of it. The bytes stay in {@link ManifestBytes}.
 *
 * <p>{@link ImageManifest} covers the OCI image manifest and Docker schema 2; {@link ImageIndex} covers the
 * OCI image index and the Docker manifest list.
 */
public sealed interface Manifest permits Manifest.ImageManifest, Manifest.ImageIndex {

  MediaType mediaType();

  Optional<Descriptor> subject();

  /** The manifest's artifactType, else (for image manifests) its config's media type. */
  Optional<String> artifactType();

  Map<String, String> annotations();

  /** Every descriptor whose content must be present before this manifest is accepted. */
  List<Descriptor> references();

  /** An image manifest: a config and layers. */
  record ImageManifest(
      MediaType mediaType,
      Descriptor config,
      List<Descriptor> layers,
      Optional<Descriptor> subject,
      Optional<String> artifactType,
      Map<String, String> annotations)
      implements Manifest {
    public ImageManifest {
      layers = List.copyOf(layers);
      annotations = Map.copyOf(annotations);
    }

    @Override
    public List<Descriptor> references() {
      var all = new java.util.ArrayList<Descriptor>(layers.size() + 1);
      all.add(config);
      all.addAll(layers);
      return List.copyOf(all);
    }
  }

  /** An index: child manifests, usually one per platform. */
  record ImageIndex(
      MediaType mediaType,
      List<Descriptor> manifests,
      Optional<Descriptor> subject,
      Optional<String> artifactType,
      Map<String, String> annotations)
      implements Manifest {
    public ImageIndex {
      manifests = List.copyOf(manifests);
      annotations = Map.copyOf(annotations);
    }

    @Override
    public List<Descriptor> references() {
      return manifests;
    }
  }
}
