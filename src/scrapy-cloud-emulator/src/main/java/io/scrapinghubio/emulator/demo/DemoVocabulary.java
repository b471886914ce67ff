package io.scrapinghubio.emulator.demo;

import java.nio.charset.StandardCharsets;

/** Word lists for the demo records (invented, ASCII, no characters needing JSON escapes). */
final class DemoVocabulary {
  private DemoVocabulary() {}

  static final String[] BRANDS = {
    "Acmetron", "Northwind", "Brightline", "Kestrel", "Orbis", "Valemont", "Quillon", "Tessera",
    "Lumina", "Corvid", "Halcyon", "Meridian", "Ostrava", "Pelican", "Runestone", "Solvay"
  };
  static final String[] NOUNS = {
    "Headphones", "Backpack", "Kettle", "Desk Lamp", "Running Shoes", "Blender", "Keyboard",
    "Water Bottle", "Rain Jacket", "Camera Strap", "Coffee Grinder", "Yoga Mat", "Monitor Stand",
    "Cast Iron Pan", "Travel Mug", "Bike Light", "Tent", "Hand Mixer", "Router", "Smart Plug"
  };
  static final String[] ADJECTIVES = {
    "Wireless", "Compact", "Ultralight", "Pro", "Classic", "Ergonomic", "Foldable", "Heavy-Duty",
    "Insulated", "Modular", "Premium", "Quiet", "Rechargeable", "Stainless", "Waterproof", "Vintage"
  };
  static final String[] CATEGORIES = {
    "Electronics", "Home and Kitchen", "Sports and Outdoors", "Office", "Clothing", "Garden",
    "Toys", "Health", "Automotive", "Tools"
  };
  static final String[] SUBCATEGORIES = {
    "Audio", "Cookware", "Camping", "Accessories", "Footwear", "Lighting", "Storage", "Fitness",
    "Networking", "Small Appliances", "Bags", "Furniture"
  };
  static final String[] COLORS = {"black", "white", "graphite", "red", "navy", "olive", "sand", "silver"};
  static final String[] MATERIALS = {"aluminium", "recycled polyester", "stainless steel", "ABS plastic",
    "bamboo", "cotton", "cast iron", "silicone"};
  static final String[] CURRENCIES = {"USD", "EUR", "GBP"};
  static final String[] AVAILABILITY = {"in_stock", "in_stock", "in_stock", "limited", "out_of_stock", "preorder"};
  static final String[] METHODS = {"GET", "GET", "GET", "GET", "POST"};

  static final byte[][] WORDS = bytes(
      "the", "and", "with", "for", "designed", "everyday", "use", "durable", "finish", "easy", "to",
      "clean", "comfortable", "grip", "lightweight", "build", "that", "lasts", "perfect", "home",
      "travel", "office", "quality", "materials", "tested", "in", "real", "conditions", "includes",
      "a", "two", "year", "warranty", "simple", "setup", "minutes", "energy", "efficient", "quiet",
      "operation", "compatible", "most", "standard", "accessories", "smooth", "precise", "control",
      "battery", "life", "up", "hours", "charging", "fast", "reliable", "performance", "every", "day",
      "compact", "storage", "when", "not", "use", "of", "our", "best", "selling", "range", "now",
      "improved", "sealing", "stronger", "hinges", "soft", "touch", "coating", "sustainably",
      "sourced", "packaging");

  static byte[][] bytes(String... words) {
    byte[][] out = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      out[i] = words[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }
}
