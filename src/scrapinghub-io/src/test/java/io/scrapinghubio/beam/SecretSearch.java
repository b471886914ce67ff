package io.scrapinghubio.beam;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.xerial.snappy.SnappyInputStream;

/**
 * Where a secret can be found in what a runner receives: a transform's Java-serialised form, and
 * the pipeline proto that portable runners and job services store and show.
 *
 * <p>Searches uncompressed bytes only. Beam's {@code SerializableUtils} compresses with Snappy, and
 * in compressed bytes a repeated run of the secret becomes a back-reference that a byte search
 * does not find; so transforms are serialised here with a plain {@link ObjectOutputStream}, and
 * the Java-serialised functions inside the proto (each ParDo's DoFn, each Combine's CombineFn) are
 * decompressed before they are searched.
 */
final class SecretSearch {
  private SecretSearch() {}

  static byte[] javaSerialised(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The places in {@code p}'s proto that hold {@code secret}: "proto bytes", or the transform whose function holds it. */
  static List<String> placesInPipelineProto(Pipeline p, String secret) {
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(p);
    List<String> places = new ArrayList<>();
    if (contains(proto.toByteArray(), secret)) {
      places.add("proto bytes");
    }
    for (Map.Entry<String, RunnerApi.PTransform> t : proto.getComponents().getTransformsMap().entrySet()) {
      byte[] function = serialisedFunction(t.getValue().getSpec());
      if (function != null && contains(function, secret)) {
        places.add("function of " + t.getKey());
      }
    }
    return places;
  }

  /** The uncompressed Java-serialised function a transform's payload carries, or null. */
  private static byte[] serialisedFunction(RunnerApi.FunctionSpec spec) {
    try {
      RunnerApi.FunctionSpec fn;
      if (PTransformTranslation.PAR_DO_TRANSFORM_URN.equals(spec.getUrn())) {
        fn = RunnerApi.ParDoPayload.parseFrom(spec.getPayload().toByteArray()).getDoFn();
      } else if (PTransformTranslation.COMBINE_PER_KEY_TRANSFORM_URN.equals(spec.getUrn())
          || PTransformTranslation.COMBINE_GLOBALLY_TRANSFORM_URN.equals(spec.getUrn())) {
        fn = RunnerApi.CombinePayload.parseFrom(spec.getPayload().toByteArray()).getCombineFn();
      } else {
        return null;
      }
      try (SnappyInputStream in = new SnappyInputStream(new ByteArrayInputStream(fn.getPayload().toByteArray()))) {
        return in.readAllBytes(); // SerializableUtils writes a SnappyOutputStream
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean contains(byte[] haystack, String secret) {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
