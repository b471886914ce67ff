package io.scrapinghubio.cli.follow;

import java.util.Map;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * {@code --consumed-tag}: says which jobs have every item in a window file, so that they are tagged
 * then, and not before. Per job (the key), it gets the lines of each window file written
 * ({@code (file name, lines)}, from {@link WriteWindowFileFn}) and, once the read has read the job
 * to its end, its size ({@code ("", size)}); it outputs the job's key, once, when the lines written
 * add up to its size. A file written again after a restore replaces its count, so replays count
 * once. A job the read did not read to its end (deleted, or stopped before) is never output: the
 * next follow reads it again.
 */
final class ConsumedJobsFn extends DoFn<KV<String, KV<String, Long>>, String> {
  private static final long serialVersionUID = 1L;

  /** The file name that carries a job's size rather than a file's lines. */
  static final String SIZE = "";

  @StateId("files")
  private final StateSpec<MapState<String, Long>> filesSpec = StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

  @StateId("size")
  private final StateSpec<ValueState<Long>> sizeSpec = StateSpecs.value(VarLongCoder.of());

  @StateId("done")
  private final StateSpec<ValueState<Boolean>> doneSpec = StateSpecs.value(BooleanCoder.of());

  @ProcessElement
  public void process(@Element KV<String, KV<String, Long>> e, @StateId("files") MapState<String, Long> files,
      @StateId("size") ValueState<Long> size, @StateId("done") ValueState<Boolean> done, OutputReceiver<String> out) {
    if (Boolean.TRUE.equals(done.read())) {
      return; // already consumed: a replay
    }
    String file = e.getValue().getKey();
    if (SIZE.equals(file)) {
      size.write(e.getValue().getValue());
    } else {
      files.put(file, e.getValue().getValue());
    }
    Long expected = size.read();
    if (expected == null) {
      return;
    }
    long written = 0;
    for (Map.Entry<String, Long> f : files.entries().read()) {
      written += f.getValue();
    }
    if (written == expected) {
      done.write(true);
      files.clear();
      size.clear();
      out.output(e.getKey());
    }
  }
}
