package io.scrapinghubio.client.frontier;

import com.fasterxml.jackson.databind.JsonNode;

/** One request of a queue batch: {@code [fp, qdata]} on the wire ({@code qdata} null when none). */
public record QueuedRequest(String fp, JsonNode qdata) {}
