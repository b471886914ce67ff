package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.read.JobDataType;
import java.time.Duration;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code ScrapinghubIO.readAll()}: reads the jobs whose keys ({@code P/S/J}) arrive as a
 * {@code PCollection}, e.g. jobs a pipeline discovered or scheduled itself. Same reading machinery
 * and settings as {@link ScrapinghubRead}; a malformed key fails the pipeline with a message naming
 * it.
 */
public final class ScrapinghubReadAll<T> extends PTransform<PCollection<String>, PCollection<T>> {
  private static final long serialVersionUID = 1L;
  private final ScrapinghubRead<T> spec;

  private ScrapinghubReadAll(ScrapinghubRead<T> spec) {
    this.spec = spec;
  }

  /** Use {@code ScrapinghubIO.readAll()}. */
  public static ScrapinghubReadAll<ScrapinghubRecord> create() {
    return new ScrapinghubReadAll<>(ScrapinghubRead.create());
  }

  public ScrapinghubReadAll<T> withConnection(ScrapinghubConnection connection) {
    return new ScrapinghubReadAll<>(spec.withConnection(connection));
  }

  public ScrapinghubReadAll<T> withDataType(JobDataType type) {
    return new ScrapinghubReadAll<>(spec.withDataType(type));
  }

  public ScrapinghubReadAll<T> withMinLogLevel(String level) {
    return new ScrapinghubReadAll<>(spec.withMinLogLevel(level));
  }

  public ScrapinghubReadAll<T> withFilter(String filterJson) {
    return new ScrapinghubReadAll<>(spec.withFilter(filterJson));
  }

  public ScrapinghubReadAll<T> withPageSize(int n) {
    return new ScrapinghubReadAll<>(spec.withPageSize(n));
  }

  public ScrapinghubReadAll<T> withPrefetchPages(int n) {
    return new ScrapinghubReadAll<>(spec.withPrefetchPages(n));
  }

  public ScrapinghubReadAll<T> withChunkItems(long n) {
    return new ScrapinghubReadAll<>(spec.withChunkItems(n));
  }

  public ScrapinghubReadAll<T> withChunkBytes(long n) {
    return new ScrapinghubReadAll<>(spec.withChunkBytes(n));
  }

  public ScrapinghubReadAll<T> withProgressInterval(Duration d) {
    return new ScrapinghubReadAll<>(spec.withProgressInterval(d));
  }

  public <U> ScrapinghubReadAll<U> as(Class<U> type) {
    return new ScrapinghubReadAll<>(spec.as(type));
  }

  public ScrapinghubReadAll<Row> asRows(Schema schema) {
    return new ScrapinghubReadAll<>(spec.asRows(schema));
  }

  @Override
  public PCollection<T> expand(PCollection<String> jobKeys) {
    PCollection<String> checked = jobKeys.apply("CheckJobKeys", MapElements.into(TypeDescriptors.strings())
        .via((String k) -> io.scrapinghubio.client.core.JobKey.parse(k).toString()));
    return checked.apply("ReadJobs", new ReadJobs<>(spec.config(), spec.format()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    spec.config().populateDisplayData(b);
    b.add(DisplayData.item("output", spec.format().describe()).withLabel("Output"));
  }
}
