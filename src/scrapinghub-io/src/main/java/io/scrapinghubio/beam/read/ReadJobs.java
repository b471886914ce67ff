package io.scrapinghubio.beam.read;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * The shared tail of {@code read()} and {@code readAll()}: spread job keys over workers, size each
 * job and cut it into chunks, spread the chunks over workers, then read each chunk's record range
 * whole ({@link ReadChunkFn}), or as a splittable DoFn that Dataflow can split further when
 * {@code withDynamicSplitting()} asks for it ({@link ReadRecordsFn}).
 */
final class ReadJobs<T> extends PTransform<PCollection<String>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final ReadConfig config;
  private final OutputFormat<T> format;

  ReadJobs(ReadConfig config, OutputFormat<T> format) {
    this.config = config;
    this.format = format;
  }

  private org.apache.beam.sdk.transforms.DoFn<JobRef, T> readFn() {
    RangeReader<T> reader = new RangeReader<>(config, format, getName());
    return config.dynamicSplitting() ? new ReadRecordsFn<>(reader) : new ReadChunkFn<>(reader);
  }

  @Override
  public PCollection<T> expand(PCollection<String> jobKeys) {
    Coder<T> coder;
    try {
      coder = format.coder(jobKeys.getPipeline().getCoderRegistry());
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return jobKeys
        .apply("SpreadJobs", Reshuffle.viaRandomKey())
        .apply("SizeAndChunkJobs", ParDo.of(new SizeJobFn(config, getName())))
        .apply("SpreadChunks", Reshuffle.viaRandomKey())
        .apply("ReadRecords", ParDo.of(readFn()))
        .setCoder(coder);
  }
}
