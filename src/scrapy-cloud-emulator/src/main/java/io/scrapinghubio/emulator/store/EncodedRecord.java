package io.scrapinghubio.emulator.store;

/**
 * One record as the store keeps it: compact JSON bytes plus what it adds to {@code /stats}.
 *
 * @param json compact single-line JSON, no trailing newline
 * @param inputBytes contribution to {@code totals.input_bytes}
 * @param countKeys keys whose {@code counts} entry this record increments
 */
public record EncodedRecord(byte[] json, long inputBytes, String[] countKeys) {}
