/** Local Scrapy Cloud emulator: a real HTTP server speaking the Scrapy Cloud wire protocol. */
package io.scrapinghubio.emulator;
