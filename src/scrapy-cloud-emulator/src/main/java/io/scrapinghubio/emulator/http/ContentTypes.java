package io.scrapinghubio.emulator.http;

/** Content types exactly as the real hosts send them (the recordings show both spellings). */
public final class ContentTypes {
  /** Storage data endpoints (items, collections, hcf, activity). */
  public static final String JSONLINES = "application/x-jsonlines; charset=UTF-8";
  /** JobQ and job metadata (the Werkzeug app) omit the charset. */
  public static final String JSONLINES_BARE = "application/x-jsonlines";
  /** JSON answers of the storage and dash APIs. */
  public static final String JSON = "application/json; charset=UTF-8";
  /** JSON answers that name no charset (as some dash endpoints do). */
  public static final String JSON_BARE = "application/json";
  /** Msgpack answers of the storage data endpoints. */
  public static final String MSGPACK = "application/x-msgpack; charset=UTF-8";
  /** Empty write acknowledgements of the storage data endpoints. */
  public static final String TEXT = "text/plain; charset=UTF-8";
  /** Empty acknowledgements of settings writes. */
  public static final String TEXT_LOWER = "text/plain; charset=utf-8";
  /** Empty acknowledgements of job metadata writes. */
  public static final String HTML = "text/html; charset=utf-8";
  /** Proxy error pages (502/503/504). */
  public static final String HTML_BARE = "text/html";

  private ContentTypes() {}
}
