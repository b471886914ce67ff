package io.scrapinghubio.beam.failure;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;

/**
 * Plumbing shared by every transform that hands its failed elements to a Beam
 * {@link ErrorHandler} ({@code withBadRecordErrorHandler}): not an API, it may change at any time.
 *
 * <p>Why not {@code BadRecordRouter.RECORDING_ROUTER}: it renders the element with Jackson's
 * default bean mapping, which for a record read from Scrapy Cloud is not the record's JSON, and
 * its throwing twin fails with "Encountered Bad Record", which does not name the element. Here the
 * caller gives the element's own JSON and the description, and fail-fast names the element.
 */
@Internal
public final class BadRecords {
  private BadRecords() {}

  /**
   * Refuses a null handler at construction, where the mistake is made, and not at run time.
   *
   * @param handler the handler given to {@code withBadRecordErrorHandler}
   * @param transform the transform's name, for the message
   * @return the handler
   */
  public static ErrorHandler<BadRecord, ?> checkHandler(ErrorHandler<BadRecord, ?> handler, String transform) {
    if (handler == null) {
      throw new IllegalArgumentException(transform + ".withBadRecordErrorHandler(handler) needs a handler, but was null: "
          + "leave it unset to fail the pipeline on the first failed element, or register one with "
          + "pipeline.registerBadRecordErrorHandler(sink)");
    }
    return handler;
  }

  /**
   * A bad record: the element as {@code json} (what a person reads) and encoded with {@code coder}
   * (what a program can decode and retry), the exception, and {@code description}, which says
   * everything the element's failure is known by (kind, job or destination, status, reason).
   * Never give an API key in any of them: a bad record is meant to be stored and shown.
   *
   * @param <T> the element type
   * @param element the element that failed
   * @param coder its coder
   * @param json the element as JSON text
   * @param failure why it failed
   * @param description the failure in one line: a {@link ScrapinghubFailure}'s
   *     {@link ScrapinghubFailure#description() description}, which users read back with
   *     {@link ScrapinghubFailure#of(BadRecord)}
   * @return the bad record
   */
  public static <T> BadRecord of(T element, Coder<T> coder, String json, Exception failure, String description) {
    byte[] encoded;
    String coderName = coder.toString();
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      coder.encode(element, bytes);
      encoded = bytes.toByteArray();
    } catch (Exception e) {
      // The description and the JSON still say what failed; an element that cannot be encoded
      // cannot be decoded either.
      encoded = new byte[0];
      coderName = coderName + " (could not encode the element: " + e + ")";
    }
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    return BadRecord.builder()
        .setRecord(BadRecord.Record.builder().setHumanReadableJsonRecord(json).setEncodedRecord(encoded).setCoder(coderName).build())
        .setFailure(BadRecord.Failure.builder().setException(failure.toString()).setExceptionStacktrace(trace.toString())
            .setDescription(description).build())
        .build();
  }
}
