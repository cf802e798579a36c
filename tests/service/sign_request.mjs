// sign_request.mjs: requests signed with AWS Signature Version 4 by the AWS SDK's own signer
// (@smithy/signature-v4 with @aws-crypto/sha256-js, as installed by client-polly's lock file),
// printed as JSON for the C++ test of narrate serve's verifier (tests/cli/serve_auth_test.cpp).
//
// usage: node sign_request.mjs CLIENTS_DIR
//
// CLIENTS_DIR holds the pinned clients (tests/service/package.json, installed with npm ci).
//
// Prints {"access_key_id", "secret", "signed_at_s" (seconds since 1970), "requests": [{"name",
// "method", "target" (path and query exactly as @smithy/node-http-handler sends them),
// "headers": [[name, value], ...], "body"}]}. Every request is signed at the same fixed time, so
// the test passes that time as "now".
import { createRequire } from "node:module";
import path from "node:path";

const clientsDir = process.argv[2];
if (!clientsDir) {
  console.error("usage: node sign_request.mjs CLIENTS_DIR");
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(clientsDir), "package.json"));
const { SignatureV4 } = require("@smithy/signature-v4");
const { Sha256 } = require("@aws-crypto/sha256-js");
const { HttpRequest } = require("@smithy/protocol-http");
const { buildQueryString, extendedEncodeURIComponent } = require("@smithy/core/protocols");
const { createHash } = require("node:crypto");

const accessKeyId = "AKIDNARRATORTEST01";
const secretAccessKey = "wJalrNarratorTestSecret/K7MDENG+bPxRfiCY";
const signedAt = new Date("2026-03-14T09:26:53Z");
const host = "127.0.0.1:5002";

const signer = new SignatureV4({
  credentials: { accessKeyId, secretAccessKey },
  region: "eu-central-1",
  service: "polly",
  sha256: Sha256,
});

// The same signer without its x-amz-content-sha256 header: the body's hash is then computed on
// both sides.
const signerWithoutHashHeader = new SignatureV4({
  credentials: { accessKeyId, secretAccessKey },
  region: "us-west-2",
  service: "polly",
  sha256: Sha256,
  applyChecksum: false,
});

const synthesize = JSON.stringify({
  Engine: "standard",
  OutputFormat: "mp3",
  Text: "Rain is expected over the capital by Thursday evening.",
  TextType: "text",
  VoiceId: "Joanna",
});
const marks = JSON.stringify({
  OutputFormat: "json",
  SpeechMarkTypes: ["sentence", "word"],
  Text: "Café owners in Hrodna welcomed the news — “at last,” one said.",
  VoiceId: "Matthew",
});

// What the Polly client sends, as HttpRequest objects: path already encoded as the SDK's
// serializers encode labels, query as an object (encoded on the wire by buildQueryString).
const requests = [
  {
    name: "synthesize",
    method: "POST",
    path: "/v1/speech",
    headers: { "content-type": "application/json", "content-length": "" },
    body: synthesize,
  },
  {
    name: "marks_with_unicode_body",
    method: "POST",
    path: "/v1/speech",
    headers: { "content-type": "application/json", "content-length": "" },
    body: marks,
  },
  {
    name: "describe_voices_query",
    method: "GET",
    path: "/v1/voices",
    query: { LanguageCode: "en-US", Engine: "standard", IncludeAdditionalLanguageCodes: "true" },
    headers: {},
  },
  {
    name: "query_with_reserved_characters",
    method: "GET",
    path: "/v1/voices",
    query: { NextToken: "page 2/of+3=yes&more*", Engine: "standard" },
    headers: {},
  },
  {
    name: "encoded_path_label",
    method: "GET",
    path: `/v1/lexicons/${extendedEncodeURIComponent("house names (2026)")}`,
    headers: {},
  },
  {
    name: "body_hash_without_header",
    method: "POST",
    path: "/v1/speech",
    headers: { "content-type": "application/json", "content-length": "" },
    body: marks,
    signer: signerWithoutHashHeader,
  },
  {
    name: "content_sha256_header",
    method: "POST",
    path: "/v1/speech",
    headers: {
      "content-type": "application/json",
      "content-length": "",
      "x-amz-content-sha256": createHash("sha256").update(synthesize).digest("hex"),
    },
    body: synthesize,
  },
];

const out = [];
for (const spec of requests) {
  const headers = { host, ...spec.headers };
  if ("content-length" in headers) headers["content-length"] = String(Buffer.byteLength(spec.body));
  const request = new HttpRequest({
    method: spec.method,
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 5002,
    path: spec.path,
    query: spec.query ?? {},
    headers,
    body: spec.body,
  });
  const signed = await (spec.signer ?? signer).sign(request, { signingDate: signedAt });
  const query = buildQueryString(signed.query ?? {});
  out.push({
    name: spec.name,
    method: signed.method,
    target: query ? `${signed.path}?${query}` : signed.path,
    headers: Object.entries(signed.headers),
    body: spec.body ?? "",
  });
}
process.stdout.write(
  JSON.stringify({
    access_key_id: accessKeyId,
    secret: secretAccessKey,
    signed_at_s: Math.floor(signedAt.getTime() / 1000),
    requests: out,
  }, null, 1) + "\n",
);
