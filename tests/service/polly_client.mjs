// polly_client.mjs: Amazon Polly's own JavaScript client (@aws-sdk/client-polly, unchanged, only
// its endpoint pointed at narrate serve) lists the voices, synthesizes a short article to MP3 and
// fetches its speech marks. For the service tests, which check what it wrote.
//
//   node polly_client.mjs CLIENTS_DIR BASE_URL OUT_DIR --access-key-id ID --secret SECRET
//                         [--region REGION] [--voice VOICE_ID]
//
// CLIENTS_DIR holds the pinned clients (tests/service/package.json, installed with npm ci);
// BASE_URL is the server's root ("http://127.0.0.1:5002"). REGION defaults to us-east-1 (the
// server accepts any), VOICE_ID to Joanna. The client retries nothing (maxAttempts 1), so a
// failure shows at once.
//
// Writes into OUT_DIR: input.txt (the Text sent, UTF-8), polly.mp3 (the audio's bytes),
// polly-marks.jsonl (the speech marks' bytes as received: one JSON object a line). Prints one
// JSON object on stdout: {"voices": [{Id, Name, Gender, LanguageCode}...], "audio":
// {contentType, requestCharacters, bytes}, "marks": {contentType, requestCharacters, bytes}}.
// On an error it prints the error's name, message and HTTP status on stderr and exits 1.
//
// The requests it sends (client-polly 3.948.0, restJson1, every one signed with AWS Signature
// V4 for service "polly" in REGION; header names as sent, checked against a capture):
//
// 1. DescribeVoices
//      GET /v1/voices?LanguageCode=en-US, no body
//      x-amz-user-agent: aws-sdk-js/3.948.0, user-agent: aws-sdk-js/3.948.0 ua/2.1 os/... lang/js
//      md/nodejs#... api/polly#3.948.0 ..., host, amz-sdk-invocation-id: UUID, amz-sdk-request:
//      attempt=1; max=1, x-amz-date: YYYYMMDDTHHMMSSZ (the client's clock), x-amz-content-sha256
//      (hex SHA-256 of the body, here of nothing), authorization: AWS4-HMAC-SHA256
//      Credential=ID/YYYYMMDD/REGION/polly/aws4_request, SignedHeaders=amz-sdk-invocation-id;
//      amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=HEX
//      (Connection: keep-alive; no Accept). The signature covers these headers as sent, so the
//      server must verify them before it changes any.
//    Reads a JSON body {"Voices": [{"Gender", "Id", "LanguageCode", "LanguageName", "Name",
//    "SupportedEngines"?, "AdditionalLanguageCodes"?}], "NextToken"?}.
//
// 2. SynthesizeSpeech, audio
//      POST /v1/speech
//      content-type: application/json, content-length, and the headers above; SignedHeaders
//      adds content-length;content-type
//      body (compact JSON):
//        {"OutputFormat":"mp3","Text":"...","TextType":"text","VoiceId":"Joanna"}
//      (members in the model's order: Engine, LanguageCode, LexiconNames, OutputFormat,
//      SampleRate, SpeechMarkTypes, Text, TextType, VoiceId; those not set are left out)
//    Reads the whole response body as the audio (AudioStream), Content-Type as ContentType and
//    x-amzn-RequestCharacters (an integer) as RequestCharacters. A status other than 200 is an
//    error; its type is read from x-amzn-ErrorType (else the body's "code", else "__type"), its
//    message from the JSON body's "message" (or "Message").
//
// 3. SynthesizeSpeech, speech marks
//      POST /v1/speech, the same headers,
//      body: {"OutputFormat":"json","SpeechMarkTypes":["sentence","word"],"Text":"...",
//             "TextType":"text","VoiceId":"Joanna"}
//    Reads the body as the marks (Polly sends application/x-json-stream: one JSON object a line,
//    {"time": ms, "type": "sentence"|"word", "start": byte, "end": byte, "value": "..."}).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "access-key-id": { type: "string" },
    secret: { type: "string" },
    region: { type: "string", default: "us-east-1" },
    voice: { type: "string", default: "Joanna" },
  },
});
const [clientsDir, baseUrl, outDir] = positionals;
if (!clientsDir || !baseUrl || !outDir || !options["access-key-id"] || !options.secret) {
  console.error(
    "usage: node polly_client.mjs CLIENTS_DIR BASE_URL OUT_DIR --access-key-id ID " +
      "--secret SECRET [--region REGION] [--voice VOICE_ID]",
  );
  process.exit(2);
}
const require = createRequire(join(resolve(clientsDir), "package.json"));
const { PollyClient, DescribeVoicesCommand, SynthesizeSpeechCommand } = require(
  "@aws-sdk/client-polly",
);

// A short article of our own: a headline, two paragraphs, a number, a quotation.
const article =
  "Night trains return to the northern line\n\n" +
  "The overnight service between the capital and the northern ports starts again on Friday, " +
  "after three years without sleeping cars. Tickets for the first week sold out in two days.\n\n" +
  "\"People missed waking up by the sea,\" a spokeswoman for the railway said. Four trains a " +
  "week will run until October.\n";

const client = new PollyClient({
  endpoint: baseUrl,
  region: options.region,
  credentials: { accessKeyId: options["access-key-id"], secretAccessKey: options.secret },
  maxAttempts: 1,
});

async function synthesize(input) {
  const response = await client.send(new SynthesizeSpeechCommand(input));
  const bytes = await response.AudioStream.transformToByteArray();
  return {
    bytes,
    summary: {
      contentType: response.ContentType,
      requestCharacters: response.RequestCharacters,
      bytes: bytes.length,
    },
  };
}

try {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "input.txt"), article);

  const described = await client.send(new DescribeVoicesCommand({ LanguageCode: "en-US" }));
  const voices = (described.Voices ?? []).map(({ Id, Name, Gender, LanguageCode }) => ({
    Id,
    Name,
    Gender,
    LanguageCode,
  }));

  const audio = await synthesize({
    OutputFormat: "mp3",
    Text: article,
    TextType: "text",
    VoiceId: options.voice,
  });
  writeFileSync(join(outDir, "polly.mp3"), audio.bytes);

  const marks = await synthesize({
    OutputFormat: "json",
    SpeechMarkTypes: ["sentence", "word"],
    Text: article,
    TextType: "text",
    VoiceId: options.voice,
  });
  writeFileSync(join(outDir, "polly-marks.jsonl"), marks.bytes);

  console.log(JSON.stringify({ voices, audio: audio.summary, marks: marks.summary }));
} catch (error) {
  console.error(
    `polly_client: ${error.name}: ${error.message} ` +
      `(HTTP ${error.$metadata?.httpStatusCode ?? "no response"})`,
  );
  process.exit(1);
}
