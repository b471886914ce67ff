package io.scrapinghubio.beam.read;

import io.scrapinghubio.client.read.JobRecord;
import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * How a read record becomes an output element: the default {@link ScrapinghubRecord} (JSON text +
 * lineage), a user class bound with Jackson, or a Beam {@code Row} of a given schema. Runs on
 * workers, so implementations are serialisable and build their heavy parts lazily.
 *
 * <p>Plumbing shared by the read packages, not API: public only so that the row formats
 * ({@code beam.rows}) can extend it and the read specs can hold one.
 */
@Internal
public abstract class OutputFormat<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Converts one record; may throw for records that do not fit the format. {@code jobKey} is
   * {@code record.job()} as text, made once per range by the reader rather than once per record.
   *
   * @param record the record as read
   * @param jobKey its job's key, {@code P/S/J}
   * @return the converted element
   * @throws Exception the record does not fit the format: a conversion failure
   */
  public abstract T convert(JobRecord record, String jobKey) throws Exception;

  /**
   * Converts one record of a job whose spider is {@code spider} (null when unknown): what the
   * bounded read calls; only the default format keeps the name.
   */
  T convert(JobRecord record, String jobKey, String spider) throws Exception {
    return convert(record, jobKey);
  }

  /**
   * Whether records should keep their {@code _key} field (typed and Row outputs can bind it).
   *
   * @return true to keep {@code _key}
   */
  public abstract boolean keepKey();

  /**
   * The coder of the converted elements.
   *
   * @param registry the pipeline's coder registry
   * @return a coder for {@code T}
   * @throws CannotProvideCoderException no coder is known for {@code T}
   */
  public abstract Coder<T> coder(CoderRegistry registry) throws CannotProvideCoderException;

  /**
   * What the format produces, for display data and messages.
   *
   * @return a short description
   */
  public abstract String describe();

  /**
   * The default: JSON text plus job key and index.
   *
   * @return the format of {@link ScrapinghubRecord}s
   */
  public static OutputFormat<ScrapinghubRecord> records() {
    return new RecordFormat();
  }

  /**
   * Each record bound to {@code type} with Jackson.
   *
   * @param <U> the output type
   * @param type a class Jackson can bind items to
   * @return the format of {@code U}s
   */
  public static <U> OutputFormat<U> boundTo(Class<U> type) {
    if (type == null) {
      throw new IllegalArgumentException("output type must be a class Jackson can bind items to, but was null");
    }
    return new JacksonOutputFormat<>(type);
  }

  /**
   * Rows of a schema inferred at pipeline construction: a placeholder that {@code read().expand()}
   * replaces by the row format of the inferred schema ({@code beam.rows}) before anything runs.
   *
   * @return the placeholder
   */
  public static OutputFormat<Row> inferredRows() {
    return new InferredRows();
  }

  /**
   * Whether this is {@link #inferredRows()}'s placeholder.
   *
   * @return true for the placeholder
   */
  public boolean infersSchema() {
    return false;
  }

  private static final class InferredRows extends OutputFormat<Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean infersSchema() {
      return true;
    }

    @Override
    public Row convert(JobRecord record, String jobKey) {
      throw new IllegalStateException("the schema is inferred when the read is applied; this placeholder never converts");
    }

    @Override
    public boolean keepKey() {
      return false;
    }

    @Override
    public Coder<Row> coder(CoderRegistry registry) throws CannotProvideCoderException {
      throw new CannotProvideCoderException("asRows() without a schema is only known once the read is applied");
    }

    @Override
    public String describe() {
      return "Row (schema inferred from a sample of the selected jobs)";
    }
  }

  private static final class RecordFormat extends OutputFormat<ScrapinghubRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public ScrapinghubRecord convert(JobRecord r, String jobKey) {
      return convert(r, jobKey, null);
    }

    @Override
    ScrapinghubRecord convert(JobRecord r, String jobKey, String spider) {
      if (spider == null && !r.hasTimestamp()) {
        return ScrapinghubRecord.ofUtf8(jobKey, r.index(), r.jsonBytes());
      }
      return ScrapinghubRecord.ofUtf8(jobKey, r.index(), r.jsonBytes(), spider,
          r.hasTimestamp() ? r.timestamp() : Long.MIN_VALUE);
    }

    @Override
    public boolean keepKey() {
      return false;
    }

    @Override
    public Coder<ScrapinghubRecord> coder(CoderRegistry registry) {
      return ScrapinghubRecordCoder.of();
    }

    @Override
    public String describe() {
      return "ScrapinghubRecord (JSON text + job key + index)";
    }
  }

  /** Coder of {@code type} from the pipeline's registry, with a message that says what to do. */
  static <T> Coder<T> inferCoder(CoderRegistry registry, Class<T> type) throws CannotProvideCoderException {
    try {
      return registry.getCoder(TypeDescriptor.of(type));
    } catch (CannotProvideCoderException e) {
      throw new CannotProvideCoderException("No coder for output type " + type.getName()
          + ": annotate it with @DefaultSchema(JavaFieldSchema.class) or @DefaultCoder, make it Serializable, "
          + "or register a coder in the pipeline's CoderRegistry", e);
    }
  }
}
