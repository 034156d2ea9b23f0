package dev.meridian.core.event;

import dev.meridian.core.clock.HlcTimestamp;
import dev.meridian.core.clock.RegionId;
import dev.meridian.core.digest.Digest;
import dev.meridian.core.digest.DigestAlgorithm;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.ManifestBytes;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.oci.RepositoryName;
import dev.meridian.core.oci.Tag;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid events and their parts, for codec, replay and merge tests. */
public final class EventArbitraries {
  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  private EventArbitraries() {}

  public static Arbitrary<ReplicationEvent> events() {
    return Arbitraries.oneOf(
        blobPuts(), manifestPuts(), tagPuts(), tagDeletes(), manifestDeletes(), blobUnlinks(), replicaAcks(), lockPuts(),
        credentialPuts(), credentialDeletes());
  }

  public static Arbitrary<CredentialPut> credentialPuts() {
    return Combinators.combine(ids(), regions(), hlcs(), credentialNames(), Arbitraries.strings().ofMaxLength(200))
        .as((id, origin, hlc, name, value) -> new CredentialPut(id, origin, hlc, name, value));
  }

  public static Arbitrary<CredentialDelete> credentialDeletes() {
    return Combinators.combine(ids(), regions(), hlcs(), credentialNames())
        .as((id, origin, hlc, name) -> new CredentialDelete(id, origin, hlc, name));
  }

  private static Arbitrary<String> credentialNames() {
    return Arbitraries.strings().withChars(ALNUM + "._-").ofMinLength(1).ofMaxLength(20);
  }

  /** The common fields of an event, generated together. */
  public record Common(String id, RegionId origin, HlcTimestamp hlc, RepositoryName repository) {}

  public static Arbitrary<Common> common() {
    return Combinators.combine(ids(), regions(), hlcs(), repositories()).as(Common::new);
  }

  public static Arbitrary<BlobPut> blobPuts() {
    return Combinators.combine(common(), digests(), Arbitraries.longs().between(0, Long.MAX_VALUE))
        .as((c, digest, size) -> new BlobPut(c.id(), c.origin(), c.hlc(), c.repository(), digest, size));
  }

  public static Arbitrary<ManifestPut> manifestPuts() {
    return Combinators.combine(
            common(),
            digests(),
            Arbitraries.of(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST),
            Arbitraries.longs().between(0, ManifestBytes.MAX_SIZE),
            descriptors().list().ofMaxSize(6),
            descriptors().optional(0.3),
            mediaTypes().map(MediaType::value).optional(0.3),
            annotations())
        .as((c, digest, mediaType, size, references, subject, artifactType, annotations) -> new ManifestPut(
            c.id(), c.origin(), c.hlc(), c.repository(), digest, mediaType, size, references, subject,
            artifactType, annotations));
  }

  public static Arbitrary<TagPut> tagPuts() {
    return Combinators.combine(common(), tags(), digests())
        .as((c, tag, digest) -> new TagPut(c.id(), c.origin(), c.hlc(), c.repository(), tag, digest));
  }

  public static Arbitrary<TagDelete> tagDeletes() {
    return Combinators.combine(common(), tags())
        .as((c, tag) -> new TagDelete(c.id(), c.origin(), c.hlc(), c.repository(), tag));
  }

  public static Arbitrary<ManifestDelete> manifestDeletes() {
    return Combinators.combine(common(), digests())
        .as((c, digest) -> new ManifestDelete(c.id(), c.origin(), c.hlc(), c.repository(), digest));
  }

  public static Arbitrary<BlobUnlink> blobUnlinks() {
    return Combinators.combine(common(), digests())
        .as((c, digest) -> new BlobUnlink(c.id(), c.origin(), c.hlc(), c.repository(), digest));
  }

  public static Arbitrary<ReplicaAck> replicaAcks() {
    return Combinators.combine(common(), digests(), regions())
        .as((c, digest, region) -> new ReplicaAck(c.id(), c.origin(), c.hlc(), c.repository(), digest, region));
  }

