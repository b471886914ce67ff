package io.scrapinghubio.client.activity;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/** Parameters of an activity listing: {@code count}, {@code meta} ({@code _ts}), {@code filter}. */
public final class ActivityQuery {
  private int count;
  private final List<String> meta = new ArrayList<>();
  private final List<String> filters = new ArrayList<>();

  /**
   * At most {@code n} events ({@code <= 0}: no limit).
   *
   * @param n the most events
   * @return this query
   */
  public ActivityQuery count(int n) {
    this.count = n;
    return this;
  }

  /**
   * Adds a meta field to each event, e.g. {@code _ts} (insert time, ms).
   *
   * @param field the meta field's name
   * @return this query
   */
  public ActivityQuery meta(String field) {
    meta.add(field);
    return this;
  }

  /**
   * A filter triple as JSON text, e.g. {@code ["c", ">", [5]]}.
   *
   * @param jsonTriple {@code [field, operator, [values]]} as JSON
   * @return this query
   */
  public ActivityQuery filter(String jsonTriple) {
    filters.add(jsonTriple);
    return this;
  }

  HttpUrl.Builder applyTo(HttpUrl.Builder url) {
    filters.forEach(f -> url.addQueryParameter("filter", f));
    if (count > 0) {
      url.addQueryParameter("count", Integer.toString(count));
    }
    meta.forEach(m -> url.addQueryParameter("meta", m));
    return url;
  }
}
