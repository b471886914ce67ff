package io.scrapinghubio.beam.write;

/**
 * One record ready to upload: its destination within the target (the frontier slot; empty for
 * collections) and its compact JSON line without newline.
 */
record EncodedRecord(String destination, byte[] line) {}
