package dev.meridian.core.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.clock.Stamp;
import dev.meridian.core.event.EventArbitraries;
import dev.meridian.core.oci.Descriptor;
import dev.meridian.core.oci.MediaType;
import dev.meridian.core.state.ManifestContent;
import dev.meridian.core.state.ManifestRecord;
import dev.meridian.core.state.StateStoreException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;

/**
 * The content read of a manifest register steps over the fields it leaves out field by field, in the order the
 * register was written: it must find the same digests, sizes and presence as the whole read, whatever the fields it
 * skips hold, and must not misread a damaged value.
 */
class ManifestContentReadTest {
  @Property(tries = 1000)
  void theContentReadFindsWhatTheWholeReadFinds(@ForAll("manifests") ManifestRecord manifest) {
    byte[] value = StateCodec.encodeManifest(manifest);

    ManifestContent content = StateCodec.decodeManifestContent(manifest.repository(), manifest.digest(), value);

    assertThat(content).isEqualTo(ManifestContent.of(manifest));
    assertThat(content).isEqualTo(
        ManifestContent.of(StateCodec.decodeManifest(manifest.repository(), manifest.digest(), value)));
  }

  @Property(tries = 500)
  void aShortenedOrLengthenedValueIsCorruptNotMisread(
      @ForAll("manifests") ManifestRecord manifest, @ForAll @IntRange(min = 1, max = 64) int cut, @ForAll boolean longer) {
    byte[] value = StateCodec.encodeManifest(manifest);
    byte[] damaged = longer
        ? Arrays.copyOf(value, value.length + cut)
        : Arrays.copyOf(value, Math.max(1, value.length - cut));

    assertThatThrownBy(() -> StateCodec.decodeManifestContent(manifest.repository(), manifest.digest(), damaged))
        .isInstanceOf(StateStoreException.class);
  }

  @Provide
  Arbitrary<ManifestRecord> manifests() {
    Arbitrary<Tuple2<List<Descriptor>, Optional<Descriptor>>> referencesAndSubject = Combinators.combine(
        EventArbitraries.descriptors().list().ofMaxSize(5), EventArbitraries.descriptors().optional(0.3)).as(Tuple::of);
    Arbitrary<Tuple2<Boolean, Stamp>> presenceAndStamp = Combinators.combine(Arbitraries.of(true, false),
        Combinators.combine(EventArbitraries.hlcs(), EventArbitraries.regions()).as(Stamp::new)).as(Tuple::of);
    return Combinators.combine(
            EventArbitraries.repositories(),
            EventArbitraries.digests(),
            EventArbitraries.mediaTypes(),
            Arbitraries.longs().between(0, Long.MAX_VALUE),
            referencesAndSubject,
            EventArbitraries.mediaTypes().map(MediaType::value).optional(0.3),
            EventArbitraries.annotations(),
            presenceAndStamp)
        .as((repository, digest, mediaType, size, references, artifactType, annotations, presence) ->
            new ManifestRecord(repository, digest, mediaType, size, references.get1(), references.get2(), artifactType,
                annotations, presence.get1(), presence.get2()));
  }

}
