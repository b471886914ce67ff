package io.scrapinghubio.client.write;

/**
 * What one acknowledged upload wrote.
 *
 * @param start offset of the batch's first record
 * @param records records in the batch
 * @param bytes uncompressed body size
 * @param wireBytes body size as sent (after gzip, when the target compresses)
 * @param newcount for frontier slots, requests the service newly queued (duplicates of known
 *     fingerprints are not counted); 0 for other targets
 * @param resentAfterLostAnswer the batch was sent again after an attempt whose answer was lost (a
 *     reset once connected, an answer cut short, a gateway's 500/502/504): that attempt may have
 *     been applied, and then {@code newcount} leaves out the requests it queued, which the
 *     re-sent batch finds already known. {@code records - newcount} is then not a count of
 *     duplicates the caller sent.
 */
public record UploadResult(long start, int records, long bytes, long wireBytes, long newcount, boolean resentAfterLostAnswer) {
  /**
   * A result of a batch sent once.
   *
   * @param start offset of the batch's first record
   * @param records records in the batch
   * @param bytes uncompressed body size
   * @param wireBytes body size as sent
   * @param newcount requests newly queued (frontier slots), else 0
   */
  public UploadResult(long start, int records, long bytes, long wireBytes, long newcount) {
    this(start, records, bytes, wireBytes, newcount, false);
  }
}
