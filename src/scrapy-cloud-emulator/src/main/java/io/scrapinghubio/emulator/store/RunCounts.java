package io.scrapinghubio.emulator.store;

/**
 * What a job has stored so far, counted the way the platform's runner and stats collector count
 * it: items, requests (the summary's {@code pages}), log lines, and log lines at ERROR and above.
 *
 * @param items items stored
 * @param pages requests stored
 * @param logs log lines stored
 * @param errors log lines at ERROR and above
 */
public record RunCounts(long items, long pages, long logs, long errors) {}
