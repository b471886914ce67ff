package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.ApiKey;
import java.io.IOException;
import okhttp3.Credentials;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * HTTP Basic auth with the API key as user name and an empty password, as both Scrapy Cloud hosts
 * expect. The key never goes into a URL ({@code ?apikey=} would end up in proxy and server logs).
 */
final class BasicAuthInterceptor implements Interceptor {
  private final ApiKey apiKey;
  private volatile String header;

  BasicAuthInterceptor(ApiKey apiKey) {
    this.apiKey = apiKey;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    String h = header;
    if (h == null) {
      h = Credentials.basic(apiKey.reveal(), "");
      header = h;
    }
    return chain.proceed(chain.request().newBuilder().header("Authorization", h).build());
  }
}
