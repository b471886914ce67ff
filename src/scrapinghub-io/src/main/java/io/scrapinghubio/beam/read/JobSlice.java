package io.scrapinghubio.beam.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A slice {@code [from, to)} of a job to read, with the size of the job's record log as the
 * service reported it when the read was planned: {@code count} records, {@code bytes} in all.
 * The slice is the element's restriction; records appended later (a running job) are not part of
 * this read.
 *
 * <p>Beam encodes it with {@link JobSliceCoder}, not Java serialisation, so it is left out of the
 * serialised-form page (whose checks would ask for a comment on each component's field).
 *
 * @param jobKey the job, {@code P/S/J}
 * @param count the job's records when the read was planned
 * @param bytes the job's bytes when the read was planned
 * @param from the first record of the slice
 * @param to the record after the slice's last
 * @param spider the name of the job's spider, or null when unknown: what each record read from the
 *     slice names as its {@link ScrapinghubRecord#spider()}
 * @serial exclude
 */
@DefaultCoder(JobSlice.JobSliceCoder.class)
record JobSlice(String jobKey, long count, long bytes, long from, long to, String spider) implements Serializable {

  /**
   * A slice of a job whose spider's name is unknown.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param count the job's records when the read was planned
   * @param bytes the job's bytes when the read was planned
   * @param from the first record of the slice
   * @param to the record after the slice's last
   */
  public JobSlice(String jobKey, long count, long bytes, long from, long to) {
    this(jobKey, count, bytes, from, to, null);
  }

  /**
   * The whole job.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param count the job's records
   * @param bytes the job's bytes
   */
  public JobSlice(String jobKey, long count, long bytes) {
    this(jobKey, count, bytes, 0, count, null);
  }

  double averageRecordBytes() {
    return count == 0 ? 0 : (double) bytes / count;
  }

  /**
   * Coder: key, varint count, bytes, from and to; a slice that names its spider is written after
   * an empty key (which no job has) with the name last, so that one without is encoded as before.
   */
  static final class JobSliceCoder extends AtomicCoder<JobSlice> {
    private static final JobSliceCoder INSTANCE = new JobSliceCoder();

    /**
     * The coder, stateless and shared.
     *
     * @return the one instance
     */
    public static JobSliceCoder of() {
      return INSTANCE;
    }

    @Override
    public void encode(JobSlice v, OutputStream out) throws IOException {
      if (v.spider() != null) {
        StringUtf8Coder.of().encode("", out);
      }
      StringUtf8Coder.of().encode(v.jobKey(), out);
      VarLongCoder.of().encode(v.count(), out);
      VarLongCoder.of().encode(v.bytes(), out);
      VarLongCoder.of().encode(v.from(), out);
      VarLongCoder.of().encode(v.to(), out);
      if (v.spider() != null) {
        StringUtf8Coder.of().encode(v.spider(), out);
      }
    }

    @Override
    public JobSlice decode(InputStream in) throws IOException {
      String key = StringUtf8Coder.of().decode(in);
      boolean named = key.isEmpty();
      if (named) {
        key = StringUtf8Coder.of().decode(in);
      }
      long count = VarLongCoder.of().decode(in);
      long bytes = VarLongCoder.of().decode(in);
      long from = VarLongCoder.of().decode(in);
      long to = VarLongCoder.of().decode(in);
      return new JobSlice(key, count, bytes, from, to, named ? StringUtf8Coder.of().decode(in) : null);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