  public static Arbitrary<LockPut> lockPuts() {
    Arbitrary<java.util.Optional<dev.meridian.core.oci.Reference>> references = Arbitraries.oneOf(
        Arbitraries.just(java.util.Optional.empty()),
        tags().map(t -> java.util.Optional.of(new dev.meridian.core.oci.Reference.TagReference(t))),
        digests().map(d -> java.util.Optional.of(new dev.meridian.core.oci.Reference.DigestReference(d))));
    return Combinators.combine(common(), references, Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((c, reference, write, delete) -> new LockPut(c.id(), c.origin(), c.hlc(), c.repository(), reference, write, delete));
  }

  public static Arbitrary<String> ids() {
    Arbitrary<String> uuids = Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()).toString());
    Arbitrary<String> printable = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(128);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, uuids), net.jqwik.api.Tuple.of(1, printable));
  }

  public static Arbitrary<RegionId> regions() {
    return Arbitraries.strings().withChars(ALNUM).ofMinLength(1).ofMaxLength(12).map(RegionId::new);
  }

  public static Arbitrary<HlcTimestamp> hlcs() {
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(HlcTimestamp::new);
  }

  public static Arbitrary<RepositoryName> repositories() {
    Arbitrary<String> word = Arbitraries.strings().withChars(ALNUM).ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--");
    Arbitrary<String> component = Combinators.combine(word, separator, word, Arbitraries.of(true, false))
        .as((a, sep, b, compound) -> compound ? a + sep + b : a);
    return component.list().ofMinSize(1).ofMaxSize(3).map(parts -> new RepositoryName(String.join("/", parts)));
  }

  public static Arbitrary<Tag> tags() {
    Arbitrary<Character> first = Arbitraries.of("abcXYZ019_".chars().mapToObj(c -> (char) c).toList());
    Arbitrary<String> rest = Arbitraries.strings().withChars("abcxyzABCXYZ0189._-").ofMaxLength(20);
    return Combinators.combine(first, rest).as((f, r) -> new Tag(f + r));
  }

  public static Arbitrary<Digest> digests() {
    Arbitrary<Digest> sha256 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)
        .map(hex -> new Digest(DigestAlgorithm.SHA256, hex));
    Arbitrary<Digest> sha512 = Arbitraries.strings().withChars("0123456789abcdef").ofLength(128)
        .map(hex -> new Digest(DigestAlgorithm.SHA512, hex));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, sha256), net.jqwik.api.Tuple.of(1, sha512));
  }

  public static Arbitrary<MediaType> mediaTypes() {
    Arbitrary<MediaType> generated = Arbitraries.strings().withChars(ALNUM + ".+-").ofMinLength(1).ofMaxLength(30)
        .map(suffix -> new MediaType("application/vnd.x" + suffix));
    return Arbitraries.oneOf(
        Arbitraries.of(MediaType.OCI_MANIFEST, MediaType.OCI_CONFIG, MediaType.OCI_EMPTY, MediaType.DOCKER_CONFIG,
            new MediaType("application/vnd.oci.image.layer.v1.tar+gzip")),
        generated);
  }

  public static Arbitrary<Descriptor> descriptors() {
    Arbitrary<Map<String, Object>> platform = Combinators.combine(
            Arbitraries.of("amd64", "arm64", "s390x"),
            Arbitraries.of("linux", "windows"),
            Arbitraries.strings().withChars(ALNUM).ofMinLength(1).ofMaxLength(5).list().ofMaxSize(2))
        .as((arch, os, features) -> features.isEmpty()
            ? Map.of("architecture", arch, "os", os)
            : Map.of("architecture", arch, "os", os, "os.features", List.copyOf(features)));
    return Combinators.combine(
            mediaTypes(),
            digests(),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            mediaTypes().map(MediaType::value).optional(0.2),
            annotations(),
            platform.optional(0.3))
        .as((mediaType, digest, size, artifactType, annotations, p) ->
            new Descriptor(mediaType, digest, size, artifactType, annotations, p));
  }

  /** Annotation maps with escapes and non-ASCII text, but no lone surrogates (those are not valid JSON text). */
  public static Arbitrary<Map<String, String>> annotations() {
    Arbitrary<String> text = Arbitraries.strings()
        .withCharRange('\u0000', '\u07ff')
        .withCharRange('\u4e00', '\u4e20')
        .ofMaxLength(16);
    return Arbitraries.maps(text, text).ofMaxSize(3);
  }
}
