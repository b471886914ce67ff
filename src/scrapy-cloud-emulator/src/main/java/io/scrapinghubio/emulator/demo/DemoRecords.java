package io.scrapinghubio.emulator.demo;

import static io.scrapinghubio.emulator.demo.DemoVocabulary.*;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates the demo records of one job directly as bytes. Each generator call fills a
 * {@link RecordBuilder}; the caller copies the bytes into the store. Sizes are chosen so that items
 * average about 1.4 KB.
 */
final class DemoRecords {
  private static final byte[] SPACE = {' '};
  private final SplittableRandom rnd;
  private final long baseTime;

  DemoRecords(long seed, long baseTime) {
    this.rnd = new SplittableRandom(seed);
    this.baseTime = baseTime;
  }

  private <T> T pick(T[] a) {
    return a[rnd.nextInt(a.length)];
  }

  /** Item fields (15): url, title, price, currency, sku, brand, availability, rating, review_count,
   * description, images, breadcrumbs, attributes, scraped_at, crawled_ts. */
  void item(RecordBuilder b, long jobSeq, int index) {
    long id = jobSeq * 10_000_000L + index;
    String brand = pick(BRANDS);
    String adj = pick(ADJECTIVES);
    String noun = pick(NOUNS);
    String slug = (adj + "-" + noun).toLowerCase().replace(' ', '-');
    b.beginObject(15);
    b.key("url").str("https://shop.example.com/p/" + slug + "-" + id);
    b.key("title").str(brand + " " + adj + " " + noun + " " + (100 + rnd.nextInt(900)));
    b.key("price").money(199 + rnd.nextInt(49_800));
    b.key("currency").str(pick(CURRENCIES));
    b.key("sku").str("SKU-" + Long.toHexString(0x10000000L + (id * 2654435761L & 0xfffffffL)).toUpperCase());
    b.key("brand").str(brand);
    b.key("availability").str(pick(AVAILABILITY));
    b.key("rating").decimal1(10 + rnd.nextInt(41));
    b.key("review_count").num(rnd.nextInt(5000));
    b.key("description");
    int start = b.beginStr();
    int target = 400 + rnd.nextInt(480);
    boolean firstWord = true;
    while (b.len - start < target) {
      if (!firstWord) {
        b.piece(SPACE);
      }
      firstWord = false;
      b.piece(WORDS[rnd.nextInt(WORDS.length)]);
    }
    b.piece('.');
    b.endStr(start);
    int images = 2 + rnd.nextInt(5);
    b.key("images").beginArray(images);
    for (int i = 0; i < images; i++) {
      b.str("https://img.example.com/" + Long.toHexString(id * 31 + i) + "/" + slug + "-" + i + "-1200x1200.jpg");
    }
    b.endArray();
    b.key("breadcrumbs").beginArray(3);
    b.str("Home").str(pick(CATEGORIES)).str(pick(SUBCATEGORIES));
    b.endArray();
    b.key("attributes").beginObject(5);
    b.key("color").str(pick(COLORS));
    b.key("material").str(pick(MATERIALS));
    b.key("weight_g").num(50 + rnd.nextInt(5000));
    b.key("warranty_months").num(12 * (1 + rnd.nextInt(3)));
    b.key("dimensions_cm").str((5 + rnd.nextInt(80)) + " x " + (5 + rnd.nextInt(60)) + " x " + (1 + rnd.nextInt(40)));
    b.endObject();
    long ts = baseTime + index * 250L;
    b.key("scraped_at").str(java.time.Instant.ofEpochMilli(ts).toString());
    b.key("crawled_ts").num(ts);
    b.endObject();
  }

  static final String[] ITEM_FIELDS = {
    "url", "title", "price", "currency", "sku", "brand", "availability", "rating", "review_count",
    "description", "images", "breadcrumbs", "attributes", "scraped_at", "crawled_ts"
  };

  /** A log line {@code {time, level, message}}; returns its level. */
  int log(RecordBuilder b, int index) {
    int r = rnd.nextInt(100);
    int level = r < 15 ? 10 : r < 85 ? 20 : r < 95 ? 30 : 40;
    String message;
    switch (level) {
      case 10:
        message = "Crawled (200) <GET https://shop.example.com/c/" + rnd.nextInt(500) + "> (referer: None)";
        break;
      case 20:
        message = "Scraped from <200 https://shop.example.com/p/" + rnd.nextInt(1_000_000) + ">";
        break;
      case 30:
        message = "Retrying <GET https://shop.example.com/p/" + rnd.nextInt(1_000_000) + "> (failed 1 times): 503";
        break;
      default:
        message = "Spider error processing <GET https://shop.example.com/p/" + rnd.nextInt(1_000_000)
            + "> (referer: None): KeyError: 'price'";
    }
    b.beginObject(3);
    b.key("time").num(baseTime + index * 100L);
    b.key("level").num(level);
    long before = b.msgpack;
    b.key("message").str(message);
    // Logs report the msgpack size of the message only (as recorded); keep just that part.
    long messageSize = b.msgpack - before - RecordBuilder.strSize("message".length());
    b.endObject();
    b.msgpack = messageSize;
    return level;
  }

  /** A request record; returns whether it has a parent. */
  boolean request(RecordBuilder b, int index) {
    boolean parent = index > 0;
    b.beginObject(parent ? 7 : 6);
    b.key("time").num(baseTime + index * 120L);
    if (parent) {
      b.key("parent").num(rnd.nextInt(index));
    }
    b.key("duration").num(20 + rnd.nextInt(2000));
    b.key("status").num(rnd.nextInt(50) == 0 ? 404 : 200);
    b.key("method").str(pick(METHODS));
    b.key("rs").num(2000 + rnd.nextInt(200_000));
    b.key("url").str("https://shop.example.com/p/" + rnd.nextInt(1_000_000));
    b.endObject();
    // Requests report the msgpack size of the record without "time".
    long timeSize = RecordBuilder.strSize(4) + RecordBuilder.longSize(baseTime + index * 120L);
    b.msgpack -= timeSize; // both maps have fewer than 16 fields: same 1-byte header
    return parent;
  }

  /** A stats sample {@code [ts, a, b, c]}. */
  void sample(RecordBuilder b, int index) {
    b.beginArray(4);
    b.num(baseTime + index * 60_000L);
    b.num(rnd.nextInt(1000));
    b.num(rnd.nextInt(100_000));
    b.num(rnd.nextInt(50));
    b.endArray();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
