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
 */
public record UploadResult(long start, int records, long bytes, long wireBytes, long newcount) {}
