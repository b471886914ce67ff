package io.scrapinghubio.client.write;

/**
 * Turns one record into the compact JSON line a writer uploads (no trailing newline), rejecting
 * records the target would refuse (e.g. a collection record without {@code _key}) before they are
 * buffered.
 */
public interface RecordEncoder<T> {
  /**
   * Encodes one record as a compact JSON line, without its newline.
   *
   * @param record the record
   * @return the UTF-8 bytes
   * @throws RecordRejectedException when the record can never be accepted by the target (a
   *     {@link io.scrapinghubio.client.errors.BadRequestException})
   */
  byte[] encode(T record);

  /**
   * How error messages name a record: its {@code _key} when it has one, else its position
   * ({@code position} is the record's 0-based index among the records this writer accepted).
   *
   * @param record the record
   * @param position its index among the records accepted
   * @return a short description
   */
  default String describe(T record, long position) {
    return "record #" + position;
  }
}
