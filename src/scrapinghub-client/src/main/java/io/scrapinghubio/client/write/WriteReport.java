package io.scrapinghubio.client.write;

/**
 * Totals of a writer so far: what the service acknowledged, and what is still waiting.
 *
 * @param records records acknowledged by the service
 * @param bytes uncompressed bytes acknowledged
 * @param batches uploads acknowledged
 * @param newcount frontier writers: requests newly queued (0 for other targets)
 * @param pendingRecords records accepted by {@code write()} but not acknowledged yet
 */
public record WriteReport(long records, long bytes, long batches, long newcount, long pendingRecords) {}
