package io.scrapinghubio.beam.read;

import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * The shared tail of {@code read()} and {@code readAll()}: spread job keys over workers, size each
 * job, then read its record range as a splittable DoFn.
 */
final class ReadJobs<T> extends PTransform<PCollection<String>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final ReadConfig config;
  private final OutputFormat<T> format;

  ReadJobs(ReadConfig config, OutputFormat<T> format) {
    this.config = config;
    this.format = format;
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
        .apply("SizeJobs", ParDo.of(new SizeJobFn(config.clientConfig(), config.dataType())))
        .apply("ReadRecords", ParDo.of(new ReadRecordsFn<>(config, format, getName())))
        .setCoder(coder);
  }
}
