// feed_check.mjs: reads a podcast feed with the real rss-parser from npm, as podcast apps and
// aggregators built on it do, and prints what it understood as JSON (one object: the channel and
// its items), for the feed test to check against the files.
//
//   node feed_check.mjs CLIENTS_DIR FEED.xml
//
// CLIENTS_DIR holds the pinned clients (tests/service/package.json, installed with npm ci).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [clientsDir, feedPath] = process.argv.slice(2);
if (!clientsDir || !feedPath) {
  console.error('usage: node feed_check.mjs CLIENTS_DIR FEED.xml');
  process.exit(2);
}
const require = createRequire(join(resolve(clientsDir), 'package.json'));
const Parser = require('rss-parser');

const parser = new Parser({
  customFields: {
    feed: [['podcast:guid', 'podcastGuid']],
    item: [['podcast:transcript', 'transcript']],
  },
});
const feed = await parser.parseString(readFileSync(feedPath, 'utf8'));
const attributes = (element) => (element && element.$ ? element.$ : null);
console.log(JSON.stringify({
  title: feed.title,
  language: feed.language,
  podcastGuid: feed.podcastGuid,
  categories: feed.itunes ? feed.itunes.categories : null,
  items: feed.items.map((item) => ({
    title: item.title,
    creator: item.creator ?? null,
    author: item.itunes ? item.itunes.author ?? null : null,
    isoDate: item.isoDate,
    guid: item.guid,
    enclosure: item.enclosure,
    duration: item.itunes ? item.itunes.duration ?? null : null,
    transcript: attributes(item.transcript),
  })),
}));
