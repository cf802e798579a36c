// openai_client.mjs: OpenAI's official JavaScript client (openai, unchanged, only its baseURL
// pointed at narrate serve) synthesizes a short article to MP3. For the service tests, which
// check what it wrote.
//
//   node openai_client.mjs CLIENTS_DIR BASE_URL OUT_DIR --api-key TOKEN
//                          [--voice VOICE] [--model MODEL] [--format FORMAT]
//
// CLIENTS_DIR holds the pinned clients (tests/service/package.json, installed with npm ci);
// BASE_URL is the server's root ("http://127.0.0.1:5002"): the client's baseURL is BASE_URL/v1,
// where OpenAI's own API lives (https://api.openai.com/v1). TOKEN is a bearer token from the
// server's --tokens file (any text when the server has none). VOICE defaults to alloy, MODEL to
// tts-1, FORMAT (response_format) to mp3. The client retries nothing (maxRetries 0), so a
// failure shows at once.
//
// Writes OUT_DIR/input.txt (the input sent, UTF-8) and OUT_DIR/openai.FORMAT (the response's
// bytes). Prints one JSON object on stdout: {"contentType", "bytes"}. On an error it prints the
// status and the server's message on stderr and exits 1.
//
// The request it sends (openai 4.104.0; header names as sent, checked against a capture):
//
//      POST /v1/audio/speech
//      content-length, accept: application/octet-stream, content-type: application/json,
//      user-agent: OpenAI/JS 4.104.0, x-stainless-lang: js, x-stainless-package-version: 4.104.0,
//      x-stainless-os, x-stainless-arch, x-stainless-runtime: node, x-stainless-runtime-version,
//      authorization: Bearer TOKEN, x-stainless-retry-count: 0, x-stainless-timeout: 600,
//      Accept-Encoding: gzip,deflate, Host, Connection: keep-alive
//      body: JSON indented by two spaces, members in this order:
//        {"model": "tts-1", "voice": "alloy", "input": "...", "response_format": "mp3"}
//
//    Reads the whole response body as the audio. A status other than 2xx is an error (an
//    APIError with that status); the message comes from the JSON body's "error" object
//    ({"error": {"message": ..., "type": ..., "code": ...}}) or, failing that, the body itself.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "api-key": { type: "string" },
    voice: { type: "string", default: "alloy" },
    model: { type: "string", default: "tts-1" },
    format: { type: "string", default: "mp3" },
  },
});
const [clientsDir, baseUrl, outDir] = positionals;
if (!clientsDir || !baseUrl || !outDir || !options["api-key"]) {
  console.error(
    "usage: node openai_client.mjs CLIENTS_DIR BASE_URL OUT_DIR --api-key TOKEN " +
      "[--voice VOICE] [--model MODEL] [--format FORMAT]",
  );
  process.exit(2);
}
const require = createRequire(join(resolve(clientsDir), "package.json"));
const { OpenAI } = require("openai");

// A short article of our own: a headline and two paragraphs, with a figure and a question.
const article =
  "Library opens its doors all night during exam season\n\n" +
  "The university library will stay open around the clock for the next three weeks, the first " +
  "time it has done so since it was rebuilt in 2019.\n\n" +
  "Will students use it? The night staff expect about two hundred readers after midnight.\n";

const client = new OpenAI({
  baseURL: `${baseUrl.replace(/\/+$/, "")}/v1`,
  apiKey: options["api-key"],
  maxRetries: 0,
});

try {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "input.txt"), article);
  const response = await client.audio.speech.create({
    model: options.model,
    voice: options.voice,
    input: article,
    response_format: options.format,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  writeFileSync(join(outDir, `openai.${options.format}`), bytes);
  console.log(
    JSON.stringify({ contentType: response.headers.get("content-type"), bytes: bytes.length }),
  );
} catch (error) {
  console.error(`openai_client: HTTP ${error.status ?? "no response"}: ${error.message}`);
  process.exit(1);
}
